//! `cogtui diagnose`: the pool checks (and one user's) as text or JSON.

use serde_json::json;

use crate::cli::DiagnoseFormat;
use crate::cognito::CognitoApi;
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

/// `cogtui diagnose`: the pool checks, and the user's with `--user`.
pub async fn run(
    config: &crate::config::Config,
    pool: &PoolConfig,
    overrides: &crate::cognito::session::Overrides,
    args: &crate::cli::DiagnoseArgs,
    redact: bool,
) -> Result<(), crate::commands::Failure> {
    let secret_configured = crate::cognito::session::secret_configured(config, pool)?;
    let api = crate::cognito::session::connect(pool, overrides).await;
    let facts = api.pool_facts(&pool.client_id).await;
    // No credentials, no connection: nothing was checked, and nine "unknown"s would bury why.
    if let Err(e) = &facts.pool
        && !matches!(
            e.kind,
            crate::cognito::ErrorKind::AccessDenied | crate::cognito::ErrorKind::NotAuthorized
        )
    {
        return Err(crate::commands::Failure::Api(e.clone()));
    }
    let mut checks = crate::cognito::diagnostics::pool_checks(&facts, secret_configured);
    if let Some(username) = &args.user {
        let user = api
            .get_user(username)
            .await
            .map(|u| if redact { u.redacted() } else { u });
        let (attempts, _) = crate::commands::audit_log(config)?
            .attempts_for(&pool.user_pool_id, username)
            .map_err(|e| crate::commands::Failure::Usage(e.to_string()))?;
        checks.extend(crate::cognito::diagnostics::user_checks(
            &facts.pool,
            &user,
            &attempts,
            chrono::Utc::now(),
            crate::time::Zone::Local,
        ));
    }
    let text = render(pool, &checks, args.format);
    std::io::Write::write_all(&mut std::io::stdout(), text.as_bytes())?;
    Ok(())
}
