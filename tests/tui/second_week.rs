//! What the second week at the desk tripped over in the resend dialog: failures hidden behind
//! warnings, `D` advertised and dead, and "fix your draft" after a failure no draft can fix.

use crate::support::*;
use cogtui::cognito::{ApiError, Operation};
use cogtui::tui::app::{App, Effect, Mode, Msg, StatsScreen};
use crossterm::event::KeyCode;

const SIZE: (u16, u16) = (120, 40);

/// Staging: the default sender, links not codes, and a client secret nobody configured.
fn staging(app: &mut App) {
    diagnosed(app, true);
}

#[test]
fn failures_come_first_marked_and_whole_and_the_prompt_says_the_send_will_fail() {
    let mut app = loaded(SIZE, vec![user("pending", 1)]);
    staging(&mut app);
    app.update(key(KeyCode::Enter));
    check_passes(&mut app);
    let screen = draw(&app);
    let pool = screen
        .lines()
        .position(|l| l.contains(" Pool "))
        .expect("the Pool line");
    let lines: Vec<&str> = screen.lines().collect();
    assert!(
        lines[pool].contains('✘'),
        "the failure first: {}",
        lines[pool]
    );
    assert!(
        !lines[pool].contains('…'),
        "a failure is never cut: {screen}"
    );
    assert!(screen.contains("⚠"), "the warnings after it: {screen}");
    app.update(key(KeyCode::Char('s')));
    let prompt = draw(&app);
    assert!(
        prompt.contains("✘ This send will most likely fail: The app client has a secret"),
        "said where the operator decides: {prompt}"
    );
}

#[test]
fn d_in_the_dialog_shows_the_checks_and_esc_comes_back_to_the_draft() {
    let mut app = loaded(SIZE, vec![user("pending", 1)]);
    staging(&mut app);
    app.update(key(KeyCode::Enter));
    check_passes(&mut app);
    add_pair(&mut app, "case", "C-1");
    app.update(key(KeyCode::Char('D')));
    assert!(matches!(app.mode, Mode::Diagnostics { .. }));
    app.update(key(KeyCode::Esc));
    assert_eq!(dialog(&app).username, "pending");
    assert!(
        dialog(&app).rows.iter().any(|r| r.key.value() == "case"),
        "the draft is as it was"
    );
}

#[test]
fn after_a_failure_no_draft_can_fix_the_dialog_says_what_to_do_instead() {
    let mut app = loaded(SIZE, vec![user("pending", 1)]);
    app.update(key(KeyCode::Enter));
    check_passes(&mut app);
    let id = confirm_send(&mut app);
    answer_send(
        &mut app,
        Sent::new(
            id,
            "pending",
            Err(ApiError::service(
                Operation::Resend,
                "NotAuthorizedException",
                Some("Client 1example is configured with secret but SECRET_HASH was not received"),
            )),
        ),
    );
    let screen = draw(&app);
    assert!(!screen.contains("fix it and press s"), "{screen}");
    assert!(screen.contains("set the pool's client secret"), "{screen}");
}

#[test]
fn the_help_follows_read_only_mode() {
    let mut app = loaded(SIZE, vec![user("pending", 1)]);
    app.update(key(KeyCode::Char('?')));
    let help = draw(&app);
    assert!(
        help.contains("resend a code to the selected user"),
        "{help}"
    );
    app.update(key(KeyCode::Esc));
    app.read_only = true;
    app.update(key(KeyCode::Char('?')));
    let help = draw(&app);
    assert!(
        help.contains("read-only: resends and admin actions are off"),
        "{help}"
    );
    assert!(
        !help.contains("resend a code to the selected user"),
        "{help}"
    );
    assert!(!help.contains("actions: invite again"), "{help}");
    assert!(!help.contains("In the resend dialog"), "{help}");
}

#[test]
fn the_refresh_notice_goes_when_the_refresh_is_over() {
    let mut app = loaded(SIZE, vec![user("pending", 1)]);
    let effects = app.update(key(KeyCode::Char('r')));
    assert!(
        app.toast
            .as_deref()
            .unwrap_or_default()
            .starts_with("refreshing")
    );
    app.update(Msg::Page {
        generation: generation(&effects),
        result: Ok(page(vec![user("pending", 1)], None)),
    });
    assert_eq!(app.toast, None);
}

#[test]
fn last_resend_shows_only_when_a_loaded_user_has_one() {
    let mut app = loaded(SIZE, vec![user("pending", 1)]);
    history(&mut app, sent_records("someone.else", 5, "T-1"));
    assert!(
        !draw(&app).contains("LAST RESEND"),
        "a resend to a user not in the list"
    );
    history(&mut app, sent_records("pending", 5, "T-1"));
    assert!(draw(&app).contains("LAST RESEND"));
}

