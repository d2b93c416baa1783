//! Every flow of the terminal UI, driven through `App::update` with no terminal.

mod support;

use cogtui::cognito::{ApiError, Delivery, DeliveryMedium, ErrorKind, Operation, StatusFilter};
use cogtui::tui::app::{Effect, FilterScreen, Mode, Msg, PoolsScreen};
use cogtui::tui::screens::resend::{Fresh, Phase, Slot};
use crossterm::event::KeyCode;
use crossterm::event::{KeyEvent, KeyModifiers};
use support::*;

const SIZE: (u16, u16) = (100, 30);

fn selected(app: &cogtui::tui::app::App) -> String {
    app.users
        .selected_user()
        .map(|u| u.username.clone())
        .unwrap_or_default()
}

fn delivery() -> Delivery {
    Delivery {
        destination: "a***@e***.com".into(),
        medium: DeliveryMedium::Email,
        attribute_name: "email".into(),
    }
}

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
    support::generation(&retry);
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

#[test]
fn the_dialog_opens_prefilled_and_explains_users_it_does_not_apply_to() {
    let mut app = loaded(
        SIZE,
        vec![
            user("pending", 1),
            with_status(user("admin-made", 2), "FORCE_CHANGE_PASSWORD"),
        ],
    );
    app.update(key(KeyCode::Enter));
    let d = dialog(&app);
    assert_eq!(d.username, "pending");
    assert_eq!(d.rows.len(), 1);
    assert_eq!(
        (d.rows[0].key.value(), d.rows[0].value.value()),
        ("source", "support-desk")
    );
    assert!(
        draw(&app).contains("email pending@example.com"),
        "where the code will go"
    );
    app.update(key(KeyCode::Esc));
    app.update(key(KeyCode::Down));
    app.update(key(KeyCode::Enter));
    // An invited user gets the invitation instead (tests/tui_actions.rs).
    assert!(
        matches!(&app.mode, Mode::Action(d) if d.kind == cogtui::tui::screens::action::ActionKind::Invite)
    );
}

#[test]
fn editing_metadata_adds_edits_deletes_and_flags_bad_keys() {
    let mut app = loaded(SIZE, vec![user("pending", 1)]);
    app.update(key(KeyCode::Enter));
    add_pair(&mut app, "ticket", "T-100");
    let d = dialog(&app);
    assert_eq!(
        (d.rows[1].key.value(), d.rows[1].value.value()),
        ("ticket", "T-100")
    );
    assert!(d.edit.is_none());

    // A duplicate key is flagged inline, and sending is refused until it is fixed.
    app.update(key(KeyCode::Char('a')));
    type_text(&mut app, "source");
    app.update(key(KeyCode::Enter));
    app.update(key(KeyCode::Enter));
    assert_eq!(dialog(&app).row_problem(2), Some("duplicate key"));
    assert!(app.update(key(KeyCode::Char('s'))).is_empty());
    assert_eq!(dialog(&app).phase, Phase::Draft);
    assert!(
        dialog(&app)
            .notice
            .as_deref()
            .is_some_and(|n| n.contains("flagged"))
    );

    // Editing the key: Home, then word deletion.
    app.update(key(KeyCode::Enter));
    app.update(key(KeyCode::Home));
    type_text(&mut app, "x");
    assert_eq!(dialog(&app).rows[2].key.value(), "xsource");
    app.update(ctrl('w'));
    app.update(key(KeyCode::End));
    assert_eq!(dialog(&app).rows[2].key.value(), "source");
    app.update(key(KeyCode::Esc));
    assert_eq!(
        dialog(&app).rows[2].key.value(),
        "source",
        "Esc restores the row as it was"
    );

    app.update(key(KeyCode::Char('d')));
    assert_eq!(dialog(&app).rows.len(), 2);
    assert_eq!(dialog(&app).problems(), 0);

    // An empty key is flagged too.
    app.update(key(KeyCode::Char('a')));
    app.update(key(KeyCode::Tab));
    type_text(&mut app, "orphan value");
    app.update(key(KeyCode::Enter));
    assert_eq!(dialog(&app).row_problem(2), Some("empty key"));
}

