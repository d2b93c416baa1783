//! Snapshots of every screen, drawn with ratatui's TestBackend at 100x30 and at a narrow size.

use crate::support::*;
use cogtui::cognito::{ApiError, Delivery, DeliveryMedium, ErrorKind, Operation};
use cogtui::tui::app::{App, Msg};
use crossterm::event::KeyCode;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

const WIDE: (u16, u16) = (100, 30);
const NARROW: (u16, u16) = (64, 20);

fn sample_users() -> Vec<cogtui::cognito::User> {
    let mut users: Vec<_> = (0..40)
        .map(|i| user(&format!("user.{i:02}"), i * 7))
        .collect();
    users[1]
        .attributes
        .insert("phone_number".into(), "+447700900123".into());
    users[2].enabled = false;
    users[3].attributes.insert(
        "email".into(),
        "a.very.long.email.address.that.will.not.fit@subdomain.example.com".into(),
    );
    users
}

fn both(name: &str, make: impl Fn((u16, u16)) -> App) {
    insta::assert_snapshot!(format!("{name}_wide"), draw(&make(WIDE)));
    insta::assert_snapshot!(format!("{name}_narrow"), draw(&make(NARROW)));
}

#[test]
fn main_screen() {
    both("main", |size| {
        let mut app = loaded(size, sample_users());
        app.update(key(KeyCode::Down));
        app
    });
}

#[test]
fn loading_with_pages_still_arriving() {
    both("loading", |size| {
        let (mut app, effects) = app(size);
        let generation = generation(&effects);
        app.update(Msg::Page {
            generation,
            result: Ok(page(sample_users()[..5].to_vec(), Some("more"))),
        });
        app
    });
}

#[test]
fn error_banner_keeps_the_rows() {
    both("error_banner", |size| {
        let mut app = loaded(size, sample_users());
        let effects = app.update(key(KeyCode::Char('r')));
        let err = ApiError::service(
            Operation::ListUsers,
            "AccessDeniedException",
            Some(
                "User: arn:aws:iam::123456789012:user/desk is not authorized to perform: cognito-idp:ListUsers",
            ),
        );
        app.update(Msg::Page {
            generation: generation(&effects),
            result: Err(err),
        });
        app
    });
}

#[test]
fn empty_pool() {
    both("empty", |size| loaded(size, vec![]));
}

#[test]
fn too_small() {
    insta::assert_snapshot!("too_small", draw(&loaded((50, 12), sample_users())));
}

#[test]
fn hostile_attributes_are_escaped() {
    both("escapes", |size| {
        let mut evil = user("mallory\x1b]0;pwned\x07", 0);
        evil.attributes.insert(
            "name".into(),
            "Mallory \x1b[31mRED\x1b[0m \u{202e}txt.exe".into(),
        );
        evil.attributes
            .insert("email".into(), "m@example.com\r\nX-Injected: yes".into());
        loaded(size, vec![evil, user("plain", 1)])
    });
}

#[test]
fn filter_in_progress() {
    both("filter", |size| {
        let mut app = loaded(size, sample_users());
        app.update(key(KeyCode::Char('/')));
        type_text(&mut app, "user.1");
        app
    });
}

fn dialog_app(size: (u16, u16)) -> App {
    let mut app = loaded(size, sample_users());
    app.update(key(KeyCode::Down));
    app.update(key(KeyCode::Enter));
    check_passes(&mut app);
    add_pair(&mut app, "ticket", "T-4711");
    app
}

#[test]
fn resend_dialog_editing() {
    both("dialog_edit", |size| {
        let mut app = dialog_app(size);
        app.update(key(KeyCode::Char('a')));
        type_text(&mut app, "source");
        app.update(key(KeyCode::Tab));
        type_text(&mut app, "dup");
        app
    });
}

#[test]
fn resend_dialog_while_checking_the_user() {
    both("dialog_checking", |size| {
        let mut app = loaded(size, sample_users());
        app.update(key(KeyCode::Enter));
        app
    });
}

