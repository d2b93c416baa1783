//! One keymap: which key does what on each screen. The dispatch, the help overlay and the
//! footer all read this table, so they cannot disagree; `[keys]` in the config remaps any
//! command (see [`Keymap::with_overrides`]).
//!
//! What is not here on purpose: the keys typed into the dialogs' fields, and the `y`/`n` (and
//! the deliberate `F`/`O`) of a confirmation. A send is confirmed by a bare `y` whatever the map
//! says, and a paste is never a key.

use std::collections::HashMap;
use std::fmt;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// A screen with its own keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Screen {
    /// The list of users.
    Browse,
    /// The charts (`S`).
    Stats,
    /// The help overlay (`?`).
    Help,
    /// The pool's delivery checks (`D`).
    Checks,
    /// The pool picker (`p`).
    Pools,
    /// The actions menu (`a`); its letters are the actions' own and stay.
    Actions,
    /// The resend dialog, outside its fields (`[keys.dialog]`).
    Dialog,
    /// An admin action dialog, outside its fields and before its confirmation
    /// (`[keys.action]`).
    Action,
}

impl Screen {
    pub const ALL: [Screen; 8] = [
        Screen::Browse,
        Screen::Stats,
        Screen::Help,
        Screen::Checks,
        Screen::Pools,
        Screen::Actions,
        Screen::Dialog,
        Screen::Action,
    ];

    /// Its name in the config: `[keys]` is the list's, `[keys.stats]` the charts'.
    pub fn name(self) -> &'static str {
        match self {
            Screen::Browse => "browse",
            Screen::Stats => "stats",
            Screen::Help => "help",
            Screen::Checks => "checks",
            Screen::Pools => "pools",
            Screen::Actions => "actions",
            Screen::Dialog => "dialog",
            Screen::Action => "action",
        }
    }
}

/// What a key does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Command {
    Down,
    Up,
    PageDown,
    PageUp,
    First,
    Last,
    Resend,
    Filter,
    Back,
    LoadMore,
    Status,
    Refresh,
    Checks,
    Actions,
    Mark,
    MarkAll,
    Unmark,
    Export,
    Stats,
    Pools,
    Help,
    Quit,
    NextChart,
    PrevChart,
    PrevBar,
    NextBar,
    Apply,
    Close,
    CheckAgain,
    /// The resend dialog: ask to send (then a bare `y`).
    Send,
    Edit,
    AddPair,
    DeletePair,
    Optional,
    CopyReply,
    Unsuppress,
    OptIn,
    /// The invitation: email, SMS or both.
    Medium,
    /// Confirming by hand: mark the phone verified too.
    VerifyPhone,
    /// Fixing an address: the email or the phone.
    Contact,
}

/// One command on one screen: its name in the config, its keys unless remapped, what the help
/// says, and its word in the footer (if it has a place there).
struct Binding {
    screen: Screen,
    command: Command,
    name: &'static str,
    keys: &'static [&'static str],
    help: &'static str,
    hint: Option<&'static str>,
    /// Reaches a user (sends or changes): not offered in read-only mode.
    writes: bool,
}

const fn bind(
    screen: Screen,
    command: Command,
    name: &'static str,
    keys: &'static [&'static str],
    help: &'static str,
) -> Binding {
    Binding {
        screen,
        command,
        name,
        keys,
        help,
        hint: None,
        writes: false,
    }
}

const fn hinted(binding: Binding, hint: &'static str) -> Binding {
    Binding {
        hint: Some(hint),
        ..binding
    }
}

const fn writes(binding: Binding) -> Binding {
    Binding {
        writes: true,
        ..binding
    }
}

use Command as C;
use Screen as S;

