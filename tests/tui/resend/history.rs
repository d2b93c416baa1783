//! The TUI with the audit log and the pool checks: state tests, no terminal, no emulator.

use crate::support::*;
use chrono::Duration;
use cogtui::cognito::DeliveryMedium;
use cogtui::tui::app::{App, DiagnosticsScreen, Effect, History, Mode, Msg};
use cogtui::tui::screens::resend::Phase;
use crossterm::event::KeyCode;

fn open_checked(app: &mut App) {
    app.update(key(KeyCode::Enter));
    check_passes(app);
}

fn resend_effect(effects: &[Effect]) -> (u64, Option<String>, bool) {
    match (effects.len(), dialog_send(effects)) {
        (1, Some((id, _, request))) => (id, request.ticket.clone(), request.force),
        _ => panic!("expected one send, got {effects:?}"),
    }
}

#[test]
fn the_pool_checks_are_asked_for_once_and_again_on_r() {
    let (mut app, effects) = app(SIZE);
    assert!(effects.contains(&Effect::Diagnose {
        pool: "prod".into()
    }));
    assert!(effects.contains(&Effect::LoadHistory {
        pool: "prod".into(),
        case_sensitive: false,
    }));
    // D while the first check is out asks nothing more of Cognito.
    let effects = app.update(key(KeyCode::Char('D')));
    assert!(matches!(app.mode, Mode::Diagnostics { .. }));
    assert!(!effects.iter().any(|e| matches!(e, Effect::Diagnose { .. })));
    troubled(&mut app);
    app.update(key(KeyCode::Char('j')));
    assert!(matches!(
        app.mode,
        Mode::Diagnostics(DiagnosticsScreen { scroll: 1 })
    ));
    // Opening dialogs or D again never calls the Describe APIs again...
    app.update(key(KeyCode::Esc));
    let effects = app.update(key(KeyCode::Char('D')));
    assert!(!effects.iter().any(|e| matches!(e, Effect::Diagnose { .. })));
    // ...r does.
    let effects = app.update(key(KeyCode::Char('r')));
    assert_eq!(
        effects,
        vec![
            Effect::LoadHistory {
                pool: "prod".into(),
                case_sensitive: false,
            },
            Effect::Diagnose {
                pool: "prod".into()
            }
        ]
    );
    app.update(key(KeyCode::Char('q')));
    assert!(matches!(app.mode, Mode::Browse));
}

#[test]
fn the_audit_log_fills_last_resend_and_the_dialog_history() {
    let mut app = loaded(SIZE, vec![user("pending", 30), user("other", 40)]);
    assert!(!app.has_resends());
    let mut records = sent_records("pending", 120, "T-1");
    records.extend(sent_records("pending", 20, "T-2"));
    history(&mut app, records);
    assert!(app.has_resends(), "the column shows after a restart");
    let last = app.last_resend("pending").unwrap();
    assert_eq!(last.at, now() - Duration::minutes(20));
    assert_eq!(last.delivery.destination, "p***@e***.com");
    assert_eq!(last.delivery.medium, DeliveryMedium::Email);
    assert!(app.last_resend("other").is_none());
    assert_eq!(app.attempts("pending").len(), 2);
    assert_eq!(app.hourly_limit("pending"), None);
}

#[test]
fn five_resends_in_the_hour_need_an_explicit_override() {
    let mut app = loaded(SIZE, vec![user("pending", 30)]);
    history(
        &mut app,
        [50, 40, 30, 20, 10]
            .iter()
            .flat_map(|m| sent_records("pending", *m, "T"))
            .collect(),
    );
    assert_eq!(
        app.hourly_limit("pending"),
        Some(now() + Duration::minutes(10))
    );
    open_checked(&mut app);
    app.update(key(KeyCode::Char('s')));
    assert_eq!(dialog(&app).phase, Phase::Confirming);
    assert!(
        app.update(key(KeyCode::Char('y'))).is_empty(),
        "y does not send at the limit"
    );
    assert!(
        dialog(&app).notice.as_deref().unwrap().contains("press F"),
        "{:?}",
        dialog(&app).notice
    );
    let (_, _, force) = resend_effect(&app.update(key(KeyCode::Char('F'))));
    assert!(force, "the override reaches the guarded path");
    assert!(dialog(&app).notice.is_none());
}

