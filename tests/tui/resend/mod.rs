//! The resend dialog: opening it, the metadata and optional fields, the fresh look, the
//! confirmation, the send (a run of one) and its answer, drafts. Its History, Evidence and
//! Colleague lines are `history.rs`.

mod history;

use crate::support::*;
use cogtui::cognito::{ApiError, Delivery, DeliveryMedium, ErrorKind, Operation};
use cogtui::tui::app::{Effect, Mode, Msg};
use cogtui::tui::screens::resend::{Fresh, Phase, Slot};
use crossterm::event::KeyCode;
use crossterm::event::{KeyEvent, KeyModifiers};

fn delivery() -> Delivery {
    Delivery {
        destination: "a***@e***.com".into(),
        medium: DeliveryMedium::Email,
        attribute_name: "email".into(),
    }
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

fn alt(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::ALT))
}

fn resends(effects: &[Effect]) -> usize {
    effects
        .iter()
        .filter(|e| dialog_send(std::slice::from_ref(e)).is_some())
        .count()
}

/// `s` sends nothing: the draft stays, and its notice says `why`.
fn s_is_refused_saying(app: &mut cogtui::tui::app::App, why: &str) {
    assert!(app.update(key(KeyCode::Char('s'))).is_empty());
    assert_eq!(dialog(app).phase, Phase::Draft);
    let notice = dialog(app).notice.clone().unwrap_or_default();
    assert!(notice.contains(why), "{notice}");
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
    s_is_refused_saying(&mut app, "flagged");

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
            at: now() + chrono::Duration::seconds(90),
            ..Sent::new(id, "pending", Ok(delivery()))
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
            at: now() + chrono::Duration::seconds(90),
            ..Sent::new(id, "pending", Err(err))
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
    answer_send(&mut app, Sent::new(id + 100, "pending", Ok(delivery())));
    assert!(matches!(dialog(&app).phase, Phase::Sending { .. }));
    answer_send(
        &mut app,
        Sent {
            at: now() + chrono::Duration::seconds(90),
            ..Sent::new(id, "pending", Ok(delivery()))
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
    answer_look(&mut app, "pending", Ok(confirmed));
    assert_eq!(dialog(&app).fresh.status(), Some("CONFIRMED"));
    assert_eq!(app.users.selected_user().unwrap().status, "CONFIRMED");
    s_is_refused_saying(&mut app, "CONFIRMED");
}

#[test]
fn a_failed_check_does_not_block_the_resend() {
    let mut app = loaded(SIZE, vec![user("pending", 1)]);
    app.update(key(KeyCode::Enter));
    let denied = ApiError::service(Operation::GetUser, "AccessDeniedException", Some("no"));
    answer_look(&mut app, "pending", Err(denied));
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
    answer_look(
        &mut app,
        "pending",
        Ok(with_status(user("pending", 1), "CONFIRMED")),
    );
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
    answer_look(&mut app, "pending", Err(denied));
    app.update(key(KeyCode::Char('s')));
    assert_eq!(
        dialog(&app).phase,
        Phase::Confirming,
        "a failed check lets the operator send anyway"
    );
    answer_look(
        &mut app,
        "pending",
        Ok(with_status(user("pending", 1), "CONFIRMED")),
    );
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
    answer_send(&mut app, Sent::new(id, "pending", Err(refused)));
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
            at,
            ..Sent::new(id, "pending", Err(timeout))
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
            at: answered,
            ..Sent::new(id, "pending", Ok(delivery()))
        },
    );
    assert_eq!(app.last_resend("pending").unwrap().at, answered);
}

#[test]
fn the_footer_shows_the_dialogs_keys_for_its_phase_whole_and_below_the_dialog() {
    // A small terminal: the dialog is as tall as the screen allows, the footer stays.
    let mut app = loaded((64, 24), vec![user("pending", 1)]);
    app.update(key(KeyCode::Enter));
    check_passes(&mut app);
    let footer = |app: &cogtui::tui::app::App| draw(app).lines().last().unwrap_or("").to_string();
    let shown = footer(&app);
    let hints = app.keymap.hints(cogtui::tui::keymap::Screen::Dialog, false);
    let listed: Vec<&str> = shown
        .strip_prefix(" resend dialog: ")
        .unwrap_or_else(|| panic!("{shown}"))
        .split(" · ")
        .collect();
    assert!(listed.len() >= 3, "{shown}");
    assert!(
        listed.iter().all(|h| hints.iter().any(|k| k == h)),
        "every hint shown is whole: {shown}"
    );
    app.update(key(KeyCode::Char('s')));
    assert_eq!(
        footer(&app).trim_end(),
        " resend dialog: y send · n or Esc back"
    );
    let id = match dialog_send(&app.update(key(KeyCode::Char('y')))) {
        Some((id, _, _)) => id,
        None => panic!("no send"),
    };
    assert_eq!(
        footer(&app).trim_end(),
        " resend dialog: waiting for Cognito"
    );
    answer_delivered(&mut app, id, "pending");
    assert_eq!(
        footer(&app).trim_end(),
        " resend dialog: c copies the reply · Enter closes"
    );
}
