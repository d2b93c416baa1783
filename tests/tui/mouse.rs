//! The mouse: a click selects a row, a double click opens it, the wheel scrolls; a click on a
//! chart's bar selects it; a click outside a dialog does nothing, and no click sends.

use crate::support::*;
use cogtui::tui::app::{
    DiagnosticsScreen, Effect, HelpScreen, Mode, Msg, PoolsScreen, StatsPanel, StatsScreen,
};
use cogtui::tui::screens::action::ActionKind;
use crossterm::event::{KeyCode, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};

fn mouse(kind: MouseEventKind, column: u16, row: u16) -> Msg {
    Msg::Mouse(MouseEvent {
        kind,
        column,
        row,
        modifiers: KeyModifiers::NONE,
    })
}

fn click(column: u16, row: u16) -> Msg {
    mouse(MouseEventKind::Down(MouseButton::Left), column, row)
}

fn users() -> Vec<cogtui::cognito::User> {
    (0..60).map(|i| user(&format!("u{i:02}"), i)).collect()
}

/// The screen line a user's row is on.
fn line_of(app: &cogtui::tui::app::App, username: &str) -> u16 {
    draw(app)
        .lines()
        .position(|l| l.starts_with(username))
        .unwrap_or_else(|| panic!("{username} not on screen:\n{}", draw(app))) as u16
}

/// The screen line that shows `text`.
fn line_containing(app: &cogtui::tui::app::App, text: &str) -> u16 {
    let screen = draw(app);
    screen
        .lines()
        .position(|l| l.contains(text))
        .unwrap_or_else(|| panic!("{text} not on screen:\n{screen}")) as u16
}

#[test]
fn a_click_selects_the_row_under_it_and_a_second_one_opens_it() {
    let mut app = loaded(SIZE, users());
    let y = line_of(&app, "u05");
    assert!(app.update(click(3, y)).is_empty());
    assert_eq!(app.users.selected_user().unwrap().username, "u05");
    assert!(matches!(app.mode, Mode::Browse), "one click only selects");
    // A click on the header row or below the table selects nothing.
    app.update(click(3, y - 6));
    assert_eq!(app.users.selected_user().unwrap().username, "u05");
    // Twice on the same row: the dialog, which asks Cognito first and sends nothing.
    app.update(click(3, line_of(&app, "u07")));
    let effects = app.update(click(3, line_of(&app, "u07")));
    assert!(matches!(app.mode, Mode::Dialog(_)), "{:?}", app.mode);
    assert!(!effects.iter().any(|e| matches!(e, Effect::Act { .. })));
    // A click outside the dialog does nothing; the wheel moves between its fields only.
    check_passes(&mut app);
    assert!(app.update(click(1, 1)).is_empty());
    assert!(matches!(app.mode, Mode::Dialog(_)));
    app.update(key(KeyCode::Char('s')));
    for kind in [MouseEventKind::ScrollDown, MouseEventKind::ScrollUp] {
        assert!(app.update(mouse(kind, 50, 15)).is_empty());
    }
    assert!(
        dialog_send(&app.update(click(50, 15))).is_none(),
        "no click sends"
    );
}

#[test]
fn the_wheel_scrolls_the_table_the_help_and_the_checks() {
    let mut app = loaded(SIZE, users());
    app.update(mouse(MouseEventKind::ScrollDown, 10, 10));
    app.update(mouse(MouseEventKind::ScrollDown, 10, 10));
    assert_eq!(app.users.selected_index(), Some(6));
    app.update(mouse(MouseEventKind::ScrollUp, 10, 10));
    assert_eq!(app.users.selected_index(), Some(3));
    app.update(key(KeyCode::Char('?')));
    app.update(mouse(MouseEventKind::ScrollDown, 10, 10));
    assert!(matches!(app.mode, Mode::Help(HelpScreen { scroll: 3 })));
    app.update(key(KeyCode::Esc));
    troubled(&mut app);
    app.update(key(KeyCode::Char('D')));
    app.update(mouse(MouseEventKind::ScrollDown, 10, 10));
    app.update(mouse(MouseEventKind::ScrollUp, 10, 10));
    app.update(mouse(MouseEventKind::ScrollDown, 10, 10));
    assert!(matches!(
        app.mode,
        Mode::Diagnostics(DiagnosticsScreen { scroll: 3 })
    ));
}

