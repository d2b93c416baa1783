//! Admin actions in the UI: marks, the action menu, the action dialog's confirmations, runs,
//! read-only, redaction and export. State tests: no terminal, no emulator.

use crate::support::*;
use cogtui::cognito::{ApiError, DeliveryMedium, ErrorKind, Operation};
use cogtui::ops::bulk::{Step, Tally};
use cogtui::ops::{Action, Answer};
use cogtui::tui::app::{App, Effect, Mode, Msg};
use cogtui::tui::screens::action::{ActPhase, ActionDialog, ActionKind};
use crossterm::event::KeyCode;

fn action(app: &App) -> &ActionDialog {
    match &app.mode {
        Mode::Action(d) => d,
        other => panic!("no action dialog: {other:?}"),
    }
}

fn act(effects: &[Effect]) -> (u64, Vec<cogtui::ops::Request>) {
    match effects {
        [Effect::Act { id, requests, .. }] => (*id, requests.clone()),
        other => panic!("expected one Act, got {other:?}"),
    }
}

/// Types `text` at the end of the focused field.
fn append(app: &mut App, text: &str) {
    app.update(key(KeyCode::Enter));
    app.update(key(KeyCode::End));
    type_text(app, text);
    app.update(key(KeyCode::Enter));
}

fn invited(name: &str) -> cogtui::cognito::User {
    with_status(user(name, 3), "FORCE_CHANGE_PASSWORD")
}

#[test]
fn space_marks_and_star_marks_what_the_filter_shows() {
    let mut app = loaded(SIZE, vec![user("ann", 1), user("bob", 2), user("cat", 3)]);
    app.update(key(KeyCode::Char(' ')));
    assert!(app.users.is_marked("ann"));
    assert_eq!(
        app.users.selected_user().unwrap().username,
        "bob",
        "Space moves on"
    );
    app.update(key(KeyCode::Char(' ')));
    app.update(key(KeyCode::Up));
    app.update(key(KeyCode::Char(' ')));
    assert_eq!(app.users.marked_count(), 1, "a second Space unmarks");
    app.update(key(KeyCode::Char('u')));
    assert!(app.users.marked_count() == 0);
    app.update(key(KeyCode::Char('/')));
    type_text(&mut app, "b");
    app.update(key(KeyCode::Enter));
    app.update(key(KeyCode::Char('*')));
    assert_eq!(
        app.users
            .marked_users()
            .map(|u| u.username.clone())
            .collect::<Vec<_>>(),
        vec!["bob".to_string()],
        "* marks the rows the filter shows, not every loaded user"
    );
    app.update(key(KeyCode::Char('*')));
    assert!(app.users.marked_count() == 0, "* again unmarks them");
    // A new status starts unmarked.
    app.update(key(KeyCode::Char('*')));
    app.update(key(KeyCode::Char('t')));
    assert!(app.users.marked_count() == 0);
}