#[test]
fn last_resend_shows_when_a_user_with_one_arrives_after_the_history() {
    let (mut app, effects) = app(SIZE);
    let first = generation(&effects);
    history(&mut app, sent_records("late", 5, "T-1"));
    app.update(Msg::Page {
        generation: first,
        result: Ok(page(vec![user("early", 1)], Some("t1"))),
    });
    assert!(!app.has_resends());
    app.update(Msg::Page {
        generation: first,
        result: Ok(page(vec![user("late", 2)], None)),
    });
    assert!(app.has_resends(), "counted as the page arrived");
    // A refresh starts over: the column waits for the user to come back.
    let effects = app.update(key(KeyCode::Char('r')));
    app.update(Msg::Page {
        generation: generation(&effects),
        result: Ok(page(vec![user("early", 1)], Some("t2"))),
    });
    assert!(!app.has_resends());
}

#[test]
fn a_fixed_address_shows_at_once_in_the_dialog_the_row_and_the_details() {
    use cogtui::ops::Answer;
    use cogtui::ops::bulk::Step;
    let mut app = loaded(SIZE, vec![user("eve", 1)]);
    open_action(&mut app, 'f');
    app.update(key(KeyCode::Down));
    app.update(key(KeyCode::Enter));
    app.update(ctrl('u'));
    type_text(&mut app, "eve@fixed.example");
    app.update(key(KeyCode::Enter));
    app.update(key(KeyCode::Char('s')));
    let id = match app.update(key(KeyCode::Char('y'))).as_slice() {
        [Effect::Act { id, .. }] => *id,
        other => panic!("{other:?}"),
    };
    app.update(Msg::ActProgress {
        id,
        step: Step::Done {
            username: "eve".into(),
            answer: Answer::Done,
            settled: None,
        },
        at: now(),
        audit_warning: None,
    });
    assert_eq!(
        app.users
            .selected_user()
            .and_then(|u| u.email().map(str::to_string))
            .as_deref(),
        Some("eve@fixed.example")
    );
    let screen = draw(&app);
    assert!(
        !screen.contains("eve@example.com"),
        "the old address is gone: {screen}"
    );
}

