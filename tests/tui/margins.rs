//! Every box of every screen, at every width from narrow to wide: a line inside a box starts
//! after its margin, never at the border (where a paragraph's own wrap would put it).

use crate::support::*;
use cogtui::cognito::{ApiError, Operation};
use cogtui::ops::bulk::{Step, Tally};
use cogtui::tui::app::{App, Effect, Msg};
use crossterm::event::KeyCode;

const WIDTHS: [u16; 5] = [60, 70, 80, 100, 140];

/// The lines of each box on the screen (rounded `╭╮` or plain `┌┐`) that start at the border.
fn off_margin(screen: &str) -> Vec<String> {
    let rows: Vec<Vec<char>> = screen.lines().map(|l| l.chars().collect()).collect();
    let mut bad = Vec::new();
    for (top, row) in rows.iter().enumerate() {
        for (left, corner) in row.iter().enumerate() {
            let bottom = match corner {
                '╭' => '╰',
                '┌' => '└',
                _ => continue,
            };
            for line in &rows[top + 1..] {
                match line.get(left) {
                    Some(c) if *c == bottom => break,
                    Some('│') => {
                        if let Some(c) = line.get(left + 1)
                            && !matches!(c, ' ' | '▸' | '│')
                        {
                            bad.push(line.iter().collect());
                        }
                    }
                    // Something drawn over the box (an overlay): its lines are its own.
                    _ => break,
                }
            }
        }
    }
    bad
}

fn check(what: &str, make: impl Fn((u16, u16)) -> App) {
    for width in WIDTHS {
        let app = make((width, 34));
        let screen = draw(&app);
        let bad = off_margin(&screen);
        assert!(
            bad.is_empty(),
            "{what} at {width} columns: lines at the border: {bad:#?}\n{screen}"
        );
    }
}

fn users() -> Vec<cogtui::cognito::User> {
    let mut users = vec![
        user("pending.with.a.rather.long.username", 1),
        with_status(user("invited", 3), "FORCE_CHANGE_PASSWORD"),
        user("third", 50),
    ];
    users[0].attributes.insert(
        "email".into(),
        "a.very.long.email.address.that.will.not.fit@subdomain.example.com".into(),
    );
    users[0]
        .attributes
        .insert("phone_number".into(), "+447700900123".into());
    users
}

fn on(size: (u16, u16), keys: &[KeyCode]) -> App {
    let mut app = loaded(size, users());
    troubled(&mut app);
    for code in keys {
        let effects = app.update(key(*code));
        settle(&mut app, effects);
    }
    app
}

use KeyCode::{Char, Down, Enter};

#[test]
fn the_list_the_overlays_and_the_menu_keep_their_margins() {
    check("the list", |size| on(size, &[]));
    check("the help", |size| on(size, &[Char('?')]));
    check("the checks", |size| on(size, &[Char('D')]));
    check("the pools", |size| on(size, &[Char('p')]));
    check("the charts", |size| on(size, &[Char('S')]));
    check("the export", |size| on(size, &[Char('e')]));
    check("the actions menu", |size| on(size, &[Char('a')]));
    check("the menu of marked users", |size| {
        on(size, &[Char('*'), Char('a')])
    });
}

#[test]
fn every_action_dialog_keeps_its_margins() {
    for letter in ['c', 'f', 'b', 'x'] {
        check(&format!("action {letter}"), |size| {
            on(size, &[Char('a'), Char(letter)])
        });
    }
    check("the invitation", |size| {
        on(size, &[Down, Char('a'), Char('i')])
    });
    check("a bulk resend", |size| {
        on(size, &[Char('*'), Char('a'), Char('r')])
    });
    check("a bulk delete", |size| {
        on(size, &[Char('*'), Char('a'), Char('x')])
    });
    let asked = |size| {
        let mut app = on(size, &[Char('*'), Char('a'), Char('x')]);
        give_reason(
            &mut app,
            "spam sign-ups from a bot wave reported in the morning's ticket",
        );
        app.update(key(Char('s')));
        app
    };
    check("a bulk delete's question", asked);
    check("a bulk delete's failures", |size| {
        let mut app = asked(size);
        type_text(&mut app, "3");
        let effects = app.update(key(Enter));
        let Some(id) = effects.iter().find_map(|e| match e {
            Effect::Act { id, .. } => Some(*id),
            _ => None,
        }) else {
            panic!("no run: {effects:?}");
        };
        let mut tally = Tally::default();
        for name in ["pending.with.a.rather.long.username", "invited"] {
            let step = Step::Failed {
                username: name.into(),
                error: ApiError::service(
                    Operation::Delete,
                    "AccessDeniedException",
                    Some(
                        "User: arn:aws:sts::123456789012:assumed-role/support-desk/alice is \
                         not authorized to perform: cognito-idp:AdminDeleteUser",
                    ),
                ),
            };
            app.update(Msg::ActProgress {
                id,
                step: step.clone(),
                at: now(),
                audit_warning: Some("the outcome was not recorded: disk full".into()),
            });
            tally.count(&step, Some("the outcome was not recorded: disk full"));
        }
        app.update(Msg::ActDone { id, tally });
        assert!(draw(&app).contains("AccessDenied"), "{}", draw(&app));
        app
    });
}

#[test]
fn the_resend_dialog_keeps_its_margins_from_draft_to_result() {
    let open = |size| {
        let mut app = on(size, &[Enter]);
        check_passes(&mut app);
        app
    };
    check("the resend dialog", open);
    check("its question", |size| {
        let mut app = open(size);
        app.update(key(Char('s')));
        app
    });
    check("its result", |size| {
        let mut app = open(size);
        let id = confirm_send(&mut app);
        answer_send(
            &mut app,
            Sent::new(id, "pending.with.a.rather.long.username", Ok(by_email())),
        );
        app
    });
}
