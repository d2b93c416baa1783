//! ListUsers `Filter` strings: one attribute, `=` or `^=`, the value quoted and escaped.

use std::fmt;
use std::str::FromStr;

/// The service rejects longer filters.
pub const MAX_FILTER_LEN: usize = 256;

/// Attributes an operator may search on (custom attributes are not searchable).
pub const SEARCHABLE: &[&str] = &[
    "username",
    "email",
    "phone_number",
    "name",
    "given_name",
    "family_name",
    "preferred_username",
    "sub",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SearchOp {
    Equals,
    Prefix,
}

impl SearchOp {
    fn as_str(self) -> &'static str {
        match self {
            SearchOp::Equals => "=",
            SearchOp::Prefix => "^=",
        }
    }
}

/// A server-side search such as `email^=jane`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Search {
    pub attribute: String,
    pub op: SearchOp,
    pub value: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SearchError {
    #[error("expected ATTRIBUTE=VALUE or ATTRIBUTE^=VALUE, e.g. email^=jane")]
    NoOperator,
    #[error("cannot search on \"{0}\"{hint}: searchable attributes are {list}", hint = near(.0).map(|n| format!(" (did you mean {n}?)")).unwrap_or_default(), list = SEARCHABLE.join(", "))]
    NotSearchable(String),
    #[error("the search value is empty")]
    EmptyValue,
    #[error("the search is too long: Cognito takes filters of at most {MAX_FILTER_LEN} characters")]
    TooLong,
}

/// The searchable attribute an operator most likely meant: `phone` → `phone_number`,
/// `mail` → `email`, `firstname` → `given_name`.
pub fn near(attribute: &str) -> Option<&'static str> {
    let a = attribute.trim().to_lowercase().replace(['-', ' '], "_");
    let aliases: [(&str, &str); 9] = [
        ("phone", "phone_number"),
        ("mobile", "phone_number"),
        ("tel", "phone_number"),
        ("mail", "email"),
        ("e_mail", "email"),
        ("user", "username"),
        ("firstname", "given_name"),
        ("first_name", "given_name"),
        ("lastname", "family_name"),
    ];
    if let Some((_, to)) = aliases.iter().find(|(from, _)| *from == a) {
        return Some(to);
    }
    SEARCHABLE
        .iter()
        .copied()
        .find(|s| !a.is_empty() && (s.starts_with(&a) || a.starts_with(s)))
}

/// Typed like a server search (`word=` or `word^=` at the start), searchable attribute or not:
/// an unknown attribute is an error to show, not a local filter that silently matches nothing.
pub fn looks_like_search(text: &str) -> bool {
    let Some(eq) = text.find('=') else {
        return false;
    };
    let attr = text[..eq].trim().trim_end_matches('^').trim();
    !attr.is_empty()
        && attr
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':' || c == '-')
}

/// The server search a typed filter stands for, when it looks like an email, a phone number, a
/// `sub` or a username: what an agent pastes from a ticket.
pub fn guess(text: &str) -> Option<Search> {
    let text = text.trim();
    if text.is_empty() || text.contains(char::is_whitespace) || text.contains('"') {
        return None;
    }
    let search = |attribute: &str, op: SearchOp| {
        Some(Search {
            attribute: attribute.to_string(),
            op,
            value: text.to_string(),
        })
    };
    let digits = text.strip_prefix('+').unwrap_or("");
    let is_sub = text.len() == 36
        && text.split('-').map(str::len).eq([8, 4, 4, 4, 12])
        && text.chars().all(|c| c.is_ascii_hexdigit() || c == '-');
    if text.contains('@') {
        search("email", SearchOp::Prefix)
    } else if digits.len() >= 4 && digits.chars().all(|c| c.is_ascii_digit()) {
        search("phone_number", SearchOp::Prefix)
    } else if is_sub {
        search("sub", SearchOp::Equals)
    } else if text.chars().count() >= 3 && !text.contains(['>', '<', ':', '=']) {
        search("username", SearchOp::Prefix)
    } else {
        None
    }
}

impl FromStr for Search {
    type Err = SearchError;

    fn from_str(input: &str) -> Result<Self, Self::Err> {
        let (attribute, op, value) = match (input.find("^="), input.find('=')) {
            (Some(p), Some(e)) if p < e => (&input[..p], SearchOp::Prefix, &input[p + 2..]),
            (_, Some(e)) => (&input[..e], SearchOp::Equals, &input[e + 1..]),
            _ => return Err(SearchError::NoOperator),
        };
        let attribute = attribute.trim();
        if !SEARCHABLE.contains(&attribute) {
            return Err(SearchError::NotSearchable(attribute.to_string()));
        }
        let value = value.trim();
        let value = value
            .strip_prefix('"')
            .and_then(|v| v.strip_suffix('"'))
            .unwrap_or(value);
        if value.is_empty() {
            return Err(SearchError::EmptyValue);
        }
        let search = Search {
            attribute: attribute.to_string(),
            op,
            value: value.to_string(),
        };
        if search.to_filter().chars().count() > MAX_FILTER_LEN {
            return Err(SearchError::TooLong);
        }
        Ok(search)
    }
}

