//! The performance target of the terminal UI: with 100,000 users loaded, one keystroke in the
//! filter plus the redraw that follows must take less than a frame (16 ms).
//!
//! Run with `cargo bench --bench filter`; the README records the numbers measured.

mod common;

use std::collections::BTreeMap;
use std::hint::black_box;

use chrono::{Duration, TimeZone, Utc};
use cogtui::cognito::{User, UserPage};
use cogtui::tui::app::{App, Msg};
use common::{pool, rss, user_count};
use criterion::{Criterion, criterion_group, criterion_main};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

/// `COGTUI_BENCH_USERS` (scripts/bench runs 100,000 and 1,000,000); `COGTUI_BENCH_ATTRS=8`
/// gives each user eight attributes instead of three.
fn users() -> usize {
    user_count(100_000)
}

fn loaded_app() -> App {
    let (mut app, _) = App::new(vec![pool()], 0, (100, 30), common::now());
    let eight = std::env::var("COGTUI_BENCH_ATTRS").is_ok_and(|n| n == "8");
    let before = rss();
    // Generation 1 is the listing App::new started.
    common::feed(&mut app, 1, 0, users(), eight);
    assert_eq!(app.users.len(), users());
    let after = rss();
    eprintln!(
        "memory: {} users loaded, {} bytes each (RSS {} MiB)",
        users(),
        after.saturating_sub(before) / users(),
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
    let mut group = c.benchmark_group(format!("{} users", users()));
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
    // Its first count runs on another thread in the app; here, before the pages come.
    for effect in app.update(key(KeyCode::Char('S'))) {
        if let cogtui::tui::app::Effect::CountStats { id, rows, basis } = effect {
            let stats = cogtui::tui::app::count_stats(rows.iter(), basis);
            app.update(Msg::Counted {
                id,
                stats: Box::new(stats),
            });
        }
    }
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
