//! One keymap: the dispatch, the help and the footer read one table, and `[keys]` remaps it.

use crate::support::*;
use cogtui::tui::app::{App, Effect, Mode, Msg, Offered};
use cogtui::tui::keymap::{Command, Keymap, Screen};
use cogtui::tui::screens::action::{ActPhase, ActionKind};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

const SIZE: (u16, u16) = (120, 40);

fn remapped() -> Keymap {
    Keymap::with_overrides(&[
        (Screen::Browse, "resend".into(), vec!["o".into()]),
        (Screen::Browse, "filter".into(), vec!["f".into()]),
    ])
    .unwrap()
}

fn users() -> Vec<cogtui::cognito::User> {
    (0..30).map(|i| user(&format!("u{i:02}"), i)).collect()
}

#[test]
fn remapped_keys_drive_the_list_the_help_and_the_footer_and_the_old_ones_do_nothing() {
    let mut app = loaded(SIZE, users());
    app.keymap = remapped();
    let footer = draw(&app);
    let last = footer.lines().last().unwrap_or_default().to_string();
    assert!(last.contains("o resend"), "{last}");
    assert!(last.contains("f filter"), "{last}");
    assert!(!last.contains("Enter resend"), "{last}");
    // The old keys do nothing.
    assert!(app.update(key(KeyCode::Enter)).is_empty());
    assert!(matches!(app.mode, Mode::Browse));
    app.update(key(KeyCode::Char('/')));
    assert!(matches!(app.mode, Mode::Browse));
    // The help lists the keys in force.
    app.update(key(KeyCode::Char('?')));
    let help = draw(&app);
    assert!(help.contains(" o               resend a code"), "{help}");
    assert!(
        help.contains(" f               filter loaded users"),
        "{help}"
    );
    assert!(!help.contains(" Enter           resend"), "{help}");
    app.update(key(KeyCode::Esc));
    // The new ones act: f filters, o opens the dialog.
    app.update(key(KeyCode::Char('f')));
    assert!(matches!(app.mode, Mode::Filter { .. }));
    app.update(key(KeyCode::Esc));
    let effects = app.update(key(KeyCode::Char('o')));
    assert!(matches!(app.mode, Mode::Dialog(_)), "{:?}", app.mode);
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::FetchUser { .. }))
    );
    // A send is still confirmed by a bare `y`, whatever the map says: `o` is not it.
    check_passes(&mut app);
    app.update(key(KeyCode::Char('s')));
    assert!(dialog_send(&app.update(key(KeyCode::Char('o')))).is_none());
    app.update(key(KeyCode::Char('s')));
    assert!(dialog_send(&app.update(key(KeyCode::Char('y')))).is_some());
}

/// The screen a command of `screen` is pressed on, opened from the list.
fn open(app: &mut App, screen: Screen) {
    let map = app.keymap.clone();
    let press = |app: &mut App, command| {
        let code = map
            .all()
            .into_iter()
            .find(|(s, c, _)| *s == Screen::Browse && *c == command)
            .and_then(|(_, _, keys)| keys.first().copied())
            .unwrap();
        let effects = app.update(Msg::Key(code));
        settle(app, effects);
    };
    match screen {
        Screen::Browse => {}
        Screen::Stats => press(app, Command::Stats),
        Screen::Help => press(app, Command::Help),
        Screen::Checks => press(app, Command::Checks),
        Screen::Pools => press(app, Command::Pools),
        Screen::Actions => press(app, Command::Actions),
        Screen::Dialog => {
            press(app, Command::Resend);
            check_passes(app);
        }
        Screen::Action => {
            // Fixing the selected user's address, from the menu.
            press(app, Command::Actions);
            let letter = app
                .offers()
                .into_iter()
                .find(|o| o.kind == Offered::Action(ActionKind::SetContact))
                .map(|o| o.key)
                .unwrap();
            let effects = app.update(key(KeyCode::Char(letter)));
            settle(app, effects);
        }
    }
}