impl Search {
    pub fn to_filter(&self) -> String {
        format!(
            "{} {} \"{}\"",
            self.attribute,
            self.op.as_str(),
            escape(&self.value)
        )
    }
}

impl fmt::Display for Search {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}{}", self.attribute, self.op.as_str(), self.value)
    }
}

pub fn equals(attribute: &str, value: &str) -> String {
    format!("{attribute} = \"{}\"", escape(value))
}

/// Quotes and backslashes inside the value are escaped with a backslash.
fn escape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        if matches!(c, '"' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_ticket_s_detail_is_guessed_as_its_search() {
        let attr = |t: &str| guess(t).map(|s| (s.attribute, s.op));
        assert_eq!(
            attr("jane@example.com"),
            Some(("email".into(), SearchOp::Prefix))
        );
        assert_eq!(
            attr("+4477009"),
            Some(("phone_number".into(), SearchOp::Prefix))
        );
        assert_eq!(
            attr("fc4c3fcc-39f4-4d6d-a6c6-712c2cd32dd1"),
            Some(("sub".into(), SearchOp::Equals))
        );
        assert_eq!(
            attr("grace.smith"),
            Some(("username".into(), SearchOp::Prefix))
        );
        assert_eq!(attr("gr"), None);
        assert_eq!(attr("grace age<2d"), None);
        assert_eq!(attr("age>7d"), None);
    }

    #[test]
    fn an_unknown_attribute_suggests_the_near_one() {
        let e = "phone^=+44".parse::<Search>().unwrap_err();
        assert_eq!(e, SearchError::NotSearchable("phone".into()));
        assert!(
            e.to_string().starts_with(
                "cannot search on \"phone\" (did you mean phone_number?): searchable attributes are"
            ),
            "{e}"
        );
        assert_eq!(near("mail"), Some("email"));
        assert_eq!(near("given"), Some("given_name"));
        assert_eq!(near("zzz"), None);
        assert!(looks_like_search("phone^=+44"));
        assert!(looks_like_search("email=jane@example.com"));
        assert!(!looks_like_search("grace age>7d"));
        assert!(!looks_like_search("a b=c"));
    }

    #[test]
    fn prefix_and_equals_build_the_service_syntax() {
        let s: Search = "email^=jane".parse().unwrap();
        assert_eq!(s.to_filter(), r#"email ^= "jane""#);
        let s: Search = " phone_number = +44 7700 ".parse().unwrap();
        assert_eq!(s.to_filter(), r#"phone_number = "+44 7700""#);
    }

    #[test]
    fn an_equals_sign_in_the_value_stays_in_the_value() {
        let s: Search = "name^=a=b".parse().unwrap();
        assert_eq!((s.op, s.value.as_str()), (SearchOp::Prefix, "a=b"));
        let s: Search = "name=a^=b".parse().unwrap();
        assert_eq!((s.op, s.value.as_str()), (SearchOp::Equals, "a^=b"));
    }

    #[test]
    fn quotes_and_backslashes_are_escaped() {
        let s: Search = r#"name=Jo "JJ" O\Neil"#.parse().unwrap();
        assert_eq!(s.to_filter(), r#"name = "Jo \"JJ\" O\\Neil""#);
        assert_eq!(
            equals("cognito:user_status", "UNCONFIRMED"),
            r#"cognito:user_status = "UNCONFIRMED""#
        );
    }

    #[test]
    fn surrounding_quotes_are_taken_as_quoting() {
        let s: Search = r#"email="jane@example.com""#.parse().unwrap();
        assert_eq!(s.value, "jane@example.com");
    }

    #[test]
    fn bad_searches_say_why() {
        assert_eq!("jane".parse::<Search>(), Err(SearchError::NoOperator));
        assert_eq!(
            "custom:plan=gold".parse::<Search>(),
            Err(SearchError::NotSearchable("custom:plan".into()))
        );
        assert_eq!("email^=  ".parse::<Search>(), Err(SearchError::EmptyValue));
        let long = format!("email^={}", "x".repeat(250));
        assert_eq!(long.parse::<Search>(), Err(SearchError::TooLong));
    }
}