#[test]
fn enter_on_an_invited_user_opens_the_invitation_and_y_sends_it_by_email() {
    let mut app = loaded(SIZE, vec![invited("ivy")]);
    app.update(key(KeyCode::Enter));
    assert_eq!(action(&app).kind, ActionKind::Invite);
    app.update(key(KeyCode::Enter));
    type_text(&mut app, "T-9");
    app.update(key(KeyCode::Enter));
    app.update(key(KeyCode::Char('s')));
    assert!(matches!(action(&app).phase, ActPhase::Confirming { .. }));
    let (_, requests) = act(&app.update(key(KeyCode::Char('y'))));
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].username, "ivy");
    assert_eq!(requests[0].ticket.as_deref(), Some("T-9"));
    match &requests[0].action {
        Action::Invite {
            mediums,
            client_metadata,
        } => {
            assert_eq!(mediums, &vec![DeliveryMedium::Email]);
            assert_eq!(client_metadata["source"], "support-desk");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn confirming_by_hand_needs_a_reason() {
    let mut app = loaded(SIZE, vec![user("cora", 1)]);
    app.update(key(KeyCode::Char('a')));
    assert!(matches!(app.mode, Mode::Actions(_)));
    app.update(key(KeyCode::Char('c')));
    assert_eq!(action(&app).kind, ActionKind::Confirm);
    app.update(key(KeyCode::Char('s')));
    assert!(
        action(&app)
            .notice
            .as_deref()
            .unwrap()
            .contains("reason is required")
    );
    app.update(key(KeyCode::Down));
    app.update(key(KeyCode::Enter));
    app.update(Msg::Paste("ID checked on a video call".into()));
    app.update(key(KeyCode::Enter));
    app.update(key(KeyCode::Char('s')));
    let (_, requests) = act(&app.update(key(KeyCode::Char('y'))));
    assert_eq!(
        requests[0].action,
        Action::Confirm {
            reason: "ID checked on a video call".into(),
            verify_email: true,
            verify_phone: false,
        }
    );
}

#[test]
fn fixing_an_address_checks_it_first() {
    let mut app = loaded(SIZE, vec![user("eve", 1)]);
    open_action(&mut app, 'f');
    app.update(key(KeyCode::Down));
    app.update(key(KeyCode::Enter));
    for _ in 0..30 {
        app.update(key(KeyCode::Backspace));
    }
    type_text(&mut app, "eve@exmaple");
    app.update(key(KeyCode::Enter));
    app.update(key(KeyCode::Char('s')));
    assert!(
        action(&app)
            .notice
            .as_deref()
            .unwrap()
            .contains("not an email address")
    );
    app.update(key(KeyCode::Enter));
    type_text(&mut app, ".com");
    app.update(key(KeyCode::Enter));
    app.update(key(KeyCode::Char('s')));
    let (_, requests) = act(&app.update(key(KeyCode::Char('y'))));
    assert_eq!(
        requests[0].action,
        Action::SetContact {
            contact: cogtui::ops::Contact::Email,
            value: "eve@exmaple.com".into()
        }
    );
}

#[test]
fn a_delete_needs_the_username_typed_never_y_or_a_paste() {
    let mut app = loaded(SIZE, vec![user("zed", 1)]);
    open_action(&mut app, 'x');
    give_reason(&mut app, "spam sign-up");
    app.update(key(KeyCode::Char('s')));
    assert!(
        app.update(key(KeyCode::Char('y'))).is_empty(),
        "y is not enough"
    );
    app.update(key(KeyCode::Backspace));
    app.update(Msg::Paste("zed".into()));
    assert!(
        app.toast
            .as_deref()
            .unwrap_or_default()
            .contains("paste ignored")
    );
    assert!(
        app.update(key(KeyCode::Enter)).is_empty(),
        "a paste is not a confirmation"
    );
    type_text(&mut app, "zex");
    assert!(app.update(key(KeyCode::Enter)).is_empty());
    assert!(
        action(&app)
            .notice
            .as_deref()
            .unwrap()
            .contains("type zed exactly")
    );
    for _ in 0..3 {
        app.update(key(KeyCode::Backspace));
    }
    type_text(&mut app, "zed");
    let (_, requests) = act(&app.update(key(KeyCode::Enter)));
    assert_eq!(
        requests[0].action,
        Action::Delete {
            reason: Some("spam sign-up".into()),
            invited: false,
            created_before: None
        }
    );
    assert_eq!(
        requests[0].seen_status.as_deref(),
        Some("UNCONFIRMED"),
        "the status the operator saw"
    );
}

#[test]
fn a_bulk_resend_leaves_out_who_cannot_get_a_code_and_asks_for_the_count() {
    let users = vec![
        user("b1", 1),
        user("b2", 2),
        with_status(user("b3", 3), "CONFIRMED"),
        user("b4", 4),
    ];
    let mut app = loaded(SIZE, users);
    // b2 had five codes this hour.
    history(
        &mut app,
        [50, 40, 30, 20, 10]
            .iter()
            .flat_map(|m| sent_records("b2", *m, "T"))
            .collect(),
    );
    app.update(key(KeyCode::Char('*')));
    open_action(&mut app, 'r');
    let d = action(&app);
    assert_eq!(d.kind, ActionKind::BulkResend);
    assert_eq!(
        d.targets
            .iter()
            .map(|u| u.username.as_str())
            .collect::<Vec<_>>(),
        ["b1", "b4"]
    );
    assert_eq!(d.skipped_before.len(), 2);
    app.update(key(KeyCode::Char('s')));
    type_text(&mut app, "2");
    let (id, requests) = act(&app.update(key(KeyCode::Enter)));
    assert_eq!(requests.len(), 2);
    assert!(
        requests
            .iter()
            .all(|r| matches!(r.action, Action::Resend(_)))
    );
    // Esc while it runs stops after the call in flight.
    assert_eq!(app.update(key(KeyCode::Esc)), vec![Effect::Stop { id }]);
    let step = Step::Done {
        username: "b1".into(),
        answer: Answer::Done,
        settled: None,
    };
    app.update(Msg::ActProgress {
        id,
        step: step.clone(),
        at: now(),
        audit_warning: None,
    });
    // The one progress view of a run (the resend dialog's send draws it too).
    let screen = draw(&app);
    assert!(
        screen.contains("Working: 1 of 2 done · stopping after the call in flight"),
        "{screen}"
    );
    assert!(app.is_busy(), "the run's spinner turns");
    let mut tally = Tally::default();
    tally.count(&step, None);
    tally.stopped = true;
    tally.not_reached = 1;
    app.update(Msg::ActDone { id, tally });
    match &action(&app).phase {
        ActPhase::Finished { tally } => {
            assert_eq!(tally.done, 1);
            assert_eq!(
                tally.skipped.len(),
                2,
                "the plan's skips are in the summary"
            );
            assert!(tally.failed.is_empty());
            assert!(tally.stopped);
        }
        other => panic!("{other:?}"),
    }
    // Closing after changes refreshes the list and clears the marks.
    let effects = app.update(key(KeyCode::Enter));
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::FetchPage { .. }))
    );
    assert!(app.users.marked_count() == 0);
}

