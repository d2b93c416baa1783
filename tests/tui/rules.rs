//! The TUI drives the operations and decides no rule: what it shows and binds before anything
//! is sent. Each test here is one of the "one rule, one place" defects, seen from the screen.
//! State tests: no terminal, no emulator (the operations' rules are in `ops::tests`).

use crate::support::*;
use cogtui::cognito::{ApiError, Operation};
use cogtui::ops::bulk::{Step, Tally};
use cogtui::ops::{Action, Answer};
use cogtui::tui::app::{App, Effect, Mode, Msg};
use cogtui::tui::screens::action::{ActPhase, ActionDialog, ActionKind};
use cogtui::tui::screens::resend::{Fresh, Phase};
use crossterm::event::KeyCode;

const SIZE: (u16, u16) = (110, 32);

fn action(app: &App) -> &ActionDialog {
    match &app.mode {
        Mode::Action(d) => d,
        other => panic!("no action dialog: {other:?}"),
    }
}

fn filter(app: &mut App, text: &str) {
    app.update(key(KeyCode::Char('/')));
    type_text(app, text);
    app.update(key(KeyCode::Enter));
}

/// 110 users, ten of them `pending-0001x`.
fn pile() -> Vec<cogtui::cognito::User> {
    (0..110)
        .map(|i| {
            let name = if i < 10 {
                format!("pending-0001{i}")
            } else {
                format!("other-{i:03}")
            };
            user(&name, i + 1)
        })
        .collect()
}

/// Marks every row shown, deletes them (typing the count), and returns the run's id and
/// requests.
fn delete_all_shown(app: &mut App) -> (u64, Vec<cogtui::ops::Request>) {
    app.update(key(KeyCode::Char('*')));
    open_action(app, 'x');
    give_reason(app, "spam sign-up");
    app.update(key(KeyCode::Char('s')));
    type_text(app, &app.users.marked_count().to_string());
    match app.update(key(KeyCode::Enter)).as_slice() {
        [Effect::Act { id, requests, .. }] => (*id, requests.clone()),
        other => panic!("{other:?}"),
    }
}

/// The answer to the send `id` to `username`: a code by email.
fn delivered(id: u64, username: &str) -> Sent {
    Sent::new(id, username, Ok(by_email()))
}

/// A user done in a run.
fn done(username: &str) -> Step {
    Step::Done {
        username: username.into(),
        answer: Answer::Done,
        settled: None,
    }
}

fn new_page(app: &mut App, effects: &[Effect], users: Vec<cogtui::cognito::User>) {
    app.update(Msg::Page {
        generation: generation(effects),
        result: Ok(page(users, None)),
    });
}

#[test]
fn a_refresh_keeps_the_filter_on_every_row_that_arrives() {
    let mut app = loaded(SIZE, pile());
    filter(&mut app, "pending-0001");
    assert_eq!(app.users.visible_len(), 10);
    let effects = app.update(key(KeyCode::Char('r')));
    new_page(&mut app, &effects, pile());
    assert_eq!(
        app.users.visible_len(),
        10,
        "the header says the filter: so do the rows"
    );
    app.update(key(KeyCode::Char('*')));
    assert_eq!(app.users.marked_count(), 10, "marked is what is shown");
    assert!(draw(&app).contains("10 marked"));
}

#[test]
fn closing_a_bulk_run_keeps_the_filter_for_the_refreshed_rows() {
    let mut app = loaded(SIZE, pile());
    filter(&mut app, "pending-0001");
    let (id, requests) = delete_all_shown(&mut app);
    assert_eq!(requests.len(), 10);
    let mut tally = Tally::default();
    tally.count(&done("pending-00010"), None);
    app.update(Msg::ActDone { id, tally });
    let effects = app.update(key(KeyCode::Enter));
    new_page(&mut app, &effects, pile()[1..].to_vec());
    assert_eq!(app.users.visible_len(), 9);
    app.update(key(KeyCode::Char('*')));
    assert_eq!(app.users.marked_count(), 9);
}

#[test]
fn a_filter_that_does_not_parse_shows_and_marks_nothing() {
    let mut app = loaded(SIZE, pile());
    app.update(key(KeyCode::Char('/')));
    type_text(&mut app, "age<24");
    let screen = draw(&app);
    assert!(screen.contains("expected a number and a unit"), "{screen}");
    app.update(key(KeyCode::Enter));
    assert_eq!(app.users.visible_len(), 0);
    app.update(key(KeyCode::Char('*')));
    assert!(app.users.marked_count() == 0);
}

#[test]
fn a_bulk_confirmation_names_the_marked_users_the_filter_hides() {
    let mut app = loaded(SIZE, pile());
    app.update(key(KeyCode::Char(' ')));
    app.update(key(KeyCode::Char(' ')));
    app.update(key(KeyCode::Char(' ')));
    filter(&mut app, "pending-00010");
    open_action(&mut app, 'x');
    let d = action(&app);
    assert_eq!(d.targets.len(), 3);
    assert_eq!(d.hidden, ["pending-00011", "pending-00012"]);
    let screen = draw(&app);
    assert!(
        screen.contains("2 of the marked users are hidden by the filter"),
        "named before anything is typed: {screen}"
    );
}