#[test]
fn resend_dialog_optional_fields() {
    both("dialog_optional", |size| {
        let mut app = dialog_app(size);
        app.update(key(KeyCode::Char('x')));
        app
    });
}

#[test]
fn resend_dialog_confirm_and_sending() {
    both("dialog_confirm", |size| {
        let mut app = dialog_app(size);
        app.update(key(KeyCode::Char('s')));
        app
    });
    both("dialog_sending", |size| {
        let mut app = dialog_app(size);
        app.update(key(KeyCode::Char('s')));
        app.update(key(KeyCode::Char('y')));
        app
    });
}

fn sent(size: (u16, u16), result: Result<Delivery, ApiError>) -> App {
    let mut app = dialog_app(size);
    let id = confirm_send(&mut app);
    answer_send(
        &mut app,
        Sent {
            at: now() + chrono::Duration::seconds(90),
            ..Sent::new(id, "user.01", result)
        },
    );
    app
}

#[test]
fn resend_result_success_and_the_row_after() {
    let delivery = Delivery {
        destination: "+*******0123".into(),
        medium: DeliveryMedium::Sms,
        attribute_name: "phone_number".into(),
    };
    both("dialog_sent", |size| sent(size, Ok(delivery.clone())));
    both("main_after_resend", |size| {
        let mut app = sent(size, Ok(delivery.clone()));
        app.update(key(KeyCode::Enter));
        app
    });
}

#[test]
fn resend_result_failure() {
    both("dialog_failed", |size| {
        sent(
            size,
            Err(ApiError::service(
                Operation::Resend,
                "LimitExceededException",
                Some("Attempt limit exceeded, please try after some time."),
            )),
        )
    });
    both("dialog_unknown_outcome", |size| {
        sent(
            size,
            Err(ApiError::local(
                Operation::Resend,
                ErrorKind::Timeout,
                "timed out",
            )),
        )
    });
    let mut app = sent(
        WIDE,
        Err(ApiError::local(
            Operation::Resend,
            ErrorKind::Timeout,
            "timed out",
        )),
    );
    let screen = draw(&app);
    assert!(
        screen.contains("Cognito did not answer (at 12:01:30)"),
        "{screen}"
    );
    assert!(screen.contains("may have been sent"), "{screen}");
    assert!(!screen.contains("try again"), "{screen}");
    // Sending again within the minute asks with the warning.
    app.now = now() + chrono::Duration::seconds(100);
    app.update(key(KeyCode::Char('s')));
    let screen = draw(&app);
    assert!(
        screen.contains("The send at 12:01:30 got no answer"),
        "{screen}"
    );
}

#[test]
fn resend_dialog_waiting_for_the_check_and_a_disabled_user() {
    both("dialog_awaiting_check", |size| {
        let mut app = loaded(size, sample_users());
        app.update(key(KeyCode::Enter));
        app.update(key(KeyCode::Char('s')));
        app
    });
    both("dialog_disabled", |size| {
        let mut app = loaded(size, sample_users());
        app.update(key(KeyCode::Down));
        app.update(key(KeyCode::Down));
        app.update(key(KeyCode::Enter));
        app
    });
}

#[test]
fn overlays() {
    both("help", |size| {
        let mut app = loaded(size, sample_users());
        app.update(key(KeyCode::Char('?')));
        app
    });
    both("pools", |size| {
        let mut app = loaded(size, sample_users());
        app.update(key(KeyCode::Char('p')));
        app
    });
    both("not_applicable", |size| {
        let mut app = loaded(
            size,
            vec![with_status(user("done.already", 1), "CONFIRMED")],
        );
        app.update(key(KeyCode::Enter));
        app
    });
    // An invited user gets the invitation dialog, not an explanation.
    both("invite_dialog", |size| {
        let mut app = loaded(
            size,
            vec![with_status(user("admin.made", 1), "FORCE_CHANGE_PASSWORD")],
        );
        app.update(key(KeyCode::Enter));
        app
    });
}

