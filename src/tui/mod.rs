//! The terminal UI.

use crate::cognito::session::Overrides;
use crate::commands::Failure;
use crate::config::Config;

pub async fn run(_config: Config, _pool: String, _overrides: Overrides) -> Result<(), Failure> {
    Err(Failure::Usage(
        "the terminal UI is not built yet: use `cogtui list`".into(),
    ))
}
