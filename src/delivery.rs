//! Where Cognito sends a user's code: the one answer, for the dialog, the checks, the stats and
//! the reply. The pool's auto-verified attributes decide; with both, the phone wins.

/// What the pool verifies, once DescribeUserPool has said.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Verifies {
    pub email: bool,
    pub phone: bool,
}

/// Where the code goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Destination<'a> {
    Phone(&'a str),
    Email(&'a str),
    /// The user lacks every attribute the pool verifies: Cognito refuses.
    Nowhere,
    /// The pool's settings are not known yet: the phone if it verifies phones, else the email.
    PhoneOrEmail {
        phone: &'a str,
        email: &'a str,
    },
}

impl<'a> Destination<'a> {
    /// `(attribute, value)` when definite.
    pub fn attribute(self) -> Option<(&'static str, &'a str)> {
        match self {
            Destination::Phone(p) => Some(("phone_number", p)),
            Destination::Email(e) => Some(("email", e)),
            _ => None,
        }
    }

    /// For the operator: `phone_number +44… (SMS)`, `email jane@…`, or why not.
    pub fn describe(&self) -> String {
        match self {
            Destination::Phone(p) => format!("phone_number {p} (SMS)"),
            Destination::Email(e) => format!("email {e}"),
            Destination::Nowhere => {
                "nowhere: the user lacks every attribute the pool verifies, Cognito will refuse"
                    .into()
            }
            Destination::PhoneOrEmail { phone, email } => {
                format!(
                    "phone_number {phone} (SMS) if the pool verifies phones, else email {email}"
                )
            }
        }
    }
}

/// Where the code of a user with this email and phone goes; `verifies` is `None` while the
/// pool's settings are unknown.
pub fn destination<'a>(
    verifies: Option<Verifies>,
    email: Option<&'a str>,
    phone: Option<&'a str>,
) -> Destination<'a> {
    match verifies {
        Some(v) => match (v.phone, phone, v.email, email) {
            (true, Some(p), _, _) => Destination::Phone(p),
            (_, _, true, Some(e)) => Destination::Email(e),
            _ => Destination::Nowhere,
        },
        None => match (phone, email) {
            (Some(phone), Some(email)) => Destination::PhoneOrEmail { phone, email },
            (Some(p), None) => Destination::Phone(p),
            (None, Some(e)) => Destination::Email(e),
            (None, None) => Destination::Nowhere,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_phone_wins_when_both_are_verified_and_the_user_has_both() {
        let both = Some(Verifies {
            email: true,
            phone: true,
        });
        assert_eq!(
            destination(both, Some("e"), Some("p")),
            Destination::Phone("p")
        );
        assert_eq!(destination(both, Some("e"), None), Destination::Email("e"));
        let email_only = Some(Verifies {
            email: true,
            phone: false,
        });
        assert_eq!(
            destination(email_only, Some("e"), Some("p")),
            Destination::Email("e")
        );
        assert_eq!(
            destination(email_only, None, Some("p")),
            Destination::Nowhere
        );
        assert_eq!(
            destination(None, Some("e"), Some("p")),
            Destination::PhoneOrEmail {
                phone: "p",
                email: "e"
            }
        );
    }
}