#[test]
fn after_fixing_an_address_r_opens_the_resend_for_that_user() {
    let mut app = loaded(SIZE, vec![user("fixme", 2), user("other", 3)]);
    open_action(&mut app, 'f');
    assert_eq!(action(&app).targets[0].username, "fixme");
    let Mode::Action(d) = &mut app.mode else {
        unreachable!()
    };
    d.phase = ActPhase::Finished {
        tally: Tally {
            done: 1,
            ..Tally::default()
        },
    };
    // Meanwhile a newer user arrived and the selection moved.
    app.users.extend(vec![user("newcomer", 0)]);
    app.users.select_first();
    assert_eq!(app.users.selected_user().unwrap().username, "newcomer");
    app.update(key(KeyCode::Char('r')));
    assert_eq!(
        dialog(&app).username,
        "fixme",
        "bound to its user, not the selection"
    );
}

#[test]
fn under_redact_a_masked_address_is_never_offered_nor_taken() {
    let (mut app, effects) = crate::support::app(SIZE);
    app.redact = true;
    new_page(&mut app, &effects, vec![user("pat", 2)]);
    open_action(&mut app, 'f');
    let d = action(&app);
    assert_eq!(d.value.value(), "", "the field starts empty");
    assert_eq!(d.current_masked.as_deref(), Some("p***@e***.com"));
    assert!(draw(&app).contains("now p***@e***.com (masked"));
    app.update(key(KeyCode::Down));
    app.update(key(KeyCode::Enter));
    type_text(&mut app, "p***@corrected.example");
    app.update(key(KeyCode::Enter));
    assert!(app.update(key(KeyCode::Char('s'))).is_empty());
    assert!(
        action(&app)
            .notice
            .as_deref()
            .unwrap_or_default()
            .contains("masked"),
        "{:?}",
        action(&app).notice
    );
}

#[test]
fn under_redact_a_username_that_is_an_address_is_masked_on_screen() {
    let (mut app, effects) = crate::support::app(SIZE);
    app.redact = true;
    new_page(&mut app, &effects, vec![user("jane.doe@example.org", 2)]);
    let screen = draw(&app);
    assert!(!screen.contains("jane.doe@example.org"), "{screen}");
    assert!(screen.contains("j***@e***.org"), "{screen}");
    // The real name is kept for the action.
    assert_eq!(
        app.users.selected_user().unwrap().username,
        "jane.doe@example.org"
    );
}

#[test]
fn a_user_gone_since_the_list_is_offered_no_send() {
    let mut app = loaded(SIZE, vec![user("pending", 1)]);
    app.update(key(KeyCode::Enter));
    answer_look(
        &mut app,
        "pending",
        Err(ApiError::service(
            Operation::GetUser,
            "UserNotFoundException",
            Some("User does not exist."),
        )),
    );
    assert_eq!(dialog(&app).fresh, Fresh::Gone);
    assert!(app.update(key(KeyCode::Char('s'))).is_empty());
    assert!(app.update(key(KeyCode::Char('y'))).is_empty());
    assert_ne!(dialog(&app).phase, Phase::Confirming);
    let screen = draw(&app);
    assert!(screen.contains("no longer in the pool"), "{screen}");
    assert!(!screen.contains("sending anyway is possible"), "{screen}");
}

fn sending(app: &mut App) -> u64 {
    app.update(key(KeyCode::Enter));
    check_passes(app);
    confirm_send(app)
}

#[test]
fn ctrl_c_during_a_send_waits_for_its_answer_then_leaves_with_it() {
    let mut app = loaded(SIZE, vec![user("pending", 1)]);
    let id = sending(&mut app);
    app.update(ctrl('c'));
    assert!(!app.should_quit, "the call is out: wait for its answer");
    assert!(
        app.toast
            .as_deref()
            .unwrap_or_default()
            .contains("up to 30 s")
    );
    answer_send(&mut app, delivered(id, "pending"));
    assert!(app.should_quit && !app.abandon);
    assert!(
        app.exit_summary
            .as_deref()
            .unwrap_or_default()
            .contains("p***@e***.com"),
        "{:?}",
        app.exit_summary
    );
}

#[test]
fn a_second_ctrl_c_leaves_at_once_and_abandons_the_call() {
    let mut app = loaded(SIZE, vec![user("pending", 1)]);
    sending(&mut app);
    app.update(ctrl('c'));
    app.update(ctrl('c'));
    assert!(
        app.should_quit && app.abandon,
        "the runtime records it as unknown"
    );
}

