//! The performance target of the terminal UI: with 100,000 users loaded, one keystroke in the
//! filter plus the redraw that follows must take less than a frame (16 ms).
//!
//! Run with `cargo bench --bench filter`; the README records the numbers measured.

use std::collections::BTreeMap;
use std::hint::black_box;

use chrono::{Duration, TimeZone, Utc};
use cogtui::cognito::{User, UserPage};
use cogtui::tui::app::{App, Msg, PoolView};
use criterion::{Criterion, criterion_group, criterion_main};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

/// `COGTUI_BENCH_USERS` (scripts/bench runs 100,000 and 1,000,000); `COGTUI_BENCH_ATTRS=8`
/// gives each user eight attributes instead of three.
fn user_count() -> usize {
    std::env::var("COGTUI_BENCH_USERS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(100_000)
}

/// Resident memory of this process, in bytes (Linux).
fn rss() -> usize {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<usize>().ok())
        })
        .map_or(0, |kb| kb * 1024)
}

fn loaded_app() -> App {
    let now = Utc.with_ymd_and_hms(2026, 11, 26, 12, 0, 0).unwrap();
    let pool = PoolView {
        name: "bench".into(),
        user_pool_id: "eu-west-1_Bench1".into(),
        region: "eu-west-1".into(),
        client_metadata: BTreeMap::new(),
        required_metadata: Vec::new(),
        analytics_endpoint_id: None,
        endpoint_url: None,
        ticket_metadata_key: None,
        read_only: false,
        max_users: usize::MAX,
    };
    let (mut app, _) = App::new(vec![pool], 0, (100, 30), now);
    let first = [
        "amelia", "oliver", "isla", "george", "ava", "noah", "mia", "arthur",
    ];
    let eight = std::env::var("COGTUI_BENCH_ATTRS").is_ok_and(|n| n == "8");
    let make = |i: usize| {
        let name = format!("{}.user{i}", first[i % first.len()]);
        let mut user = User {
            username: name.clone(),
            status: "UNCONFIRMED".into(),
            enabled: true,
            created: Some(now - Duration::seconds((i * 37 % 5_000_000) as i64)),
            modified: None,
            // What a self sign-up has: an email, a sub, email_verified (the profile the
            // memory target is set for).
            attributes: BTreeMap::from([
                ("email".to_string(), format!("{name}@example.com")),
                (
                    "sub".to_string(),
                    format!("{i:08x}-6f1e-4c3a-9b2d-{:012x}", i * 7919),
                ),
                ("email_verified".to_string(), "false".to_string()),
            ])
            .into(),
        };
        if eight {
            // The eight attributes of a typical pool with phone and names.
            for (k, v) in [
                ("phone_number", format!("+4477009{:05}", i % 100_000)),
                ("given_name", first[i % first.len()].to_string()),
                ("family_name", format!("Person{}", i % 5000)),
                ("locale", "en-GB".to_string()),
                ("phone_number_verified", "false".to_string()),
            ] {
                user.attributes.insert(k.to_string(), v);
            }
        }
        user
    };
    // Pages are made as they are handed over, as from the network: the process holds only
    // what the app keeps, so RSS measures the app.
    let before = rss();
    let total = user_count();
    let mut first_index = 0;
    while first_index < total {
        let end = (first_index + 60).min(total);
        // The listing stays open after the last page, so the ingest benchmark can go on.
        let next_token = Some(if end < total {
            format!("t{first_index}")
        } else {
            "more".into()
        });
        // Generation 1 is the listing App::new started.
        app.update(Msg::Page {
            generation: 1,
            result: Ok(UserPage {
                users: (first_index..end).map(make).collect(),
                next_token,
                slowed_to: None,
            }),
        });
        first_index = end;
    }
    assert_eq!(app.users.len(), user_count());
    let after = rss();
    eprintln!(
        "memory: {} users loaded, {} bytes each (RSS {} MiB)",
        user_count(),
        after.saturating_sub(before) / user_count(),
        after / (1024 * 1024)
    );
    app
}

fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

fn bench(c: &mut Criterion) {
    let mut app = loaded_app();
    let mut terminal = Terminal::new(TestBackend::new(100, 30)).unwrap();
    app.update(key(KeyCode::Char('/')));
    for ch in "amelia".chars() {
        app.update(key(KeyCode::Char(ch)));
    }
    let mut group = c.benchmark_group(format!("{} users", user_count()));
    // Narrowing "amelia" -> "amelia." and back: one keystroke that extends the filter and one
    // that shortens it (which rescans every user), each followed by a full redraw.
    group.bench_function("filter keystroke + redraw (type, then backspace)", |b| {
        b.iter(|| {
            app.update(key(KeyCode::Char('.')));
            terminal.draw(|f| f.render_widget(&app, f.area())).unwrap();
            app.update(key(KeyCode::Backspace));
            terminal
                .draw(|f| f.render_widget(black_box(&app), f.area()))
                .unwrap();
        })
    });
    group.bench_function("redraw only", |b| {
        b.iter(|| {
            terminal
                .draw(|f| f.render_widget(black_box(&app), f.area()))
                .unwrap();
        })
    });
    group.bench_function(
        "clear the filter (widest rescan) + redraw, then set it again",
        |b| {
            b.iter(|| {
                app.update(Msg::Key(KeyEvent::new(
                    KeyCode::Char('u'),
                    KeyModifiers::CONTROL,
                )));
                terminal.draw(|f| f.render_widget(&app, f.area())).unwrap();
                for ch in "amelia".chars() {
                    app.update(key(KeyCode::Char(ch)));
                }
            })
        },
    );
    // A time term tests every user's creation date (what Enter on a stats day bar sets).
    group.bench_function("a created: range filter over every user", |b| {
        b.iter(|| {
            app.users.set_filter("created:2026-11-01..2026-11-07");
            black_box(app.users.visible_len())
        })
    });
    app.users.set_filter("amelia");
    // What the stats view (`S`) computes over every loaded user.
    group.bench_function("stats over every loaded user", |b| {
        b.iter(|| black_box(app.stats()))
    });
    // Last, so the filter benchmarks above see exactly N users: one more page of 60 while N
    // (and more) are loaded, the cost of ingest as the pile grows.
    let mut more = 0usize;
    let mut next_page = move || -> Msg {
        let page: Vec<User> = (0..60)
            .map(|i| {
                more += 1;
                let name = format!("zz.more{more}.{i}");
                User {
                    username: name.clone(),
                    status: "UNCONFIRMED".into(),
                    enabled: true,
                    // Spread over the same range as the loaded users: a typical page.
                    created: Some(
                        Utc.with_ymd_and_hms(2026, 11, 26, 12, 0, 0).unwrap()
                            - Duration::seconds(((more * 7919 + i * 104_729) % 5_000_000) as i64),
                    ),
                    modified: None,
                    attributes: BTreeMap::from([("email".to_string(), format!("{name}@x.com"))])
                        .into(),
                }
            })
            .collect();
        Msg::Page {
            generation: 1,
            result: Ok(UserPage {
                users: page,
                next_token: Some(format!("m{more}")),
                slowed_to: None,
            }),
        }
    };
    group.bench_function("ingest one page of 60", |b| {
        b.iter(|| app.update(next_page()))
    });
    // The stats view (`S`) open while the pages come: it counts each page, not every user.
    app.update(key(KeyCode::Esc));
    app.update(key(KeyCode::Esc));
    app.update(key(KeyCode::Char('S')));
    assert!(matches!(app.mode, cogtui::tui::app::Mode::Stats { .. }));
    group.bench_function("ingest one page of 60 with the stats view open", |b| {
        b.iter(|| app.update(next_page()))
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30);
    targets = bench
}
criterion_main!(benches);