#[test]
fn below_the_limit_f_is_not_a_send_key() {
    let mut app = loaded(SIZE, vec![user("pending", 30)]);
    history(&mut app, sent_records("pending", 10, "T"));
    open_checked(&mut app);
    app.update(key(KeyCode::Char('s')));
    assert!(app.update(key(KeyCode::Char('F'))).is_empty());
    let (_, ticket, force) = resend_effect(&app.update(key(KeyCode::Char('y'))));
    assert!(!force);
    assert_eq!(ticket, None, "an empty Ticket field sends no ticket");
}

#[test]
fn the_ticket_goes_with_the_send_and_fills_its_metadata_key() {
    let mut pools = pools();
    pools[0].ticket_metadata_key = Some("ticket".into());
    pools[0].required_metadata = vec!["ticket".into()];
    let (mut app, effects) = App::new(pools, 0, SIZE, now());
    app.update(Msg::Page {
        generation: generation(&effects),
        result: Ok(page(vec![user("pending", 1)], None)),
    });
    open_checked(&mut app);
    let d = dialog(&app);
    assert!(
        !d.rows.iter().any(|r| r.key.value() == "ticket"),
        "the Ticket field stands for the required key"
    );
    app.update(key(KeyCode::Char('s')));
    assert!(
        dialog(&app).notice.as_deref().unwrap().contains("a Ticket"),
        "{:?}",
        dialog(&app).notice
    );
    // A pair with the ticket's key is flagged: the Ticket field fills it.
    app.update(key(KeyCode::Char('a')));
    type_text(&mut app, "ticket");
    app.update(key(KeyCode::Tab));
    type_text(&mut app, "X");
    app.update(key(KeyCode::Enter));
    let row = dialog(&app).rows.len() - 1;
    assert!(
        dialog(&app)
            .row_problem(row)
            .unwrap()
            .contains("the Ticket field fills this key")
    );
    app.update(key(KeyCode::Char('d')));
    // The Ticket field takes typing and pastes like any field.
    app.update(key(KeyCode::Home));
    while dialog(&app).focus != cogtui::tui::screens::resend::Slot::Ticket {
        app.update(key(KeyCode::Up));
    }
    app.update(key(KeyCode::Enter));
    app.update(Msg::Paste("INC-7".into()));
    app.update(key(KeyCode::Enter));
    assert_eq!(dialog(&app).ticket.value(), "INC-7");
    app.update(key(KeyCode::Char('s')));
    let (_, ticket, _) = resend_effect(&app.update(key(KeyCode::Char('y'))));
    assert_eq!(ticket.as_deref(), Some("INC-7"));
}

#[test]
fn after_a_send_c_copies_the_reply_with_what_the_checks_found() {
    let mut app = loaded(SIZE, vec![user("pending", 30)]);
    troubled(&mut app);
    open_checked(&mut app);
    assert!(
        app.update(key(KeyCode::Char('c'))).is_empty(),
        "nothing to copy before a send"
    );
    app.update(key(KeyCode::Char('s')));
    let (id, _, _) = resend_effect(&app.update(key(KeyCode::Char('y'))));
    let effects = answer_delivered(&mut app, id, "pending");
    let watch = match effects.as_slice() {
        [
            Effect::LoadHistory {
                pool,
                case_sensitive: false,
            },
            Effect::Watch {
                id,
                username,
                since,
                ..
            },
        ] => {
            assert_eq!(pool, "prod", "the history is read again after a send");
            assert_eq!(
                username, "pending",
                "and the send is watched in the delivery logs"
            );
            assert!(*since <= now(), "from the send on");
            *id
        }
        other => panic!("{other:?}"),
    };
    assert!(
        draw(&app).contains("Watch      reading the delivery logs"),
        "{}",
        draw(&app)
    );
    app.update(Msg::Watched {
        id: watch,
        seen: cogtui::evidence::Watched::Quiet {
            elapsed: std::time::Duration::from_secs(90),
            of: std::time::Duration::from_secs(120),
            over: false,
        },
    });
    assert!(
        draw(&app)
            .contains("Watch      ✔ no delivery error logged for 1m 30s (watching 2m) · Esc stops"),
        "{}",
        draw(&app)
    );
    match app.update(key(KeyCode::Char('c'))).as_slice() {
        [Effect::Copy(text)] => {
            assert!(
                text.starts_with(
                    "We have sent a new confirmation code by email to p***@e***.com. It is valid \
                     for 24 hours"
                ),
                "{text}"
            );
            assert!(text.contains("link rather than a code"), "{text}");
            assert!(text.contains("no-reply@verificationemail.com"), "{text}");
            assert!(
                !text.contains("delivery log"),
                "nothing found, nothing said: {text}"
            );
        }
        other => panic!("{other:?}"),
    }
    assert!(app.toast.as_deref().unwrap().contains("copied"));
    // An error logged for the send: in the dialog, and in the reply.
    app.update(Msg::Watched {
        id: watch,
        seen: cogtui::evidence::Watched::Found(vec![cogtui::evidence::LogEvent {
            at: now(),
            group: "/cognito/prod".into(),
            message: r#"{"message":{"details":"Email address is blacklisted"}}"#.into(),
        }]),
    });
    assert!(
        draw(&app).contains("✘ delivery error logged at 12:00:00: Email address is blacklisted"),
        "{}",
        draw(&app)
    );
    match app.update(key(KeyCode::Char('c'))).as_slice() {
        [Effect::Copy(text)] => assert!(
            text.contains("Our delivery log shows a problem with this message (delivery error logged at 12:00:00: Email address is blacklisted)"),
            "{text}"
        ),
        other => panic!("{other:?}"),
    }
    // A read from a watch that is not this dialog's changes nothing; closing stops the watch.
    app.update(Msg::Watched {
        id: watch + 100,
        seen: cogtui::evidence::Watched::Cannot("x".into()),
    });
    assert!(draw(&app).contains("Email address is blacklisted"));
}