#[test]
fn ctrl_c_during_a_bulk_run_stops_it_and_leaves_with_the_summary() {
    let mut app = loaded(SIZE, vec![user("a1", 1), user("a2", 2)]);
    let (id, _) = delete_all_shown(&mut app);
    assert_eq!(app.update(ctrl('c')), vec![Effect::Stop { id }]);
    assert!(!app.should_quit);
    let mut tally = Tally::default();
    tally.count(&done("a1"), None);
    tally.stopped = true;
    tally.not_reached = 1;
    app.update(Msg::ActDone { id, tally });
    assert!(app.should_quit);
    let summary = app.exit_summary.clone().unwrap_or_default();
    assert!(
        summary.contains("Delete 1") && summary.contains("1 not reached"),
        "{summary}"
    );
}

#[test]
fn an_outcome_not_recorded_shows_while_running_and_in_the_summary() {
    let mut app = loaded(SIZE, vec![user("d1", 1), user("d2", 2)]);
    let (id, _) = delete_all_shown(&mut app);
    let step = done("d1");
    let warning = "the outcome for d1 was not recorded (the intent was): disk full".to_string();
    app.update(Msg::ActProgress {
        id,
        step: step.clone(),
        at: now(),
        audit_warning: Some(warning.clone()),
    });
    assert!(
        draw(&app).contains("1 outcome NOT recorded"),
        "the progress line says it"
    );
    let mut tally = Tally::default();
    tally.count(&step, Some(&warning));
    app.update(Msg::ActDone { id, tally });
    let screen = draw(&app);
    assert!(screen.contains("1 outcome NOT recorded"), "{screen}");
}

#[test]
fn the_bulk_resend_plan_lists_who_is_skipped_before_the_count() {
    let mut app = loaded(
        SIZE,
        vec![
            user("fresh", 1),
            user("recent", 2),
            with_status(user("done", 3), "CONFIRMED"),
        ],
    );
    history(&mut app, sent_records("recent", 5, "T-1"));
    app.update(key(KeyCode::Char('*')));
    open_action(&mut app, 'r');
    let d = action(&app);
    assert_eq!(d.kind, ActionKind::BulkResend);
    assert_eq!(d.targets.len(), 1, "only who will get a code is counted");
    let skipped: Vec<&str> = d.skipped_before.iter().map(|(u, _)| u.as_str()).collect();
    assert_eq!(skipped, ["recent", "done"]);
    assert!(d.skipped_before[0].1.contains("15 minutes"));
    let screen = draw(&app);
    assert!(screen.contains("2 left out"), "{screen}");
    app.update(key(KeyCode::Char('s')));
    match app.update(key(KeyCode::Char('y'))).as_slice() {
        [Effect::Act { requests, .. }] => {
            assert_eq!(requests.len(), 1);
            assert!(requests[0].skip_recent, "the rule holds at send time too");
            assert!(matches!(requests[0].action, Action::Resend(_)));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn the_history_counts_jane_and_jane_as_one_unless_the_pool_tells_them_apart() {
    let mut app = loaded(SIZE, vec![user("jane", 1)]);
    let records = [10, 20, 30, 40, 50]
        .iter()
        .flat_map(|m| sent_records(if *m == 50 { "JANE" } else { "jane" }, *m, "T"))
        .collect::<Vec<_>>();
    history(&mut app, records.clone());
    assert!(
        app.hourly_limit("jane").is_some(),
        "five in the hour, whatever the case typed"
    );
    // A pool that says it is case-sensitive has its history read again, keyed by exact name.
    let settings = cogtui::cognito::diagnostics::PoolSettings {
        case_sensitive: Some(true),
        ..Default::default()
    };
    let effects = app.update(Msg::Diagnosed {
        pool: "prod".into(),
        checks: Vec::new(),
        settings: Some(settings),
        at: now(),
    });
    assert!(effects.iter().any(|e| matches!(
        e,
        Effect::LoadHistory {
            case_sensitive: true,
            ..
        }
    )));
    history_keyed(&mut app, records, true);
    assert!(
        app.hourly_limit("jane").is_none(),
        "JANE is another user in this pool"
    );
}

#[test]
fn marks_survive_a_refresh_by_name_and_drop_who_did_not_come_back() {
    let mut app = loaded(
        SIZE,
        vec![user("keep", 1), user("gone", 2), user("plain", 3)],
    );
    app.update(key(KeyCode::Char(' ')));
    app.update(key(KeyCode::Char(' ')));
    assert_eq!(app.users.marked_count(), 2);
    let effects = app.update(key(KeyCode::Char('r')));
    // The refresh brings back "keep" and "plain"; "gone" was deleted meanwhile.
    new_page(&mut app, &effects, vec![user("keep", 1), user("plain", 3)]);
    assert!(app.users.is_marked("keep"));
    assert!(!app.users.is_marked("plain"));
    assert_eq!(
        app.users.marked_count(),
        1,
        "a mark on a user who is gone goes with them"
    );
}
