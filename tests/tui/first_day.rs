//! What a new support agent tripped over on the first day (issue 11): state and render tests.

use crate::support::*;
use chrono::Duration;
use cogtui::tui::app::{App, FilterScreen, Mode, Msg};
use crossterm::event::KeyCode;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn users() -> Vec<cogtui::cognito::User> {
    let mut list = vec![
        user("grace.new", 20),
        user("grace.old", 24 * 9),
        user("olu.week", 24 * 8),
        user("ivy.today", 2),
    ];
    list[2]
        .attributes
        .insert("phone_number".into(), "+447700906888".into());
    list
}

fn filter(app: &mut App, text: &str) -> Option<String> {
    app.update(key(KeyCode::Char('/')));
    type_text(app, text);
    let error = match &app.mode {
        Mode::Filter(FilterScreen { error, .. }) => error.clone(),
        _ => None,
    };
    app.update(key(KeyCode::Enter));
    error
}

fn shown(app: &App) -> Vec<String> {
    app.users.visible().map(|u| u.username.clone()).collect()
}

#[test]
fn time_is_a_filter_alone_and_with_words() {
    let mut app = loaded((120, 30), users());
    assert_eq!(filter(&mut app, "age>7d"), None);
    assert_eq!(shown(&app), ["olu.week", "grace.old"]);
    app.update(key(KeyCode::Esc));
    filter(&mut app, "grace age<2d");
    assert_eq!(shown(&app), ["grace.new"]);
    app.update(key(KeyCode::Esc));
    let yesterday = app.zone.format(now() - Duration::hours(20), "%F");
    filter(&mut app, &format!("created:{yesterday}"));
    assert_eq!(shown(&app), ["grace.new"]);
    app.update(key(KeyCode::Esc));
    // A range of days, both ends included, either end open.
    let nine_days_ago = app.zone.format(now() - Duration::hours(24 * 9), "%F");
    let eight_days_ago = app.zone.format(now() - Duration::hours(24 * 8), "%F");
    filter(
        &mut app,
        &format!("created:{nine_days_ago}..{eight_days_ago}"),
    );
    assert_eq!(shown(&app), ["olu.week", "grace.old"]);
    app.update(key(KeyCode::Esc));
    filter(&mut app, &format!("created:{eight_days_ago}.."));
    assert_eq!(shown(&app), ["ivy.today", "grace.new", "olu.week"]);
    app.update(key(KeyCode::Esc));
    filter(&mut app, &format!("grace created:..{eight_days_ago}"));
    assert_eq!(shown(&app), ["grace.old"]);
    app.update(key(KeyCode::Esc));
    // A term that does not parse fails closed: nothing is shown (nor markable), and the
    // problem is named; never every user as if there were no filter.
    assert_eq!(
        filter(&mut app, "grace age>7"),
        Some(
            "age>7: expected a number and a unit (s, m, h, d, w) such as 24h or 7d, got \"7\""
                .into()
        )
    );
    assert_eq!(shown(&app), Vec::<&str>::new());
    app.update(key(KeyCode::Char('*')));
    assert!(
        app.users.marked_count() == 0,
        "nothing markable under a broken filter"
    );
}

#[test]
fn ages_tell_more_than_a_week_at_a_glance() {
    let app = loaded((120, 30), users());
    let screen = draw(&app);
    assert!(screen.contains("8d"), "{screen}");
    assert!(screen.contains("9d"), "{screen}");
    assert!(screen.contains("20h"), "{screen}");
    // The longest age ("59d 23h") fits its column whole, at 100 and 120 columns.
    for size in [(100, 30), (120, 30)] {
        let mut users = users();
        users.push(user("long.ago", 59 * 24 + 23));
        let screen = draw(&loaded(size, users));
        assert!(screen.contains("59d 23h"), "{screen}");
    }
}

