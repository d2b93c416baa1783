use std::collections::BTreeMap;

use serde_json::json;

use crate::cli::{ResendArgs, ResendFormat};
use crate::cognito::session::PoolSession;
use crate::cognito::{ApiError, CognitoApi, Delivery, ResendOptions, UserContext};
use crate::config::PoolConfig;

/// The pool's defaults, with the command line's choices on top.
pub fn options(pool: &PoolConfig, args: &ResendArgs) -> ResendOptions {
    let mut client_metadata: BTreeMap<String, String> = pool.client_metadata.clone();
    client_metadata.extend(args.meta.iter().cloned());
    ResendOptions {
        client_metadata,
        analytics_endpoint_id: args
            .analytics_endpoint_id
            .clone()
            .or_else(|| pool.analytics_endpoint_id.clone()),
        user_context: UserContext {
            ip_address: args.ip.map(|ip| ip.to_string()),
            encoded_data: args.encoded_data.clone(),
        },
    }
}

pub struct Printed {
    pub stdout: String,
    pub stderr: String,
}

pub async fn run<A: CognitoApi>(
    session: &PoolSession<A>,
    args: &ResendArgs,
) -> Result<Printed, (ApiError, Printed)> {
    let result = session
        .resend(&args.username, options(&session.pool, args))
        .await;
    match result {
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
