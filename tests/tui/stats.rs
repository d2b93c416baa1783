//! The stats screen: selecting a bar filters the table. State tests.

use crate::support::*;
use cogtui::tui::app::{App, Mode, StatsPanel, StatsScreen};
use crossterm::event::KeyCode;

fn pile() -> App {
    let mut users = Vec::new();
    for i in 0..6 {
        let mut u = user(&format!("bot{i}"), 2);
        u.attributes
            .insert("email".into(), format!("bot{i}@botmail.example"));
        users.push(u);
    }
    users.push(user("old.one", 24 * 40));
    users.push(user("week.one", 24 * 9));
    loaded((100, 30), users)
}

fn panel(app: &App) -> (StatsPanel, usize) {
    match &app.mode {
        Mode::Stats(StatsScreen {
            panel, selected, ..
        }) => (*panel, *selected),
        other => panic!("{other:?}"),
    }
}

#[test]
fn counts_come_from_the_loaded_users() {
    let app = pile();
    let stats = app.stats();
    assert_eq!(stats.total, 8);
    assert_eq!(stats.by_age, [0, 6, 0, 1, 1]);
    assert_eq!(
        cogtui::stats::Stats::top(&stats.by_domain, 1)[0],
        ("botmail.example".to_string(), 6)
    );
}

#[test]
fn a_selected_age_bar_becomes_the_filter() {
    let mut app = pile();
    open_stats(&mut app);
    assert_eq!(panel(&app).0, StatsPanel::Days);
    app.update(key(KeyCode::Down));
    assert_eq!(panel(&app), (StatsPanel::Ages, 0));
    app.update(key(KeyCode::Right));
    app.update(key(KeyCode::Enter));
    assert!(matches!(app.mode, Mode::Browse));
    assert_eq!(app.users.filter(), "age>1h age<24h");
    assert_eq!(app.users.visible_len(), 6);
    assert!(app.toast.as_deref().unwrap().contains("6 users"));
}

#[test]
fn a_selected_domain_or_day_becomes_the_filter() {
    let mut app = pile();
    open_stats(&mut app);
    app.update(key(KeyCode::Up));
    assert_eq!(panel(&app), (StatsPanel::Domains, 0));
    app.update(key(KeyCode::Enter));
    assert_eq!(app.users.filter(), "@botmail.example");
    assert_eq!(app.users.visible_len(), 6);
    // The day chart starts on the latest day.
    app.update(key(KeyCode::Esc));
    open_stats(&mut app);
    app.update(key(KeyCode::Enter));
    let today = app.zone.format(now() - chrono::Duration::hours(2), "%F");
    assert_eq!(app.users.filter(), format!("created:{today}"));
    assert_eq!(app.users.visible_len(), 6);
    // Left walks back in time.
    app.update(key(KeyCode::Esc));
    open_stats(&mut app);
    app.update(key(KeyCode::Left));
    app.update(key(KeyCode::Enter));
    assert_eq!(app.users.visible_len(), 1, "the day before: week.one");
}

#[test]
fn the_count_runs_elsewhere_and_the_pages_that_arrive_meanwhile_count_too() {
    let (mut app, effects) = App::new(pools(), 0, (100, 30), now());
    let generation = generation(&effects);
    app.update(cogtui::tui::app::Msg::Page {
        generation,
        result: Ok(page(vec![user("one", 1), user("two", 30)], Some("t1"))),
    });
    let count = app.update(key(KeyCode::Char('S')));
    assert!(
        draw(&app).contains("counting the 2 users shown…"),
        "{}",
        draw(&app)
    );
    // While the count runs: a new user, and a fresher copy of a counted one.
    let mut two = user("two", 2);
    two.attributes
        .insert("email".into(), "two@elsewhere.example".into());
    app.update(cogtui::tui::app::Msg::Page {
        generation,
        result: Ok(page(vec![two, user("three", 3)], None)),
    });
    settle(&mut app, count);
    match &app.mode {
        Mode::Stats(StatsScreen {
            stats, counting, ..
        }) => {
            assert!(counting.is_none());
            assert_eq!(**stats, app.stats(), "the count and the pages = every user");
            assert_eq!(stats.total, 3);
        }
        other => panic!("{other:?}"),
    }
    assert!(!draw(&app).contains("counting"));
}

