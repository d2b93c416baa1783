use std::collections::BTreeMap;

use serde_json::json;

use crate::actions::{Auditor, Resend};
use crate::cli::{ResendArgs, ResendFormat};
use crate::cognito::session::PoolSession;
use crate::cognito::{
    ApiError, CognitoApi, Delivery, ErrorKind, ResendOptions, UserContext, diagnostics,
};
use crate::config::{PoolConfig, ReplyTemplates};
use crate::time::Zone;

/// The pool's defaults, with the command line's choices on top. An empty value is never sent
/// silently: a required key must be given, `--meta KEY=` is refused, and a default left empty
/// in the config is left out (with a note on stderr).
pub fn client_metadata(
    pool: &PoolConfig,
    meta: &[(String, String)],
    ticket: Option<&str>,
    notes: &mut Vec<String>,
) -> Result<BTreeMap<String, String>, String> {
    if let Some((key, _)) = meta.iter().find(|(_, v)| v.trim().is_empty()) {
        return Err(format!(
            "--meta {key}= has an empty value: give one, or leave the pair out"
        ));
    }
    if let Some(key) = &pool.ticket_metadata_key
        && meta.iter().any(|(k, _)| k == key)
    {
        return Err(format!(
            "--meta {key}=…: pool {} sends the ticket under {key}; pass --ticket REF instead",
            pool.name
        ));
    }
    if ticket.is_some_and(|t| t.trim().is_empty()) {
        return Err("--ticket is empty: give the ticket's reference, or leave it out".into());
    }
    let mut client_metadata: BTreeMap<String, String> = pool.client_metadata.clone();
    client_metadata.extend(meta.iter().cloned());
    let mut client_metadata = crate::actions::metadata_with_ticket(pool, &client_metadata, ticket);
    let missing: Vec<&str> = pool
        .required_metadata
        .iter()
        .filter(|k| client_metadata.get(*k).is_none_or(|v| v.trim().is_empty()))
        .map(String::as_str)
        .collect();
    if !missing.is_empty() {
        return Err(format!(
            "pool {} requires ClientMetadata {}: pass {}",
            pool.name,
            missing.join(", "),
            missing
                .iter()
                .map(|k| {
                    if pool.ticket_metadata_key.as_deref() == Some(*k) {
                        "--ticket REF".to_string()
                    } else {
                        format!("--meta {k}=VALUE")
                    }
                })
                .collect::<Vec<_>>()
                .join(" ")
        ));
    }
    client_metadata.retain(|key, value| {
        let keep = !value.trim().is_empty();
        if !keep {
            notes.push(format!(
                "note: ClientMetadata {key} has no value in the config and was left out \
                 (pass --meta {key}=VALUE to send it)"
            ));
        }
        keep
    });
    Ok(client_metadata)
}

/// Everything the command line says about one resend, over the pool's defaults.
pub fn options(
    pool: &PoolConfig,
    args: &ResendArgs,
    notes: &mut Vec<String>,
) -> Result<ResendOptions, String> {
    let client_metadata = client_metadata(pool, &args.meta, args.ticket.as_deref(), notes)?;
    Ok(ResendOptions {
        client_metadata,
        analytics_endpoint_id: args
            .analytics_endpoint_id
            .clone()
            .or_else(|| pool.analytics_endpoint_id.clone()),
        user_context: UserContext {
            ip_address: args.ip.map(|ip| ip.to_string()),
            encoded_data: args.encoded_data.clone(),
        },
    })
}

pub struct Printed {
    pub stdout: String,
    pub stderr: String,
}

/// Sends once through the guarded path and says what happened in the requested format.
pub async fn run<A: CognitoApi>(
    session: &PoolSession<A>,
    auditor: &Auditor,
    replies: &ReplyTemplates,
    args: &ResendArgs,
    username: &str,
    options: ResendOptions,
) -> Result<Printed, (ApiError, Printed)> {
    let resend = Resend {
        username: username.to_string(),
        ticket: args.ticket.clone(),
        options,
        force: args.force,
    };
    // The ticket already went into the metadata (options), and is recorded with it.
    let done = auditor.resend(session, resend, Zone::Local).await;
    let warning = done
        .audit_warning
        .as_ref()
        .map(|w| format!("warning: {w}\n"))
        .unwrap_or_default();
    let next_possible = done.next_possible();
    match done.result {
        Ok(delivery) => {
            let reply = match args.format {
                ResendFormat::Text => {
                    let facts = session.api.pool_facts(&session.pool.client_id).await;
                    let checks = diagnostics::pool_checks(&facts, session.has_secret());
                    let notes = diagnostics::reply_notes(
                        &checks,
                        delivery.medium == crate::cognito::DeliveryMedium::Email,
                    );
                    Some(crate::reply::reply(replies, username, &delivery, &notes))
                }
                ResendFormat::Json => None,
            };
            let mut printed = success(username, &delivery, args.format, reply.as_deref());
            printed.stderr.push_str(&warning);
            Ok(printed)
        }
        Err(err) => {
            let err = crate::actions::explain_not_unconfirmed(&session.api, username, err).await;
            let mut printed = failure(&err, args.format, done.at);
            if err.kind == ErrorKind::LimitExceeded {
                printed.stderr.push_str(&match next_possible {
                    Some(at) => format!(
                        "next: a resend to {} is possible at {} (from the audit log)\n",
                        crate::text::sanitize(username),
                        Zone::Local.format(at, "%H:%M:%S")
                    ),
                    None => "next: the audit log does not hold the five resends Cognito counted \
                             (some were made outside cogtui): try again within the hour\n"
                        .to_string(),
                });
            }
            printed.stderr.push_str(&warning);
            Err((err, printed))
        }
    }
}

fn success(
    username: &str,
    delivery: &Delivery,
    format: ResendFormat,
    reply: Option<&str>,
) -> Printed {
    let stdout = match format {
        ResendFormat::Text => {
            let mut text = format!("{}\n", crate::text::sanitize(&delivery.to_string()));
            if let Some(reply) = reply {
                text.push_str(&format!("\nReply for the ticket:\n{reply}\n"));
            }
            text
        }
        ResendFormat::Json => format!(
            "{}\n",
            crate::text::json_safe(
                &json!({
                    "username": username,
                    "destination": delivery.destination,
                    "delivery_medium": delivery.medium.to_string(),
                    "attribute_name": delivery.attribute_name,
                })
                .to_string()
            )
        ),
    };
    Printed {
        stdout,
        stderr: String::new(),
    }
}

fn failure(err: &ApiError, format: ResendFormat, at: chrono::DateTime<chrono::Utc>) -> Printed {
    let mut stderr = format!(
        "error: {}: {}\nhint: {}\n",
        crate::text::sanitize(&err.code),
        crate::text::sanitize(&err.message),
        err.hint()
    );
    if err.outcome_unknown() {
        stderr.push_str(&format!(
            "at: {} (the time the call was given up on)\n",
            Zone::Local.format(at, "%Y-%m-%d %H:%M:%S %:z")
        ));
    }
    let stdout = match format {
        ResendFormat::Text => String::new(),
        ResendFormat::Json => format!(
            "{}\n",
            crate::text::json_safe(
                &json!({"error": {
                    "code": err.code,
                    "message": err.message,
                    "hint": err.hint(),
                    "outcome_unknown": err.outcome_unknown(),
                }})
                .to_string()
            )
        ),
    };
    Printed { stdout, stderr }
}
