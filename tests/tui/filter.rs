//! The filter (`/`): instant over the loaded rows, its keys never commands, the server search.

use crate::support::*;
use cogtui::cognito::StatusFilter;
use cogtui::tui::app::{Effect, FilterScreen, Mode};
use crossterm::event::KeyCode;

#[test]
fn the_filter_is_instant_and_case_insensitive_over_name_email_and_phone() {
    let mut jane = user("jdoe", 1);
    jane.attributes.insert("name".into(), "Jane DOE".into());
    let mut phone = user("sam", 2);
    phone
        .attributes
        .insert("phone_number".into(), "+447700900123".into());
    let mut app = loaded(SIZE, vec![jane, phone, user("bob", 3)]);
    app.update(key(KeyCode::Char('/')));
    type_text(&mut app, "jane");
    assert_eq!(app.users.visible_len(), 1);
    assert_eq!(selected(&app), "jdoe");
    app.update(ctrl('u'));
    type_text(&mut app, "7700900");
    assert_eq!(selected(&app), "sam");
    app.update(ctrl('u'));
    type_text(&mut app, "BOB@EXAMPLE");
    assert_eq!(selected(&app), "bob");
    app.update(key(KeyCode::Enter));
    assert!(matches!(app.mode, Mode::Browse));
    assert_eq!(app.users.visible_len(), 1, "Enter keeps the filter");
    app.update(key(KeyCode::Esc));
    assert_eq!(app.users.visible_len(), 3, "Esc clears it");
}

#[test]
fn keys_typed_in_the_filter_do_not_act_as_commands() {
    let mut app = loaded(SIZE, vec![user("quentin", 1), user("rita", 2)]);
    app.update(key(KeyCode::Char('/')));
    let effects = type_text(&mut app, "qrt");
    // Only the pause timers of the automatic search: no call, no command.
    assert!(effects.iter().all(|e| matches!(e, Effect::After { .. })));
    assert!(!app.should_quit);
    assert!(
        matches!(&app.mode, Mode::Filter(FilterScreen { input, .. }) if input.value() == "qrt")
    );
}

#[test]
fn a_server_search_runs_on_enter_and_esc_returns_to_the_full_list() {
    let mut app = loaded(SIZE, vec![user("a", 1)]);
    app.update(key(KeyCode::Char('/')));
    assert!(
        type_text(&mut app, "email^=jane")
            .iter()
            .all(|e| matches!(e, Effect::After { .. })),
        "nothing is sent while typing"
    );
    assert_eq!(
        app.users.visible_len(),
        1,
        "a search being typed does not filter locally"
    );
    let effects = app.update(key(KeyCode::Enter));
    match effects.as_slice() {
        [Effect::FetchPage { query, .. }] => {
            assert_eq!(query.server_filter().as_deref(), Some(r#"email ^= "jane""#));
            assert_eq!(query.status, StatusFilter::Unconfirmed);
        }
        other => panic!("{other:?}"),
    }
    assert!(app.search.is_some());
    let back = app.update(key(KeyCode::Esc));
    assert!(app.search.is_none());
    match back.as_slice() {
        [Effect::FetchPage { query, .. }] => assert_eq!(query.search, None),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_bad_server_search_says_why_and_keeps_the_input() {
    let mut app = loaded(SIZE, vec![user("a", 1)]);
    app.update(key(KeyCode::Char('/')));
    type_text(&mut app, "email^=");
    assert!(app.update(key(KeyCode::Enter)).is_empty());
    match &app.mode {
        Mode::Filter(FilterScreen { input, error }) => {
            assert_eq!(input.value(), "email^=");
            assert!(
                error.as_deref().is_some_and(|e| e.contains("empty")),
                "{error:?}"
            );
        }
        other => panic!("{other:?}"),
    }
}
