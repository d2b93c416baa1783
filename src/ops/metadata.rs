//! ClientMetadata, the pairs Cognito hands to the pool's Lambda triggers: the one set of rules
//! for them. The resend dialog flags each pair in place with these, the action dialog and the
//! command line report the first problem, and the guard checks what is finally sent.

use std::collections::BTreeMap;

use crate::config::PoolConfig;

/// A pool's rules for its ClientMetadata.
#[derive(Debug, Clone, Copy, Default)]
pub struct Rules<'a> {
    /// Keys that must have a value before anything is sent.
    pub required: &'a [String],
    /// The key the ticket reference is sent under (filled by the Ticket field or `--ticket`).
    pub ticket_key: Option<&'a str>,
}

impl<'a> Rules<'a> {
    pub fn of(pool: &'a PoolConfig) -> Self {
        Self {
            required: &pool.required_metadata,
            ticket_key: pool.ticket_metadata_key.as_deref(),
        }
    }
}

/// What is wrong with the pairs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    EmptyKey,
    /// The key comes twice.
    Twice(String),
    /// The pair sets the ticket key, which the ticket fills.
    TicketKey(String),
    EmptyValue {
        key: String,
        required: bool,
    },
    /// Required keys with no value (the ticket key while no ticket is given).
    Missing(Vec<String>),
}

impl Problem {
    /// A few words for a flag beside the pair.
    pub fn short(&self) -> &'static str {
        match self {
            Problem::EmptyKey => "empty key",
            Problem::Twice(_) => "duplicate key",
            Problem::TicketKey(_) => {
                "the Ticket field fills this key: use it, and delete this pair (d)"
            }
            Problem::EmptyValue { required: true, .. } => "required: fill it in",
            Problem::EmptyValue { .. } => "empty value: fill it in or delete the pair (d)",
            Problem::Missing(_) => "a required key is missing",
        }
    }

    /// The problem in a sentence, naming the key.
    pub fn message(&self) -> String {
        match self {
            Problem::EmptyKey => "a pair has an empty key".into(),
            Problem::Twice(key) => format!("{key}: the key comes twice"),
            Problem::TicketKey(key) => {
                format!("{key}: the ticket fills this key; give the ticket instead of the pair")
            }
            Problem::EmptyValue { key, .. } => {
                format!("{key} has an empty value: fill it in or leave the pair out")
            }
            Problem::Missing(keys) => {
                format!("the pool requires ClientMetadata {}", keys.join(", "))
            }
        }
    }
}

/// The problem of each pair, in order (`None` for a good one): for flags in place.
pub fn pair_problems(pairs: &[(&str, &str)], rules: Rules<'_>) -> Vec<Option<Problem>> {
    pairs
        .iter()
        .enumerate()
        .map(|(i, (key, value))| {
            let key = key.trim();
            if key.is_empty() {
                return Some(Problem::EmptyKey);
            }
            if pairs.iter().position(|(k, _)| k.trim() == key) != Some(i) {
                return Some(Problem::Twice(key.to_string()));
            }
            if rules.ticket_key == Some(key) {
                return Some(Problem::TicketKey(key.to_string()));
            }
            if value.trim().is_empty() {
                return Some(Problem::EmptyValue {
                    key: key.to_string(),
                    required: rules.required.iter().any(|k| k == key),
                });
            }
            None
        })
        .collect()
}

/// Required keys no pair has (a required ticket key counts as there when a ticket is given); a
/// pair with the key and an empty value is flagged by [`pair_problems`] instead.
pub fn missing(pairs: &[(&str, &str)], rules: Rules<'_>, ticket: Option<&str>) -> Vec<String> {
    rules
        .required
        .iter()
        .filter(|k| {
            if rules.ticket_key == Some(k.as_str()) {
                return ticket.is_none_or(|t| t.trim().is_empty());
            }
            !pairs.iter().any(|(key, _)| key.trim() == k.as_str())
        })
        .cloned()
        .collect()
}

/// The pairs as they will be sent, or the first problem.
pub fn check(
    pairs: &[(&str, &str)],
    rules: Rules<'_>,
    ticket: Option<&str>,
) -> Result<BTreeMap<String, String>, Problem> {
    if let Some(problem) = pair_problems(pairs, rules).into_iter().flatten().next() {
        return Err(problem);
    }
    let missing = missing(pairs, rules, ticket);
    if !missing.is_empty() {
        return Err(Problem::Missing(missing));
    }
    Ok(pairs
        .iter()
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect())
}

/// What is finally sent (the ticket already under its key): no empty key or value, and every
/// required key filled. The guard's check, whatever front end built the pairs.
pub fn check_sent(metadata: &BTreeMap<String, String>, rules: Rules<'_>) -> Result<(), Problem> {
    if let Some((key, _)) = metadata
        .iter()
        .find(|(k, v)| k.trim().is_empty() || v.trim().is_empty())
    {
        if key.trim().is_empty() {
            return Err(Problem::EmptyKey);
        }
        return Err(Problem::EmptyValue {
            key: key.clone(),
            required: rules.required.contains(key),
        });
    }
    let missing: Vec<String> = rules
        .required
        .iter()
        .filter(|k| !metadata.contains_key(*k))
        .cloned()
        .collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(Problem::Missing(missing))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules<'a>(required: &'a [String], ticket_key: Option<&'a str>) -> Rules<'a> {
        Rules {
            required,
            ticket_key,
        }
    }

    #[test]
    fn each_pair_is_flagged_by_its_own_problem() {
        let required = vec!["case".to_string()];
        let pairs = [
            ("", "x"),
            ("a", "1"),
            ("a", "2"),
            ("ticket", "T"),
            ("case", " "),
            ("b", ""),
        ];
        let problems = pair_problems(&pairs, rules(&required, Some("ticket")));
        assert_eq!(
            problems,
            [
                Some(Problem::EmptyKey),
                None,
                Some(Problem::Twice("a".into())),
                Some(Problem::TicketKey("ticket".into())),
                Some(Problem::EmptyValue {
                    key: "case".into(),
                    required: true
                }),
                Some(Problem::EmptyValue {
                    key: "b".into(),
                    required: false
                }),
            ]
        );
    }

    #[test]
    fn a_required_ticket_key_is_filled_by_the_ticket() {
        let required = vec!["ticket".to_string(), "case".to_string()];
        let r = rules(&required, Some("ticket"));
        assert_eq!(
            check(&[("case", "C-1")], r, None),
            Err(Problem::Missing(vec!["ticket".into()]))
        );
        let sent = check(&[("case", " C-1 ")], r, Some("T-9")).expect("fine");
        assert_eq!(sent.get("case").map(String::as_str), Some("C-1"));
        assert_eq!(
            check(&[], r, Some("T-9")),
            Err(Problem::Missing(vec!["case".into()]))
        );
    }

    #[test]
    fn what_is_sent_has_no_empty_value_and_every_required_key() {
        let required = vec!["case".to_string()];
        let r = rules(&required, None);
        let mut sent = BTreeMap::from([("case".to_string(), "C-1".to_string())]);
        assert_eq!(check_sent(&sent, r), Ok(()));
        sent.insert("note".into(), " ".into());
        assert!(matches!(
            check_sent(&sent, r),
            Err(Problem::EmptyValue { .. })
        ));
        sent.clear();
        assert_eq!(
            check_sent(&sent, r),
            Err(Problem::Missing(vec!["case".into()]))
        );
    }
}