fn on(app: &App, screen: Screen) -> bool {
    match screen {
        Screen::Browse => matches!(app.mode, Mode::Browse),
        Screen::Stats => matches!(app.mode, Mode::Stats { .. }),
        Screen::Help => matches!(app.mode, Mode::Help { .. }),
        Screen::Checks => matches!(app.mode, Mode::Diagnostics { .. }),
        Screen::Pools => matches!(app.mode, Mode::Pools { .. }),
        Screen::Actions => matches!(app.mode, Mode::Actions(_)),
        Screen::Dialog => matches!(app.mode, Mode::Dialog(_)),
        Screen::Action => matches!(app.mode, Mode::Action(_)),
    }
}

#[test]
fn every_key_of_every_screen_does_what_the_help_says_without_a_panic() {
    let map = Keymap::default();
    for (screen, command, keys) in map.all() {
        assert!(!keys.is_empty(), "{screen:?} {command:?} has no key");
        for event in keys {
            let mut app = loaded(SIZE, users());
            // The first checks are in (a check still out is not asked for again).
            troubled(&mut app);
            open(&mut app, screen);
            assert!(on(&app, screen), "{screen:?} did not open");
            let before = draw(&app);
            let selected = app.users.selected_index();
            let effects = app.update(Msg::Key(event));
            settle(&mut app, effects.clone());
            let after = draw(&app);
            let what = format!("{screen:?} {command:?} ({event:?})");
            match (screen, command) {
                // Leaving: back to the list (quit ends the app).
                (_, Command::Close) => assert!(matches!(app.mode, Mode::Browse), "{what}"),
                (Screen::Browse, Command::Quit) => assert!(app.should_quit, "{what}"),
                (Screen::Browse, Command::Down | Command::PageDown | Command::Last) => {
                    assert!(app.users.selected_index() > selected, "{what}")
                }
                (Screen::Browse, Command::Up | Command::PageUp | Command::First) => {
                    assert_eq!(app.users.selected_index(), Some(0), "{what}")
                }
                (Screen::Browse, Command::Resend) => {
                    assert!(matches!(app.mode, Mode::Dialog(_)), "{what}")
                }
                (Screen::Browse, Command::Filter) => {
                    assert!(matches!(app.mode, Mode::Filter { .. }), "{what}")
                }
                (Screen::Browse, Command::Help) => {
                    assert!(matches!(app.mode, Mode::Help { .. }), "{what}")
                }
                (Screen::Browse, Command::Checks) => {
                    assert!(matches!(app.mode, Mode::Diagnostics { .. }), "{what}")
                }
                (Screen::Browse, Command::Stats) => {
                    assert!(matches!(app.mode, Mode::Stats { .. }), "{what}")
                }
                (Screen::Browse, Command::Actions) => {
                    assert!(matches!(app.mode, Mode::Actions(_)), "{what}")
                }
                (Screen::Browse, Command::Pools) => {
                    assert!(matches!(app.mode, Mode::Pools { .. }), "{what}")
                }
                (Screen::Browse, Command::Export) => {
                    assert!(matches!(app.mode, Mode::Export { .. }), "{what}")
                }
                (Screen::Browse, Command::Mark | Command::MarkAll) => {
                    assert!(app.users.marked_count() > 0, "{what}")
                }
                (Screen::Browse, Command::Refresh | Command::Status) => assert!(
                    effects
                        .iter()
                        .any(|e| matches!(e, Effect::FetchPage { .. })),
                    "{what}"
                ),
                (Screen::Checks, Command::CheckAgain) => assert!(
                    effects.iter().any(|e| matches!(e, Effect::Diagnose { .. })),
                    "{what}"
                ),
                // Everything else stays on its screen, and a move changes what is drawn
                // where there is somewhere to go.
                (Screen::Help, Command::Down | Command::PageDown) => {
                    assert!(on(&app, screen) && after != before, "{what}")
                }
                (Screen::Stats, Command::NextChart | Command::PrevChart) => {
                    assert!(on(&app, screen) && after != before, "{what}")
                }
                (Screen::Stats, Command::Apply) => {
                    assert!(matches!(app.mode, Mode::Browse), "{what}");
                    assert!(app.users.is_filtered(), "{what}");
                }
                // The menu's first offer for a pending user is its resend.
                (Screen::Actions, Command::Apply) => {
                    assert!(matches!(app.mode, Mode::Dialog(_)), "{what}")
                }
                (Screen::Actions, Command::Down) => {
                    assert!(on(&app, screen) && after != before, "{what}")
                }
                (Screen::Pools, Command::Apply) => {
                    assert!(matches!(app.mode, Mode::Browse), "{what}")
                }
                (Screen::Dialog, Command::Send) => assert!(
                    matches!(&app.mode, Mode::Dialog(d) if d.phase == cogtui::tui::screens::resend::Phase::Confirming),
                    "{what}"
                ),
                (Screen::Dialog, Command::Checks) => {
                    assert!(matches!(app.mode, Mode::Diagnostics { .. }), "{what}")
                }
                (Screen::Dialog, Command::Edit) => assert!(
                    matches!(&app.mode, Mode::Dialog(d) if d.edit.is_some()),
                    "{what}"
                ),
                (Screen::Dialog, Command::Down | Command::AddPair | Command::Optional) => {
                    assert!(on(&app, screen) && after != before, "{what}")
                }
                (Screen::Action, Command::Send) => assert!(
                    matches!(&app.mode, Mode::Action(d) if matches!(d.phase, ActPhase::Confirming { .. }) || d.notice.is_some()),
                    "{what}"
                ),
                (Screen::Action, Command::Edit) => {
                    assert!(matches!(&app.mode, Mode::Action(d) if d.editing), "{what}")
                }
                (Screen::Action, Command::Down | Command::Contact) => {
                    assert!(on(&app, screen) && after != before, "{what}")
                }
                _ => assert!(on(&app, screen), "{what}"),
            }
        }
    }
}

