//! The list: pages as they stream in, moving, refreshing, a listing that fails or stops, the
//! status and the pool on the command line.

use crate::support::*;
use cogtui::cognito::{ApiError, ErrorKind, Operation, StatusFilter};
use cogtui::tui::app::{Effect, Msg};
use crossterm::event::KeyCode;

#[test]
fn pages_stream_in_newest_first_and_the_next_page_is_asked_for() {
    let (mut app, effects) = app(SIZE);
    let generation = generation(&effects);
    assert!(app.is_busy(), "loading shows a spinner");
    let next = app.update(Msg::Page {
        generation,
        result: Ok(page(vec![user("old", 50), user("new", 1)], Some("t1"))),
    });
    assert_eq!(
        next,
        vec![Effect::FetchPage {
            generation,
            pool: "prod".into(),
            query: app.query(),
            token: Some("t1".into())
        }]
    );
    assert_eq!(app.users.len(), 2, "rows are usable before the last page");
    assert_eq!(app.listing.loading().map(|l| l.pages()), Some(1));
    let done = app.update(Msg::Page {
        generation,
        result: Ok(page(vec![user("mid", 10)], None)),
    });
    assert!(done.is_empty());
    assert!(app.listing.loading().is_none() && !app.is_busy());
    let order: Vec<_> = app.users.all().map(|u| u.username.as_str()).collect();
    assert_eq!(order, ["new", "mid", "old"]);
    assert_eq!(app.pages, 2);
    assert_eq!(
        selected(&app),
        "new",
        "the selection stays on the newest user until the operator moves"
    );
}

#[test]
fn navigation_keys_move_and_clamp() {
    let users = (0..50).map(|i| user(&format!("u{i:02}"), i)).collect();
    let mut app = loaded(SIZE, users);
    app.update(key(KeyCode::Char('j')));
    app.update(key(KeyCode::Down));
    assert_eq!(selected(&app), "u02");
    app.update(key(KeyCode::Char('k')));
    assert_eq!(selected(&app), "u01");
    app.update(key(KeyCode::Char('G')));
    assert_eq!(selected(&app), "u49");
    assert!(app.users.offset() > 0, "the table scrolls to the selection");
    app.update(key(KeyCode::Down));
    assert_eq!(selected(&app), "u49", "clamped at the end");
    app.update(key(KeyCode::Char('g')));
    assert_eq!((selected(&app), app.users.offset()), ("u00".to_string(), 0));
    app.update(key(KeyCode::PageDown));
    let after_page = app.users.selected_index().unwrap();
    assert!(after_page >= 10, "PgDn moves a page, got {after_page}");
    app.update(key(KeyCode::End));
    app.update(key(KeyCode::Home));
    assert_eq!(selected(&app), "u00");
}

#[test]
fn a_refresh_keeps_rows_and_selection_and_a_second_one_is_ignored() {
    let mut app = loaded(SIZE, vec![user("a", 1), user("b", 2), user("c", 3)]);
    app.update(key(KeyCode::Down));
    assert_eq!(selected(&app), "b");
    let effects = app.update(key(KeyCode::Char('r')));
    let generation = generation(&effects);
    assert_eq!(app.users.len(), 3, "old rows stay until new ones arrive");
    assert!(
        app.update(key(KeyCode::Char('r'))).is_empty(),
        "a second refresh while one runs is ignored"
    );
    assert!(app.toast.is_some());
    app.update(Msg::Page {
        generation,
        result: Ok(page(vec![user("new", 0), user("b", 2), user("c", 3)], None)),
    });
    assert_eq!(app.users.len(), 3);
    assert_eq!(selected(&app), "b", "the same user stays selected");
}

#[test]
fn a_failed_listing_keeps_what_was_loaded_and_r_retries() {
    let mut app = loaded(SIZE, vec![user("a", 1), user("b", 2)]);
    let generation = generation(&app.update(key(KeyCode::Char('r'))));
    let err = ApiError::local(
        Operation::ListUsers,
        ErrorKind::EndpointUnreachable,
        "connection refused",
    );
    app.update(Msg::Page {
        generation,
        result: Err(err),
    });
    assert_eq!(app.users.len(), 2, "the rows stay");
    assert_eq!(
        app.listing.error().map(|e| e.kind),
        Some(ErrorKind::EndpointUnreachable)
    );
    assert!(!app.should_quit, "a Cognito error never ends the app");
    let retry = app.update(key(KeyCode::Char('r')));
    crate::support::generation(&retry);
    assert!(app.listing.error().is_none(), "the retry clears the banner");
}