/// Every key of every screen, in the order the help lists them.
const BINDINGS: &[Binding] = &[
    hinted(
        bind(
            S::Browse,
            C::Down,
            "down",
            &["down", "j"],
            "move the selection down",
        ),
        "move",
    ),
    bind(
        S::Browse,
        C::Up,
        "up",
        &["up", "k"],
        "move the selection up",
    ),
    bind(
        S::Browse,
        C::PageDown,
        "page_down",
        &["pagedown"],
        "move a page down",
    ),
    bind(
        S::Browse,
        C::PageUp,
        "page_up",
        &["pageup"],
        "move a page up",
    ),
    bind(S::Browse, C::First, "first", &["home", "g"], "first user"),
    bind(S::Browse, C::Last, "last", &["end", "G"], "last user"),
    writes(hinted(
        bind(
            S::Browse,
            C::Resend,
            "resend",
            &["enter"],
            "resend a code to the selected user",
        ),
        "resend",
    )),
    writes(hinted(
        bind(
            S::Browse,
            C::Actions,
            "actions",
            &["a"],
            "actions: invite again, confirm, fix the address, disable / enable, delete",
        ),
        "actions",
    )),
    hinted(
        bind(
            S::Browse,
            C::Filter,
            "filter",
            &["/"],
            "filter loaded users by username, email, phone or name; age>7d, age<24h, \
             created:2026-11-25, created:2026-11-01..2026-11-07 by sign-up time; attr^=value \
             (email^=jane, phone_number^=+44) searches the server",
        ),
        "filter",
    ),
    bind(
        S::Browse,
        C::Back,
        "back",
        &["esc"],
        "clear the filter, then leave a server search, then stop a listing in progress",
    ),
    bind(
        S::Browse,
        C::LoadMore,
        "load_more",
        &["L"],
        "load more: go on with a paused or stopped listing",
    ),
    hinted(
        bind(
            S::Browse,
            C::Status,
            "status",
            &["t"],
            "switch status: UNCONFIRMED, FORCE_CHANGE_PASSWORD, all",
        ),
        "status",
    ),
    hinted(
        bind(
            S::Browse,
            C::Refresh,
            "refresh",
            &["r"],
            "refresh (rows stay until the new ones arrive); after an error, resume",
        ),
        "refresh",
    ),
    bind(
        S::Browse,
        C::Checks,
        "checks",
        &["D"],
        "why a code may not arrive: the pool's delivery checks",
    ),
    writes(bind(
        S::Browse,
        C::Mark,
        "mark",
        &["space"],
        "mark the selected user, for bulk work",
    )),
    writes(bind(
        S::Browse,
        C::MarkAll,
        "mark_all",
        &["*"],
        "mark every user shown (again: unmark them)",
    )),
    writes(bind(
        S::Browse,
        C::Unmark,
        "unmark",
        &["u"],
        "unmark every user",
    )),
    bind(
        S::Browse,
        C::Export,
        "export",
        &["e"],
        "export the users shown as CSV (in the background; Esc stops it)",
    ),
    bind(
        S::Browse,
        C::Stats,
        "stats",
        &["S"],
        "the pending pile in charts: by day, age, domain; Enter on a bar filters by it",
    ),
    hinted(
        bind(S::Browse, C::Pools, "pools", &["p"], "switch pool"),
        "pools",
    ),
    bind(S::Browse, C::Help, "help", &["?"], "this help"),
    bind(
        S::Browse,
        C::Quit,
        "quit",
        &["q"],
        "quit (Ctrl-C too: during a send or a run it waits for the answer; twice: at once)",
    ),
    hinted(
        bind(
            S::Stats,
            C::NextChart,
            "next_chart",
            &["down", "j", "tab"],
            "next chart",
        ),
        "chart",
    ),
    bind(
        S::Stats,
        C::PrevChart,
        "prev_chart",
        &["up", "k", "backtab"],
        "previous chart",
    ),
    hinted(
        bind(
            S::Stats,
            C::PrevBar,
            "prev_bar",
            &["left", "h"],
            "previous bar",
        ),
        "bar",
    ),
    bind(
        S::Stats,
        C::NextBar,
        "next_bar",
        &["right", "l"],
        "next bar",
    ),
    hinted(
        bind(
            S::Stats,
            C::Apply,
            "filter",
            &["enter"],
            "filter the table by the selected bar (or the wave)",
        ),
        "filters the table by it",
    ),
    hinted(
        bind(
            S::Stats,
            C::Close,
            "close",
            &["esc", "q", "S"],
            "back to the list",
        ),
        "closes",
    ),
    hinted(
        bind(S::Help, C::Down, "down", &["down", "j"], "scroll down"),
        "scroll",
    ),
    bind(S::Help, C::Up, "up", &["up", "k"], "scroll up"),
    bind(
        S::Help,
        C::PageDown,
        "page_down",
        &["pagedown", "space"],
        "scroll a page down",
    ),
    bind(
        S::Help,
        C::PageUp,
        "page_up",
        &["pageup"],
        "scroll a page up",
    ),
    bind(S::Help, C::First, "first", &["home", "g"], "to the top"),
    hinted(
        bind(
            S::Help,
            C::Close,
            "close",
            &["esc", "enter", "q", "?"],
            "close the help",
        ),
        "closes",
    ),
    hinted(
        bind(S::Checks, C::Down, "down", &["down", "j"], "scroll down"),
        "scroll",
    ),
    bind(S::Checks, C::Up, "up", &["up", "k"], "scroll up"),
    bind(
        S::Checks,
        C::PageDown,
        "page_down",
        &["pagedown", "space"],
        "scroll a page down",
    ),
    bind(
        S::Checks,
        C::PageUp,
        "page_up",
        &["pageup"],
        "scroll a page up",
    ),
    bind(S::Checks, C::First, "first", &["home", "g"], "to the top"),
    hinted(
        bind(
            S::Checks,
            C::CheckAgain,
            "check_again",
            &["r"],
            "ask Cognito again",
        ),
        "check again",
    ),
    hinted(
        bind(
            S::Checks,
            C::Close,
            "close",
            &["esc", "enter", "q", "D"],
            "back where D was pressed (the list or the resend dialog)",
        ),
        "closes",
    ),
    hinted(
        bind(S::Pools, C::Down, "down", &["down", "j"], "next pool"),
        "choose",
    ),
    bind(S::Pools, C::Up, "up", &["up", "k"], "previous pool"),
    hinted(
        bind(
            S::Pools,
            C::Apply,
            "switch",
            &["enter"],
            "switch to the chosen pool",
        ),
        "switch",
    ),
    hinted(
        bind(
            S::Pools,
            C::Close,
            "close",
            &["esc", "q"],
            "keep the current pool",
        ),
        "closes",
    ),
    hinted(
        bind(S::Actions, C::Down, "down", &["down", "j"], "next action"),
        "choose",
    ),
    bind(S::Actions, C::Up, "up", &["up", "k"], "previous action"),
    hinted(
        bind(
            S::Actions,
            C::Apply,
            "open",
            &["enter"],
            "open the chosen action (its dialog asks before anything is done)",
        ),
        "opens",
    ),
    hinted(
        bind(
            S::Actions,
            C::Close,
            "close",
            &["esc", "q"],
            "close the menu",
        ),
        "closes",
    ),
    hinted(
        writes(bind(
            S::Dialog,
            C::Send,
            "send",
            &["s", "ctrl-s"],
            "ask to send the code: a bare y then sends",
        )),
        "send",
    ),
    hinted(
        bind(
            S::Dialog,
            C::Checks,
            "checks",
            &["D"],
            "the pool's delivery checks, then back here",
        ),
        "pool checks",
    ),
    hinted(
        bind(
            S::Dialog,
            C::Close,
            "close",
            &["esc", "q"],
            "close the dialog (the draft is kept)",
        ),
        "close",
    ),
    hinted(
        bind(
            S::Dialog,
            C::Down,
            "down",
            &["down", "j", "tab"],
            "next line of the form",
        ),
        "move",
    ),
    bind(
        S::Dialog,
        C::Up,
        "up",
        &["up", "k", "backtab"],
        "previous line of the form",
    ),
    hinted(
        bind(
            S::Dialog,
            C::Edit,
            "edit",
            &["enter", "e"],
            "type into the field (Enter or Esc ends it)",
        ),
        "edit",
    ),
    hinted(
        bind(
            S::Dialog,
            C::AddPair,
            "add",
            &["a"],
            "add a ClientMetadata pair",
        ),
        "add",
    ),
    hinted(
        bind(
            S::Dialog,
            C::DeletePair,
            "delete",
            &["d", "delete"],
            "delete the ClientMetadata pair",
        ),
        "delete",
    ),
    hinted(
        bind(
            S::Dialog,
            C::Optional,
            "optional",
            &["x"],
            "show the optional fields (AnalyticsEndpointId, UserContextData)",
        ),
        "optional fields",
    ),
    bind(
        S::Dialog,
        C::CopyReply,
        "copy",
        &["c"],
        "after a send: copy the reply for the ticket",
    ),
    writes(bind(
        S::Dialog,
        C::Unsuppress,
        "unsuppress",
        &["u"],
        "take the address off SES's suppression list (when the evidence finds it there)",
    )),
    writes(bind(
        S::Dialog,
        C::OptIn,
        "opt_in",
        &["o"],
        "opt the number back in to SMS (when the user replied STOP)",
    )),
    hinted(
        writes(bind(
            S::Action,
            C::Send,
            "go_on",
            &["s", "ctrl-s"],
            "go on to the confirmation (a bare y, or the count or username typed)",
        )),
        "go on",
    ),
    hinted(
        bind(
            S::Action,
            C::Close,
            "close",
            &["esc", "q"],
            "close the dialog (after a run: Enter too)",
        ),
        "close",
    ),
    hinted(
        bind(
            S::Action,
            C::Down,
            "down",
            &["down", "j", "tab"],
            "next field",
        ),
        "move",
    ),
    bind(
        S::Action,
        C::Up,
        "up",
        &["up", "k", "backtab"],
        "previous field",
    ),
    hinted(
        bind(
            S::Action,
            C::Edit,
            "edit",
            &["enter", "e"],
            "type into the field (Enter, Esc or Tab ends it)",
        ),
        "edit",
    ),
    bind(
        S::Action,
        C::Medium,
        "medium",
        &["m"],
        "invite again: by email, SMS or both",
    ),
    bind(
        S::Action,
        C::VerifyPhone,
        "verify_phone",
        &["p"],
        "confirm by hand: mark the phone number verified too",
    ),
    bind(
        S::Action,
        C::Contact,
        "contact",
        &["t"],
        "fix an address: the email or the phone number",
    ),
    bind(
        S::Action,
        C::Resend,
        "resend",
        &["r"],
        "after an invitation or a fixed address: resend a confirmation code",
    ),
];