#[test]
fn the_optional_fields_are_collapsed_and_validated() {
    let mut app = loaded(SIZE, vec![user("pending", 1)]);
    app.update(key(KeyCode::Enter));
    assert!(!dialog(&app).slots().contains(&Slot::Ip));
    app.update(key(KeyCode::Char('x')));
    assert!(dialog(&app).slots().contains(&Slot::Ip));
    for _ in 0..5 {
        app.update(key(KeyCode::Down));
    }
    assert_eq!(dialog(&app).focus, Slot::Ip);
    app.update(key(KeyCode::Enter));
    type_text(&mut app, "300.1.1.1");
    app.update(key(KeyCode::Enter));
    assert_eq!(dialog(&app).ip_problem(), Some("not an IP address"));
    assert!(app.update(key(KeyCode::Char('s'))).is_empty());
}

fn send(app: &mut cogtui::tui::app::App) -> (u64, cogtui::cognito::ResendOptions) {
    if dialog(app).fresh == Fresh::Checking {
        check_passes(app);
    }
    assert!(
        app.update(key(KeyCode::Char('s'))).is_empty(),
        "sending needs a confirmation"
    );
    assert_eq!(dialog(app).phase, Phase::Confirming);
    let effects = app.update(key(KeyCode::Char('y')));
    assert_eq!(effects.len(), 1, "{effects:?}");
    match dialog_send(&effects) {
        Some((id, pool, request)) => {
            assert_eq!((pool, request.username.as_str()), ("prod", "pending"));
            assert!(!request.force && request.keep_claim);
            let cogtui::ops::Action::Resend(options) = &request.action else {
                unreachable!()
            };
            (id, options.clone())
        }
        None => panic!("{effects:?}"),
    }
}

#[test]
fn send_confirm_in_flight_and_success() {
    let mut app = loaded(SIZE, vec![user("pending", 1)]);
    app.update(key(KeyCode::Enter));
    add_pair(&mut app, "ticket", "T-7");
    let (id, options) = send(&mut app);
    assert_eq!(
        options.client_metadata.get("ticket").map(String::as_str),
        Some("T-7")
    );
    assert_eq!(
        options.client_metadata.get("source").map(String::as_str),
        Some("support-desk")
    );
    assert!(app.is_busy());
    for again in [
        KeyCode::Char('s'),
        KeyCode::Char('y'),
        KeyCode::Enter,
        KeyCode::Esc,
    ] {
        assert!(
            app.update(key(again)).is_empty(),
            "no second send while one is in flight"
        );
    }
    assert!(matches!(dialog(&app).phase, Phase::Sending { .. }));
    // A run of one: the run's progress line, and nothing to stop.
    let screen = draw(&app);
    assert!(screen.contains("Sending… waiting for Cognito"), "{screen}");
    assert!(!screen.contains("Esc stops"), "{screen}");
    answer_send(
        &mut app,
        Sent {
            audit_warning: None,
            id,
            username: "pending".into(),
            at: now() + chrono::Duration::seconds(90),
            result: Ok(delivery()),
        },
    );
    assert_eq!(dialog(&app).phase, Phase::Sent(delivery()));
    assert_eq!(
        app.last_resend("pending").map(|r| r.delivery.clone()),
        Some(delivery())
    );
    app.update(key(KeyCode::Enter));
    assert!(matches!(app.mode, Mode::Browse));
}

