//! The frame budget, key by key: loads a million users (three attributes each) into the app,
//! then replays a scripted session through `update` and a full redraw, timing each step on the
//! UI thread. Work the app hands to another thread (the stats count, an export, reading the
//! audit log) runs here between steps, untimed, as the runtime would run it elsewhere; its
//! answer arriving is a timed step like a key.
//!
//! `cargo bench --bench replay` (or `scripts/bench`) prints each step, then
//! `slowest key: X ms (KEY)`, `p99: Y ms` and `memory: Z bytes per user`, and exits non-zero
//! when a step passes 16 ms or memory passes 300 bytes a user. `COGTUI_BENCH_USERS` sets the
//! count. Under `cargo test` (no `--bench`) it replays over 2,000 users as a smoke test, with no
//! budget: a debug build's times say nothing.

mod common;

use std::time::{Duration, Instant};

use cogtui::audit::{Attempt, Event, Operator, Outcome, Record};
use cogtui::cognito::{Delivery, DeliveryMedium, UserPage};
use cogtui::ops::Answer;
use cogtui::ops::bulk::Step;
use cogtui::tui::app::{App, Effect, History, Mode, Msg, count_stats};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

/// One frame at 60 Hz.
const FRAME: Duration = Duration::from_millis(16);
/// Bytes a loaded user may cost.
const BYTES_PER_USER: usize = 300;
const SIZE: (u16, u16) = (120, 36);

struct Replay {
    app: App,
    terminal: Terminal<TestBackend>,
    times: Vec<(String, Duration)>,
    /// Of each step, the part in `update` (the rest is the redraw).
    updates: Vec<Duration>,
}

impl Replay {
    /// One message through `update` and the redraw after it, timed.
    fn step(&mut self, label: &str, msg: Msg) -> Vec<Effect> {
        let start = Instant::now();
        let effects = self.app.update(msg);
        self.updates.push(start.elapsed());
        self.terminal
            .draw(|f| f.render_widget(&self.app, f.area()))
            .expect("draw");
        self.times.push((label.to_string(), start.elapsed()));
        effects
    }

    fn key(&mut self, label: &str, code: KeyCode) -> Vec<Effect> {
        self.step(label, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)))
    }

    fn char(&mut self, c: char) -> Vec<Effect> {
        self.key(&c.to_string(), KeyCode::Char(c))
    }

    /// Runs what the runtime runs on another thread for these effects, untimed, and times
    /// their answers arriving.
    fn elsewhere(&mut self, effects: Vec<Effect>) {
        for effect in effects {
            match effect {
                Effect::CountStats { id, rows, basis } => {
                    let stats = Box::new(count_stats(rows.iter(), basis));
                    self.step("stats count arrives", Msg::Counted { id, stats });
                }
                Effect::Export { id, path, rows, .. } => {
                    let written =
                        cogtui::output::write_csv(std::io::sink(), rows.iter(), false, |_| true)
                            .map(|n| n.unwrap_or(0))
                            .map_err(|e| e.to_string());
                    self.step(
                        "export done arrives",
                        Msg::Exported {
                            id,
                            path,
                            result: written,
                        },
                    );
                }
                _ => {}
            }
        }
    }
}

fn generation(effects: &[Effect]) -> u64 {
    effects
        .iter()
        .find_map(|e| match e {
            Effect::FetchPage { generation, .. } => Some(*generation),
            _ => None,
        })
        .expect("a listing")
}

/// `n` resends in the audit log, a few of them to loaded users.
fn history(n: usize) -> History {
    let records = (0..n).flat_map(|i| {
        let username = if i % 1000 == 0 {
            format!("amelia.user{}", i * 8)
        } else {
            format!("gone.user{i}")
        };
        let intent = Record {
            id: format!("r{i}"),
            event: Event::Intent,
            time: common::now() - chrono::Duration::minutes((i % 10_000) as i64),
            operator: Operator {
                user: "bench".into(),
                arn: None,
            },
            pool: "bench".into(),
            user_pool_id: "eu-west-1_Bench1".into(),
            username,
            action: "resend".into(),
            ticket: None,
            client_metadata: Default::default(),
            outcome: None,
            destination: None,
            delivery_medium: None,
            attribute_name: None,
            error_code: None,
            reason: None,
            details: Default::default(),
            version: "bench".into(),
        };
        let mut outcome = intent.clone();
        outcome.event = Event::Outcome;
        outcome.outcome = Some(Outcome::Sent);
        [intent, outcome]
    });
    let attempts: Vec<Attempt> = cogtui::audit::attempts(records.collect());
    History::new(attempts, false)
}

