//! cogtui: find UNCONFIRMED Amazon Cognito users and resend their confirmation codes.
//!
//! `config` reads the pools, `cognito` is the only module that talks to AWS, `headless` holds the
//! `list` and `resend` commands, `tui` the terminal UI, and `commands` wires them to the CLI.

pub mod actions;
pub mod audit;
pub mod cli;
pub mod cognito;
pub mod commands;
pub mod config;
pub mod headless;
pub mod local_filter;
pub mod logging;
pub mod reply;
pub mod secret;
pub mod stats;
pub mod text;
pub mod time;
pub mod tui;