#[test]
fn a_failure_keeps_the_draft_for_a_retry() {
    let mut app = loaded(SIZE, vec![user("pending", 1)]);
    app.update(key(KeyCode::Enter));
    add_pair(&mut app, "ticket", "T-9");
    let (id, _) = send(&mut app);
    let err = ApiError::service(
        Operation::Resend,
        "UserLambdaValidationException",
        Some("ticket unknown"),
    );
    answer_send(
        &mut app,
        Sent {
            audit_warning: None,
            id,
            username: "pending".into(),
            at: now() + chrono::Duration::seconds(90),
            result: Err(err),
        },
    );
    let d = dialog(&app);
    assert!(
        matches!(&d.phase, Phase::Failed { error: e, .. } if e.kind == ErrorKind::UserLambdaValidation)
    );
    assert_eq!(d.rows[1].value.value(), "T-9", "the draft is kept");
    assert!(app.last_resend("pending").is_none());
    let (retry, options) = send(&mut app);
    assert_ne!(retry, id);
    assert_eq!(options.client_metadata["ticket"], "T-9");
}

#[test]
fn an_answer_for_a_closed_dialog_still_records_the_resend() {
    let mut app = loaded(SIZE, vec![user("pending", 1), user("other", 2)]);
    app.update(key(KeyCode::Enter));
    let (id, _) = send(&mut app);
    // A late answer to a different request leaves the dialog alone.
    answer_send(
        &mut app,
        Sent {
            audit_warning: None,
            at: now(),
            id: id + 100,
            username: "pending".into(),
            result: Ok(delivery()),
        },
    );
    assert!(matches!(dialog(&app).phase, Phase::Sending { .. }));
    answer_send(
        &mut app,
        Sent {
            audit_warning: None,
            id,
            username: "pending".into(),
            at: now() + chrono::Duration::seconds(90),
            result: Ok(delivery()),
        },
    );
    assert!(matches!(dialog(&app).phase, Phase::Sent(_)));
}

#[test]
fn closing_the_dialog_keeps_the_draft_for_that_user() {
    let mut app = loaded(SIZE, vec![user("pending", 1), user("other", 2)]);
    app.update(key(KeyCode::Enter));
    app.update(key(KeyCode::Char('a')));
    type_text(&mut app, "note");
    app.update(key(KeyCode::Esc)); // cancels the edit of the new row: it goes
    assert_eq!(dialog(&app).rows.len(), 1);
    add_pair(&mut app, "note", "call back");
    app.update(key(KeyCode::Esc));
    assert!(matches!(app.mode, Mode::Browse));
    app.update(key(KeyCode::Down));
    app.update(key(KeyCode::Enter));
    assert_eq!(
        dialog(&app).rows.len(),
        1,
        "another user starts from the defaults"
    );
    app.update(key(KeyCode::Esc));
    app.update(key(KeyCode::Up));
    app.update(key(KeyCode::Enter));
    assert_eq!(
        dialog(&app).rows[1].value.value(),
        "call back",
        "the draft came back"
    );
}

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
fn opening_the_dialog_checks_the_user_with_cognito() {
    let mut app = loaded(SIZE, vec![user("pending", 1)]);
    let effects = app.update(key(KeyCode::Enter));
    assert_eq!(
        effects,
        vec![
            Effect::FetchUser {
                pool: "prod".into(),
                username: "pending".into()
            },
            Effect::Claim {
                pool: "prod".into(),
                username: "pending".into(),
                ticket: None,
            },
            // Sends from other processes since the start count too.
            Effect::LoadHistory {
                pool: "prod".into(),
                case_sensitive: false,
            }
        ]
    );
    assert!(app.is_busy(), "the check shows a spinner");
    // They confirmed since the list was loaded: the row updates and sending is refused.
    let confirmed = with_status(user("pending", 1), "CONFIRMED");
    app.update(Msg::UserFetched {
        pool: "prod".into(),
        username: "pending".into(),
        result: Ok(confirmed),
    });
    assert_eq!(dialog(&app).fresh.status(), Some("CONFIRMED"));
    assert_eq!(app.users.selected_user().unwrap().status, "CONFIRMED");
    assert!(app.update(key(KeyCode::Char('s'))).is_empty());
    assert_eq!(dialog(&app).phase, Phase::Draft);
    assert!(
        dialog(&app)
            .notice
            .as_deref()
            .is_some_and(|n| n.contains("CONFIRMED"))
    );
}