fn main() {
    let benching = std::env::args().any(|a| a == "--bench");
    let total = if benching {
        common::user_count(1_000_000)
    } else {
        2_000
    };
    let (mut app, effects) = App::new(vec![common::pool()], 0, SIZE, common::now());
    let first = generation(&effects);
    let before = common::rss();
    common::feed(&mut app, first, 0, total, false);
    let bytes = common::rss().saturating_sub(before) / total;
    let terminal = Terminal::new(TestBackend::new(SIZE.0, SIZE.1)).expect("terminal");
    let mut r = Replay {
        app,
        terminal,
        times: Vec::new(),
        updates: Vec::new(),
    };
    r.step("first frame", Msg::Tick);

    // Filter: six letters, then back to empty, then out.
    r.char('/');
    for c in "amelia".chars() {
        r.char(c);
    }
    for _ in 0..6 {
        r.key("Backspace", KeyCode::Backspace);
    }
    r.key("Enter (filter)", KeyCode::Enter);
    // A phone number typed as a national one, then dropped.
    r.char('/');
    for c in "07700".chars() {
        r.char(c);
    }
    r.key("Esc (filter)", KeyCode::Esc);
    // The charts, and back.
    let count = r.char('S');
    r.elsewhere(count);
    r.key("Esc (stats)", KeyCode::Esc);
    // Mark every row shown, then none.
    r.char('*');
    r.char('u');
    // Export the view.
    r.char('e');
    let export = r.key("Enter (export)", KeyCode::Enter);
    assert!(matches!(r.app.mode, Mode::Export { .. }));
    r.elsewhere(export);
    // Help and the pool's checks.
    r.char('?');
    r.key("Esc (help)", KeyCode::Esc);
    r.char('D');
    r.key("Esc (checks)", KeyCode::Esc);
    // Moving.
    for _ in 0..100 {
        r.key("PgDn", KeyCode::PageDown);
    }
    r.key("End", KeyCode::End);
    r.key("Home", KeyCode::Home);
    // A page of 60 arriving, and the audit history (100,000 sends) read again.
    r.step(
        "a page of 60 arrives",
        Msg::Page {
            generation: first,
            result: Ok(UserPage {
                users: (total..total + 60)
                    .map(|i| common::user(i, false))
                    .collect(),
                next_token: Some("more".into()),
                slowed_to: None,
            }),
        },
    );
    let history = history(if benching { 100_000 } else { 1_000 });
    r.step(
        "the audit history arrives",
        Msg::History {
            pool: "bench".into(),
            result: Ok(history),
            skipped: 0,
        },
    );
    // A resend: open the dialog, its fresh look arrives, send, its answer arrives.
    r.key("Enter (dialog)", KeyCode::Enter);
    let selected = r.app.users.selected_user().cloned().expect("a user");
    r.step(
        "fresh look arrives",
        Msg::UserFetched {
            pool: "bench".into(),
            username: selected.username.clone(),
            result: Ok(selected.clone()),
        },
    );
    r.char('s');
    let send = r.char('y');
    let id = send
        .iter()
        .find_map(|e| match e {
            Effect::Act { id, .. } => Some(*id),
            _ => None,
        })
        .expect("a resend");
    r.step(
        "a resend result arrives",
        Msg::ActProgress {
            id,
            step: Step::Done {
                username: selected.username,
                answer: Answer::Delivered(Delivery {
                    destination: "a***@e***.com".into(),
                    medium: DeliveryMedium::Email,
                    attribute_name: "email".into(),
                }),
                settled: None,
            },
            at: common::now(),
            audit_warning: None,
        },
    );
    r.key("Esc (dialog)", KeyCode::Esc);
    // Another status: the million loaded rows go.
    r.char('t');

    report(&r.times, &r.updates, total, bytes, benching);
}

fn report(
    times: &[(String, Duration)],
    updates: &[Duration],
    total: usize,
    bytes: usize,
    benching: bool,
) {
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!("    total   update  step");
    for ((label, time), update) in times.iter().zip(updates) {
        println!("{:>9.3} {:>8.3}  {label}", ms(*time), ms(*update));
    }
    let (label, slowest) = times
        .iter()
        .max_by_key(|(_, t)| *t)
        .cloned()
        .expect("steps");
    let mut sorted: Vec<Duration> = times.iter().map(|(_, t)| *t).collect();
    sorted.sort();
    let p99 = sorted[(sorted.len() * 99).div_ceil(100).saturating_sub(1)];
    println!("replay: {total} users, {} steps", times.len());
    println!("slowest key: {:.2} ms ({label})", ms(slowest));
    println!("p99: {:.2} ms", ms(p99));
    println!("memory: {bytes} bytes per user");
    if benching {
        let mut over = false;
        if slowest > FRAME {
            eprintln!(
                "over budget: {label} took {:.2} ms (a frame is 16 ms)",
                ms(slowest)
            );
            over = true;
        }
        if bytes > BYTES_PER_USER {
            eprintln!("over budget: {bytes} bytes a user (the target is {BYTES_PER_USER})");
            over = true;
        }
        if over {
            std::process::exit(1);
        }
    }
}