#[test]
fn alt_and_ctrl_letters_are_not_the_bare_letters() {
    let mut app = loaded(SIZE, users());
    app.update(Msg::Key(KeyEvent::new(
        KeyCode::Char('q'),
        KeyModifiers::ALT,
    )));
    assert!(!app.should_quit);
    app.update(Msg::Key(KeyEvent::new(
        KeyCode::Char('r'),
        KeyModifiers::CONTROL,
    )));
    assert!(app.toast.is_none());
}

#[test]
fn the_charts_say_their_remapped_keys() {
    let mut app = loaded(SIZE, users());
    app.keymap = Keymap::with_overrides(&[
        (Screen::Stats, "close".into(), vec!["x".into()]),
        (Screen::Stats, "filter".into(), vec!["f".into()]),
    ])
    .unwrap();
    open_stats(&mut app);
    let screen = draw(&app);
    assert!(screen.contains("f filters the table by"), "{screen}");
    assert!(screen.contains("x back"), "{screen}");
    app.update(key(KeyCode::Esc));
    assert!(
        matches!(app.mode, Mode::Stats { .. }),
        "Esc is no longer close"
    );
    app.update(key(KeyCode::Char('x')));
    assert!(matches!(app.mode, Mode::Browse));
}

#[test]
fn the_empty_list_and_the_dialog_name_the_remapped_refresh_key() {
    let mut app = loaded(SIZE, Vec::new());
    app.keymap = Keymap::with_overrides(&[
        (Screen::Browse, "refresh".into(), vec!["R".into()]),
        (Screen::Browse, "status".into(), vec!["T".into()]),
    ])
    .unwrap();
    let screen = draw(&app);
    assert!(
        screen.contains("T shows other statuses, R refreshes."),
        "{screen}"
    );
    // A filter that matches nobody names the remapped back key.
    let mut app = loaded(SIZE, users());
    app.keymap =
        Keymap::with_overrides(&[(Screen::Browse, "back".into(), vec!["x".into()])]).unwrap();
    app.update(key(KeyCode::Char('/')));
    type_text(&mut app, "nobody-at-all");
    app.update(key(KeyCode::Enter));
    let screen = draw(&app);
    assert!(screen.contains("x clears the filter."), "{screen}");
    let mut app = loaded(SIZE, users());
    app.keymap =
        Keymap::with_overrides(&[(Screen::Browse, "refresh".into(), vec!["R".into()])]).unwrap();
    app.update(key(KeyCode::Enter));
    check_passes(&mut app);
    let id = confirm_send(&mut app);
    // A colleague's prune took the user meanwhile.
    answer_send(
        &mut app,
        Sent::new(
            id,
            "u00",
            Err(cogtui::cognito::ApiError::local(
                cogtui::cognito::Operation::Resend,
                cogtui::cognito::ErrorKind::UserGone,
                "u00 is not in the pool",
            )),
        ),
    );
    let screen = draw(&app);
    assert!(
        screen.contains("Esc, then R refreshes the list"),
        "{screen}"
    );
}

