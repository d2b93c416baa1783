//! `cogtui invite`, `confirm` and `set-contact`: gather the input, run the operation, print what
//! came back. Every rule (status, fresh look, read-only, audit) is the operation's.

use serde_json::json;

use crate::cli::{ConfirmArgs, FixArgs, InviteArgs, MediumArg, ResendFormat, SetContactArgs};
use crate::cognito::session::PoolSession;
use crate::cognito::{ApiError, CognitoWrite, DeliveryMedium, ResendOptions};
use crate::ops::{Action, Answer, Auditor, Contact, Request};
use crate::time::Zone;

/// What a command printed, and whether it failed.
pub struct Printed {
    pub stdout: String,
    pub stderr: String,
    pub error: Option<ApiError>,
}

impl Printed {
    pub fn failed(error: ApiError, format: ResendFormat) -> Self {
        Self {
            stdout: crate::output::error_json(&error, format),
            stderr: crate::output::error_text(&error),
            error: Some(error),
        }
    }

    fn done(text: String, value: serde_json::Value, format: ResendFormat) -> Self {
        let stdout = match format {
            ResendFormat::Text => text
                .lines()
                .map(|line| format!("{}\n", crate::text::sanitize(line)))
                .collect(),
            ResendFormat::Json => format!("{}\n", crate::text::json_safe(&value.to_string())),
        };
        Self {
            stdout,
            stderr: String::new(),
            error: None,
        }
    }

    fn warn(mut self, warning: Option<String>) -> Self {
        if let Some(w) = warning {
            self.stderr
                .push_str(&format!("warning: {}\n", crate::text::sanitize(&w)));
            // An outcome not recorded makes the command fail: the history is incomplete.
            if self.error.is_none() {
                self.error = Some(ApiError::local(
                    crate::cognito::Operation::UpdateAttributes,
                    crate::cognito::ErrorKind::AuditUnavailable,
                    w,
                ));
            }
        }
        self
    }
}

pub async fn invite<A: CognitoWrite>(
    session: &PoolSession<A>,
    auditor: &Auditor,
    args: &InviteArgs,
    client_metadata: std::collections::BTreeMap<String, String>,
) -> Printed {
    let mediums = match args.medium {
        Some(MediumArg::Email) => vec![DeliveryMedium::Email],
        Some(MediumArg::Sms) => vec![DeliveryMedium::Sms],
        Some(MediumArg::Both) => vec![DeliveryMedium::Email, DeliveryMedium::Sms],
        // The operation picks by the user's addresses as they are now.
        None => Vec::new(),
    };
    let request = Request::new(
        args.username.clone(),
        Action::Invite {
            mediums,
            client_metadata,
        },
    )
    .ticket(args.ticket.clone());
    let done = auditor.perform(session, request, Zone::Local).await;
    let printed = match done.result {
        Ok(answer) => {
            let names: Vec<String> = match answer {
                Answer::Invited(m) => m.iter().map(ToString::to_string).collect(),
                _ => Vec::new(),
            };
            Printed::done(
                format!(
                    "Invitation sent to {} by {} (a new temporary password: the one sent before \
                     no longer works)",
                    done.username,
                    names.join(" and ")
                ),
                json!({"username": done.username, "action": "invite", "mediums": names}),
                args.format,
            )
        }
        Err(e) => Printed::failed(e, args.format),
    };
    printed.warn(done.audit_warning)
}

pub async fn confirm<A: CognitoWrite>(
    session: &PoolSession<A>,
    auditor: &Auditor,
    args: &ConfirmArgs,
) -> Printed {
    let request = Request::new(
        args.username.clone(),
        Action::Confirm {
            reason: args.reason.clone(),
            // Only when the user has an email: the operation looks.
            verify_email: !args.no_verify_email,
            verify_phone: args.verify_phone,
        },
    )
    .ticket(args.ticket.clone());
    let done = auditor.perform(session, request, Zone::Local).await;
    let verified = match &done.performed {
        Some(Action::Confirm {
            verify_email,
            verify_phone,
            ..
        }) => crate::ops::confirm::flags(*verify_email, *verify_phone),
        _ => Vec::new(),
    };
    let printed = match done.result {
        Ok(_) => Printed::done(
            if verified.is_empty() {
                format!("Confirmed {} (no verified flag set)", done.username)
            } else {
                format!(
                    "Confirmed {}; set {}",
                    done.username,
                    verified.join(" and ")
                )
            },
            json!({"username": done.username, "action": "confirm", "verified": verified}),
            args.format,
        ),
        Err(e) => Printed::failed(e, args.format),
    };
    printed.warn(done.audit_warning)
}

/// The new address from the command line, checked by the operation's own rule before anything
/// is called: a usage error (exit 2) otherwise.
pub fn contact(args: &SetContactArgs) -> Result<(Contact, String), String> {
    let (contact, value) = match (&args.email, &args.phone) {
        (Some(email), None) => (Contact::Email, email),
        (None, Some(phone)) => (Contact::Phone, phone),
        _ => return Err("give one of --email or --phone".into()),
    };
    let flag = match contact {
        Contact::Email => "--email",
        Contact::Phone => "--phone",
    };
    contact
        .validate(value)
        .map(|v| (contact, v))
        .map_err(|e| format!("{flag}: {e}"))
}

/// An address as the output shows it: masked under `--redact`.
fn shown(contact: Contact, value: &str, redact: bool) -> String {
    match (redact, contact) {
        (false, _) => value.to_string(),
        (true, Contact::Email) => crate::text::mask_email(value),
        (true, Contact::Phone) => crate::text::mask_phone(value),
    }
}