#[test]
fn closing_the_dialog_stops_the_watch_of_its_send() {
    let mut app = loaded(SIZE, vec![user("pending", 30)]);
    open_checked(&mut app);
    app.update(key(KeyCode::Char('s')));
    let (id, _, _) = resend_effect(&app.update(key(KeyCode::Char('y'))));
    let effects = answer_delivered(&mut app, id, "pending");
    let watch = effects
        .iter()
        .find_map(|e| match e {
            Effect::Watch { id, .. } => Some(*id),
            _ => None,
        })
        .expect("a watch");
    assert_eq!(
        app.update(key(KeyCode::Esc)),
        vec![Effect::Stop { id: watch }]
    );
}

#[test]
fn an_unrecorded_outcome_is_told_to_the_operator() {
    let mut app = loaded(SIZE, vec![user("pending", 30)]);
    open_checked(&mut app);
    app.update(key(KeyCode::Char('s')));
    let (id, _, _) = resend_effect(&app.update(key(KeyCode::Char('y'))));
    answer_send(
        &mut app,
        Sent {
            audit_warning: Some("the outcome was not recorded (the intent was): disk full".into()),
            ..Sent::new(id, "pending", Ok(by_email()))
        },
    );
    assert!(app.toast.as_deref().unwrap().contains("not recorded"));
}

#[test]
fn skipped_lines_in_the_audit_log_are_told_not_hidden() {
    let mut app = loaded(SIZE, vec![user("pending", 30)]);
    app.update(Msg::History {
        pool: "prod".into(),
        result: Ok(History::default()),
        skipped: 2,
    });
    assert_eq!(
        app.toast.as_deref(),
        Some("audit log: skipped 2 lines that are not cogtui records (see the log file)")
    );
}

