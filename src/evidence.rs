//! Evidence one service further than Cognito: why *this* user gets nothing when the pool itself
//! is fine. For now SNS: whether the user's number replied STOP (Cognito then sends the code,
//! SNS drops it, and nobody says so).

use aws_sdk_sns as sns;

use crate::cognito::diagnostics::{Check, Status};
use crate::cognito::sdk::{Endpoint, load_sdk_config, map_sdk_error};
use crate::cognito::{ApiError, Operation, User};

/// The SNS client of the pool's SMS region (`SmsConfiguration.SnsRegion`, else the pool's).
#[derive(Debug, Clone)]
pub struct Evidence {
    sns: sns::Client,
}

impl Evidence {
    /// Connects as the pool does (profile, endpoint, timeouts), in the region SNS sends from.
    pub async fn connect(endpoint: &Endpoint, sns_region: Option<&str>) -> Self {
        let endpoint = Endpoint {
            region: sns_region.map_or_else(|| endpoint.region.clone(), str::to_string),
            ..endpoint.clone()
        };
        Self {
            sns: sns::Client::new(&load_sdk_config(&endpoint).await),
        }
    }

    /// The checks on this user that other services answer (none for a user without a phone).
    /// `redact`: the number is asked about as it is and shown masked.
    pub async fn user_checks(&self, user: &User, redact: bool) -> Vec<Check> {
        let Some(phone) = user.phone() else {
            return Vec::new();
        };
        let shown = if redact {
            crate::text::mask_phone(phone)
        } else {
            phone.to_string()
        };
        let answer = self
            .sns
            .check_if_phone_number_is_opted_out()
            .phone_number(phone)
            .send()
            .await
            .map(|out| out.is_opted_out())
            .map_err(|e| map_sdk_error(Operation::SmsOptOut, e, |_| None));
        vec![sms_opted_out(&shown, answer)]
    }
}

/// `sms_opted_out`: SNS keeps a number that replied STOP (or was opted out by an operator) off
/// every SMS, codes included, for 30 days at least.
pub fn sms_opted_out(shown_phone: &str, answer: Result<bool, ApiError>) -> Check {
    let source = "SNS CheckIfPhoneNumberIsOptedOut";
    let shown = crate::text::sanitize(shown_phone);
    match answer {
        Ok(true) => Check::new("sms_opted_out", Status::Fail, source, "replied STOP").says(
            format!("{shown} has opted out of SMS: SNS will not send it a code"),
            "The user replied STOP to an SMS from this account (or was opted out). Cognito hands \
             SNS the code and SNS drops it without an error. Opting the number back in \
             (sns:OptInPhoneNumber) is allowed once in 30 days; until then send the code by \
             email, or have the user sign up with an email address.",
        ),
        Ok(false) => Check::new("sms_opted_out", Status::Ok, source, "")
            .says(format!("{shown} has not opted out of SMS"), ""),
        Err(e) => Check::unknown("sms_opted_out", source, &e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_number_that_replied_stop_fails_and_says_what_to_do() {
        let check = sms_opted_out("+447700900149", Ok(true));
        assert_eq!(check.status, Status::Fail);
        assert!(check.summary.contains("+447700900149"), "{}", check.summary);
        assert!(check.detail.contains("once in 30 days"), "{}", check.detail);
        assert_eq!(sms_opted_out("+447700900123", Ok(false)).status, Status::Ok);
    }

    #[test]
    fn a_denied_call_is_unknown_and_names_the_iam_action() {
        let denied = ApiError::service(
            Operation::SmsOptOut,
            "AuthorizationErrorException",
            Some("not authorized"),
        );
        let check = sms_opted_out("+447700900123", Err(denied));
        assert_eq!(check.status, Status::Unknown);
        assert!(
            check.summary.contains("sns:CheckIfPhoneNumberIsOptedOut"),
            "{}",
            check.summary
        );
        assert!(
            check.summary.starts_with("Not allowed"),
            "{}",
            check.summary
        );
    }
}