#[test]
fn failures_in_a_run_are_listed_with_their_error() {
    let mut app = loaded(SIZE, vec![user("f1", 1), user("f2", 2)]);
    app.update(key(KeyCode::Char('*')));
    open_action(&mut app, 'x');
    give_reason(&mut app, "spam sign-up");
    app.update(key(KeyCode::Char('s')));
    type_text(&mut app, "2");
    let (id, _) = act(&app.update(key(KeyCode::Enter)));
    let step = Step::Failed {
        username: "f1".into(),
        error: ApiError::service(Operation::Delete, "AccessDeniedException", Some("no")),
    };
    app.update(Msg::ActProgress {
        id,
        step: step.clone(),
        at: now(),
        audit_warning: None,
    });
    let mut tally = Tally::default();
    tally.count(&step, None);
    app.update(Msg::ActDone { id, tally });
    match &action(&app).phase {
        ActPhase::Finished { tally } => {
            assert_eq!(tally.done, 0);
            assert_eq!(tally.failed[0].1.kind, ErrorKind::AccessDenied);
            assert!(
                tally.failed[0]
                    .1
                    .hint()
                    .contains("cognito-idp:AdminDeleteUser")
            );
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_run_whose_outcomes_were_not_recorded_never_says_they_were() {
    let mut app = loaded(SIZE, vec![user("f1", 1)]);
    open_action(&mut app, 'b');
    give_reason(&mut app, "bot");
    app.update(key(KeyCode::Char('s')));
    let (id, _) = act(&app.update(key(KeyCode::Char('y'))));
    let step = Step::Done {
        username: "f1".into(),
        answer: Answer::Done,
        settled: None,
    };
    let warning = "the outcome for f1 was not recorded (the intent was): disk full";
    app.update(Msg::ActProgress {
        id,
        step: step.clone(),
        at: now(),
        audit_warning: Some(warning.into()),
    });
    let mut tally = Tally::default();
    tally.count(&step, Some(warning));
    app.update(Msg::ActDone { id, tally });
    let screen = draw(&app);
    assert!(
        screen.contains("NOT recorded") && !screen.contains("Recorded in the audit log"),
        "{screen}"
    );
}

#[test]
fn read_only_hides_every_action() {
    let mut app = loaded(SIZE, vec![user("ron", 1), invited("ria")]);
    app.read_only = true;
    assert!(app.update(key(KeyCode::Enter)).is_empty());
    assert!(matches!(app.mode, Mode::Browse));
    assert!(app.toast.as_deref().unwrap().starts_with("read-only"));
    app.update(key(KeyCode::Char('a')));
    assert!(matches!(app.mode, Mode::Browse));
    app.update(key(KeyCode::Down));
    app.update(key(KeyCode::Enter));
    assert!(matches!(app.mode, Mode::Browse), "no invitation either");
    // A pool's own read_only does the same.
    let mut pools = pools();
    pools[0].read_only = true;
    let (mut app, effects) = App::new(pools, 0, SIZE, now());
    app.update(Msg::Page {
        generation: generation(&effects),
        result: Ok(page(vec![user("ron", 1)], None)),
    });
    app.update(key(KeyCode::Enter));
    assert!(matches!(app.mode, Mode::Browse));
}

#[test]
fn redaction_masks_what_arrives() {
    let (mut app, effects) = app(SIZE);
    app.redact = true;
    let mut u = user("mei", 1);
    u.attributes
        .insert("phone_number".into(), "+447700900123".into());
    app.update(Msg::Page {
        generation: generation(&effects),
        result: Ok(page(vec![u], None)),
    });
    let shown = app.users.all().next().unwrap();
    assert_eq!(shown.username, "mei", "usernames stay");
    assert_eq!(shown.email(), Some("m***@e***.com"));
    assert_eq!(shown.phone(), Some("+********0123"));
    assert_eq!(shown.attr("name"), Some("N*** m***"));
}

#[test]
fn bulk_resend_sends_the_metadata_the_operator_wrote_and_says_it_before_going() {
    let mut app = loaded(SIZE, vec![user("ann", 1), user("bob", 2)]);
    app.update(key(KeyCode::Char('*')));
    open_action(&mut app, 'r');
    assert_eq!(action(&app).kind, ActionKind::BulkResend);
    assert_eq!(
        action(&app).metadata.value(),
        "source=support-desk",
        "prefilled with the pool's defaults"
    );
    // Down to Metadata, and add a pair at the end.
    app.update(key(KeyCode::Down));
    append(&mut app, "; campaign");
    // A pair without '=' is named, and nothing typed is lost.
    app.update(key(KeyCode::Char('s')));
    assert_eq!(action(&app).phase, ActPhase::Draft);
    assert_eq!(
        action(&app).notice.as_deref(),
        Some("metadata \"campaign\": expected key=value")
    );
    assert!(draw(&app).contains("⚠ metadata \"campaign\": expected key=value"));
    assert_eq!(
        action(&app).metadata.value(),
        "source=support-desk; campaign"
    );
    append(&mut app, "=november reminder");
    app.update(key(KeyCode::Char('s')));
    assert!(matches!(action(&app).phase, ActPhase::Confirming { .. }));
    let screen = draw(&app);
    assert!(
        screen.contains("to 2 users with ClientMetadata campaign=november reminder,"),
        "{screen}"
    );
    assert!(
        screen.contains("source=support-desk, in pool prod"),
        "{screen}"
    );
    type_text(&mut app, "2");
    let (_, requests) = act(&app.update(key(KeyCode::Enter)));
    assert_eq!(requests.len(), 2);
    for request in &requests {
        match &request.action {
            Action::Resend(options) => {
                assert_eq!(options.client_metadata["campaign"], "november reminder");
                assert_eq!(options.client_metadata["source"], "support-desk");
            }
            other => panic!("{other:?}"),
        }
    }
}

#[test]
fn a_required_key_must_be_filled_before_an_invitation_goes() {
    let mut pools = pools();
    pools[0].required_metadata = vec!["ticket".into(), "locale".into()];
    pools[0].ticket_metadata_key = Some("ticket".into());
    let (mut app, effects) = App::new(pools, 0, SIZE, now());
    app.update(Msg::Page {
        generation: generation(&effects),
        result: Ok(page(vec![invited("ivy")], None)),
    });
    app.update(key(KeyCode::Enter));
    assert_eq!(action(&app).kind, ActionKind::Invite);
    // The ticket key is filled by the Ticket field, not a pair; locale waits to be filled.
    assert_eq!(
        action(&app).metadata.value(),
        "source=support-desk; locale="
    );
    app.update(key(KeyCode::Char('s')));
    assert_eq!(
        action(&app).notice.as_deref(),
        Some("metadata locale has an empty value: fill it in or leave the pair out")
    );
    app.update(key(KeyCode::Down));
    append(&mut app, "en-GB");
    app.update(key(KeyCode::Char('s')));
    assert_eq!(
        action(&app).notice.as_deref(),
        Some("the pool requires ClientMetadata ticket"),
        "the Ticket is still empty"
    );
    app.update(key(KeyCode::Up));
    app.update(key(KeyCode::Enter));
    type_text(&mut app, "T-42");
    app.update(key(KeyCode::Enter));
    app.update(key(KeyCode::Char('s')));
    let (_, requests) = act(&app.update(key(KeyCode::Char('y'))));
    match &requests[0].action {
        Action::Invite {
            client_metadata, ..
        } => {
            assert_eq!(client_metadata["locale"], "en-GB");
            assert!(
                !client_metadata.contains_key("ticket"),
                "the ticket goes under its key on the guarded path, from the Ticket field"
            );
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(requests[0].ticket.as_deref(), Some("T-42"));
}

#[test]
fn b_disables_the_marked_users_with_a_reason_and_a_typed_count() {
    let mut app = loaded(SIZE, vec![user("bot1", 1), user("bot2", 2)]);
    app.update(key(KeyCode::Char('*')));
    open_action(&mut app, 'b');
    assert_eq!(action(&app).kind, ActionKind::Disable);
    assert!(
        draw(&app).contains("Users      2: bot1, bot2"),
        "{}",
        draw(&app)
    );
    app.update(key(KeyCode::Char('s')));
    assert!(
        action(&app)
            .notice
            .as_deref()
            .unwrap_or_default()
            .contains("a reason is required"),
        "no reason, no run"
    );
    // Tab goes on to the next field and keeps typing there: the reason is not commands.
    app.update(key(KeyCode::Enter));
    type_text(&mut app, "BOT-1");
    app.update(key(KeyCode::Tab));
    type_text(&mut app, "wave from spam.example");
    app.update(key(KeyCode::Enter));
    assert_eq!(action(&app).ticket.value(), "BOT-1");
    assert_eq!(action(&app).reason.value(), "wave from spam.example");
    app.update(key(KeyCode::Char('s')));
    type_text(&mut app, "2");
    let (_, requests) = act(&app.update(key(KeyCode::Enter)));
    assert_eq!(requests.len(), 2);
    assert!(requests.iter().all(|r| r.action
        == Action::SetEnabled {
            enable: false,
            reason: "wave from spam.example".into()
        }
        && r.ticket.as_deref() == Some("BOT-1")));
}

#[test]
fn a_bulk_resend_leaves_disabled_users_out() {
    let mut off = user("off", 1);
    off.enabled = false;
    let mut app = loaded(SIZE, vec![off, user("on", 2)]);
    app.update(key(KeyCode::Char('*')));
    open_action(&mut app, 'r');
    let d = action(&app);
    assert_eq!(d.targets.len(), 1);
    assert_eq!(
        d.skipped_before,
        [("off".to_string(), "disabled".to_string())]
    );
}

#[test]
fn the_evidence_offers_its_fixes_u_and_o_each_through_a_guarded_dialog_then_r_resends() {
    let mut app = loaded(SIZE, vec![user("bea", 1)]);
    let settings = cogtui::cognito::diagnostics::PoolSettings {
        auto_verified: vec!["email".into(), "phone_number".into()],
        email_sending_account: Some("DEVELOPER".into()),
        email_source_arn: Some("arn:aws:ses:eu-central-1:123456789012:identity/example.com".into()),
        sns_region: Some("us-east-1".into()),
        ..Default::default()
    };
    app.update(Msg::Diagnosed {
        pool: "prod".into(),
        checks: Vec::new(),
        settings: Some(settings),
        at: now(),
    });
    app.update(key(KeyCode::Enter));
    check_passes(&mut app);
    // Nothing to fix yet: u and o do nothing.
    app.update(key(KeyCode::Char('u')));
    assert!(matches!(app.mode, Mode::Dialog(_)));
    app.update(Msg::Evidence {
        pool: "prod".into(),
        username: "bea".into(),
        checks: vec![
            cogtui::evidence::ses_suppressed(
                "bea@example.com",
                Ok(Some(cogtui::evidence::Suppressed {
                    reason: "BOUNCE".into(),
                    since: None,
                })),
            ),
            // The code goes by email: the STOP is said as information, and still fixable.
            cogtui::evidence::weigh(
                cogtui::evidence::sms_opted_out("+447700900123", Ok(true)),
                Some(false),
                "email",
            ),
        ],
    });
    let screen = draw(&app);
    assert!(
        screen.contains("Evidence   ✘ bea@example.com is on the SES suppression list")
            && screen.contains("· u unsuppress · o opt in"),
        "{screen}"
    );
    app.update(key(KeyCode::Char('u')));
    assert_eq!(action(&app).kind, ActionKind::Unsuppress);
    assert!(
        draw(&app).contains("Remove from the SES suppression list"),
        "{}",
        draw(&app)
    );
    app.update(key(KeyCode::Char('s')));
    let (id, requests) = act(&app.update(key(KeyCode::Char('y'))));
    assert_eq!(
        requests[0].action,
        Action::Unsuppress {
            region: "eu-central-1".into(),
            address: String::new()
        },
        "the region the pool's email goes out of; the address is the operation's look"
    );
    app.update(Msg::ActProgress {
        id,
        step: Step::Done {
            username: "bea".into(),
            answer: Answer::Done,
            settled: None,
        },
        at: now(),
        audit_warning: None,
    });
    app.update(Msg::ActDone {
        id,
        tally: Tally {
            done: 1,
            ..Tally::default()
        },
    });
    assert!(
        draw(&app).contains("r resends a confirmation code now"),
        "{}",
        draw(&app)
    );
    let effects = app.update(key(KeyCode::Char('r')));
    assert!(
        matches!(app.mode, Mode::Dialog(_)),
        "back to the resend dialog"
    );
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::FetchUser { username, .. } if username == "bea")),
        "looked at afresh, the evidence asked again: {effects:?}"
    );

    // o: the number back in to SMS, in the pool's SMS region.
    check_passes(&mut app);
    app.update(Msg::Evidence {
        pool: "prod".into(),
        username: "bea".into(),
        checks: vec![cogtui::evidence::sms_opted_out("+447700900123", Ok(true))],
    });
    app.update(key(KeyCode::Char('o')));
    assert_eq!(action(&app).kind, ActionKind::SmsOptIn);
    app.update(key(KeyCode::Char('s')));
    let (_, requests) = act(&app.update(key(KeyCode::Char('y'))));
    assert_eq!(
        requests[0].action,
        Action::SmsOptIn {
            region: "us-east-1".into(),
            number: String::new()
        }
    );
}

/// Five pending users marked, on a pool that sends with Cognito's own email, after `sent`
/// codes by email today: the bulk resend dialog.
fn bulk_resend_after(sent: i64) -> App {
    let users: Vec<_> = (1..=5).map(|i| user(&format!("q{i}"), i)).collect();
    let mut app = loaded(SIZE, users);
    troubled(&mut app);
    history(
        &mut app,
        (0..sent)
            .flat_map(|i| sent_records(&format!("earlier{i}"), 100 + i, "T"))
            .collect(),
    );
    app.update(key(KeyCode::Char('*')));
    open_action(&mut app, 'r');
    app
}

#[test]
fn a_bulk_resend_past_cognitos_50_emails_a_day_is_warned_before_the_count() {
    let app = bulk_resend_after(47);
    let screen = draw(&app);
    assert!(
        screen.contains("⚠ Cognito's own email sends 50 a day for the account"),
        "{screen}"
    );
    assert_eq!(
        action(&app).quota_warning.as_deref(),
        Some(
            "Cognito's own email sends 50 a day for the account; cogtui already caused 47 today, \
             so at most 3 of these 5 codes by email can arrive"
        )
    );
    // 45 sent: the 5 fit, nothing said.
    assert_eq!(action(&bulk_resend_after(45)).quota_warning, None);
}

#[test]
fn an_action_dialog_on_one_user_claims_them_and_a_colleague_needs_a_deliberate_o() {
    let mut app = loaded(SIZE, vec![invited("ivy")]);
    let effects = app.update(key(KeyCode::Enter));
    let claim = Effect::Claim {
        pool: "prod".into(),
        username: "ivy".into(),
        ticket: None,
    };
    assert_eq!(effects, vec![claim.clone()]);
    app.update(Msg::Claimed {
        pool: "prod".into(),
        username: "ivy".into(),
        colleague: Ok(None),
    });
    assert!(!draw(&app).contains("bob"));
    // The clock renews the claim and asks again: bob opened ivy meanwhile.
    assert_eq!(
        app.update(Msg::Clock(now() + chrono::Duration::seconds(5))),
        vec![claim]
    );
    app.update(Msg::Claimed {
        pool: "prod".into(),
        username: "ivy".into(),
        colleague: Ok(Some("bob has had this user open since 11:58 (T-9)".into())),
    });
    assert!(
        draw(&app).contains("⚠ bob has had this user open since 11:58 (T-9): O goes on anyway"),
        "{}",
        draw(&app)
    );
    app.update(key(KeyCode::Char('s')));
    assert!(
        app.update(key(KeyCode::Char('y'))).is_empty(),
        "y does not go"
    );
    assert!(
        draw(&app).contains("press O to go on anyway"),
        "{}",
        draw(&app)
    );
    let (id, requests) = act(&app.update(key(KeyCode::Char('O'))));
    assert!(requests[0].over_colleague && requests[0].keep_claim);
    app.update(Msg::ActDone {
        id,
        tally: Tally::default(),
    });
    let effects = app.update(key(KeyCode::Esc));
    assert!(
        effects.contains(&Effect::Release {
            pool: "prod".into(),
            username: "ivy".into(),
        }),
        "{effects:?}"
    );
}