#[test]
fn the_dialog_asks_sns_about_the_users_number_and_shows_the_answer_as_evidence() {
    use cogtui::cognito::diagnostics::Check;
    let mut phoned = user("stopper", 30);
    phoned
        .attributes
        .insert("phone_number".into(), "+447700900149".into());
    let mut app = loaded(SIZE, vec![phoned, user("mailer", 40)]);
    app.update(key(KeyCode::Enter));
    let name = dialog(&app).username.clone();
    assert_eq!(name, "stopper");
    let fresh = app
        .users
        .all()
        .find(|u| u.username == name)
        .cloned()
        .unwrap();
    let effects = answer_look(&mut app, &name, Ok(fresh));
    assert_eq!(
        effects,
        vec![Effect::Evidence {
            pool: "prod".into(),
            username: "stopper".into(),
            redact: false,
        }]
    );
    assert!(
        draw(&app).contains("Evidence   asking SES, SNS and the delivery logs"),
        "{}",
        draw(&app)
    );
    let stop = cogtui::evidence::sms_opted_out("+447700900149", Ok(true));
    app.update(Msg::Evidence {
        pool: "prod".into(),
        username: "stopper".into(),
        checks: vec![stop],
    });
    let screen = draw(&app);
    assert!(
        screen.contains("Evidence   ✘ +447700900149 has opted out of SMS"),
        "{screen}"
    );
    assert!(
        screen.contains("· o opt in"),
        "the fix is offered: {screen}"
    );
    // Said where the operator decides, too.
    app.update(key(KeyCode::Char('s')));
    let prompt = draw(&app);
    assert!(
        prompt.contains("✘ This code will not arrive: +447700900149 has opted out of SMS"),
        "{prompt}"
    );
    app.update(key(KeyCode::Char('n')));
    // Evidence about another user (a dialog since closed) changes nothing here.
    app.update(Msg::Evidence {
        pool: "prod".into(),
        username: "mailer".into(),
        checks: Vec::<Check>::new(),
    });
    assert!(draw(&app).contains("has opted out"));
    // A user without a phone is asked about too (SES, the delivery logs); one Cognito no
    // longer has is not.
    app.update(key(KeyCode::Esc));
    app.update(key(KeyCode::Down));
    app.update(key(KeyCode::Enter));
    let effects = answer_look(&mut app, "mailer", Ok(user("mailer", 40)));
    assert_eq!(
        effects,
        vec![Effect::Evidence {
            pool: "prod".into(),
            username: "mailer".into(),
            redact: false,
        }]
    );
    app.update(Msg::Evidence {
        pool: "prod".into(),
        username: "mailer".into(),
        checks: vec![cogtui::evidence::ses_suppressed(
            "mailer@example.com",
            Ok(None),
        )],
    });
    assert!(
        draw(&app).contains("✔ nothing in SES, SNS or the delivery logs stands in this code's way"),
        "{}",
        draw(&app)
    );
    app.update(key(KeyCode::Esc));
    app.update(key(KeyCode::Enter));
    let effects = answer_look(
        &mut app,
        "mailer",
        Err(cogtui::cognito::ApiError::service(
            cogtui::cognito::Operation::GetUser,
            "UserNotFoundException",
            Some("gone"),
        )),
    );
    assert!(effects.is_empty(), "{effects:?}");
    assert!(!draw(&app).contains("Evidence"), "{}", draw(&app));
}

#[test]
fn every_line_of_the_dialog_stays_off_its_border_and_a_colleague_is_shown_whole() {
    for width in [70, 80, 100, 140] {
        let mut pools = pools();
        pools[0].ticket_metadata_key = Some("ticket".into());
        let (mut app, effects) = App::new(pools, 0, (width, 34), now());
        app.update(Msg::Page {
            generation: generation(&effects),
            result: Ok(page(vec![user("pending", 30)], None)),
        });
        open_checked(&mut app);
        app.update(Msg::Claimed {
            pool: "prod".into(),
            username: "pending".into(),
            colleague: Ok(Some(
                "alice has had this user open since 14:02 (T-1001); bob sent a code at \
                 14:05:09 (T-1002)"
                    .into(),
            )),
        });
        let screen = draw(&app);
        let lines: Vec<&str> = screen.lines().collect();
        let top = lines
            .iter()
            .position(|l| l.contains("╭ Resend confirmation code"))
            .unwrap_or_else(|| panic!("{screen}"));
        let border = lines[top].chars().position(|c| c == '╭').unwrap_or(0);
        // Inside the box, each line starts with the margin (a wrapped line would start at the
        // border), up to the bottom edge.
        let inside: Vec<String> = lines[top + 1..]
            .iter()
            .take_while(|l| !l.contains('╰'))
            .map(|l| {
                l.chars()
                    .skip(border)
                    .take(width as usize - 2 * border)
                    .collect()
            })
            .collect();
        for line in &inside {
            assert!(
                line.starts_with("│ ") || line.starts_with("│▸"),
                "at {width} columns a line wraps to the border: {line:?}\n{screen}"
            );
        }
        let text = inside
            .iter()
            .map(|l| l.trim_matches(|c: char| c == '│' || c.is_whitespace()))
            .collect::<Vec<_>>()
            .join(" ");
        assert!(
            text.contains("14:05:09 (T-1002) · O goes on anyway")
                && text.contains("also sent as ClientMetadata ticket"),
            "at {width} columns:\n{screen}"
        );
    }
}

