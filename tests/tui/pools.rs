//! The pool picker (`p`).

use crate::support::*;
use cogtui::tui::app::{Effect, Mode, PoolsScreen};
use crossterm::event::KeyCode;

#[test]
fn the_pool_picker_switches_pools() {
    let mut app = loaded(SIZE, vec![user("a", 1)]);
    app.update(key(KeyCode::Char('p')));
    assert!(matches!(app.mode, Mode::Pools(PoolsScreen { selected: 0 })));
    app.update(key(KeyCode::Char('j')));
    let effects = app.update(key(KeyCode::Enter));
    match effects.as_slice() {
        [Effect::FetchPage { pool, .. }, ..] => assert_eq!(pool, "staging"),
        other => panic!("{other:?}"),
    }
    assert_eq!(app.current_pool().name, "staging");
    assert_eq!(app.users.len(), 0);
}
