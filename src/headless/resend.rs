use std::collections::BTreeMap;

use serde_json::json;

use crate::cli::{ResendArgs, ResendFormat};
use crate::cognito::session::PoolSession;
use crate::cognito::{ApiError, CognitoApi, Delivery, ResendOptions, UserContext};
use crate::config::PoolConfig;

/// The pool's defaults, with the command line's choices on top. An empty value is never sent
/// silently: a required key must be given, `--meta KEY=` is refused, and a default left empty
/// in the config is left out (with a note on stderr).
pub fn options(
    pool: &PoolConfig,
    args: &ResendArgs,
    notes: &mut Vec<String>,
) -> Result<ResendOptions, String> {
    if let Some((key, _)) = args.meta.iter().find(|(_, v)| v.trim().is_empty()) {
        return Err(format!(
            "--meta {key}= has an empty value: give one, or leave the pair out"
        ));
    }
    let mut client_metadata: BTreeMap<String, String> = pool.client_metadata.clone();
    client_metadata.extend(args.meta.iter().cloned());
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
                .map(|k| format!("--meta {k}=VALUE"))
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

/// Sends once and says what happened in the requested format.
pub async fn run<A: CognitoApi>(
    session: &PoolSession<A>,
    args: &ResendArgs,
    options: ResendOptions,
) -> Result<Printed, (ApiError, Printed)> {
    match session.resend(&args.username, options).await {
        Ok(delivery) => Ok(success(&args.username, &delivery, args.format)),
        Err(err) => {
            let printed = failure(&err, args.format);
            Err((err, printed))
        }
    }
}

fn success(username: &str, delivery: &Delivery, format: ResendFormat) -> Printed {
    let stdout = match format {
        ResendFormat::Text => format!("{}\n", crate::text::sanitize(&delivery.to_string())),
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

fn failure(err: &ApiError, format: ResendFormat) -> Printed {
    let mut stderr = format!(
        "error: {}: {}\nhint: {}\n",
        crate::text::sanitize(&err.code),
        crate::text::sanitize(&err.message),
        err.hint()
    );
    if err.outcome_unknown() {
        stderr.push_str(&format!(
            "at: {} (the time the call was given up on)\n",
            chrono::Local::now().format("%Y-%m-%d %H:%M:%S %:z")
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
