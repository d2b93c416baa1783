use std::collections::BTreeMap;

use serde_json::json;

use crate::cli::{ResendArgs, ResendFormat};
use crate::cognito::session::PoolSession;
use crate::cognito::{
    ApiError, CognitoWrite, Delivery, ErrorKind, ResendOptions, UserContext, diagnostics,
};
use crate::config::{PoolConfig, ReplyTemplates};
use crate::ops::{Action, Answer, Auditor, Request};
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
    use crate::ops::metadata::{self, Problem, Rules};
    if ticket.is_some_and(|t| t.trim().is_empty()) {
        return Err("--ticket is empty: give the ticket's reference, or leave it out".into());
    }
    let rules = Rules::of(pool);
    let given: Vec<(&str, &str)> = meta.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    // The command line's pairs, by the operations' rules (a key given twice: the last wins).
    for problem in metadata::pair_problems(&given, rules).into_iter().flatten() {
        match problem {
            Problem::EmptyValue { key, .. } => {
                return Err(format!(
                    "--meta {key}= has an empty value: give one, or leave the pair out"
                ));
            }
            Problem::TicketKey(key) => {
                return Err(format!(
                    "--meta {key}=…: pool {} sends the ticket under {key}; pass --ticket REF instead",
                    pool.name
                ));
            }
            Problem::EmptyKey | Problem::Twice(_) | Problem::Missing(_) => {}
        }
    }
    let mut client_metadata: BTreeMap<String, String> = pool.client_metadata.clone();
    client_metadata.extend(meta.iter().cloned());
    // A default left empty in the config is left out (said), unless the pool requires it.
    client_metadata.retain(|key, value| {
        let keep = !value.trim().is_empty() || rules.required.contains(key);
        if !keep {
            notes.push(format!(
                "note: ClientMetadata {key} has no value in the config and was left out \
                 (pass --meta {key}=VALUE to send it)"
            ));
        }
        keep
    });
    let pairs: Vec<(&str, &str)> = client_metadata
        .iter()
        .filter(|(_, v)| !v.trim().is_empty())
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let missing = metadata::missing(&pairs, rules, ticket);
    if !missing.is_empty() {
        return Err(format!(
            "pool {} requires ClientMetadata {}: pass {}",
            pool.name,
            missing.join(", "),
            missing
                .iter()
                .map(|k| {
                    if rules.ticket_key == Some(k.as_str()) {
                        "--ticket REF".to_string()
                    } else {
                        format!("--meta {k}=VALUE")
                    }
                })
                .collect::<Vec<_>>()
                .join(" ")
        ));
    }
    client_metadata.retain(|_, value| !value.trim().is_empty());
    Ok(crate::ops::metadata_with_ticket(
        pool,
        &client_metadata,
        ticket,
    ))
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
pub async fn run<A: CognitoWrite>(
    session: &PoolSession<A>,
    auditor: &Auditor,
    replies: &ReplyTemplates,
    args: &ResendArgs,
    username: &str,
    options: ResendOptions,
) -> Result<Printed, (ApiError, Printed)> {
    let mut request = Request::new(username, Action::Resend(options)).ticket(args.ticket.clone());
    request.force = args.force;
    // --force also goes on past a colleague on the user (who is named without it).
    request.over_colleague = args.force;
    // The ticket already went into the metadata (options), and is recorded with it.
    let done = auditor.perform(session, request, Zone::Local).await;
    let warning = done
        .audit_warning
        .as_ref()
        .map(|w| format!("warning: {w}\n"))
        .unwrap_or_default();
    let next_possible = done.next_possible();
    let username = done.username.as_str();
    match done.result {
        Ok(Answer::Delivered(delivery)) => {
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
            match done.audit_warning {
                Some(w) => Err((
                    ApiError::local(
                        crate::cognito::Operation::Resend,
                        ErrorKind::AuditUnavailable,
                        w,
                    ),
                    printed,
                )),
                None => Ok(printed),
            }
        }
        Ok(_) => Err((
            ApiError::local(
                crate::cognito::Operation::Resend,
                ErrorKind::Other,
                "no delivery details in the answer",
            ),
            Printed {
                stdout: String::new(),
                stderr: warning,
            },
        )),
        Err(err) => {
            let err =
                crate::ops::resend::explain_not_unconfirmed(&session.api, username, err).await;
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
    let mut stderr = crate::output::error_text(err);
    if err.outcome_unknown() {
        stderr.push_str(&format!(
            "at: {} (the time the call was given up on)\n",
            Zone::Local.format(at, "%Y-%m-%d %H:%M:%S %:z")
        ));
    }
    Printed {
        stdout: crate::output::error_json(err, format),
        stderr,
    }
}

/// `resend --stdin`: the same options for every username read. The plan (who is skipped and
/// why: the hourly limit, a code in the last 15 minutes, a name given twice) is the resend
/// operation's; it is printed before the confirmation, which counts only who will get a code.
pub async fn many<A: CognitoWrite>(
    session: &mut PoolSession<A>,
    auditor: &Auditor,
    args: &ResendArgs,
    options: ResendOptions,
    names: Vec<String>,
    confirm: impl FnOnce(&str, usize) -> Result<(), crate::commands::Failure>,
) -> Result<crate::ops::bulk::Tally, crate::commands::Failure> {
    use crate::ops::resend::{Candidate, plan_bulk};
    let settings = session
        .api
        .pool_facts(&session.pool.client_id)
        .await
        .pool
        .ok();
    // Unknown: compare as the console's default pools do (one user whatever the case).
    let case_sensitive = settings
        .as_ref()
        .and_then(|s| s.case_sensitive)
        .unwrap_or(false);
    session.case_sensitive = case_sensitive;
    let history = auditor
        .log
        .by_user(
            &session.pool.user_pool_id,
            case_sensitive,
            Some(chrono::Utc::now() - crate::audit::RECENT),
        )
        .map_err(|e| crate::commands::Failure::Usage(e.to_string()))?;
    let candidates = names
        .into_iter()
        .map(|username| Candidate {
            username,
            seen_status: None,
            seen_disabled: false,
        })
        .collect();
    let mut plan = plan_bulk(
        candidates,
        |name| history.get(name),
        &crate::ops::resend::Bulk {
            options,
            ticket: args.ticket.clone(),
            again: args.again,
            case_sensitive,
        },
        chrono::Utc::now(),
        Zone::Local,
    );
    // The names came without a status: look at each before the count is asked.
    if !plan.send.is_empty() {
        eprintln!(
            "checking {} users with Cognito before the count…",
            plan.send.len()
        );
        crate::ops::resend::look_first(&session.api, &mut plan).await;
    }
    for (name, why) in &plan.skipped() {
        eprintln!(
            "skipped {}: {}",
            crate::text::sanitize(name),
            crate::text::sanitize(why)
        );
    }
    if args.dry_run {
        for request in &plan.send {
            println!("would send to {}", crate::text::sanitize(&request.username));
        }
        eprintln!(
            "dry run: {} would get a code, {} skipped; nothing sent",
            plan.send.len(),
            plan.skip.len()
        );
        return Ok(crate::ops::bulk::Tally::default());
    }
    if plan.send.is_empty() {
        eprintln!("nothing to send: every user is skipped (see above)");
        return Ok(crate::ops::bulk::Tally {
            skipped: plan.skipped(),
            ..Default::default()
        });
    }
    // Cognito's own email sends 50 a day for the whole account: said before the count.
    if let Some(settings) = &settings {
        let caused = crate::evidence::emails_caused_in(
            Some(&auditor.log),
            &session.pool.region,
            chrono::Utc::now(),
        )
        .unwrap_or(0);
        if let Some(warning) = crate::evidence::quota_warning(settings, caused, plan.send.len()) {
            eprintln!("warning: {}", crate::text::sanitize(&warning));
        }
    }
    confirm(
        &format!(
            "Send a new confirmation code to {} users of pool {} ({})? {} skipped (listed above).",
            plan.send.len(),
            session.pool.name,
            session.pool.region,
            plan.skip.len()
        ),
        plan.send.len(),
    )?;
    let mut skipped = plan.skipped();
    let mut tally = super::bulk::run(auditor, &*session, plan.send, args.rate, "sent").await;
    skipped.append(&mut tally.skipped);
    tally.skipped = skipped;
    Ok(tally)
}