/// The dialog's answer to AdminGetUser: still UNCONFIRMED.
#[test]
fn why_a_code_may_not_arrive() {
    both("diagnostics_checking", |size| {
        let mut app = loaded(size, sample_users());
        app.update(key(KeyCode::Char('D')));
        app
    });
    both("diagnostics", |size| {
        let mut app = loaded(size, sample_users());
        troubled(&mut app);
        app.update(key(KeyCode::Char('D')));
        app
    });
    // The dialog: the definite destination, the pool's problems in a line, the history.
    both("dialog_with_checks_and_history", |size| {
        let mut app = loaded(size, sample_users());
        troubled(&mut app);
        history(&mut app, sent_records("user.00", 30, "INC-41"));
        app.update(key(KeyCode::Enter));
        check_passes(&mut app);
        app
    });
    both("dialog_at_the_hourly_limit", |size| {
        let mut app = loaded(size, sample_users());
        troubled(&mut app);
        history(
            &mut app,
            [55, 40, 30, 20, 10]
                .iter()
                .flat_map(|m| sent_records("user.00", *m, "INC-41"))
                .collect(),
        );
        app.update(key(KeyCode::Enter));
        check_passes(&mut app);
        app.update(key(KeyCode::Char('s')));
        app
    });
}

#[test]
fn admin_actions() {
    both("actions_menu", |size| {
        let mut app = loaded(size, sample_users());
        app.update(key(KeyCode::Char('a')));
        app
    });
    both("marked_and_bulk_menu", |size| {
        let mut app = loaded(size, sample_users());
        for _ in 0..3 {
            app.update(key(KeyCode::Char(' ')));
        }
        app.update(key(KeyCode::Char('a')));
        app
    });
    both("delete_typed_confirmation", |size| {
        let mut app = loaded(size, sample_users());
        open_action(&mut app, 'x');
        give_reason(&mut app, "spam sign-up");
        app.update(key(KeyCode::Char('s')));
        type_text(&mut app, "user");
        app
    });
    both("read_only_redacted", |size| {
        let (mut app, effects) = crate::support::app(size);
        app.read_only = true;
        app.redact = true;
        app.update(Msg::Page {
            generation: generation(&effects),
            result: Ok(page(sample_users(), None)),
        });
        app
    });
}

#[test]
fn control_characters_are_shown_escaped_not_dropped() {
    // ratatui drops raw control characters by itself, so "no control character on screen" would
    // pass without the sanitizer: check that the escapes it makes are what the operator sees.
    let mut evil = user("x\x1b[2J\u{9b}", 0);
    evil.attributes
        .insert("name".into(), "\u{202e}evil\u{200b}".into());
    for size in [WIDE, NARROW] {
        let mut app = loaded(size, vec![evil.clone()]);
        let screen = draw(&app);
        assert!(screen.contains("x\\x1b[2J\\x9b"), "{screen}");
        app.update(key(KeyCode::Enter));
        let screen = draw(&app);
        assert!(
            screen.contains("x\\x1b[2J\\x9b"),
            "the dialog too: {screen}"
        );
        assert!(screen.contains("\\u{202e}evil\\u{200b}"), "{screen}");
    }
}

/// The style of the cell where `text` starts on screen.
fn style_at(app: &App, text: &str) -> ratatui::style::Style {
    let (w, h) = app.size;
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal.draw(|f| f.render_widget(app, f.area())).unwrap();
    let buffer = terminal.backend().buffer().clone();
    for y in 0..h {
        let line: String = (0..w)
            .map(|x| buffer[(x, y)].symbol().to_string())
            .collect();
        if let Some(byte) = line.find(text) {
            let x = line[..byte].chars().count() as u16;
            return buffer[(x, y)].style();
        }
    }
    panic!("{text:?} is not on screen:\n{}", draw(app));
}