#[test]
fn a_count_that_comes_after_a_refresh_started_over_is_not_used() {
    let (mut app, effects) = App::new(pools(), 0, (100, 30), now());
    app.update(cogtui::tui::app::Msg::Page {
        generation: generation(&effects),
        result: Ok(page(vec![user("one", 1), user("two", 30)], None)),
    });
    let count = app.update(key(KeyCode::Char('S')));
    app.update(key(KeyCode::Esc));
    let refresh = app.update(key(KeyCode::Char('r')));
    let count_again = app.update(key(KeyCode::Char('S')));
    app.update(cogtui::tui::app::Msg::Page {
        generation: generation(&refresh),
        result: Ok(page(vec![user("one", 1)], None)),
    });
    // The first view's count (two users) and the second's (taken before the refresh's page):
    // neither is the list now.
    settle(&mut app, count);
    settle(&mut app, count_again);
    match &app.mode {
        Mode::Stats(StatsScreen { stats, .. }) => assert_eq!(stats.total, 1),
        other => panic!("{other:?}"),
    }
}

#[test]
fn the_numbers_follow_the_pages_as_they_arrive() {
    let (mut app, effects) = App::new(pools(), 0, (100, 30), now());
    let generation = generation(&effects);
    app.update(cogtui::tui::app::Msg::Page {
        generation,
        result: Ok(page(vec![user("one", 1)], Some("t1"))),
    });
    open_stats(&mut app);
    let total = |app: &App| match &app.mode {
        Mode::Stats(StatsScreen { stats, .. }) => stats.total,
        other => panic!("{other:?}"),
    };
    assert_eq!(total(&app), 1);
    app.update(cogtui::tui::app::Msg::Page {
        generation,
        result: Ok(page(vec![user("two", 2), user("three", 3)], None)),
    });
    assert_eq!(total(&app), 3, "updated as pages arrive");
}

#[test]
fn a_fresher_copy_and_a_refresh_are_counted_once_as_pages_arrive() {
    let (mut app, effects) = App::new(pools(), 0, (100, 30), now());
    let generation = generation(&effects);
    let live = |app: &App| match &app.mode {
        Mode::Stats(StatsScreen { stats, .. }) => (**stats).clone(),
        other => panic!("{other:?}"),
    };
    app.update(cogtui::tui::app::Msg::Page {
        generation,
        result: Ok(page(vec![user("one", 1), user("two", 30)], Some("t1"))),
    });
    open_stats(&mut app);
    // "two" comes again with another domain and a later sign-up, "one" twice on one page.
    let mut two = user("two", 2);
    two.attributes
        .insert("email".into(), "two@elsewhere.example".into());
    app.update(cogtui::tui::app::Msg::Page {
        generation,
        result: Ok(page(
            vec![two, user("one", 1), user("three", 24 * 9), user("one", 1)],
            None,
        )),
    });
    let counted = live(&app);
    assert_eq!(counted, app.stats(), "page by page = counting every user");
    assert_eq!(counted.total, 3);
    assert_eq!(counted.by_domain.get("elsewhere.example"), Some(&1));
    assert_eq!(counted.by_domain.get("example.com"), Some(&2));
    // A refresh started before the view opened: its first page replaces every row.
    app.update(key(KeyCode::Esc));
    let refresh = app.update(key(KeyCode::Char('r')));
    open_stats(&mut app);
    app.update(cogtui::tui::app::Msg::Page {
        generation: crate::support::generation(&refresh),
        result: Ok(page(vec![user("four", 3)], None)),
    });
    assert_eq!(live(&app), app.stats());
    assert_eq!(live(&app).total, 1);
}

#[test]
fn the_selected_day_keeps_its_whole_date() {
    let mut app = pile();
    open_stats(&mut app);
    let screen = draw(&app);
    let today = app.zone.format(now() - chrono::Duration::hours(2), "%m-%d");
    let day = today.rsplit_once('-').unwrap().1;
    // Not "▸MM-D" cut to the bar's five columns: the whole date, reversed.
    assert!(screen.contains(&today), "{screen}");
    assert!(!screen.contains(&format!("▸{}", &today[..4])), "{screen}");
    assert!(!day.is_empty());
}