#[test]
fn an_attribute_cognito_cannot_search_is_an_error_with_the_near_name() {
    let mut app = loaded((100, 30), users());
    app.update(key(KeyCode::Char('/')));
    type_text(&mut app, "phone^=+44");
    let effects = app.update(key(KeyCode::Enter));
    assert!(effects.is_empty(), "nothing is searched");
    match &app.mode {
        Mode::Filter(FilterScreen { error: Some(e), .. }) => {
            assert!(
                e.contains("cannot search on \"phone\" (did you mean phone_number?)"),
                "{e}"
            )
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        app.users.visible_len(),
        4,
        "not a local filter that matches nothing"
    );
}

#[test]
fn r_says_that_a_refresh_started() {
    let mut app = loaded((100, 30), users());
    app.update(key(KeyCode::Char('r')));
    assert!(app.toast.as_deref().unwrap().starts_with("refreshing"));
    assert!(draw(&app).contains("refreshing"));
}

#[test]
fn at_120_columns_the_columns_an_agent_needs_stay() {
    let mut app = loaded((120, 30), users());
    history(&mut app, sent_records("grace.new", 10, "T-1"));
    let screen = draw(&app);
    let header = screen.lines().nth(2).unwrap();
    for title in [
        "USERNAME",
        "EMAIL",
        "PHONE",
        "STATUS",
        "ENABLED",
        "AGE",
        "LAST RESEND",
    ] {
        assert!(
            header.contains(title),
            "{title} missing at 120 columns: {header}"
        );
    }
    assert!(
        !header.contains("Details"),
        "the detail pane is below the table: {header}"
    );
}

#[test]
fn the_matched_column_stays_and_the_match_is_highlighted() {
    use ratatui::style::Modifier;
    // Narrow: PHONE would be left out, but the filter matched a phone number.
    let mut app = loaded((70, 24), users());
    assert!(!draw(&app).lines().nth(2).unwrap().contains("PHONE"));
    filter(&mut app, "6888");
    let screen = draw(&app);
    assert!(screen.lines().nth(2).unwrap().contains("PHONE"), "{screen}");
    assert!(screen.contains("+447700906888"), "{screen}");
    // The matched text is underlined.
    let mut terminal = Terminal::new(TestBackend::new(70, 24)).unwrap();
    terminal.draw(|f| f.render_widget(&app, f.area())).unwrap();
    let buffer = terminal.backend().buffer().clone();
    let row = (0..24u16)
        .find(|y| {
            (0..70u16)
                .map(|x| buffer[(x, *y)].symbol().to_string())
                .collect::<String>()
                .contains("+447700906888")
        })
        .unwrap();
    let line: String = (0..70u16)
        .map(|x| buffer[(x, row)].symbol().to_string())
        .collect();
    let at = line[..line.find("6888").unwrap()].chars().count() as u16;
    assert!(
        buffer[(at, row)]
            .style()
            .add_modifier
            .contains(Modifier::UNDERLINED)
    );
    assert!(
        !buffer[(at - 1, row)]
            .style()
            .add_modifier
            .contains(Modifier::UNDERLINED)
    );
}

#[test]
fn the_header_says_where_the_selection_is() {
    let mut app = loaded((100, 30), users());
    app.update(key(KeyCode::Down));
    assert!(draw(&app).contains("2 of 4"));
}

#[test]
fn the_footer_keeps_help_and_quit_at_every_width() {
    for width in [60u16, 64, 80, 100, 160] {
        let app = loaded((width, 24), users());
        let screen = draw(&app);
        let footer = screen.lines().last().unwrap();
        assert!(footer.ends_with("? help  q quit"), "at {width}: {footer:?}");
    }
}

#[test]
fn the_help_scrolls_to_its_end_at_70x20() {
    let mut app = loaded((70, 20), users());
    app.update(key(KeyCode::Char('?')));
    let top = draw(&app);
    assert!(
        top.contains("Esc closes"),
        "the way out is always on screen: {top}"
    );
    assert!(
        !top.contains("stop after the call in flight"),
        "the end is below: {top}"
    );
    for _ in 0..10 {
        app.update(key(KeyCode::PageDown));
    }
    let bottom = draw(&app);
    assert!(bottom.contains("stop after the call in flight"), "{bottom}");
    // Wrapped descriptions keep their indent.
    let wrapped = bottom
        .lines()
        .find(|l| l.contains("│                 ") && !l.trim_matches(['│', ' ']).is_empty());
    assert!(wrapped.is_some(), "{bottom}");
}

#[test]
fn the_dialog_never_breaks_a_key_hint() {
    let mut app = loaded((64, 30), users());
    app.update(key(KeyCode::Enter));
    answer_look(&mut app, "ivy.today", Ok(user("ivy.today", 2)));
    let screen = draw(&app);
    for hint in ["Enter edit", "x optional fields", "s send", "Esc close"] {
        assert!(screen.contains(hint), "{hint} broken: {screen}");
    }
}

mod scale {
    use super::*;
    use cogtui::tui::app::{Effect, PauseReason};

    fn users(prefix: &str, n: usize) -> Vec<cogtui::cognito::User> {
        (0..n)
            .map(|i| user(&format!("{prefix}{i:03}"), i as i64))
            .collect()
    }

    #[test]
    fn the_listing_pauses_at_max_users_and_l_loads_more() {
        let mut pools = pools();
        pools[0].max_users = 100;
        let (mut app, effects) = App::new(pools, 0, (100, 30), now());
        let generation = generation(&effects);
        let next = app.update(Msg::Page {
            generation,
            result: Ok(page(users("a", 60), Some("t1"))),
        });
        assert_eq!(
            crate::support::generation(&next),
            generation,
            "under the cap: the next page"
        );
        let next = app.update(Msg::Page {
            generation,
            result: Ok(page(users("b", 60), Some("t2"))),
        });
        assert!(next.is_empty(), "120 loaded, max_users 100: paused");
        assert_eq!(app.listing.paused().unwrap().why, PauseReason::Cap);
        assert!(draw(&app).contains("120 loaded (max_users): search, or L loads more"));
        match app.update(key(KeyCode::Char('L'))).as_slice() {
            [Effect::FetchPage { token, .. }] => assert_eq!(token.as_deref(), Some("t2")),
            other => panic!("{other:?}"),
        }
        assert!(app.listing.paused().is_none());
        assert_eq!(app.cap, 220);
    }

    #[test]
    fn a_throttled_listing_says_so_until_it_is_back_to_full_speed() {
        let (mut app, effects) = App::new(pools(), 0, (100, 30), now());
        let generation = generation(&effects);
        let mut slow = page(users("a", 60), Some("t1"));
        slow.slowed_to = Some(2.5);
        app.update(Msg::Page {
            generation,
            result: Ok(slow),
        });
        assert!(
            draw(&app).contains("loading page 2… Cognito throttles: 2.5 calls/s"),
            "{}",
            draw(&app)
        );
        app.update(Msg::Page {
            generation,
            result: Ok(page(users("b", 60), Some("t2"))),
        });
        assert!(!draw(&app).contains("throttles"), "{}", draw(&app));
        // While a page is being retried the tick reads the pool's limit: no page needed.
        app.update(Msg::Pace(Some(1.25)));
        assert!(draw(&app).contains("Cognito throttles: 1.2 calls/s"));
        app.update(Msg::Pace(None));
        assert!(!draw(&app).contains("throttles"));
    }

    #[test]
    fn esc_stops_a_listing_in_progress_and_keeps_its_rows() {
        let (mut app, effects) = App::new(pools(), 0, (100, 30), now());
        let generation = generation(&effects);
        app.update(Msg::Page {
            generation,
            result: Ok(page(users("a", 60), Some("t1"))),
        });
        assert!(app.listing.loading().is_some());
        app.update(key(KeyCode::Esc));
        assert!(app.listing.loading().is_none());
        assert_eq!(app.users.len(), 60);
        assert_eq!(app.listing.paused().unwrap().why, PauseReason::Stopped);
        // The page in flight when Esc came is dropped.
        app.update(Msg::Page {
            generation,
            result: Ok(page(users("late", 60), None)),
        });
        assert_eq!(app.users.len(), 60);
        match app.update(key(KeyCode::Char('L'))).as_slice() {
            [Effect::FetchPage { token, .. }] => assert_eq!(token.as_deref(), Some("t1")),
            other => panic!("{other:?}"),
        }
    }
}

mod auto_search {
    use super::*;
    use cogtui::cognito::{SearchOp, UserPage};
    use cogtui::tui::app::Effect;

    fn typed(app: &mut App, text: &str) -> Vec<Effect> {
        app.update(key(KeyCode::Char('/')));
        let mut effects = Vec::new();
        for c in text.chars() {
            effects = app.update(key(KeyCode::Char(c)));
        }
        effects
    }

    fn due(effects: &[Effect]) -> u64 {
        match effects {
            [Effect::After { token, .. }] => *token,
            other => panic!("expected a pause, got {other:?}"),
        }
    }

    #[test]
    fn an_email_nobody_loaded_is_searched_on_the_server_after_a_pause() {
        let mut app = loaded((100, 30), vec![user("ann", 1), user("bob", 2)]);
        let effects = typed(&mut app, "zed@ex");
        let token = due(&effects);
        // An older pause is stale: one search per pause.
        assert!(app.update(Msg::SearchDue { token: token - 1 }).is_empty());
        let (id, query) = match app.update(Msg::SearchDue { token }).as_slice() {
            [Effect::Lookup { id, query, .. }] => (*id, query.clone()),
            other => panic!("{other:?}"),
        };
        let search = query.search.unwrap();
        assert_eq!(
            (search.attribute.as_str(), search.op),
            ("email", SearchOp::Prefix)
        );
        assert_eq!(search.value, "zed@ex");
        // The answer to an older search is dropped.
        let mut zed = user("zed", 400);
        zed.attributes
            .insert("email".into(), "zed@example.com".into());
        app.update(Msg::Looked {
            id: id - 1,
            pool: "prod".into(),
            result: Ok(UserPage {
                users: vec![zed.clone()],
                next_token: None,
                slowed_to: None,
            }),
        });
        assert!(!app.users.contains("zed"));
        app.update(Msg::Looked {
            id,
            pool: "prod".into(),
            result: Ok(UserPage {
                users: vec![zed],
                next_token: None,
                slowed_to: None,
            }),
        });
        assert_eq!(shown(&app), ["zed"]);
        assert!(app.found.contains("zed"));
        assert!(draw(&app).contains("⌕ zed"), "{}", draw(&app));
    }

    #[test]
    fn loaded_rows_that_settle_it_need_no_search() {
        let mut app = loaded((100, 30), vec![user("ann", 1), user("bob", 2)]);
        // A local match on a complete listing: nothing to ask.
        let token = due(&typed(&mut app, "ann"));
        assert!(app.update(Msg::SearchDue { token }).is_empty());
        // Two letters, or a time filter, look like nothing to search.
        app.update(key(KeyCode::Esc));
        assert!(typed(&mut app, "an").is_empty());
        app.update(key(KeyCode::Esc));
        assert!(typed(&mut app, "age>7d").is_empty());
    }

    #[test]
    fn an_incomplete_listing_is_not_trusted_with_a_match() {
        let (mut app, effects) = App::new(pools(), 0, (100, 30), now());
        app.update(Msg::Page {
            generation: generation(&effects),
            result: Ok(page(vec![user("ann", 1)], Some("t1"))),
        });
        let token = due(&typed(&mut app, "ann"));
        assert!(matches!(
            app.update(Msg::SearchDue { token }).as_slice(),
            [Effect::Lookup { .. }]
        ));
    }
}