/// A key as the map compares it: the code and Ctrl/Alt (Shift is in the character itself).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    code: KeyCode,
    ctrl: bool,
    alt: bool,
}

impl Key {
    /// The key as a press.
    fn event(&self) -> KeyEvent {
        let mut mods = KeyModifiers::NONE;
        if self.ctrl {
            mods |= KeyModifiers::CONTROL;
        }
        if self.alt {
            mods |= KeyModifiers::ALT;
        }
        KeyEvent::new(self.code, mods)
    }

    pub fn of(event: &KeyEvent) -> Self {
        // Shift is in the character (`G`), and Shift-Tab arrives as BackTab: only Ctrl and Alt
        // make another key.
        Self {
            code: event.code,
            ctrl: event.modifiers.contains(KeyModifiers::CONTROL),
            alt: event.modifiers.contains(KeyModifiers::ALT),
        }
    }

    /// `enter`, `esc`, `tab`, `backtab`, `space`, `up`, `down`, `left`, `right`, `pageup`,
    /// `pagedown`, `home`, `end`, `backspace`, `delete`, `f1`…`f12`, one character (`G` is
    /// Shift-g), each after `ctrl-` or `alt-` if wanted.
    pub fn parse(text: &str) -> Result<Self, String> {
        let mut rest = text.trim();
        let (mut ctrl, mut alt) = (false, false);
        loop {
            let lower = rest.to_ascii_lowercase();
            if let Some(r) = lower.strip_prefix("ctrl-").filter(|r| !r.is_empty()) {
                ctrl = true;
                rest = &rest[rest.len() - r.len()..];
            } else if let Some(r) = lower.strip_prefix("alt-").filter(|r| !r.is_empty()) {
                alt = true;
                rest = &rest[rest.len() - r.len()..];
            } else {
                break;
            }
        }
        let mut chars = rest.chars();
        let code = match (chars.next(), chars.next()) {
            (Some(c), None) if !c.is_control() => KeyCode::Char(c),
            _ => match rest.to_ascii_lowercase().as_str() {
                "enter" | "return" => KeyCode::Enter,
                "esc" | "escape" => KeyCode::Esc,
                "tab" => KeyCode::Tab,
                "backtab" | "shift-tab" => KeyCode::BackTab,
                "space" => KeyCode::Char(' '),
                "up" => KeyCode::Up,
                "down" => KeyCode::Down,
                "left" => KeyCode::Left,
                "right" => KeyCode::Right,
                "pageup" | "pgup" => KeyCode::PageUp,
                "pagedown" | "pgdn" => KeyCode::PageDown,
                "home" => KeyCode::Home,
                "end" => KeyCode::End,
                "backspace" => KeyCode::Backspace,
                "delete" | "del" => KeyCode::Delete,
                f if f.starts_with('f') => match f[1..].parse::<u8>() {
                    Ok(n @ 1..=12) => KeyCode::F(n),
                    _ => return Err(format!("\"{text}\" is not a key")),
                },
                _ => {
                    return Err(format!(
                        "\"{text}\" is not a key (one character, or enter, esc, tab, space, \
                         up, down, left, right, pageup, pagedown, home, end, backspace, f1…f12, \
                         after ctrl- or alt- if wanted)"
                    ));
                }
            },
        };
        Ok(Self { code, ctrl, alt })
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.ctrl {
            f.write_str("Ctrl-")?;
        }
        if self.alt {
            f.write_str("Alt-")?;
        }
        match self.code {
            KeyCode::Char(' ') => f.write_str("Space"),
            KeyCode::Char(c) => write!(f, "{c}"),
            KeyCode::Enter => f.write_str("Enter"),
            KeyCode::Esc => f.write_str("Esc"),
            KeyCode::Tab => f.write_str("Tab"),
            KeyCode::BackTab => f.write_str("Shift-Tab"),
            KeyCode::Up => f.write_str("↑"),
            KeyCode::Down => f.write_str("↓"),
            KeyCode::Left => f.write_str("←"),
            KeyCode::Right => f.write_str("→"),
            KeyCode::PageUp => f.write_str("PgUp"),
            KeyCode::PageDown => f.write_str("PgDn"),
            KeyCode::Home => f.write_str("Home"),
            KeyCode::End => f.write_str("End"),
            KeyCode::Backspace => f.write_str("Backspace"),
            KeyCode::Delete => f.write_str("Delete"),
            KeyCode::F(n) => write!(f, "F{n}"),
            other => write!(f, "{other:?}"),
        }
    }
}