#[test]
fn a_click_on_a_chart_bar_selects_it() {
    let mut app = loaded(SIZE, users());
    open_stats(&mut app);
    let screen = draw(&app);
    // The "1-7d" age bar's label, in the By age chart.
    let (y, line) = screen
        .lines()
        .enumerate()
        .find(|(_, l)| l.contains("1-7d"))
        .unwrap_or_else(|| panic!("{screen}"));
    let x = line[..line.find("1-7d").unwrap()].chars().count() as u16;
    app.update(click(x + 1, y as u16));
    match &app.mode {
        Mode::Stats(StatsScreen {
            panel, selected, ..
        }) => {
            assert_eq!(*panel, StatsPanel::Ages);
            assert_eq!(
                cogtui::stats::AGE_BUCKETS[*selected].0,
                "1-7d",
                "the bar under the click"
            );
        }
        other => panic!("{other:?}"),
    }
    // Enter filters by the bar clicked.
    app.update(key(KeyCode::Enter));
    assert!(app.users.is_filtered());
    // So does a second click on it.
    app.update(key(KeyCode::Esc));
    assert!(!app.users.is_filtered());
    open_stats(&mut app);
    app.update(click(x + 1, y as u16));
    assert!(matches!(app.mode, Mode::Stats(_)), "one click selects");
    app.update(click(x + 1, y as u16));
    assert!(matches!(app.mode, Mode::Browse), "{:?}", app.mode);
    assert!(app.users.is_filtered());
}

#[test]
fn the_wheel_in_a_chart_moves_along_its_bars() {
    let mut app = loaded(SIZE, users());
    open_stats(&mut app);
    app.update(key(KeyCode::Down)); // the By age chart
    let selected = |app: &cogtui::tui::app::App| match &app.mode {
        Mode::Stats(StatsScreen {
            panel, selected, ..
        }) => (*panel, *selected),
        other => panic!("{other:?}"),
    };
    assert_eq!(selected(&app), (StatsPanel::Ages, 0));
    app.update(mouse(MouseEventKind::ScrollDown, 10, 10));
    app.update(mouse(MouseEventKind::ScrollDown, 10, 10));
    assert_eq!(selected(&app), (StatsPanel::Ages, 2), "two bars on");
    app.update(mouse(MouseEventKind::ScrollUp, 10, 10));
    assert_eq!(selected(&app), (StatsPanel::Ages, 1));
}

#[test]
fn in_the_actions_menu_the_wheel_moves_and_a_click_opens_the_action_under_it() {
    let mut app = loaded(SIZE, users());
    app.update(key(KeyCode::Char('a')));
    let line = |text: &str| line_containing(&app, text);
    let (disable, title) = (line("disable the user"), line("╭ Actions"));
    // Outside the menu: nothing.
    assert!(app.update(click(1, 1)).is_empty());
    assert!(matches!(app.mode, Mode::Actions(_)));
    // The wheel moves the cursor.
    app.update(mouse(MouseEventKind::ScrollDown, 50, disable));
    assert!(
        draw(&app).contains("▸ c  confirm without a code"),
        "{}",
        draw(&app)
    );
    // A click on the title opens nothing; one on an offer opens its dialog, which sends nothing.
    assert!(app.update(click(50, title)).is_empty());
    assert!(matches!(app.mode, Mode::Actions(_)));
    let effects = app.update(click(50, disable));
    match &app.mode {
        Mode::Action(d) => assert_eq!(d.kind, ActionKind::Disable),
        other => panic!("{other:?}"),
    }
    assert!(!effects.iter().any(|e| matches!(e, Effect::Act { .. })));
}

#[test]
fn the_wheel_moves_between_an_action_dialogs_fields_as_its_keys_do_even_remapped() {
    use cogtui::tui::keymap::{Keymap, Screen};
    use cogtui::tui::screens::action::Field;
    let focus = |app: &cogtui::tui::app::App| match &app.mode {
        Mode::Action(d) => d.focus,
        other => panic!("{other:?}"),
    };
    let mut app = loaded(SIZE, users());
    // The action dialog's down and up are other keys now: the wheel follows them.
    app.keymap = Keymap::with_overrides(&[
        (Screen::Action, "down".into(), vec!["J".into()]),
        (Screen::Action, "up".into(), vec!["K".into()]),
    ])
    .unwrap();
    open_action(&mut app, 'c');
    assert_eq!(focus(&app), Field::Ticket);
    app.update(mouse(MouseEventKind::ScrollDown, 50, 10));
    assert_eq!(focus(&app), Field::Reason);
    app.update(mouse(MouseEventKind::ScrollUp, 50, 10));
    assert_eq!(focus(&app), Field::Ticket);
    // While a field is typed into, the wheel leaves the focus where it is.
    app.update(key(KeyCode::Enter));
    app.update(mouse(MouseEventKind::ScrollDown, 50, 10));
    assert_eq!(focus(&app), Field::Ticket);
}

