//! Untrusted text (user attributes come from whoever signed up, error messages and destinations
//! from the service) made safe for a terminal, a JSON reader and a spreadsheet.

use std::borrow::Cow;
use std::fmt::Write;

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Control characters, and the invisible characters that reorder or hide text, become visible
/// escapes such as `\x1b` or `\u{202e}`: nothing from a user attribute reaches the terminal raw.
pub fn sanitize(text: &str) -> Cow<'_, str> {
    if !text.chars().any(needs_escape) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if needs_escape(c) {
            let code = c as u32;
            // Writing to a String cannot fail.
            let _ = if code < 0x100 {
                write!(out, "\\x{code:02x}")
            } else {
                write!(out, "\\u{{{code:x}}}")
            };
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// C0 and C1 controls, and the invisible characters that reorder, join, hide or tag text.
pub fn needs_escape(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061c}'              // Arabic letter mark
            | '\u{200b}'..='\u{200f}' // zero-width space, joiners, LRM, RLM
            | '\u{2028}' | '\u{2029}' // line and paragraph separators
            | '\u{202a}'..='\u{202e}' // bidi embeddings and overrides
            | '\u{2060}'..='\u{2064}' // word joiner, invisible operators
            | '\u{2066}'..='\u{2069}' // bidi isolates
            | '\u{feff}'              // zero-width no-break space (BOM)
            | '\u{e0000}'..='\u{e007f}' // tag characters
        )
}

