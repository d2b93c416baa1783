//! `cogtui invite`, `confirm` and `set-contact`: one user, through the guarded path.

use serde_json::json;

use crate::actions::{Action, Answer, Auditor, Contact, Request};
use crate::cli::{ConfirmArgs, InviteArgs, MediumArg, ResendFormat, SetContactArgs};
use crate::cognito::session::PoolSession;
use crate::cognito::{
    ApiError, CognitoApi, DeliveryMedium, ErrorKind, Operation, ResendOptions, User,
};
use crate::time::Zone;

/// What a command printed, and whether it failed.
pub struct Printed {
    pub stdout: String,
    pub stderr: String,
    pub error: Option<ApiError>,
}

impl Printed {
    fn failed(error: ApiError, format: ResendFormat) -> Self {
        let stdout = match format {
            ResendFormat::Json => format!(
                "{}\n",
                crate::text::json_safe(
                    &json!({"error": {
                        "code": error.code,
                        "message": error.message,
                        "hint": error.hint(),
                        "outcome_unknown": error.outcome_unknown(),
                    }})
                    .to_string()
                )
            ),
            ResendFormat::Text => String::new(),
        };
        Self {
            stdout,
            stderr: format!(
                "error: {}: {}\nhint: {}\n",
                crate::text::sanitize(&error.code),
                crate::text::sanitize(&error.message),
                error.hint()
            ),
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
}

/// The user's status does not allow the action: say what does.
fn wrong_state(operation: Operation, user: &User, wanted: &str, instead: &str) -> ApiError {
    ApiError::local(
        operation,
        ErrorKind::UnsupportedUserState,
        format!(
            "{} is {}, not {wanted}: nothing was done. {instead}",
            crate::text::sanitize(&user.username),
            crate::text::sanitize(&user.status)
        ),
    )
}

fn instead(status: &str) -> &'static str {
    match status {
        "UNCONFIRMED" => "They signed up themselves: `cogtui resend` sends a confirmation code.",
        "FORCE_CHANGE_PASSWORD" => {
            "An administrator created them: `cogtui invite` sends a new invitation."
        }
        "CONFIRMED" => "They have confirmed; if they cannot sign in, a password reset is next.",
        _ => "",
    }
}

/// A fresh look at the user, who must be in `wanted` status for the action: otherwise an error
/// that says what applies instead (by the user's status, unless `instead` says it).
async fn user_in_state<A: CognitoApi>(
    session: &PoolSession<A>,
    username: &str,
    wanted: &str,
    operation: Operation,
    instead_text: Option<&str>,
) -> Result<User, ApiError> {
    let user = session.api.get_user(username).await?;
    if user.status != wanted {
        let advice = instead_text.unwrap_or_else(|| instead(&user.status));
        return Err(wrong_state(operation, &user, wanted, advice));
    }
    Ok(user)
}

async fn perform<A: CognitoApi>(
    session: &PoolSession<A>,
    auditor: &Auditor,
    request: Request,
) -> (Result<Answer, ApiError>, Option<String>) {
    let done = auditor.perform(session, request, Zone::Local).await;
    (done.result, done.audit_warning)
}

fn with_warning(mut printed: Printed, warning: Option<String>) -> Printed {
    if let Some(w) = warning {
        printed.stderr.push_str(&format!("warning: {w}\n"));
    }
    printed
}

pub async fn invite<A: CognitoApi>(
    session: &PoolSession<A>,
    auditor: &Auditor,
    args: &InviteArgs,
    client_metadata: std::collections::BTreeMap<String, String>,
) -> Printed {
    let user = match user_in_state(
        session,
        &args.username,
        "FORCE_CHANGE_PASSWORD",
        Operation::Invite,
        None,
    )
    .await
    {
        Ok(user) => user,
        Err(e) => return Printed::failed(e, args.format),
    };
    // The API's default medium is SMS: always say which.
    let mediums = match args.medium {
        Some(MediumArg::Email) => vec![DeliveryMedium::Email],
        Some(MediumArg::Sms) => vec![DeliveryMedium::Sms],
        Some(MediumArg::Both) => vec![DeliveryMedium::Email, DeliveryMedium::Sms],
        None if user.email().is_some() => vec![DeliveryMedium::Email],
        None if user.phone().is_some() => vec![DeliveryMedium::Sms],
        None => {
            let e = ApiError::local(
                Operation::Invite,
                ErrorKind::InvalidParameter,
                "the user has neither an email nor a phone number to send the invitation to",
            );
            return Printed::failed(e, args.format);
        }
    };
    let request = Request {
        username: args.username.clone(),
        ticket: args.ticket.clone(),
        action: Action::Invite {
            mediums: mediums.clone(),
            client_metadata,
        },
        force: false,
    };
    let (result, warning) = perform(session, auditor, request).await;
    let names: Vec<String> = mediums.iter().map(ToString::to_string).collect();
    let printed = match result {
        Ok(_) => Printed::done(
            format!(
                "Invitation sent to {} by {} (a new temporary password: the one sent before no \
                 longer works)",
                args.username,
                names.join(" and ")
            ),
            json!({"username": args.username, "action": "invite", "mediums": names}),
            args.format,
        ),
        Err(e) => Printed::failed(e, args.format),
    };
    with_warning(printed, warning)
}

pub async fn confirm<A: CognitoApi>(
    session: &PoolSession<A>,
    auditor: &Auditor,
    args: &ConfirmArgs,
) -> Printed {
    let user = match user_in_state(
        session,
        &args.username,
        "UNCONFIRMED",
        Operation::Confirm,
        None,
    )
    .await
    {
        Ok(user) => user,
        Err(e) => return Printed::failed(e, args.format),
    };
    if args.verify_phone && user.phone().is_none() {
        let e = ApiError::local(
            Operation::Confirm,
            ErrorKind::InvalidParameter,
            "--verify-phone: the user has no phone number; nothing was done",
        );
        return Printed::failed(e, args.format);
    }
    let verify_email = !args.no_verify_email && user.email().is_some();
    let request = Request {
        username: args.username.clone(),
        ticket: args.ticket.clone(),
        action: Action::Confirm {
            reason: args.reason.clone(),
            verify_email,
            verify_phone: args.verify_phone,
        },
        force: false,
    };
    let (result, warning) = perform(session, auditor, request).await;
    let verified: Vec<&str> = [
        verify_email.then_some("email_verified"),
        args.verify_phone.then_some("phone_number_verified"),
    ]
    .into_iter()
    .flatten()
    .collect();
    let printed = match result {
        Ok(_) => Printed::done(
            if verified.is_empty() {
                format!("Confirmed {} (no verified flag set)", args.username)
            } else {
                format!(
                    "Confirmed {}; set {}",
                    args.username,
                    verified.join(" and ")
                )
            },
            json!({"username": args.username, "action": "confirm", "verified": verified}),
            args.format,
        ),
        Err(e) => Printed::failed(e, args.format),
    };
    with_warning(printed, warning)
}

/// Validates the new address before anything is called: a usage error (exit 2) otherwise.
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

pub async fn set_contact<A: CognitoApi>(
    session: &PoolSession<A>,
    auditor: &Auditor,
    args: &SetContactArgs,
    contact: Contact,
    value: String,
    resend_options: ResendOptions,
) -> Printed {
    let user = match user_in_state(
        session,
        &args.username,
        "UNCONFIRMED",
        Operation::UpdateAttributes,
        Some("Only a pending user's address is fixed here."),
    )
    .await
    {
        Ok(user) => user,
        Err(e) => return Printed::failed(e, args.format),
    };
    let old = user.attr(contact.attribute()).map(str::to_string);
    let request = Request {
        username: args.username.clone(),
        ticket: args.ticket.clone(),
        action: Action::SetContact {
            contact,
            value: value.clone(),
        },
        force: false,
    };
    let (result, warning) = perform(session, auditor, request).await;
    if let Err(e) = result {
        return with_warning(Printed::failed(e, args.format), warning);
    }
    let changed = format!(
        "Changed {}'s {} from {} to {}",
        args.username,
        contact.attribute(),
        old.as_deref().unwrap_or("(none)"),
        value
    );
    let mut value_json = json!({
        "username": args.username,
        "action": "set-contact",
        "attribute": contact.attribute(),
        "value": value,
    });
    if !args.resend {
        let text = format!(
            "{changed}\nnext: `cogtui resend {}` sends a code to the new address",
            args.username
        );
        return with_warning(Printed::done(text, value_json, args.format), warning);
    }
    let request = Request {
        username: args.username.clone(),
        ticket: args.ticket.clone(),
        action: Action::Resend(resend_options),
        force: false,
    };
    let (sent, resend_warning) = perform(session, auditor, request).await;
    let warning = warning.or(resend_warning);
    match sent {
        Ok(Answer::Delivered(delivery)) => {
            value_json["resend"] = json!({
                "destination": delivery.destination,
                "delivery_medium": delivery.medium.to_string(),
                "attribute_name": delivery.attribute_name,
            });
            let text = format!("{changed}\n{delivery}");
            with_warning(Printed::done(text, value_json, args.format), warning)
        }
        Ok(_) => with_warning(Printed::done(changed, value_json, args.format), warning),
        Err(e) => {
            let mut printed = Printed::failed(e, args.format);
            printed.stderr = format!("{changed}, but the resend failed:\n{}", printed.stderr);
            with_warning(printed, warning)
        }
    }
}