#[test]
fn in_the_pool_picker_the_wheel_moves_and_a_click_switches_to_the_pool_under_it() {
    let mut app = loaded(SIZE, users());
    app.update(key(KeyCode::Char('p')));
    let line = |text: &str| line_containing(&app, text);
    let staging = line("us-east-1_Staging1");
    app.update(mouse(MouseEventKind::ScrollDown, 50, staging));
    assert!(matches!(app.mode, Mode::Pools(PoolsScreen { selected: 1 })));
    app.update(mouse(MouseEventKind::ScrollUp, 50, staging));
    // A click outside the picker does nothing; one on a pool switches to it.
    assert!(app.update(click(1, 1)).is_empty());
    assert!(matches!(app.mode, Mode::Pools(_)));
    let effects = app.update(click(50, staging));
    assert!(matches!(app.mode, Mode::Browse), "{:?}", app.mode);
    assert_eq!(app.current_pool().name, "staging");
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::FetchPage { .. })),
        "{effects:?}"
    );
}

#[test]
fn in_the_resend_dialog_a_click_moves_to_a_line_and_a_second_one_acts_there() {
    use cogtui::tui::screens::resend::Slot;
    let mut app = loaded(SIZE, users());
    app.update(key(KeyCode::Enter));
    check_passes(&mut app);
    let add = line_containing(&app, "+ add a pair");
    app.update(click(20, add));
    assert_eq!(dialog(&app).focus, Slot::AddRow);
    let rows = dialog(&app).rows.len();
    assert!(app.update(click(20, add)).is_empty());
    assert_eq!(
        dialog(&app).rows.len(),
        rows + 1,
        "the second click adds a pair"
    );
    // Esc drops the new pair; the Ticket is chosen by one click, typed into on a second.
    app.update(key(KeyCode::Esc));
    let ticket = line_containing(&app, "Ticket");
    app.update(click(20, ticket));
    assert_eq!(dialog(&app).focus, Slot::Ticket);
    assert!(dialog(&app).edit.is_none());
    app.update(click(20, ticket));
    assert!(dialog(&app).edit.is_some(), "typing into the Ticket");
    // While typing, a click elsewhere leaves the focus; and no click ever sends.
    app.update(click(20, add));
    assert_eq!(dialog(&app).focus, Slot::Ticket);
    app.update(key(KeyCode::Enter));
    app.update(click(20, line_containing(&app, "support-desk")));
    assert_eq!(dialog(&app).focus, Slot::Meta(0));
    app.update(key(KeyCode::Char('s')));
    for y in 0..SIZE.1 {
        assert!(dialog_send(&app.update(click(20, y))).is_none());
    }
}

#[test]
fn in_an_action_dialog_a_click_chooses_a_field_and_a_second_one_types_into_it() {
    use cogtui::tui::screens::action::Field;
    let mut app = loaded(SIZE, users());
    open_action(&mut app, 'c');
    let state = |app: &cogtui::tui::app::App| match &app.mode {
        Mode::Action(d) => (d.focus, d.editing),
        other => panic!("{other:?}"),
    };
    assert_eq!(state(&app), (Field::Ticket, false));
    let reason = line_containing(&app, "Reason*");
    app.update(click(20, reason));
    assert_eq!(state(&app), (Field::Reason, false));
    app.update(click(20, reason));
    assert_eq!(state(&app), (Field::Reason, true));
    // While typing, a click elsewhere leaves the field.
    app.update(click(20, line_containing(&app, "Ticket")));
    assert_eq!(state(&app), (Field::Reason, true));
    type_text(&mut app, "ID checked by phone");
    app.update(key(KeyCode::Enter));
    // No click goes on with the action, not even at its question.
    app.update(key(KeyCode::Char('s')));
    for y in 0..SIZE.1 {
        let effects = app.update(click(20, y));
        assert!(!effects.iter().any(|e| matches!(e, Effect::Act { .. })));
    }
}