#[test]
fn a_failed_check_does_not_block_the_resend() {
    let mut app = loaded(SIZE, vec![user("pending", 1)]);
    app.update(key(KeyCode::Enter));
    let denied = ApiError::service(Operation::GetUser, "AccessDeniedException", Some("no"));
    app.update(Msg::UserFetched {
        pool: "prod".into(),
        username: "pending".into(),
        result: Err(denied),
    });
    assert!(!app.is_busy());
    send(&mut app);
}

#[test]
fn ctrl_s_asks_for_the_confirmation_too() {
    let mut app = loaded(SIZE, vec![user("pending", 1)]);
    app.update(key(KeyCode::Enter));
    check_passes(&mut app);
    assert!(app.update(ctrl('s')).is_empty());
    assert_eq!(dialog(&app).phase, Phase::Confirming);
}

fn alt(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::ALT))
}

fn resends(effects: &[Effect]) -> usize {
    effects
        .iter()
        .filter(|e| dialog_send(std::slice::from_ref(e)).is_some())
        .count()
}

#[test]
fn a_paste_is_text_in_the_field_being_edited_and_never_keys() {
    let mut app = loaded(SIZE, vec![user("pending", 1)]);
    app.update(key(KeyCode::Enter));
    check_passes(&mut app);
    app.update(key(KeyCode::Char('a')));
    type_text(&mut app, "ticket");
    app.update(key(KeyCode::Tab));
    // What pasting `T-9⏎user says yes please` used to do: end the edit, `s`, `y`.
    let effects = app.update(Msg::Paste("T-9\ruser says yes please".into()));
    assert!(effects.is_empty());
    assert_eq!(
        dialog(&app).rows[1].value.value(),
        "T-9 user says yes please"
    );
    assert_eq!(dialog(&app).phase, Phase::Draft);
    app.update(key(KeyCode::Enter)); // ends the edit, as typed
    // Outside a text field a paste is ignored, with a notice.
    assert!(app.update(Msg::Paste("sy".into())).is_empty());
    assert_eq!(dialog(&app).phase, Phase::Draft);
    assert!(
        app.toast
            .as_deref()
            .is_some_and(|t| t.contains("paste ignored"))
    );
    app.update(key(KeyCode::Char('s')));
    assert_eq!(dialog(&app).phase, Phase::Confirming);
    assert_eq!(resends(&app.update(Msg::Paste("y".into()))), 0);
    assert_eq!(dialog(&app).phase, Phase::Confirming);
    // On the main screen too.
    app.update(key(KeyCode::Esc));
    app.update(key(KeyCode::Esc));
    assert!(matches!(app.mode, Mode::Browse));
    assert!(app.update(Msg::Paste("q\r".into())).is_empty());
    assert!(!app.should_quit);
    assert!(matches!(app.mode, Mode::Browse));
    // In the filter, a paste is text.
    app.update(key(KeyCode::Char('/')));
    app.update(Msg::Paste("pend\ning".into()));
    assert_eq!(app.users.filter(), "pend ing");
}

