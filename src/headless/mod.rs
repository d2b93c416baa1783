//! The headless commands: the whole path without a terminal UI, for scripts.

pub mod admin;
pub mod audit;
pub mod bulk;
pub mod diagnose;
pub mod history;
pub mod init;
pub mod list;
pub mod prune;
pub mod resend;
pub mod stats;
pub mod switch;
