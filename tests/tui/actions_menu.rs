//! The actions menu (`a`): what it offers is what the operations allow.

use crate::support::*;
use cogtui::tui::app::{Effect, Mode};
use cogtui::tui::screens::action::ActionKind;
use cogtui::tui::screens::actions_menu::LETTERS;
use crossterm::event::KeyCode;

#[test]
fn the_menu_offers_what_the_operations_allow_and_its_keys_do_only_that() {
    let mut disabled = user("off", 1);
    disabled.enabled = false;
    let mut app = loaded(
        SIZE,
        vec![disabled, with_status(user("done", 2), "CONFIRMED")],
    );
    app.update(key(KeyCode::Char('a')));
    let keys: Vec<char> = app.offers().iter().map(|o| o.key).collect();
    assert_eq!(
        keys,
        ['r', 'c', 'f', 'e', 'x'],
        "a disabled pending user: enable, not disable"
    );
    app.update(key(KeyCode::Esc));
    app.update(key(KeyCode::Down));
    app.update(key(KeyCode::Char('a')));
    let keys: Vec<char> = app.offers().iter().map(|o| o.key).collect();
    assert_eq!(
        keys,
        ['x'],
        "a confirmed user: nothing but delete is offered (and refused)"
    );
    for c in ['r', 'c', 'f', 'b', 'e', 'i'] {
        app.update(key(KeyCode::Char(c)));
        assert!(
            matches!(app.mode, Mode::Actions(_)),
            "{c} is not on the menu: it does nothing"
        );
    }
}

fn kind(app: &cogtui::tui::app::App) -> Option<ActionKind> {
    match &app.mode {
        Mode::Action(d) => Some(d.kind),
        _ => None,
    }
}

#[test]
fn the_cursor_moves_over_the_offers_and_enter_opens_the_one_it_is_on() {
    let mut app = loaded(SIZE, vec![user("pending", 1)]);
    app.update(key(KeyCode::Char('a')));
    let offers: Vec<char> = app.offers().iter().map(|o| o.key).collect();
    assert_eq!(offers, ['r', 'c', 'f', 'b', 'x']);
    assert!(draw(&app).contains("▸ r  resend the confirmation code"));
    // Down twice: fix the address; past the end it stays on the last.
    app.update(key(KeyCode::Down));
    app.update(key(KeyCode::Char('j')));
    assert!(
        draw(&app).contains("▸ f  fix the email or phone number"),
        "{}",
        draw(&app)
    );
    assert!(!draw(&app).contains("▸ r "));
    for _ in 0..9 {
        app.update(key(KeyCode::Down));
    }
    assert!(draw(&app).contains("▸ x  delete the user"));
    app.update(key(KeyCode::Up));
    app.update(key(KeyCode::Up));
    let effects = app.update(key(KeyCode::Enter));
    assert_eq!(kind(&app), Some(ActionKind::SetContact), "{effects:?}");
    assert!(
        !effects.iter().any(|e| matches!(e, Effect::Act { .. })),
        "a dialog opens; nothing is done: {effects:?}"
    );
    // The footer names the menu's keys.
    app.update(key(KeyCode::Esc));
    app.update(key(KeyCode::Char('a')));
    let footer = draw(&app).lines().last().unwrap_or_default().to_string();
    assert!(
        footer.contains("a letter opens its action") && footer.contains("Enter opens"),
        "{footer}"
    );
}

#[test]
fn every_letter_the_menu_offers_is_one_the_keymap_keeps_clear() {
    let mut pending = user("pending", 1);
    pending.enabled = false;
    let invited = with_status(user("invited", 2), "FORCE_CHANGE_PASSWORD");
    let mut app = loaded(SIZE, vec![pending, invited, user("third", 3)]);
    let mut seen = Vec::new();
    for _ in 0..3 {
        seen.extend(app.offers().iter().map(|o| o.key));
        app.update(key(KeyCode::Down));
    }
    app.update(key(KeyCode::Char('*')));
    seen.extend(app.offers().iter().map(|o| o.key));
    for letter in seen {
        assert!(LETTERS.contains(&letter), "{letter} is not in LETTERS");
    }
}

#[test]
fn when_the_user_changes_under_the_menu_the_cursor_stays_on_an_offer() {
    let mut app = loaded(SIZE, vec![user("pending", 1)]);
    app.update(key(KeyCode::Char('a')));
    for _ in 0..4 {
        app.update(key(KeyCode::Down));
    }
    assert!(draw(&app).contains("▸ x  delete the user"));
    // A look at the user finds them confirmed meanwhile: only delete is left on the menu.
    answer_look(
        &mut app,
        "pending",
        Ok(with_status(user("pending", 1), "CONFIRMED")),
    );
    assert_eq!(app.offers().len(), 1);
    assert!(
        draw(&app).contains("▸ x  delete the user"),
        "{}",
        draw(&app)
    );
    app.update(key(KeyCode::Enter));
    assert_eq!(kind(&app), Some(ActionKind::Delete));
}
