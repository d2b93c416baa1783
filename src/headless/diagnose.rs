//! `cogtui diagnose`: the pool checks (and one user's) as text or JSON.

use serde_json::json;

use crate::cli::DiagnoseFormat;
use crate::cognito::diagnostics::Check;
use crate::config::PoolConfig;

/// Text output is wrapped to this many columns: readable in a terminal and pasted into a ticket.
const WIDTH: usize = 100;

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
            // Addresses and names (no-reply@verificationemail.com) are never split at a hyphen.
            let body = textwrap::Options::new(WIDTH)
                .initial_indent("         ")
                .subsequent_indent("         ")
                .word_splitter(textwrap::WordSplitter::NoHyphenation);
            for check in checks {
                let head = format!(
                    "[{:<4}]  {}: {}",
                    check.status.label().to_uppercase(),
                    check.id,
                    check.summary
                );
                out.push('\n');
                for line in textwrap::wrap(&head, body.clone().initial_indent("")) {
                    out.push_str(&format!("{line}\n"));
                }
                for text in [check.detail.clone(), format!("source: {}", check.source)] {
                    if !text.is_empty() {
                        for line in textwrap::wrap(&text, body.clone()) {
                            out.push_str(&format!("{line}\n"));
                        }
                    }
                }
            }
            out
        }
    }
}
