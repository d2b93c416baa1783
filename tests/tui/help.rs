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