#[test]
fn a_colleague_on_the_user_is_named_and_only_a_deliberate_o_sends() {
    let mut app = loaded(SIZE, vec![user("pending", 30)]);
    let effects = app.update(key(KeyCode::Enter));
    assert!(
        effects.contains(&Effect::Claim {
            pool: "prod".into(),
            username: "pending".into(),
            ticket: None,
        }),
        "opening the dialog claims the user: {effects:?}"
    );
    check_passes(&mut app);
    app.update(Msg::Claimed {
        pool: "prod".into(),
        username: "pending".into(),
        colleague: Ok(Some(
            "alice has had this user open since 14:02 (T-1001)".into(),
        )),
    });
    assert!(
        draw(&app).contains(
            "Colleague  ⚠ alice has had this user open since 14:02 (T-1001) · O goes on anyway"
        ),
        "{}",
        draw(&app)
    );
    app.update(key(KeyCode::Char('s')));
    assert!(
        draw(&app).contains("a second code invalidates theirs")
            && draw(&app).contains(" O send anyway "),
        "{}",
        draw(&app)
    );
    assert!(
        app.update(key(KeyCode::Char('y'))).is_empty(),
        "y does not send past a colleague"
    );
    assert!(
        dialog(&app)
            .notice
            .as_deref()
            .unwrap()
            .contains("press O to send anyway")
    );
    let effects = app.update(key(KeyCode::Char('O')));
    match dialog_send(&effects) {
        Some((id, _, request)) if request.over_colleague && !request.force => {
            answer_delivered(&mut app, id, "pending");
        }
        _ => panic!("{effects:?}"),
    }
    let closed = app.update(key(KeyCode::Esc));
    assert!(
        closed.contains(&Effect::Release {
            pool: "prod".into(),
            username: "pending".into(),
        }),
        "closing lets go of the user: {closed:?}"
    );
}

#[test]
fn an_open_dialog_keeps_its_claim_and_asks_again_who_else_is_on_the_user() {
    let mut app = loaded(SIZE, vec![user("pending", 30)]);
    app.update(key(KeyCode::Enter));
    check_passes(&mut app);
    app.update(Msg::Claimed {
        pool: "prod".into(),
        username: "pending".into(),
        colleague: Ok(None),
    });
    let claim = vec![Effect::Claim {
        pool: "prod".into(),
        username: "pending".into(),
        ticket: None,
    }];
    assert_eq!(
        app.update(Msg::Clock(now() + chrono::Duration::seconds(5))),
        claim,
        "renewed, and asked again"
    );
    assert!(
        app.update(Msg::Clock(now() + chrono::Duration::seconds(5)))
            .is_empty(),
        "one ask a tick"
    );
    // A colleague sent meanwhile: the answer names them at once, and the History line is read
    // again (once, not on every tick that says the same).
    let sent = || Msg::Claimed {
        pool: "prod".into(),
        username: "pending".into(),
        colleague: Ok(Some("bob sent a code at 12:00 (5s ago) for T-7".into())),
    };
    assert_eq!(
        app.update(sent()),
        vec![Effect::LoadHistory {
            pool: "prod".into(),
            case_sensitive: false,
        }]
    );
    assert!(app.update(sent()).is_empty());
    assert!(
        draw(&app).contains("Colleague  ⚠ bob sent a code at 12:00 (5s ago) for T-7"),
        "{}",
        draw(&app)
    );
    assert_eq!(
        app.update(Msg::Clock(now() + chrono::Duration::seconds(10))),
        claim
    );
    // Refused for a colleague at the send (their claim came after the last ask): O is asked
    // for next time.
    app.update(Msg::Claimed {
        pool: "prod".into(),
        username: "pending".into(),
        colleague: Ok(None),
    });
    app.update(key(KeyCode::Char('s')));
    let (id, _, _) = resend_effect(&app.update(key(KeyCode::Char('y'))));
    answer_send(
        &mut app,
        Sent::new(
            id,
            "pending",
            Err(cogtui::cognito::ApiError::local(
                cogtui::cognito::Operation::Resend,
                cogtui::cognito::ErrorKind::ColleagueOnUser,
                "bob sent a code at 12:01 (4m ago) for T-7: nothing was done",
            )),
        ),
    );
    assert_eq!(
        dialog(&app).colleague_text(),
        Some("bob sent a code at 12:01 (4m ago) for T-7")
    );
}