#[test]
fn selection_disabled_users_and_the_banner_are_styled() {
    use ratatui::style::{Color, Modifier};
    let mut app = loaded(WIDE, sample_users());
    app.update(key(KeyCode::Down));
    let selected = style_at(&app, "user.01");
    assert!(
        selected.add_modifier.contains(Modifier::REVERSED),
        "{selected:?}"
    );
    let other = style_at(&app, "user.03");
    assert!(
        !other.add_modifier.contains(Modifier::REVERSED),
        "{other:?}"
    );
    let disabled = style_at(&app, "user.02");
    assert!(
        disabled.add_modifier.contains(Modifier::DIM),
        "{disabled:?}"
    );
    assert!(!other.add_modifier.contains(Modifier::DIM), "{other:?}");

    let effects = app.update(key(KeyCode::Char('r')));
    let err = ApiError::service(
        Operation::ListUsers,
        "AccessDeniedException",
        Some("denied"),
    );
    app.update(Msg::Page {
        generation: generation(&effects),
        result: Err(err),
    });
    let banner = style_at(&app, "ListUsers failed");
    assert_eq!(banner.bg, Some(Color::Red), "{banner:?}");
    assert_eq!(style_at(&app, "hint:").bg, Some(Color::Red));
}

#[test]
fn the_pending_pile() {
    for (name, size) in [
        ("stats_wide", WIDE),
        ("stats_80x24", (80, 24)),
        ("stats_narrow", NARROW),
    ] {
        let mut app = loaded(size, sample_users());
        open_stats(&mut app);
        insta::assert_snapshot!(name, draw(&app));
    }
}

/// The buffer after a draw, styles and all.
fn buffer(app: &App) -> ratatui::buffer::Buffer {
    let mut terminal = Terminal::new(TestBackend::new(app.size.0, app.size.1)).unwrap();
    terminal.draw(|f| f.render_widget(app, f.area())).unwrap();
    terminal.backend().buffer().clone()
}

/// The main screen and a dialog with a failing check, a warning, a disabled user and a
/// selection: each state must read without colour.
fn screens() -> Vec<(&'static str, App)> {
    let mut main = loaded(WIDE, sample_users());
    main.update(key(KeyCode::Down));
    troubled(&mut main);
    let mut dialog = dialog_app(WIDE);
    troubled(&mut dialog);
    vec![("main", main), ("dialog", dialog)]
}

#[test]
fn under_no_color_no_cell_has_a_colour_and_the_states_still_read() {
    use cogtui::tui::theme::{self, Theme};
    use ratatui::style::{Color, Modifier};
    theme::set(Theme::plain());
    for (name, app) in screens() {
        let buffer = buffer(&app);
        for cell in buffer.content() {
            assert_eq!(
                (cell.fg, cell.bg),
                (Color::Reset, Color::Reset),
                "{name}: {cell:?}"
            );
        }
        if name == "main" {
            let selected = style_at(&app, "user.01");
            assert!(
                selected.add_modifier.contains(Modifier::REVERSED),
                "{selected:?}"
            );
            let disabled = style_at(&app, "user.02");
            assert!(disabled.add_modifier.contains(Modifier::DIM));
        } else {
            // A warning is bold and carries its symbol.
            let style = style_at(&app, "⚠ Cognito sender");
            assert!(style.add_modifier.contains(Modifier::BOLD), "{style:?}");
        }
    }
    theme::set(Theme::dark());
}

#[test]
fn the_light_preset_draws_the_same_screens_in_its_own_colours() {
    use cogtui::tui::theme::{self, Theme};
    theme::set(Theme::light());
    for (name, app) in screens() {
        insta::assert_debug_snapshot!(format!("light_{name}"), buffer(&app));
    }
    theme::set(Theme::dark());
}