#[test]
fn a_stale_answer_is_dropped() {
    let (mut app, effects) = app(SIZE);
    let first = generation(&effects);
    let second = generation(&app.update(key(KeyCode::Char('t'))));
    assert_ne!(first, second);
    let more = app.update(Msg::Page {
        generation: first,
        result: Ok(page(vec![user("stale", 1)], Some("x"))),
    });
    assert!(more.is_empty(), "no follow-up for an outdated listing");
    assert_eq!(app.users.len(), 0);
    let stale_error = ApiError::local(Operation::ListUsers, ErrorKind::Timeout, "late");
    app.update(Msg::Page {
        generation: first,
        result: Err(stale_error),
    });
    assert!(app.listing.error().is_none() && app.listing.loading().is_some());
    app.update(Msg::Page {
        generation: second,
        result: Ok(page(vec![user("fresh", 1)], None)),
    });
    assert_eq!(selected(&app), "fresh");
}

#[test]
fn the_status_toggle_cycles_and_reloads() {
    let mut app = loaded(SIZE, vec![user("a", 1)]);
    let effects = app.update(key(KeyCode::Char('t')));
    match effects.as_slice() {
        [
            Effect::FetchPage {
                query, token: None, ..
            },
        ] => assert_eq!(query.status, StatusFilter::ForceChangePassword),
        other => panic!("{other:?}"),
    }
    assert_eq!(app.users.len(), 0, "the old list meant something else");
    app.update(key(KeyCode::Char('t')));
    assert_eq!(app.status, StatusFilter::All);
    app.update(key(KeyCode::Char('t')));
    assert_eq!(app.status, StatusFilter::Unconfirmed);
}

#[test]
fn a_resize_keeps_the_selection_in_view() {
    let users = (0..60).map(|i| user(&format!("u{i:02}"), i)).collect();
    let mut app = loaded(SIZE, users);
    app.update(key(KeyCode::Char('G')));
    app.update(Msg::Resize {
        width: 80,
        height: 16,
    });
    // 16 lines: a 2-line header, the table's title row and a footer leave 12 user rows (too
    // short for a detail pane below), so the last user (row 59) sits at the bottom: offset 48.
    assert_eq!(app.users.offset(), 48);
    assert_eq!(app.size, (80, 16));
}

#[test]
fn after_a_refresh_the_operators_moves_win_over_a_vanished_user() {
    let users: Vec<_> = (0..10).map(|i| user(&format!("u{i}"), i)).collect();
    let mut app = loaded(SIZE, users);
    app.update(key(KeyCode::Down));
    app.update(key(KeyCode::Down));
    assert_eq!(selected(&app), "u2");
    let generation = generation(&app.update(key(KeyCode::Char('r'))));
    // u2 is gone; the first page brings u0, u1 and u3.
    app.update(Msg::Page {
        generation,
        result: Ok(page(
            vec![user("u0", 0), user("u1", 1), user("u3", 3)],
            Some("t1"),
        )),
    });
    app.update(key(KeyCode::Down));
    let chosen = selected(&app);
    // Newer users arrive on later pages: the selection stays on the operator's choice.
    app.update(Msg::Page {
        generation,
        result: Ok(page(vec![user("new1", 0), user("new2", 0)], Some("t2"))),
    });
    assert_eq!(selected(&app), chosen);
    app.update(Msg::Page {
        generation,
        result: Ok(page(vec![user("u2", 2)], None)),
    });
    assert_eq!(
        selected(&app),
        chosen,
        "the old selection does not come back"
    );
}

#[test]
fn a_user_on_two_pages_appears_once_with_the_later_copy() {
    let (mut app, effects) = app(SIZE);
    let generation = generation(&effects);
    app.update(Msg::Page {
        generation,
        result: Ok(page(vec![user("a", 1), user("b", 2)], Some("t1"))),
    });
    let mut again = user("a", 1);
    again
        .attributes
        .insert("email".into(), "changed@example.com".into());
    app.update(Msg::Page {
        generation,
        result: Ok(page(vec![again, user("c", 3)], None)),
    });
    let names: Vec<_> = app.users.all().map(|u| u.username.clone()).collect();
    assert_eq!(names, ["a", "b", "c"]);
    assert_eq!(
        app.users.all().next().unwrap().email(),
        Some("changed@example.com")
    );
}