#[test]
fn the_dialogs_keys_remap_and_the_bare_y_still_confirms() {
    let mut app = loaded(SIZE, users());
    app.keymap =
        Keymap::with_overrides(&[(Screen::Dialog, "send".into(), vec!["S".into()])]).unwrap();
    app.update(key(KeyCode::Enter));
    check_passes(&mut app);
    assert!(
        draw(&app)
            .lines()
            .last()
            .unwrap_or_default()
            .contains("resend dialog: S send"),
        "{}",
        draw(&app)
    );
    app.update(key(KeyCode::Char('s')));
    assert!(
        matches!(&app.mode, Mode::Dialog(d) if d.phase == cogtui::tui::screens::resend::Phase::Draft),
        "the old key does nothing"
    );
    app.update(key(KeyCode::Char('S')));
    assert!(
        matches!(&app.mode, Mode::Dialog(d) if d.phase == cogtui::tui::screens::resend::Phase::Confirming)
    );
    assert!(
        app.update(key(KeyCode::Char('S'))).is_empty(),
        "the map never confirms a send"
    );
    let effects = app.update(key(KeyCode::Char('y')));
    let Some((id, _, _)) = dialog_send(&effects) else {
        panic!("{effects:?}");
    };
    // After the send, the reply's copy key is the one in force, in the dialog and the footer.
    app.keymap =
        Keymap::with_overrides(&[(Screen::Dialog, "copy".into(), vec!["C".into()])]).unwrap();
    answer_delivered(&mut app, id, "u00");
    let screen = draw(&app);
    assert!(
        screen.contains("C copies the reply for the ticket")
            && screen
                .lines()
                .last()
                .unwrap_or_default()
                .contains("C copies the reply"),
        "{screen}"
    );
}

#[test]
fn an_action_dialogs_keys_remap_and_its_confirmation_stays_fixed() {
    let mut app = loaded(SIZE, users());
    app.keymap = Keymap::with_overrides(&[
        (Screen::Action, "go_on".into(), vec!["S".into()]),
        (Screen::Action, "contact".into(), vec!["T".into()]),
    ])
    .unwrap();
    open(&mut app, Screen::Action);
    let screen = draw(&app);
    assert!(screen.contains("S go on"), "the dialog's hint: {screen}");
    assert!(screen.contains("(T switches email/phone)"), "{screen}");
    assert!(
        screen
            .lines()
            .last()
            .unwrap_or_default()
            .contains("action dialog: S go on"),
        "the footer: {screen}"
    );
    let phase = |app: &App| match &app.mode {
        Mode::Action(d) => d.phase.clone(),
        other => panic!("{other:?}"),
    };
    app.update(key(KeyCode::Char('s')));
    assert_eq!(phase(&app), ActPhase::Draft, "the old key does nothing");
    app.update(key(KeyCode::Char('S')));
    assert!(matches!(phase(&app), ActPhase::Confirming { .. }));
    // The confirmation is not the map's: for one user it is a bare y (or back with n).
    app.update(key(KeyCode::Char('S')));
    assert!(matches!(phase(&app), ActPhase::Confirming { .. }));
    app.update(key(KeyCode::Char('n')));
    assert_eq!(phase(&app), ActPhase::Draft);
}

#[test]
fn a_bar_applied_as_the_filter_names_the_lists_keys_in_force() {
    let mut app = loaded(SIZE, users());
    app.keymap = Keymap::with_overrides(&[
        (Screen::Browse, "mark_all".into(), vec!["M".into()]),
        (Screen::Browse, "back".into(), vec!["x".into()]),
    ])
    .unwrap();
    open_stats(&mut app);
    app.update(key(KeyCode::Enter));
    assert!(matches!(app.mode, Mode::Browse));
    let toast = app.toast.clone().unwrap_or_default();
    assert!(
        toast.contains("(x clears; M then a acts on them)"),
        "{toast}"
    );
}
