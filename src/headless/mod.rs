//! `cogtui list` and `cogtui resend`: the whole path without a terminal UI, for scripts.

pub mod list;
pub mod resend;