#[allow(clippy::too_many_arguments)]
pub async fn set_contact<A: CognitoWrite>(
    session: &PoolSession<A>,
    auditor: &Auditor,
    args: &SetContactArgs,
    contact: Contact,
    value: String,
    resend_options: ResendOptions,
    redact: bool,
) -> Printed {
    // The old address, for the operator's record of the change (the operation looks again).
    let old = session
        .api
        .get_user(&args.username)
        .await
        .ok()
        .and_then(|u| u.attr(contact.attribute()).map(str::to_string));
    let request = Request::new(
        args.username.clone(),
        Action::SetContact {
            contact,
            value: value.clone(),
        },
    )
    .ticket(args.ticket.clone());
    let done = auditor.perform(session, request, Zone::Local).await;
    let username = done.username.clone();
    if let Err(e) = done.result {
        return Printed::failed(e, args.format).warn(done.audit_warning);
    }
    // Under --redact a username that is an address is masked too (the real one was acted on).
    let named = crate::text::shown_username(&username, redact).into_owned();
    let changed = format!(
        "Changed {}'s {} from {} to {}",
        named,
        contact.attribute(),
        old.as_deref()
            .map(|o| shown(contact, o, redact))
            .unwrap_or_else(|| "(none)".into()),
        shown(contact, &value, redact)
    );
    let mut value_json = json!({
        "username": named,
        "action": "set-contact",
        "attribute": contact.attribute(),
        "value": shown(contact, &value, redact),
    });
    if !args.resend {
        let text =
            format!("{changed}\nnext: `cogtui resend {named}` sends a code to the new address");
        return Printed::done(text, value_json, args.format).warn(done.audit_warning);
    }
    let request =
        Request::new(username.clone(), Action::Resend(resend_options)).ticket(args.ticket.clone());
    let sent = auditor.perform(session, request, Zone::Local).await;
    let warning = done.audit_warning.or(sent.audit_warning);
    match sent.result {
        Ok(Answer::Delivered(delivery)) => {
            value_json["resend"] = json!({
                "destination": delivery.destination,
                "delivery_medium": delivery.medium.to_string(),
                "attribute_name": delivery.attribute_name,
            });
            let text = format!("{changed}\n{delivery}");
            Printed::done(text, value_json, args.format).warn(warning)
        }
        Ok(_) => Printed::done(changed, value_json, args.format).warn(warning),
        Err(e) => {
            let mut printed = Printed::failed(e, args.format);
            printed.stderr = format!(
                "{}, but the resend failed:\n{}",
                crate::text::sanitize(&changed),
                printed.stderr
            );
            printed.warn(warning)
        }
    }
}

/// `cogtui unsuppress` / `cogtui sms-opt-in`: the operation takes the address or number from
/// its own look at the user; `--dry-run` looks at the list and changes nothing.
pub async fn fix<A: CognitoWrite>(
    session: &PoolSession<A>,
    auditor: &Auditor,
    args: &FixArgs,
    action: Action,
    redact: bool,
) -> Printed {
    let named = crate::text::shown_username(&args.username, redact).into_owned();
    let (list, done_text) = match &action {
        Action::Unsuppress { region, .. } => (
            format!("the SES suppression list ({region})"),
            "SES sends to the address again",
        ),
        _ => (
            "SNS's opted-out list".to_string(),
            "SNS sends SMS to the number again; the next opt-in is possible in 30 days",
        ),
    };
    if args.dry_run {
        // The operation's own rules, without the write: who, what, and whether it is listed.
        let user = match session.api.get_user(&args.username).await {
            Ok(user) => user,
            Err(e) => return Printed::failed(e, args.format),
        };
        let mut action = action;
        let value = match crate::ops::delivery_fix::applies_to(&user, &action) {
            Ok(value) => value,
            Err(e) => return Printed::failed(e, args.format),
        };
        if let Action::Unsuppress { address: v, .. } | Action::SmsOptIn { number: v, .. } =
            &mut action
        {
            *v = value;
        }
        let shown = crate::ops::delivery_fix::shown(&action);
        let listed = crate::ops::delivery_fix::on_the_list(&session.api, &action).await;
        let (would, text) = match &listed {
            Ok(()) => (
                true,
                format!(
                    "dry run: {shown} of {named} is on {list}; without --dry-run it is taken off"
                ),
            ),
            Err(e) => (false, format!("dry run: {}", e.message)),
        };
        return Printed::done(
            text,
            json!({"username": named, "action": action.name(), "dry_run": true, "would_change": would, "value": shown}),
            args.format,
        );
    }
    let request = Request::new(args.username.clone(), action).ticket(args.ticket.clone());
    let done = auditor.perform(session, request, Zone::Local).await;
    let printed = match (&done.result, &done.performed) {
        (Ok(_), Some(performed)) => {
            let shown = crate::ops::delivery_fix::shown(performed);
            Printed::done(
                format!(
                    "Took {shown} of {named} off {list}: {done_text}\nnext: `cogtui resend {named}`"
                ),
                json!({"username": named, "action": performed.name(), "value": shown}),
                args.format,
            )
        }
        (Err(e), _) => Printed::failed(e.clone(), args.format),
        (Ok(_), None) => Printed::done(String::new(), json!({}), args.format),
    };
    printed.warn(done.audit_warning)
}