#[test]
fn only_a_bare_y_confirms_and_modified_letters_are_not_commands() {
    let mut app = loaded(SIZE, vec![user("pending", 1)]);
    app.update(key(KeyCode::Enter));
    check_passes(&mut app);
    assert!(app.update(alt('s')).is_empty());
    assert_eq!(dialog(&app).phase, Phase::Draft, "Alt-s is not s");
    app.update(key(KeyCode::Char('s')));
    assert_eq!(dialog(&app).phase, Phase::Confirming);
    assert_eq!(
        resends(&app.update(key(KeyCode::Enter))),
        0,
        "Enter does not send"
    );
    assert_eq!(resends(&app.update(ctrl('y'))), 0, "Ctrl-y does not send");
    assert_eq!(resends(&app.update(alt('y'))), 0, "Alt-y does not send");
    assert_eq!(dialog(&app).phase, Phase::Confirming);
    assert_eq!(resends(&app.update(key(KeyCode::Char('y')))), 1);
    // On the main screen, Alt-q does not quit and Ctrl-r does not refresh.
    let mut app = loaded(SIZE, vec![user("a", 1)]);
    assert!(app.update(alt('q')).is_empty());
    assert!(!app.should_quit);
    assert!(app.update(ctrl('r')).is_empty());
    assert!(app.listing.loading().is_none());
}

#[test]
fn the_freshness_check_gates_the_send() {
    // `s` while the check is out waits; an UNCONFIRMED answer goes on to the confirmation.
    let mut app = loaded(SIZE, vec![user("pending", 1)]);
    app.update(key(KeyCode::Enter));
    assert!(app.update(key(KeyCode::Char('s'))).is_empty());
    assert_eq!(dialog(&app).phase, Phase::AwaitingCheck);
    assert_eq!(resends(&app.update(key(KeyCode::Char('y')))), 0);
    check_passes(&mut app);
    assert_eq!(dialog(&app).phase, Phase::Confirming);

    // An answer that they confirmed meanwhile cancels the waiting send...
    let mut app = loaded(SIZE, vec![user("pending", 1)]);
    app.update(key(KeyCode::Enter));
    app.update(key(KeyCode::Char('s')));
    app.update(Msg::UserFetched {
        pool: "prod".into(),
        username: "pending".into(),
        result: Ok(with_status(user("pending", 1), "CONFIRMED")),
    });
    assert_eq!(dialog(&app).phase, Phase::Draft);
    assert!(
        dialog(&app)
            .notice
            .as_deref()
            .unwrap()
            .contains("CONFIRMED")
    );

    // ...and a pending confirmation (a check that arrives late, after a failed one was shown).
    let mut app = loaded(SIZE, vec![user("pending", 1)]);
    app.update(key(KeyCode::Enter));
    let denied = ApiError::service(Operation::GetUser, "AccessDeniedException", Some("no"));
    app.update(Msg::UserFetched {
        pool: "prod".into(),
        username: "pending".into(),
        result: Err(denied),
    });
    app.update(key(KeyCode::Char('s')));
    assert_eq!(
        dialog(&app).phase,
        Phase::Confirming,
        "a failed check lets the operator send anyway"
    );
    app.update(Msg::UserFetched {
        pool: "prod".into(),
        username: "pending".into(),
        result: Ok(with_status(user("pending", 1), "CONFIRMED")),
    });
    assert_eq!(dialog(&app).phase, Phase::Draft);
    assert_eq!(resends(&app.update(key(KeyCode::Char('y')))), 0);
}