/// A serialized JSON value with every character that `needs_escape` written as `\uXXXX`
/// (a surrogate pair above the BMP). Still valid JSON that decodes to the same value, but no raw
/// control or invisible character reaches a terminal that prints it.
pub fn json_safe(json: &str) -> Cow<'_, str> {
    if !json.chars().any(needs_escape) {
        return Cow::Borrowed(json);
    }
    let mut out = String::with_capacity(json.len() + 16);
    let mut units = [0u16; 2];
    for c in json.chars() {
        if needs_escape(c) {
            for unit in c.encode_utf16(&mut units) {
                let _ = write!(out, "\\u{unit:04x}");
            }
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// One CSV cell, safe for a terminal and for a spreadsheet. OWASP's CSV-injection advice: a cell
/// that starts with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'`, so a
/// spreadsheet shows it as text instead of evaluating it; `+447700900123` then still shows as
/// `+447700900123`. Control characters are escaped as on screen.
pub fn csv_cell(text: &str) -> String {
    let starts_formula = text
        .chars()
        .next()
        .is_some_and(|c| matches!(c, '=' | '+' | '-' | '@' | '\t' | '\r'));
    let safe = sanitize(text);
    if starts_formula {
        format!("'{safe}")
    } else {
        safe.into_owned()
    }
}

/// Cuts `text` to at most `width` terminal columns, ending with `…` when it was cut.
pub fn truncate(text: &str, width: usize) -> Cow<'_, str> {
    if text.width() <= width {
        return Cow::Borrowed(text);
    }
    if width == 0 {
        return Cow::Borrowed("");
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > width - 1 {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    Cow::Owned(out)
}

/// Sanitized, then cut to fit.
pub fn cell(text: &str, width: usize) -> String {
    truncate(&sanitize(text), width).into_owned()
}

/// Cognito's mask for an email: `j***@e***.com` (first letters, then the last label).
pub fn mask_email(address: &str) -> String {
    let (local, domain) = address.split_once('@').unwrap_or((address, ""));
    let (host, tld) = domain.rsplit_once('.').unwrap_or((domain, ""));
    let first = |s: &str| s.chars().next().map(String::from).unwrap_or_default();
    format!("{}***@{}***.{tld}", first(local), first(host))
}

/// Cognito's mask for a phone number: `+*******1234` (a star for each hidden digit).
pub fn mask_phone(number: &str) -> String {
    let digits: Vec<char> = number.trim_start_matches('+').chars().collect();
    let shown = digits.len().saturating_sub(4);
    format!(
        "+{}{}",
        "*".repeat(shown),
        digits[shown..].iter().collect::<String>()
    )
}

/// A username as `--redact` shows it: one that is itself an email address or a phone number is
/// masked like one (the real name stays in the user's record, for actions); others stay.
pub fn redact_username(name: &str) -> Cow<'_, str> {
    let is_email = name
        .split_once('@')
        .is_some_and(|(local, domain)| !local.is_empty() && domain.contains('.'));
    let digits = name.strip_prefix('+').unwrap_or(name);
    let is_phone = (7..=15).contains(&digits.len()) && digits.chars().all(|c| c.is_ascii_digit());
    if is_email {
        Cow::Owned(mask_email(name))
    } else if is_phone {
        Cow::Owned(mask_phone(name))
    } else {
        Cow::Borrowed(name)
    }
}

/// A username as this screen or output shows it: masked under `--redact` when it is an address.
pub fn shown_username(name: &str, redact: bool) -> Cow<'_, str> {
    if redact {
        redact_username(name)
    } else {
        Cow::Borrowed(name)
    }
}

/// A name with only each word's first letter: `M*** K***`.
pub fn mask_name(name: &str) -> String {
    name.split_whitespace()
        .map(|w| {
            let first: String = w.chars().take(1).collect();
            format!("{first}***")
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames_that_are_addresses_are_masked_others_stay() {
        assert_eq!(redact_username("jane@example.com"), "j***@e***.com");
        assert_eq!(redact_username("+447700900123"), "+********0123");
        assert_eq!(redact_username("447700900123"), "+********0123");
        assert_eq!(redact_username("jane.doe"), "jane.doe");
        assert_eq!(
            shown_username("jane@example.com", false),
            "jane@example.com"
        );
    }

    #[test]
    fn masks_look_like_cognitos() {
        assert_eq!(mask_email("jane.doe@example.com"), "j***@e***.com");
        assert_eq!(mask_email("d@corp.example.co.uk"), "d***@c***.uk");
        assert_eq!(mask_phone("+447700900123"), "+********0123");
        assert_eq!(mask_phone("+12"), "+12");
        assert_eq!(mask_name("Mei  Kim"), "M*** K***");
        assert_eq!(mask_name(""), "");
    }

    #[test]
    fn escape_sequences_never_pass_through() {
        let hostile = "Mallory \x1b[31mRED\x1b[0m \x07\u{9b}2J";
        let safe = sanitize(hostile);
        assert_eq!(safe, "Mallory \\x1b[31mRED\\x1b[0m \\x07\\x9b2J");
        assert!(!safe.chars().any(char::is_control));
    }

    #[test]
    fn bidi_and_invisible_characters_are_shown() {
        assert_eq!(sanitize("abc\u{202e}fed"), "abc\\u{202e}fed");
        for (raw, shown) in [
            ('\u{061c}', "\\u{61c}"),
            ('\u{200b}', "\\u{200b}"),
            ('\u{200f}', "\\u{200f}"),
            ('\u{2028}', "\\u{2028}"),
            ('\u{2029}', "\\u{2029}"),
            ('\u{2060}', "\\u{2060}"),
            ('\u{2064}', "\\u{2064}"),
            ('\u{2067}', "\\u{2067}"),
            ('\u{feff}', "\\u{feff}"),
            ('\u{e0001}', "\\u{e0001}"),
            ('\u{e007f}', "\\u{e007f}"),
        ] {
            assert_eq!(
                sanitize(&format!("a{raw}b")),
                format!("a{shown}b"),
                "{raw:?}"
            );
        }
    }

    #[test]
    fn plain_text_is_borrowed() {
        assert!(matches!(sanitize("Zoë Müller"), Cow::Borrowed(_)));
        assert!(matches!(sanitize("مرحبا 你好 👋"), Cow::Borrowed(_)));
    }

    #[test]
    fn json_safe_escapes_as_unicode_and_stays_valid_json() {
        let value = serde_json::json!({"name": "a\u{85}b\u{202e}c\u{2028}d\u{e0041}e\u{1b}"});
        let raw = value.to_string();
        let safe = json_safe(&raw);
        assert!(!safe.chars().any(needs_escape), "{safe}");
        assert!(safe.contains("\\u0085") && safe.contains("\\u202e") && safe.contains("\\u2028"));
        assert!(
            safe.contains("\\udb40\\udc41"),
            "tag characters as surrogate pairs: {safe}"
        );
        let back: serde_json::Value = serde_json::from_str(&safe).unwrap();
        assert_eq!(back, value);
    }

    #[test]
    fn csv_cells_cannot_become_formulas() {
        assert_eq!(csv_cell("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(csv_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_cell("-2+3"), "'-2+3");
        assert_eq!(csv_cell("\tx"), "'\\x09x");
        assert_eq!(csv_cell("\r=1"), "'\\x0d=1");
        assert_eq!(csv_cell("+447700900123"), "'+447700900123");
        assert_eq!(csv_cell("jane@example.com"), "jane@example.com");
        assert_eq!(csv_cell(""), "");
    }

    #[test]
    fn truncation_counts_columns_and_adds_an_ellipsis() {
        assert_eq!(truncate("jane@example.com", 8), "jane@ex…");
        assert_eq!(truncate("短い名前です", 5), "短い…");
        assert_eq!(truncate("short", 5), "short");
    }
}
