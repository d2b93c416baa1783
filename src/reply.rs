//! The answer for the ticket after a send: the configured template, filled in, plus what the
//! diagnostics say the user should know (a link instead of a code, the default sender).

use crate::cognito::{Delivery, DeliveryMedium};
use crate::config::ReplyTemplates;

/// How long a confirmation code stays valid.
pub const VALID_HOURS: u32 = 24;

pub fn reply(
    templates: &ReplyTemplates,
    username: &str,
    delivery: &Delivery,
    notes: &[String],
) -> String {
    let (template, medium) = match &delivery.medium {
        DeliveryMedium::Sms => (&templates.sms, "SMS".to_string()),
        DeliveryMedium::Email => (&templates.email, "email".to_string()),
        DeliveryMedium::Other(other) => (&templates.email, other.to_lowercase()),
    };
    let mut text = template
        .replace(
            "{destination}",
            &crate::text::sanitize(&delivery.destination),
        )
        .replace("{medium}", &medium)
        .replace("{username}", &crate::text::sanitize(username))
        .replace("{valid_hours}", &VALID_HOURS.to_string());
    for note in notes {
        text.push(' ');
        text.push_str(note);
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn delivery(medium: DeliveryMedium, destination: &str) -> Delivery {
        Delivery {
            destination: destination.into(),
            medium,
            attribute_name: "email".into(),
        }
    }

    #[test]
    fn the_default_reply_names_medium_destination_and_validity() {
        let text = reply(
            &ReplyTemplates::default(),
            "jane",
            &delivery(DeliveryMedium::Email, "j***@e***.com"),
            &[],
        );
        assert_eq!(
            text,
            "We have sent a new confirmation code by email to j***@e***.com. It is valid for 24 \
             hours; if it is not in your inbox, please check your spam folder."
        );
        let sms = reply(
            &ReplyTemplates::default(),
            "jane",
            &delivery(DeliveryMedium::Sms, "+*******1234"),
            &["Note.".into()],
        );
        assert_eq!(
            sms,
            "We have sent a new confirmation code by SMS to +*******1234. It is valid for 24 \
             hours. Note."
        );
    }

    #[test]
    fn a_custom_template_fills_every_placeholder_and_escapes_controls() {
        let templates = ReplyTemplates {
            email: "{username}: {medium} {destination} {valid_hours}h".into(),
            sms: String::new(),
        };
        let text = reply(
            &templates,
            "ja\u{1b}[2Jne",
            &delivery(DeliveryMedium::Email, "j***@e***.com"),
            &[],
        );
        assert_eq!(text, "ja\\x1b[2Jne: email j***@e***.com 24h");
    }
}