#[test]
fn a_disabled_user_is_flagged_and_its_refusal_explained() {
    let mut disabled = user("pending", 1);
    disabled.enabled = false;
    let mut app = loaded(SIZE, vec![disabled]);
    app.update(key(KeyCode::Enter));
    assert!(!dialog(&app).enabled);
    let (id, _) = send(&mut app);
    let refused = ApiError::service(
        Operation::Resend,
        "NotAuthorizedException",
        Some("Not authorized."),
    );
    answer_send(
        &mut app,
        Sent {
            audit_warning: None,
            id,
            username: "pending".into(),
            at: now(),
            result: Err(refused),
        },
    );
    match &dialog(&app).phase {
        Phase::Failed { error, .. } => {
            assert_eq!(error.kind, ErrorKind::UserDisabled);
            assert!(error.hint().contains("disabled"), "{}", error.hint());
            assert!(!error.hint().contains("secret"), "{}", error.hint());
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn empty_values_and_required_keys_are_flagged_and_block_the_send() {
    let mut app = loaded(SIZE, vec![user("pending", 1)]);
    // staging requires a ticket and has no default for it.
    app.update(key(KeyCode::Char('p')));
    app.update(key(KeyCode::Down));
    let generation = generation(&app.update(key(KeyCode::Enter)));
    let effects = app.update(Msg::Page {
        generation,
        result: Ok(page(vec![user("pending", 1)], None)),
    });
    assert!(effects.is_empty());
    app.update(key(KeyCode::Enter));
    check_passes(&mut app);
    let d = dialog(&app);
    assert_eq!(d.rows[0].key.value(), "ticket");
    assert_eq!(d.row_problem(0), Some("required: fill it in"));
    app.update(key(KeyCode::Char('s')));
    assert_eq!(
        dialog(&app).phase,
        Phase::Draft,
        "a required key must be filled"
    );
    // Deleting the required pair does not get around it.
    app.update(key(KeyCode::Down));
    app.update(key(KeyCode::Char('d')));
    app.update(key(KeyCode::Char('s')));
    assert!(
        dialog(&app)
            .notice
            .as_deref()
            .unwrap()
            .contains("requires ClientMetadata ticket")
    );
    // An empty value of any key is flagged like an empty key.
    add_pair(&mut app, "ticket", "T-1");
    add_pair(&mut app, "note", "");
    assert_eq!(
        dialog(&app).row_problem(1),
        Some("empty value: fill it in or delete the pair (d)")
    );
    app.update(key(KeyCode::Char('s')));
    assert_eq!(dialog(&app).phase, Phase::Draft);
    app.update(key(KeyCode::Char('d')));
    app.update(key(KeyCode::Char('s')));
    assert_eq!(dialog(&app).phase, Phase::Confirming);
}

#[test]
fn an_unanswered_send_may_have_gone_out_and_the_next_one_warns_for_a_minute() {
    let mut app = loaded(SIZE, vec![user("pending", 1)]);
    app.update(key(KeyCode::Enter));
    let (id, _) = send(&mut app);
    let at = now() + chrono::Duration::seconds(30);
    let timeout = ApiError::local(Operation::Resend, ErrorKind::Timeout, "timed out");
    answer_send(
        &mut app,
        Sent {
            audit_warning: None,
            id,
            username: "pending".into(),
            at,
            result: Err(timeout),
        },
    );
    match &dialog(&app).phase {
        Phase::Failed { error, at: when } => {
            assert!(error.outcome_unknown());
            assert_eq!(*when, at);
            assert!(error.hint().contains("may have been sent"));
            assert!(!error.hint().contains("try again"));
        }
        other => panic!("{other:?}"),
    }
    assert!(app.last_resend("pending").is_none());
    app.now = at + chrono::Duration::seconds(20);
    assert_eq!(app.recent_unknown_outcome("pending"), Some(at));
    app.update(key(KeyCode::Char('s')));
    assert_eq!(dialog(&app).phase, Phase::Confirming, "it asks again");
    app.update(Msg::Clock(at + chrono::Duration::seconds(61)));
    assert_eq!(
        app.recent_unknown_outcome("pending"),
        None,
        "the warning lasts a minute"
    );
}

#[test]
fn the_resend_time_is_when_the_answer_came() {
    let mut app = loaded(SIZE, vec![user("pending", 1)]);
    app.update(key(KeyCode::Enter));
    let (id, _) = send(&mut app);
    let answered = now() + chrono::Duration::seconds(7);
    answer_send(
        &mut app,
        Sent {
            audit_warning: None,
            id,
            username: "pending".into(),
            at: answered,
            result: Ok(delivery()),
        },
    );
    assert_eq!(app.last_resend("pending").unwrap().at, answered);
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
    let (mut app, effects) = support::app(SIZE);
    let generation = support::generation(&effects);
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
