//! The actions menu (`a`): what it offers is what the operations allow.

use crate::support::*;
use cogtui::tui::app::Mode;
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
            matches!(app.mode, Mode::Actions),
            "{c} is not on the menu: it does nothing"
        );
    }
}
