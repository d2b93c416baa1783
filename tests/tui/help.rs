//! The help (`?`) and quitting.

use crate::support::*;
use cogtui::tui::app::Mode;
use crossterm::event::KeyCode;

#[test]
fn help_and_quit() {
    let mut app = loaded(SIZE, vec![user("a", 1)]);
    app.update(key(KeyCode::Char('?')));
    assert!(matches!(app.mode, Mode::Help { .. }));
    app.update(key(KeyCode::Esc));
    app.update(key(KeyCode::Char('q')));
    assert!(app.should_quit);
    let mut app = loaded(SIZE, vec![user("a", 1)]);
    app.update(key(KeyCode::Enter));
    app.update(ctrl('c'));
    assert!(app.should_quit, "Ctrl-C quits from anywhere");
}

#[test]
fn the_help_says_what_the_mouse_does_only_when_the_app_has_it() {
    let mut app = loaded((100, 200), vec![user("a", 1)]);
    app.update(key(KeyCode::Char('?')));
    let help = draw(&app);
    assert!(
        help.contains("The mouse") && help.contains("a chart's bar selects it"),
        "{help}"
    );
    app.update(key(KeyCode::Esc));
    app.mouse = false;
    app.update(key(KeyCode::Char('?')));
    assert!(!draw(&app).contains("The mouse"), "{}", draw(&app));
}
