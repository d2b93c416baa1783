//! A single-line text field: tui-input's buffer with the usual editing keys.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use tui_input::{Input, InputRequest};

#[derive(Debug, Clone, Default)]
pub struct TextField {
    input: Input,
}

impl PartialEq for TextField {
    fn eq(&self, other: &Self) -> bool {
        self.value() == other.value() && self.cursor() == other.cursor()
    }
}

impl Eq for TextField {}

impl TextField {
    pub fn new(value: &str) -> Self {
        Self {
            input: Input::new(value.to_string()),
        }
    }

    pub fn value(&self) -> &str {
        self.input.value()
    }

    /// The cursor, in characters from the start.
    pub fn cursor(&self) -> usize {
        self.input.cursor()
    }

    /// Inserts pasted text at the cursor as text: line breaks and tabs become spaces (the
    /// field is one line), other control characters are dropped. No pasted byte is a key.
    /// A line copied with its line break keeps no trailing space.
    pub fn paste(&mut self, text: &str) {
        let text = text.trim_end_matches(['\r', '\n']).replace("\r\n", " ");
        for c in text.chars() {
            let c = match c {
                '\n' | '\r' | '\t' => ' ',
                c if c.is_control() => continue,
                c => c,
            };
            self.input.handle(InputRequest::InsertChar(c));
        }
    }

    /// Applies an editing key; `false` when the key is not an editing key.
    pub fn handle(&mut self, key: KeyEvent) -> bool {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        let alt = key.modifiers.contains(KeyModifiers::ALT);
        let request = match key.code {
            KeyCode::Char('w') if ctrl => InputRequest::DeletePrevWord,
            KeyCode::Char('u') if ctrl => InputRequest::DeleteFromStart,
            KeyCode::Char('k') if ctrl => InputRequest::DeleteTillEnd,
            KeyCode::Char('a') if ctrl => InputRequest::GoToStart,
            KeyCode::Char('e') if ctrl => InputRequest::GoToEnd,
            KeyCode::Char('b') if alt => InputRequest::GoToPrevWord,
            KeyCode::Char('f') if alt => InputRequest::GoToNextWord,
            KeyCode::Char('d') if alt => InputRequest::DeleteNextWord,
            KeyCode::Char(c) if !ctrl && !alt => InputRequest::InsertChar(c),
            KeyCode::Backspace if ctrl || alt => InputRequest::DeletePrevWord,
            KeyCode::Backspace => InputRequest::DeletePrevChar,
            KeyCode::Delete if ctrl || alt => InputRequest::DeleteNextWord,
            KeyCode::Delete => InputRequest::DeleteNextChar,
            KeyCode::Left if ctrl || alt => InputRequest::GoToPrevWord,
            KeyCode::Right if ctrl || alt => InputRequest::GoToNextWord,
            KeyCode::Left => InputRequest::GoToPrevChar,
            KeyCode::Right => InputRequest::GoToNextChar,
            KeyCode::Home => InputRequest::GoToStart,
            KeyCode::End => InputRequest::GoToEnd,
            _ => return false,
        };
        self.input.handle(request);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, modifiers)
    }

    fn typed(text: &str) -> TextField {
        let mut f = TextField::default();
        for c in text.chars() {
            f.handle(key(KeyCode::Char(c), KeyModifiers::NONE));
        }
        f
    }

    #[test]
    fn home_end_and_word_deletion() {
        let mut f = typed("ticket T100");
        f.handle(key(KeyCode::Home, KeyModifiers::NONE));
        assert_eq!(f.cursor(), 0);
        f.handle(key(KeyCode::Char('#'), KeyModifiers::NONE));
        f.handle(key(KeyCode::End, KeyModifiers::NONE));
        assert_eq!(f.cursor(), 12);
        f.handle(key(KeyCode::Char('w'), KeyModifiers::CONTROL));
        assert_eq!(f.value(), "#ticket ");
        f.handle(key(KeyCode::Backspace, KeyModifiers::ALT));
        assert!(!f.value().contains("ticket"), "{}", f.value());
    }

    #[test]
    fn a_paste_is_one_line_of_text() {
        let mut f = typed("T-");
        f.paste("9\r\nuser says\tyes\x1b[2J\nplease");
        assert_eq!(f.value(), "T-9 user says yes[2J please");
        assert_eq!(f.cursor(), f.value().chars().count());
        let mut line = TextField::default();
        line.paste("INC-7\r\n");
        assert_eq!(
            line.value(),
            "INC-7",
            "a copied line's break is not a trailing space"
        );
    }

    #[test]
    fn non_editing_keys_are_left_to_the_caller() {
        let mut f = typed("x");
        assert!(!f.handle(key(KeyCode::Enter, KeyModifiers::NONE)));
        assert!(!f.handle(key(KeyCode::Esc, KeyModifiers::NONE)));
        assert!(!f.handle(key(KeyCode::Tab, KeyModifiers::NONE)));
        assert_eq!(f.value(), "x");
    }
}
