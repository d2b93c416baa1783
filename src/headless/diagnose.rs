//! `cogtui diagnose`: the pool checks (and one user's) as text or JSON.

use serde_json::json;

use crate::cli::DiagnoseFormat;
use crate::cognito::diagnostics::Check;
use crate::config::PoolConfig;

pub fn render(pool: &PoolConfig, checks: &[Check], format: DiagnoseFormat) -> String {
    match format {
        DiagnoseFormat::Json => format!(
            "{}\n",
            crate::text::json_safe(
                &json!({
                    "pool": pool.name,
                    "user_pool_id": pool.user_pool_id,
                    "checks": checks,
                })
                .to_string()
            )
        ),
        DiagnoseFormat::Text => {
            let mut out = format!(
                "Pool {} ({}, {})\n",
                crate::text::sanitize(&pool.name),
                pool.user_pool_id,
                pool.region
            );
            for check in checks {
                out.push_str(&format!(
                    "\n[{:<7}] {}: {}\n",
                    check.status.label().to_uppercase(),
                    check.id,
                    check.summary
                ));
                if !check.detail.is_empty() {
                    out.push_str(&format!("          {}\n", check.detail));
                }
                out.push_str(&format!("          source: {}\n", check.source));
            }
            out
        }
    }
}
