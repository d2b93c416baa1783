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
                    "counts": crate::cognito::diagnostics::counts(checks),
                    "checks": crate::cognito::diagnostics::worst_first(checks),
                })
                .to_string()
            )
        ),
        DiagnoseFormat::Text => {
            let mut out = format!(
                "Pool {} ({}, {})\n{}\n",
                crate::text::sanitize(&pool.name),
                pool.user_pool_id,
                pool.region,
                crate::cognito::diagnostics::counts(checks)
            );
            // Addresses and names (no-reply@verificationemail.com) are never split at a hyphen.
            let body = textwrap::Options::new(WIDTH)
                .initial_indent("         ")
                .subsequent_indent("         ")
                .word_splitter(textwrap::WordSplitter::NoHyphenation);
            for check in crate::cognito::diagnostics::worst_first(checks) {
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
    // One service further: the SES and SNS accounts the pool sends through.
    let sns_region = facts.pool.as_ref().ok().and_then(|p| p.sns_region.clone());
    let evidence =
        crate::evidence::Evidence::connect(&overrides.endpoint_for(pool), sns_region.as_deref())
            .await;
    // No audit log (no data directory): the checks that count from it say so.
    let audit = crate::commands::audit_log(config);
    let log = audit.as_ref().ok();
    let now = chrono::Utc::now();
    if let Ok(settings) = &facts.pool {
        let caused = crate::evidence::emails_caused_in(log, &pool.region, now);
        checks.extend(evidence.pool_checks(settings, caused).await);
    }
    if let Some(username) = &args.user {
        let user = api.get_user(username).await;
        let case_sensitive = facts
            .pool
            .as_ref()
            .ok()
            .and_then(|p| p.case_sensitive)
            .unwrap_or(false);
        // One service further: SES, SNS and the delivery logs, for the user's real address
        // and number (shown masked with --redact), since the last send.
        let user_evidence = match (&facts.pool, &user) {
            (Ok(settings), Ok(found)) => {
                let last = crate::evidence::last_send(
                    log,
                    &pool.user_pool_id,
                    &found.username,
                    case_sensitive,
                    now,
                );
                evidence
                    .user_checks(
                        settings,
                        facts.logs.as_deref(),
                        found,
                        redact,
                        crate::evidence::Window::since_last_send(last, now),
                        crate::time::Zone::Local,
                    )
                    .await
            }
            _ => Vec::new(),
        };
        let user = user.map(|u| if redact { u.redacted() } else { u });
        let (attempts, _) = audit
            .as_ref()
            .map_err(|e| crate::commands::Failure::Usage(e.to_string()))?
            .attempts_for(&pool.user_pool_id, username)
            .map_err(|e| crate::commands::Failure::Usage(e.to_string()))?;
        checks.extend(crate::cognito::diagnostics::user_checks(
            &facts.pool,
            &user,
            &attempts,
            now,
            crate::time::Zone::Local,
        ));
        checks.extend(user_evidence);
    }
    let text = render(pool, &checks, args.format);
    std::io::Write::write_all(&mut std::io::stdout(), text.as_bytes())?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cognito::diagnostics::{ClientSettings, PoolFacts, PoolSettings, pool_checks};

    #[test]
    fn the_text_and_the_json_put_the_worst_first_under_a_count() {
        let settings = PoolSettings {
            auto_verified: vec!["email".into()],
            email_sending_account: Some("COGNITO_DEFAULT".into()),
            ..PoolSettings::default()
        };
        let facts = PoolFacts {
            pool: Ok(settings),
            client: Ok(ClientSettings {
                has_secret: true,
                ..ClientSettings::default()
            }),
            logs: Ok(vec![]),
        };
        let checks = pool_checks(&facts, false);
        let pool = PoolConfig::minimal("staging", "eu-west-1_S", "c", "eu-west-1");
        let text = render(&pool, &checks, DiagnoseFormat::Text);
        let lines: Vec<&str> = text.lines().collect();
        assert!(lines[1].starts_with("1 fail, 1 warn, "), "{text}");
        let tags: Vec<&str> = lines
            .iter()
            .filter(|l| l.starts_with('['))
            .map(|l| &l[..6])
            .collect();
        let rank = |t: &str| {
            ["[FAIL]", "[WARN]", "[UNKN", "[INFO]", "[OK  ]"]
                .iter()
                .position(|r| t.starts_with(r))
        };
        assert!(
            tags.windows(2).all(|w| rank(w[0]) <= rank(w[1])),
            "{tags:?}"
        );
        let json: serde_json::Value =
            serde_json::from_str(&render(&pool, &checks, DiagnoseFormat::Json)).expect("json");
        assert_eq!(json["checks"][0]["status"], "fail");
        assert!(json["counts"].as_str().unwrap().starts_with("1 fail"));
    }
}