/// A `[keys]` entry that cannot be taken: which screen and command, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyError {
    pub screen: Screen,
    /// The command's (or the unknown name's) name as written.
    pub name: String,
    pub message: String,
}

/// The keys in force: the defaults with the operator's `[keys]` over them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keymap {
    commands: HashMap<(Screen, Key), Command>,
    keys: HashMap<(Screen, Command), Vec<Key>>,
}

impl Default for Keymap {
    fn default() -> Self {
        let mut map = Self {
            commands: HashMap::new(),
            keys: HashMap::new(),
        };
        for b in BINDINGS {
            let keys: Vec<Key> = b.keys.iter().filter_map(|k| Key::parse(k).ok()).collect();
            for key in &keys {
                map.commands.insert((b.screen, *key), b.command);
            }
            map.keys.insert((b.screen, b.command), keys);
        }
        map
    }
}

impl Keymap {
    /// The defaults with `overrides` (screen, command name, its keys) over them. A remapped
    /// command loses its default keys; an unknown command, a key that does not parse, or two
    /// commands on one key of a screen is an error.
    pub fn with_overrides(overrides: &[(Screen, String, Vec<String>)]) -> Result<Self, KeyError> {
        let mut map = Self::default();
        for (screen, name, texts) in overrides {
            let error = |message: String| KeyError {
                screen: *screen,
                name: name.clone(),
                message,
            };
            let Some(b) = BINDINGS
                .iter()
                .find(|b| b.screen == *screen && b.name == name)
            else {
                return Err(error(format!(
                    "no such command here; the {} screen's commands: {}",
                    screen.name(),
                    Self::commands(*screen).join(", ")
                )));
            };
            if texts.is_empty() {
                return Err(error("give at least one key".into()));
            }
            let keys = texts
                .iter()
                .map(|t| Key::parse(t))
                .collect::<Result<Vec<_>, _>>()
                .map_err(error)?;
            // The menu's letters are its actions' own: a key there would hide one.
            if *screen == Screen::Actions
                && let Some(letter) = keys.iter().find_map(|k| match k {
                    Key {
                        code: KeyCode::Char(c),
                        ctrl: false,
                        alt: false,
                    } if crate::tui::screens::actions_menu::LETTERS.contains(c) => Some(*c),
                    _ => None,
                })
            {
                return Err(error(format!(
                    "{letter} opens an action in this menu: give {name} another key"
                )));
            }
            // The command's old keys go; its new ones are its own.
            if let Some(old) = map.keys.insert((*screen, b.command), keys.clone()) {
                for key in old {
                    if map.commands.get(&(*screen, key)) == Some(&b.command) {
                        map.commands.remove(&(*screen, key));
                    }
                }
            }
            for key in keys {
                map.commands.insert((*screen, key), b.command);
            }
        }
        // Two commands on one key: the one remapped later would win silently.
        for b in BINDINGS {
            for key in map.keys.get(&(b.screen, b.command)).into_iter().flatten() {
                if let Some(other) = map.commands.get(&(b.screen, *key))
                    && *other != b.command
                {
                    // Named after the entry the operator wrote (the other keeps its default).
                    let written = |c: Command| {
                        overrides
                            .iter()
                            .any(|(s, n, _)| *s == b.screen && n == map.name(b.screen, c))
                    };
                    let (blamed, kept) = if written(*other) {
                        (*other, b.command)
                    } else {
                        (b.command, *other)
                    };
                    return Err(KeyError {
                        screen: b.screen,
                        name: map.name(b.screen, blamed).to_string(),
                        message: format!(
                            "{key} is also {}'s key on the {} screen: give one of them \
                             another key",
                            map.name(b.screen, kept),
                            b.screen.name()
                        ),
                    });
                }
            }
        }
        Ok(map)
    }

