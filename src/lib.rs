//! cogtui: find UNCONFIRMED Amazon Cognito users and resend their confirmation codes.
//!
//! `config` reads the pools; `cognito` is the only module that talks to AWS (its writes need a
//! permit only `ops::guard` makes); `ops` holds the operations, each with every rule that decides
//! whether it may write; `headless` (the commands) and `tui` (the terminal UI) gather input and
//! show results; `output` writes users and errors for the commands; `commands` wires the CLI.

pub mod audit;
pub mod cli;
pub mod cognito;
pub mod commands;
pub mod config;
pub mod delivery;
pub mod evidence;
pub mod headless;
pub mod init;
pub mod local_filter;
pub mod logging;
pub mod ops;
pub mod output;
pub mod reply;
pub mod secret;
pub mod stats;
pub mod text;
pub mod time;
pub mod tui;
