//! Untrusted text (user attributes come from whoever signed up) made safe for a terminal.

use std::borrow::Cow;
use std::fmt::Write;

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Control characters, and the invisible characters that reorder or hide text, become visible
/// escapes such as `\x1b`: nothing from a user attribute reaches the terminal raw.
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

fn needs_escape(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{feff}')
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_sequences_never_pass_through() {
        let hostile = "Mallory \x1b[31mRED\x1b[0m \x07\u{9b}2J";
        let safe = sanitize(hostile);
        assert_eq!(safe, "Mallory \\x1b[31mRED\\x1b[0m \\x07\\x9b2J");
        assert!(!safe.chars().any(char::is_control));
    }

    #[test]
    fn bidi_overrides_are_shown() {
        assert_eq!(sanitize("abc\u{202e}fed"), "abc\\u{202e}fed");
    }

    #[test]
    fn plain_text_is_borrowed() {
        assert!(matches!(sanitize("Zoë Müller"), Cow::Borrowed(_)));
    }

    #[test]
    fn truncation_counts_columns_and_adds_an_ellipsis() {
        assert_eq!(truncate("jane@example.com", 8), "jane@ex…");
        assert_eq!(truncate("短い名前です", 5), "短い…");
        assert_eq!(truncate("short", 5), "short");
    }
}