    fn name(&self, screen: Screen, command: Command) -> &'static str {
        BINDINGS
            .iter()
            .find(|b| b.screen == screen && b.command == command)
            .map_or("?", |b| b.name)
    }

    /// What this key does on this screen.
    pub fn command(&self, screen: Screen, event: &KeyEvent) -> Option<Command> {
        self.commands.get(&(screen, Key::of(event))).copied()
    }

    /// The command's keys as the help shows them (`↓ j`).
    pub fn keys(&self, screen: Screen, command: Command) -> String {
        self.keys
            .get(&(screen, command))
            .map(|keys| {
                keys.iter()
                    .map(Key::to_string)
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .unwrap_or_default()
    }

    /// The first key of a command, as the footer and messages name it (`Enter`).
    pub fn key(&self, screen: Screen, command: Command) -> String {
        self.keys
            .get(&(screen, command))
            .and_then(|keys| keys.first())
            .map(Key::to_string)
            .unwrap_or_default()
    }

    /// The help of a screen: keys and what they do, in the table's order (without the keys
    /// that reach users, in read-only mode).
    pub fn help(&self, screen: Screen, read_only: bool) -> Vec<(String, &'static str)> {
        BINDINGS
            .iter()
            .filter(|b| b.screen == screen && !(read_only && b.writes))
            .map(|b| (self.keys(screen, b.command), b.help))
            .collect()
    }

    /// The footer's hints of a screen (`Enter resend`), in the table's order.
    pub fn hints(&self, screen: Screen, read_only: bool) -> Vec<String> {
        BINDINGS
            .iter()
            .filter(|b| b.screen == screen && !(read_only && b.writes))
            .filter_map(|b| {
                // A pair reads as one hint: `↑↓ move`, `←→ bar`.
                let keys = match b.command {
                    Command::Down => self.key(screen, Command::Up) + &self.key(screen, b.command),
                    Command::NextChart => {
                        self.key(screen, Command::PrevChart) + &self.key(screen, b.command)
                    }
                    Command::PrevBar => {
                        self.key(screen, b.command) + &self.key(screen, Command::NextBar)
                    }
                    _ => self.key(screen, b.command),
                };
                b.hint.map(|hint| format!("{keys} {hint}"))
            })
            .collect()
    }

    /// Every (screen, command) with its keys: for tests that press them all.
    pub fn all(&self) -> Vec<(Screen, Command, Vec<KeyEvent>)> {
        BINDINGS
            .iter()
            .map(|b| {
                let events = self
                    .keys
                    .get(&(b.screen, b.command))
                    .into_iter()
                    .flatten()
                    .map(Key::event)
                    .collect();
                (b.screen, b.command, events)
            })
            .collect()
    }

    /// The names of a screen's commands in the config, in the table's order.
    pub fn commands(screen: Screen) -> Vec<&'static str> {
        BINDINGS
            .iter()
            .filter(|b| b.screen == screen)
            .map(|b| b.name)
            .collect()
    }

    /// The first key of a command on a screen, as a key press (the mouse's wheel presses it).
    pub fn event(&self, screen: Screen, command: Command) -> Option<KeyEvent> {
        self.keys
            .get(&(screen, command))
            .and_then(|keys| keys.first())
            .map(Key::event)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    #[test]
    fn keys_read_as_written_and_show_as_the_help_names_them() {
        for (text, shown) in [
            ("enter", "Enter"),
            ("Esc", "Esc"),
            ("ctrl-f", "Ctrl-f"),
            ("alt-x", "Alt-x"),
            ("G", "G"),
            ("space", "Space"),
            ("pgdn", "PgDn"),
            ("f5", "F5"),
            ("/", "/"),
        ] {
            assert_eq!(Key::parse(text).map(|k| k.to_string()), Ok(shown.into()));
        }
        for bad in ["", "ctrl-", "enterr", "f13", "ab"] {
            assert!(Key::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn every_default_key_parses_and_no_screen_has_a_key_twice() {
        for b in BINDINGS {
            for k in b.keys {
                assert!(Key::parse(k).is_ok(), "{k}");
            }
        }
        assert!(Keymap::with_overrides(&[]).is_ok());
    }

    #[test]
    fn a_remapped_command_answers_its_new_keys_only() {
        let map = Keymap::with_overrides(&[
            (Screen::Browse, "resend".into(), vec!["o".into()]),
            (
                Screen::Browse,
                "filter".into(),
                vec!["f".into(), "ctrl-f".into()],
            ),
        ])
        .unwrap();
        assert_eq!(
            map.command(Screen::Browse, &event(KeyCode::Char('o'))),
            Some(Command::Resend)
        );
        assert_eq!(map.command(Screen::Browse, &event(KeyCode::Enter)), None);
        assert_eq!(
            map.command(Screen::Browse, &event(KeyCode::Char('/'))),
            None
        );
        assert_eq!(
            map.command(
                Screen::Browse,
                &KeyEvent::new(KeyCode::Char('f'), KeyModifiers::CONTROL)
            ),
            Some(Command::Filter)
        );
        assert!(
            map.hints(Screen::Browse, false)
                .contains(&"o resend".to_string())
        );
        assert!(
            map.hints(Screen::Browse, false)
                .contains(&"f filter".to_string())
        );
        // Other screens keep their own Enter.
        assert_eq!(
            map.command(Screen::Stats, &event(KeyCode::Enter)),
            Some(Command::Apply)
        );
    }

    #[test]
    fn unknown_commands_bad_keys_and_clashes_are_refused_with_what_to_do() {
        let err = Keymap::with_overrides(&[(Screen::Browse, "resnd".into(), vec!["o".into()])])
            .unwrap_err();
        assert_eq!(err.name, "resnd");
        assert!(err.message.contains("resend"), "{}", err.message);
        let err =
            Keymap::with_overrides(&[(Screen::Browse, "resend".into(), vec!["ctl-o".into()])])
                .unwrap_err();
        assert!(err.message.contains("is not a key"), "{}", err.message);
        // `r` is refresh's: quit cannot take it unless refresh moves too.
        let err = Keymap::with_overrides(&[(Screen::Browse, "quit".into(), vec!["r".into()])])
            .unwrap_err();
        assert!(err.message.contains("refresh"), "{}", err.message);
        assert!(
            Keymap::with_overrides(&[
                (Screen::Browse, "quit".into(), vec!["r".into()]),
                (Screen::Browse, "refresh".into(), vec!["R".into()]),
            ])
            .is_ok()
        );
    }
}
