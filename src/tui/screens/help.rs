//! `?`: every key in force, from the keymap (the config's `[keys]` included), scrolled on
//! small terminals.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Stylize;
use ratatui::text::Line;
use ratatui::widgets::Widget;

use super::{Next, boxed, scrolled};
use crate::tui::keymap::{Command, Keymap, Screen};
use crate::tui::theme::Role;
use crate::tui::view::wrapped;

/// How far the help is scrolled.
#[derive(Debug, Default)]
pub struct HelpScreen {
    pub scroll: u16,
}

/// The resend dialog's keys the keymap does not hold: a send is confirmed by a bare `y`
/// whatever the map says.
const CONFIRM_KEYS: &[(&str, &str)] = &[
    (
        "y",
        "at the question: send (a bare y only; Enter and a paste never send)",
    ),
    (
        "F",
        "send anyway after five resends in an hour (Cognito will likely refuse)",
    ),
    (
        "O",
        "go on although a colleague is on the user (named above it)",
    ),
];

/// The actions menu's letters: each action's own, never remapped.
const MENU_LETTERS: &[(&str, &str)] = &[(
    "r i c f b e x",
    "the action's letter, as the menu shows it (resend, invite, confirm, fix, disable, \
     enable, delete)",
)];

/// An action dialog's keys the keymap does not hold: its confirmation is fixed.
const ACTION_CONFIRM_KEYS: &[(&str, &str)] = &[
    ("y  n", "at the question for one user: go on, or back"),
    (
        "the count",
        "for a bulk or destructive action: type it (or the username), then Enter; a paste never counts",
    ),
    ("Esc", "while it runs: stop after the call in flight"),
];

pub struct HelpView<'a> {
    pub scroll: u16,
    /// The keys in force (the config's `[keys]` included): the help lists what they do.
    pub keymap: &'a Keymap,
    /// Read-only: the keys that send or change are not there to press, so not listed.
    pub read_only: bool,
    /// Clicks and the wheel are the app's (`mouse = true`, the default).
    pub mouse: bool,
}

/// What the mouse does, when the app has it.
const MOUSE: &[(&str, &str)] = &[
    (
        "click",
        "select a row; twice: open it (a dialog: nothing is sent by a click)",
    ),
    (
        "click",
        "a chart's bar selects it (again: filters by it); a menu's entry opens it; a pool in the \
         picker switches",
    ),
    (
        "click",
        "in a dialog: choose a line; again: type into it (as Enter); a click never sends",
    ),
    (
        "wheel",
        "scroll the list, the help, the checks; move along a chart's bars, a menu, a dialog's \
         lines",
    ),
    (
        "mouse = false",
        "in the config: the terminal keeps the mouse (its own text selection)",
    ),
];

/// A key (or keys) and what it does.
type KeyHelp = (String, &'static str);

impl Widget for HelpView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let width = area.width.saturating_sub(4).min(84);
        let text_width = width.saturating_sub(3) as usize;
        let mut lines: Vec<Line> = Vec::new();
        if self.read_only {
            lines.push(
                Line::from(
                    " read-only: resends and admin actions are off (--read-only or the pool)",
                )
                .warn()
                .bold(),
            );
        }
        let mut sections: Vec<(Option<&str>, Vec<KeyHelp>)> = vec![
            (None, self.keymap.help(Screen::Browse, self.read_only)),
            (
                Some("In the charts (S)"),
                self.keymap.help(Screen::Stats, self.read_only),
            ),
        ];
        if self.mouse {
            sections.push((
                Some("The mouse"),
                MOUSE.iter().map(|(k, w)| (k.to_string(), *w)).collect(),
            ));
        }
        // The dialogs: the keymap's keys, then their fixed confirmation keys.
        if !self.read_only {
            for (title, screen, fixed) in [
                ("In the actions menu (a)", Screen::Actions, MENU_LETTERS),
                ("In the resend dialog", Screen::Dialog, CONFIRM_KEYS),
                (
                    "In an action dialog (a)",
                    Screen::Action,
                    ACTION_CONFIRM_KEYS,
                ),
            ] {
                let keys = self.keymap.help(screen, self.read_only).into_iter();
                let fixed = fixed.iter().map(|(k, w)| (k.to_string(), *w));
                sections.push((Some(title), keys.chain(fixed).collect()));
            }
        }
        for (title, keys) in sections {
            if let Some(title) = title {
                lines.push(Line::from(""));
                lines.push(Line::from(format!(" {title}")).bold());
            }
            for (key, what) in keys {
                // Wrapped lines keep the indent of the description.
                let text = format!("{key:<15} {what}");
                // Terms such as created:2026-11-01..2026-11-07 are typed as they read: never
                // split at their hyphens.
                lines.extend(
                    wrapped(&text, text_width, " ", "                 ")
                        .into_iter()
                        .map(Line::from),
                );
            }
        }
        let block = boxed("Keys").title_bottom(
            Line::from(format!(
                " {} ",
                self.keymap.hints(Screen::Help, self.read_only).join(" · ")
            ))
            .dim(),
        );
        scrolled(block, lines, self.scroll, area, width, buf);
    }
}

impl HelpScreen {
    /// A key of `[keys.help]`.
    pub fn on_command(&mut self, command: Option<Command>) -> Next {
        match command {
            Some(Command::Close) => return Next::Close,
            Some(command) => super::scroll(&mut self.scroll, command),
            None => {}
        }
        Next::Stay
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_help_names_every_letter_of_the_actions_menu() {
        let letters: Vec<String> = super::super::actions_menu::LETTERS
            .iter()
            .map(char::to_string)
            .collect();
        assert_eq!(super::MENU_LETTERS[0].0, letters.join(" "));
    }
}
