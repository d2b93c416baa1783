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

    /// The account-level checks other services answer, for a pool that sends codes by SMS
    /// (none for one that does not): `sns_account`.
    pub async fn pool_checks(&self, sends_sms: bool) -> Vec<Check> {
        if !sends_sms {
            return Vec::new();
        }
        let (sandbox, attributes) = tokio::join!(
            async {
                self.sns
                    .get_sms_sandbox_account_status()
                    .send()
                    .await
                    .map(|out| out.is_in_sandbox())
                    .map_err(|e| map_sdk_error(Operation::SmsSandbox, e, |_| None))
            },
            async {
                self.sns
                    .get_sms_attributes()
                    .attributes("MonthlySpendLimit")
                    .attributes("DefaultSMSType")
                    .send()
                    .await
                    .map(|out| out.attributes().cloned().unwrap_or_default())
                    .map_err(|e| map_sdk_error(Operation::SmsAttributes, e, |_| None))
            }
        );
        vec![sns_account(sandbox, attributes)]
    }

    /// The checks on this user that other services answer (none for a user without a phone).
    /// `redact`: the number is asked about as it is and shown masked. `by_sms`: whether the
    /// code goes by SMS (`None`: not known); an opted-out number does not matter to a code that
    /// goes by email.
    pub async fn user_checks(&self, user: &User, redact: bool, by_sms: Option<bool>) -> Vec<Check> {
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
        vec![weigh(sms_opted_out(&shown, answer), by_sms)]
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

/// `sns_account`: the SNS account the pool's SMS go through. In the SMS sandbox only verified
/// numbers get a message; the monthly spend limit (1 USD unless raised) stops every SMS once
/// spent, silently for Cognito.
pub fn sns_account(
    sandbox: Result<bool, ApiError>,
    attributes: Result<std::collections::HashMap<String, String>, ApiError>,
) -> Check {
    let source = "SNS GetSMSSandboxAccountStatus, GetSMSAttributes";
    match (sandbox, attributes) {
        (Ok(true), _) => Check::new("sns_account", Status::Fail, source, "SMS sandbox").says(
            "The SNS account is in the SMS sandbox: only verified numbers get a code",
            "Every other user's code is dropped. Verify test numbers in SNS, or request              production access for SMS (SNS console, Text messaging (SMS), Exit SMS sandbox).",
        ),
        (Err(e), _) => Check::unknown("sns_account", source, &e),
        (Ok(false), Err(e)) => Check::unknown("sns_account", source, &e),
        (Ok(false), Ok(attributes)) => {
            // Unset, the limit is SNS's default: 1 USD a month.
            let limit = attributes
                .get("MonthlySpendLimit")
                .and_then(|l| l.trim().parse::<f64>().ok())
                .unwrap_or(1.0);
            let kind = attributes
                .get("DefaultSMSType")
                .map_or("Promotional", String::as_str);
            if limit <= 1.0 {
                Check::new("sns_account", Status::Warn, source, "SMS spend limit 1 USD").says(
                    format!("SMS spend limit: {limit} USD a month (the default)"),
                    "Once spent, SNS sends no more SMS this month and Cognito reports no error: a                      busy month silently stops codes by SMS. Raise MonthlySpendLimit (and the                      account's quota with AWS Support).",
                )
            } else {
                Check::new("sns_account", Status::Ok, source, "").says(
                    format!(
                        "SMS can go out: out of the sandbox, {limit} USD a month, {kind} by default"
                    ),
                    "",
                )
            }
        }
    }
}

/// An opted-out number, when the code goes by email: said, but not a failure.
pub fn weigh(check: Check, by_sms: Option<bool>) -> Check {
    if by_sms == Some(false) && check.status == Status::Fail {
        let Check {
            id,
            summary,
            detail,
            source,
            ..
        } = check;
        return Check::new(id, Status::Info, &source, "").says(
            format!("{summary} (the code goes by email: this does not apply)"),
            detail,
        );
    }
    check
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
    fn an_opted_out_number_does_not_matter_to_a_code_that_goes_by_email() {
        let stop = || sms_opted_out("+447700900149", Ok(true));
        assert_eq!(weigh(stop(), Some(true)).status, Status::Fail);
        assert_eq!(
            weigh(stop(), None).status,
            Status::Fail,
            "unknown: the worst is said"
        );
        let by_email = weigh(stop(), Some(false));
        assert_eq!(by_email.status, Status::Info);
        assert!(
            by_email.summary.contains("goes by email"),
            "{}",
            by_email.summary
        );
    }

    #[test]
    fn the_sns_account_fails_in_the_sandbox_and_warns_at_the_default_spend_limit() {
        use std::collections::HashMap;
        let attrs = |limit: Option<&str>| {
            Ok(limit
                .map(|l| HashMap::from([("MonthlySpendLimit".to_string(), l.to_string())]))
                .unwrap_or_default())
        };
        assert_eq!(
            sns_account(Ok(true), attrs(Some("100"))).status,
            Status::Fail
        );
        let default = sns_account(Ok(false), attrs(None));
        assert_eq!(default.status, Status::Warn);
        assert!(default.summary.contains("1 USD"), "{}", default.summary);
        assert_eq!(sns_account(Ok(false), attrs(Some("50"))).status, Status::Ok);
        let denied = ApiError::service(
            Operation::SmsSandbox,
            "AuthorizationErrorException",
            Some("no"),
        );
        let unknown = sns_account(Err(denied), attrs(None));
        assert_eq!(unknown.status, Status::Unknown);
        assert!(unknown.summary.contains("sns:GetSMSSandboxAccountStatus"));
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