#[test]
fn an_error_mid_listing_keeps_the_rows_and_r_resumes_from_the_last_good_token() {
    let (mut app, effects) = app(SIZE);
    let generation = generation(&effects);
    app.update(Msg::Page {
        generation,
        result: Ok(page(vec![user("a", 1), user("b", 2)], Some("t1"))),
    });
    let err = ApiError::local(Operation::ListUsers, ErrorKind::ConnectionLost, "reset");
    app.update(Msg::Page {
        generation,
        result: Err(err),
    });
    assert_eq!(app.users.len(), 2);
    let banner = app.banner_text().unwrap();
    assert!(banner[1].contains("r resumes from page 2"), "{banner:?}");
    let effects = app.update(key(KeyCode::Char('r')));
    let resumed = match effects.as_slice() {
        [
            Effect::FetchPage {
                token, generation, ..
            },
        ] => {
            assert_eq!(token.as_deref(), Some("t1"));
            *generation
        }
        other => panic!("{other:?}"),
    };
    app.update(Msg::Page {
        generation: resumed,
        result: Ok(page(vec![user("c", 3)], None)),
    });
    assert_eq!(app.users.len(), 3, "nothing loaded twice, nothing lost");
    assert!(app.listing.loading().is_none() && app.listing.error().is_none());

    // A token the service no longer takes: the listing starts over.
    let (mut app, effects) = crate::support::app(SIZE);
    let generation = crate::support::generation(&effects);
    app.update(Msg::Page {
        generation,
        result: Ok(page(vec![user("a", 1)], Some("t1"))),
    });
    app.update(Msg::Page {
        generation,
        result: Err(ApiError::local(
            Operation::ListUsers,
            ErrorKind::Timeout,
            "slow",
        )),
    });
    let effects = app.update(key(KeyCode::Char('r')));
    let resumed = match effects.as_slice() {
        [Effect::FetchPage { generation, .. }] => *generation,
        other => panic!("{other:?}"),
    };
    let expired = ApiError::service(
        Operation::ListUsers,
        "InvalidParameterException",
        Some("Invalid pagination token"),
    );
    let effects = app.update(Msg::Page {
        generation: resumed,
        result: Err(expired),
    });
    match effects.as_slice() {
        [Effect::FetchPage { token: None, .. }] => {}
        other => panic!("expected a fresh listing, got {other:?}"),
    }
    assert_eq!(
        app.users.len(),
        1,
        "the rows stay until the new ones arrive"
    );
}

#[test]
fn a_repeated_token_stops_the_listing_and_r_starts_over() {
    let (mut app, effects) = app(SIZE);
    let generation = generation(&effects);
    let next = app.update(Msg::Page {
        generation,
        result: Ok(page(vec![user("a", 1)], Some("t1"))),
    });
    assert_eq!(next.len(), 1);
    let next = app.update(Msg::Page {
        generation,
        result: Ok(page(vec![user("b", 2)], Some("t1"))),
    });
    assert!(next.is_empty(), "no request with a repeated token");
    assert_eq!(app.listing.error().unwrap().kind, ErrorKind::PaginationLoop);
    assert_eq!(app.users.len(), 2);
    match app.update(key(KeyCode::Char('r'))).as_slice() {
        [Effect::FetchPage { token: None, .. }, ..] => {}
        other => panic!("{other:?}"),
    }
}

#[test]
fn command_line_overrides_apply_to_the_starting_pool_only() {
    let config = cogtui::config::Config::parse(
        std::path::Path::new("c.toml"),
        "[pools.a]\nuser_pool_id = \"eu-west-1_A1\"\nclient_id = \"ca\"\n\
         [pools.b]\nuser_pool_id = \"us-east-1_B1\"\nclient_id = \"cb\"\nprofile = \"bprof\"\n",
    )
    .unwrap();
    let overrides = cogtui::cognito::session::Overrides {
        profile: Some("cli".into()),
        region: Some("ap-south-1".into()),
        endpoint_url: Some("http://127.0.0.1:1".into()),
        attempt_timeout: Some(std::time::Duration::from_secs(2)),
    };
    let backend = cogtui::tui::backend::Backend::new(config.clone(), "a".into(), overrides);
    let a = backend.overrides_for("a").endpoint_for(&config.pools["a"]);
    assert_eq!(a.region, "ap-south-1");
    assert_eq!(a.profile.as_deref(), Some("cli"));
    assert_eq!(a.endpoint_url.as_deref(), Some("http://127.0.0.1:1"));
    let b = backend.overrides_for("b").endpoint_for(&config.pools["b"]);
    assert_eq!(b.region, "us-east-1");
    assert_eq!(b.profile.as_deref(), Some("bprof"));
    assert_eq!(b.endpoint_url, None);
    assert_eq!(b.attempt_timeout, Some(std::time::Duration::from_secs(2)));
}
