//! Colours by role, not by name: the views say "this is a failure" (`.fail()`), the theme says
//! what a failure looks like. Two presets (dark, light), `[theme]` in the config over one of
//! them, and `NO_COLOR`: no colour at all, while bold, reverse video and the symbols (✔ ⚠ ✘)
//! still tell every state apart.
//!
//! The theme in force is the UI thread's (set once at start; a test sets its own).

use std::cell::Cell;
use std::str::FromStr;

use ratatui::style::{Color, Modifier, Style, Styled};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    /// The title bar.
    pub header: Style,
    /// The selected row.
    pub selection: Style,
    /// A marked user's mark.
    pub marked: Style,
    /// The filter's words where they matched.
    pub matched: Style,
    pub ok: Style,
    pub info: Style,
    pub warn: Style,
    pub fail: Style,
    /// A check that could not be made.
    pub unknown: Style,
    pub dim: Style,
    pub border: Style,
}

/// The roles, as `[theme]` names them.
pub const ROLES: [&str; 11] = [
    "header",
    "selection",
    "marked",
    "matched",
    "ok",
    "info",
    "warn",
    "fail",
    "unknown",
    "dim",
    "border",
];

impl Theme {
    /// For a dark terminal background (the default).
    pub fn dark() -> Self {
        Self {
            header: Style::new().add_modifier(Modifier::BOLD),
            selection: Style::new().add_modifier(Modifier::REVERSED),
            marked: Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD),
            matched: Style::new()
                .fg(Color::Yellow)
                .add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
            ok: Style::new().fg(Color::Green),
            info: Style::new().fg(Color::Cyan),
            warn: Style::new().fg(Color::Yellow),
            fail: Style::new().fg(Color::Red),
            unknown: Style::new().fg(Color::Magenta),
            dim: Style::new().add_modifier(Modifier::DIM),
            border: Style::new(),
        }
    }

    /// For a light background: darker hues that keep their contrast on white.
    pub fn light() -> Self {
        Self {
            marked: Style::new()
                .fg(Color::Rgb(0x8a, 0x5a, 0x00))
                .add_modifier(Modifier::BOLD),
            matched: Style::new()
                .fg(Color::Rgb(0x8a, 0x5a, 0x00))
                .add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
            ok: Style::new().fg(Color::Rgb(0x1a, 0x7f, 0x37)),
            info: Style::new().fg(Color::Rgb(0x05, 0x50, 0xae)),
            warn: Style::new().fg(Color::Rgb(0x9a, 0x67, 0x00)),
            fail: Style::new().fg(Color::Rgb(0xcf, 0x22, 0x2e)),
            unknown: Style::new().fg(Color::Rgb(0x82, 0x50, 0xdf)),
            ..Self::dark()
        }
    }

    /// `NO_COLOR`: every role without colour; what tells states apart stays (bold, underline,
    /// reverse video, and the symbols in the text).
    pub fn plain() -> Self {
        let strip = |s: Style| Style {
            fg: None,
            bg: None,
            underline_color: None,
            ..s
        };
        let dark = Self::dark();
        Self {
            header: strip(dark.header),
            selection: strip(dark.selection),
            marked: strip(dark.marked),
            matched: strip(dark.matched),
            ok: strip(dark.ok),
            info: strip(dark.info),
            warn: strip(dark.warn).add_modifier(Modifier::BOLD),
            fail: strip(dark.fail).add_modifier(Modifier::BOLD),
            unknown: strip(dark.unknown).add_modifier(Modifier::ITALIC),
            dim: strip(dark.dim),
            border: strip(dark.border),
        }
    }

    pub fn preset(name: &str) -> Option<Self> {
        match name {
            "dark" => Some(Self::dark()),
            "light" => Some(Self::light()),
            _ => None,
        }
    }

    /// Sets a role's colour (`"red"`, `"#d08000"`, `"reset"`), keeping its bold and the like.
    pub fn set(&mut self, role: &str, colour: &str) -> Result<(), String> {
        let colour = Color::from_str(colour).map_err(|_| {
            format!(
                "\"{colour}\" is not a colour (a name such as red or lightblue, #rrggbb, or an \
                 index 0-255)"
            )
        })?;
        let slot = match role {
            "header" => &mut self.header,
            "selection" => &mut self.selection,
            "marked" => &mut self.marked,
            "matched" => &mut self.matched,
            "ok" => &mut self.ok,
            "info" => &mut self.info,
            "warn" => &mut self.warn,
            "fail" => &mut self.fail,
            "unknown" => &mut self.unknown,
            "dim" => &mut self.dim,
            "border" => &mut self.border,
            _ => {
                return Err(format!(
                    "no such role; the roles: preset, {}",
                    ROLES.join(", ")
                ));
            }
        };
        slot.fg = Some(colour);
        Ok(())
    }
}

impl Default for Theme {
    fn default() -> Self {
        Self::dark()
    }
}

/// Whether `NO_COLOR` asks for no colour (set and not empty, as no-color.org says).
pub fn no_color() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
}

thread_local! {
    static CURRENT: Cell<Theme> = Cell::new(Theme::dark());
}

/// The theme the views on this thread draw with.
pub fn set(theme: Theme) {
    CURRENT.with(|c| c.set(theme));
}

pub fn current() -> Theme {
    CURRENT.with(Cell::get)
}

/// A role on anything that takes a style (a span, a line, a style).
pub trait Role: Styled<Item = Self> + Sized {
    fn role(self, style: Style) -> Self {
        let merged = Styled::style(&self).patch(style);
        self.set_style(merged)
    }
    fn good(self) -> Self {
        self.role(current().ok)
    }
    fn info(self) -> Self {
        self.role(current().info)
    }
    fn warn(self) -> Self {
        self.role(current().warn)
    }
    fn fail(self) -> Self {
        self.role(current().fail)
    }
    fn unknown(self) -> Self {
        self.role(current().unknown)
    }
    fn matched(self) -> Self {
        self.role(current().matched)
    }
    fn marked(self) -> Self {
        self.role(current().marked)
    }
}

impl<T: Styled<Item = T>> Role for T {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_color_keeps_every_state_apart_without_colour() {
        let plain = Theme::plain();
        for style in [
            plain.header,
            plain.selection,
            plain.marked,
            plain.matched,
            plain.ok,
            plain.info,
            plain.warn,
            plain.fail,
            plain.unknown,
            plain.dim,
            plain.border,
        ] {
            assert_eq!((style.fg, style.bg), (None, None));
        }
        assert!(plain.selection.add_modifier.contains(Modifier::REVERSED));
        assert!(plain.fail.add_modifier.contains(Modifier::BOLD));
        assert!(plain.matched.add_modifier.contains(Modifier::UNDERLINED));
    }

    #[test]
    fn a_role_takes_a_colour_by_name_or_hex_and_refuses_nonsense() {
        let mut theme = Theme::light();
        theme.set("fail", "#ff0000").unwrap();
        assert_eq!(theme.fail.fg, Some(Color::Rgb(255, 0, 0)));
        theme.set("matched", "blue").unwrap();
        assert!(
            theme.matched.add_modifier.contains(Modifier::UNDERLINED),
            "bold and underline stay"
        );
        assert!(theme.set("fial", "red").unwrap_err().contains("fail"));
        assert!(theme.set("fail", "reddish").unwrap_err().contains("colour"));
    }
}