#[test]
fn the_charts_show_what_the_table_shows_and_say_so() {
    let (mut app, effects) = crate::support::app(SIZE);
    let generation = generation(&effects);
    app.update(Msg::Page {
        generation,
        result: Ok(page(
            vec![user("grace.a", 1), user("grace.b", 200), user("olu", 300)],
            Some("next"),
        )),
    });
    app.update(key(KeyCode::Char('/')));
    type_text(&mut app, "grace");
    app.update(key(KeyCode::Enter));
    open_stats(&mut app);
    assert_eq!(app.stats().total, 2);
    let screen = draw(&app);
    assert!(
        screen.contains("The pending pile: 2 unconfirmed users shown (filter \"grace\", of 3"),
        "{screen}"
    );
    // A page arriving while the charts are open is counted as the table shows it.
    app.update(Msg::Page {
        generation,
        result: Ok(page(vec![user("grace.c", 5), user("ivy", 6)], None)),
    });
    match &app.mode {
        Mode::Stats(StatsScreen { stats, .. }) => assert_eq!(stats.total, 3),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_national_number_finds_the_user_by_the_pools_usual_country_code() {
    let with_phone = |name: &str, phone: &str| {
        let mut u = user(name, 1);
        u.attributes.insert("phone_number".into(), phone.into());
        u
    };
    let mut app = loaded(
        SIZE,
        vec![
            with_phone("olu", "+447227076888"),
            with_phone("ann", "+447700900123"),
            with_phone("bob", "+15551234567"),
        ],
    );
    app.update(key(KeyCode::Char('/')));
    type_text(&mut app, "07227 076888");
    let shown: Vec<String> = app.users.visible().map(|u| u.username.clone()).collect();
    assert_eq!(shown, ["olu"]);
    let screen = draw(&app);
    assert!(
        screen.contains("read as +447227076888"),
        "said how it was read: {screen}"
    );
}

#[test]
fn the_wave_is_selectable_and_enter_shows_its_users() {
    let mut users: Vec<cogtui::cognito::User> = (0..60)
        .map(|h| user(&format!("calm{h}"), h * 2 + 1))
        .collect();
    for i in 0..40 {
        let mut u = user(&format!("bot{i}"), 0);
        u.attributes
            .insert("email".into(), format!("bot{i}@wave.example"));
        u.created = Some(now() - chrono::Duration::minutes(300 + i));
        users.push(u);
    }
    let mut app = loaded(SIZE, users);
    open_stats(&mut app);
    let screen = draw(&app);
    assert!(
        screen.contains("40 sign-ups from wave.example") && screen.contains("a likely bot wave"),
        "{screen}"
    );
    // A click on the wave's line selects it too.
    let y = screen
        .lines()
        .position(|l| l.contains("a likely bot wave"))
        .expect("the wave's line") as u16;
    app.update(Msg::Mouse(crossterm::event::MouseEvent {
        kind: crossterm::event::MouseEventKind::Down(crossterm::event::MouseButton::Left),
        column: 5,
        row: y,
        modifiers: crossterm::event::KeyModifiers::NONE,
    }));
    assert!(
        matches!(
            app.mode,
            Mode::Stats(StatsScreen {
                panel: cogtui::tui::app::StatsPanel::Wave,
                ..
            })
        ),
        "{:?}",
        app.mode
    );
    app.update(key(KeyCode::Esc));
    open_stats(&mut app);
    for _ in 0..3 {
        app.update(key(KeyCode::Down));
    }
    assert!(matches!(
        app.mode,
        Mode::Stats(StatsScreen {
            panel: cogtui::tui::app::StatsPanel::Wave,
            ..
        })
    ));
    app.update(key(KeyCode::Enter));
    assert!(matches!(app.mode, Mode::Browse));
    assert_eq!(
        app.users.visible_len(),
        40,
        "the wave's users, and only them"
    );
    assert!(app.users.visible().all(|u| u.username.starts_with("bot")));
}

#[test]
fn at_80_columns_the_phone_the_pool_id_and_every_key_stay() {
    let mut u = user("olu", 1);
    u.attributes
        .insert("phone_number".into(), "+447227076888".into());
    for i in 0..12 {
        u.attributes
            .insert(format!("custom:field{i:02}"), format!("value {i}"));
    }
    let app = loaded((80, 24), vec![u]);
    let screen = draw(&app);
    let lines: Vec<&str> = screen.lines().collect();
    assert!(
        lines[0].contains("eu-west-1_AbCdEf123"),
        "the pool id is kept: {}",
        lines[0]
    );
    assert!(lines[2].contains("PHONE"), "{}", lines[2]);
    assert!(screen.contains("+447227076888"));
    let keys = lines.last().copied().unwrap_or_default();
    for key in ["r refresh", "p pools", "? help", "q quit"] {
        assert!(keys.contains(key), "{key} on the key line: {keys}");
    }
    assert!(
        screen.contains("more lines (a taller terminal shows them)"),
        "{screen}"
    );
}

#[test]
fn the_footer_shows_the_keys_of_the_screen_with_the_focus() {
    let mut app = loaded(SIZE, vec![user("pending", 1)]);
    assert!(
        draw(&app)
            .lines()
            .last()
            .unwrap_or_default()
            .contains("Enter resend")
    );
    app.update(key(KeyCode::Enter));
    check_passes(&mut app);
    let footer = draw(&app).lines().last().unwrap_or_default().to_string();
    assert!(
        footer.starts_with(" resend dialog: s send · D pool checks · Esc close · ↑↓ move"),
        "{footer}"
    );
    assert!(
        !footer.contains("t status"),
        "not the list's keys: {footer}"
    );
}

#[test]
fn q_closes_every_dialog_outside_a_field_and_is_a_letter_inside_one() {
    let mut app = loaded(SIZE, vec![user("pending", 1)]);
    app.update(key(KeyCode::Enter));
    check_passes(&mut app);
    app.update(key(KeyCode::Char('q')));
    assert!(matches!(app.mode, Mode::Browse), "the resend dialog");
    open_action(&mut app, 'x');
    app.update(key(KeyCode::Enter));
    type_text(&mut app, "q");
    app.update(key(KeyCode::Enter));
    match &app.mode {
        Mode::Action(d) => assert_eq!(d.ticket.value(), "q", "inside a field q is text"),
        other => panic!("{other:?}"),
    }
    app.update(key(KeyCode::Char('q')));
    assert!(matches!(app.mode, Mode::Browse), "the action dialog");
    for open in ['?', 'D', 'S'] {
        app.update(key(KeyCode::Char(open)));
        app.update(key(KeyCode::Char('q')));
        assert!(matches!(app.mode, Mode::Browse), "{open}");
    }
}

#[test]
fn the_scrollbar_is_a_light_track_with_a_thumb_and_only_when_rows_are_hidden() {
    let last_column = |screen: &str| -> String {
        screen
            .lines()
            .filter(|l| l.chars().count() == SIZE.0 as usize)
            .filter_map(|l| l.chars().last())
            .collect()
    };
    let many = loaded(
        SIZE,
        (0..300).map(|i| user(&format!("u{i:03}"), i)).collect(),
    );
    let bar = last_column(&draw(&many));
    let thumb = bar.chars().filter(|c| *c == '█').count();
    let track = bar.chars().filter(|c| *c == '│').count();
    assert!(thumb >= 1 && track > thumb * 4, "{bar:?}");
    let few = loaded(SIZE, vec![user("one", 1), user("two", 2)]);
    assert!(!draw(&few).contains('█'), "every row shown: no bar");
}
