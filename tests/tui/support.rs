//! Users, pools and keys for the TUI tests, which need no terminal and no emulator.
#![allow(dead_code)]

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, TimeZone, Utc};
use cogtui::audit::{self, Event, Operator, Outcome, Record};
use cogtui::cognito::diagnostics::{self, ClientSettings, PoolFacts, PoolSettings};
use cogtui::cognito::{User, UserPage};
use cogtui::tui::app::{App, Effect, History, Msg, PoolView};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// The terminal most tests draw on.
pub const SIZE: (u16, u16) = (100, 30);

/// The username the list's selection is on ("" for none).
pub fn selected(app: &App) -> String {
    app.users
        .selected_user()
        .map(|u| u.username.clone())
        .unwrap_or_default()
}

pub fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 26, 12, 0, 0).unwrap()
}

/// A user created `hours_ago` before `now()`.
pub fn user(name: &str, hours_ago: i64) -> User {
    let created = now() - chrono::Duration::hours(hours_ago);
    User {
        username: name.to_string(),
        status: "UNCONFIRMED".into(),
        enabled: true,
        created: Some(created),
        modified: Some(created),
        attributes: BTreeMap::from([
            ("email".to_string(), format!("{name}@example.com")),
            ("name".to_string(), format!("Name {name}")),
            ("sub".to_string(), format!("sub-{name}")),
        ])
        .into(),
    }
}

pub fn with_status(mut user: User, status: &str) -> User {
    user.status = status.into();
    user
}

pub fn pools() -> Vec<PoolView> {
    vec![
        PoolView {
            name: "prod".into(),
            user_pool_id: "eu-west-1_AbCdEf123".into(),
            region: "eu-west-1".into(),
            client_metadata: BTreeMap::from([("source".to_string(), "support-desk".to_string())]),
            required_metadata: Vec::new(),
            analytics_endpoint_id: None,
            endpoint_url: None,
            ticket_metadata_key: None,
            read_only: false,
            max_users: 200_000,
        },
        PoolView {
            name: "staging".into(),
            user_pool_id: "us-east-1_Staging1".into(),
            region: "us-east-1".into(),
            client_metadata: BTreeMap::new(),
            required_metadata: vec!["ticket".into()],
            analytics_endpoint_id: Some("analytics-1".into()),
            endpoint_url: Some("http://127.0.0.1:5599".into()),
            ticket_metadata_key: None,
            read_only: false,
            max_users: 200_000,
        },
    ]
}

/// The app at `now()`, showing times in UTC so that screens do not depend on the machine's zone.
pub fn app(size: (u16, u16)) -> (App, Vec<Effect>) {
    let (mut app, effects) = App::new(pools(), 0, size, now());
    app.zone = cogtui::time::Zone::utc();
    (app, effects)
}

/// The generation of the one listing call among `effects` (the checks and the history of a
/// pool may be asked for beside it).
pub fn generation(effects: &[Effect]) -> u64 {
    let pages: Vec<u64> = effects
        .iter()
        .filter_map(|e| match e {
            Effect::FetchPage { generation, .. } => Some(*generation),
            _ => None,
        })
        .collect();
    match pages.as_slice() {
        [generation] => *generation,
        _ => panic!("expected one FetchPage, got {effects:?}"),
    }
}

pub fn page(users: Vec<User>, next: Option<&str>) -> UserPage {
    UserPage {
        users,
        next_token: next.map(str::to_string),
        slowed_to: None,
    }
}

/// The app with these users loaded in one page.
pub fn loaded(size: (u16, u16), users: Vec<User>) -> App {
    let (mut app, effects) = app(size);
    let generation = generation(&effects);
    let more = app.update(Msg::Page {
        generation,
        result: Ok(page(users, None)),
    });
    assert!(more.is_empty());
    app
}

pub fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

/// `a`, then an action's letter: the menu's action for the selected user (or the marked ones).
pub fn open_action(app: &mut App, letter: char) {
    app.update(key(KeyCode::Char('a')));
    app.update(key(KeyCode::Char(letter)));
}

pub fn ctrl(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

pub fn type_text(app: &mut App, text: &str) -> Vec<Effect> {
    let mut effects = Vec::new();
    for c in text.chars() {
        effects.extend(app.update(key(KeyCode::Char(c))));
    }
    effects
}

/// In the resend dialog: adds a ClientMetadata pair the way an operator types it.
pub fn add_pair(app: &mut App, key_text: &str, value: &str) {
    app.update(key(KeyCode::Char('a')));
    type_text(app, key_text);
    app.update(key(KeyCode::Tab));
    type_text(app, value);
    app.update(key(KeyCode::Enter));
}

/// A send the audit log recorded `minutes_ago`, to `username` of the prod pool.
pub fn sent_records(username: &str, minutes_ago: i64, ticket: &str) -> Vec<Record> {
    let at: DateTime<Utc> = now() - Duration::minutes(minutes_ago);
    let id = format!("{username}-{minutes_ago}");
    let record = |event, outcome| Record {
        id: id.clone(),
        event,
        time: at,
        operator: Operator {
            user: "alice".into(),
            arn: None,
        },
        pool: "prod".into(),
        user_pool_id: "eu-west-1_AbCdEf123".into(),
        username: username.into(),
        action: "resend".into(),
        ticket: Some(ticket.into()),
        client_metadata: BTreeMap::new(),
        outcome,
        destination: outcome.map(|_| "p***@e***.com".into()),
        delivery_medium: outcome.map(|_| "EMAIL".into()),
        attribute_name: outcome.map(|_| "email".into()),
        error_code: None,
        reason: None,
        details: BTreeMap::new(),
        version: "test".into(),
    };
    vec![
        record(Event::Intent, None),
        record(Event::Outcome, Some(Outcome::Sent)),
    ]
}

pub fn history(app: &mut App, records: Vec<Record>) {
    history_keyed(app, records, false);
}

/// The history as the runtime hands it over, keyed as `LoadHistory` asked.
pub fn history_keyed(app: &mut App, records: Vec<Record>, case_sensitive: bool) {
    app.update(Msg::History {
        pool: "prod".into(),
        result: Ok(History::new(audit::attempts(records), case_sensitive)),
        skipped: 0,
    });
}

/// Does what the runtime does on another thread for these effects (the stats count) and hands
/// the answers back.
pub fn settle(app: &mut App, effects: Vec<Effect>) {
    for effect in effects {
        if let Effect::CountStats { id, rows, basis } = effect {
            let stats = cogtui::tui::app::count_stats(rows.iter(), basis);
            app.update(Msg::Counted {
                id,
                stats: Box::new(stats),
            });
        }
    }
}

/// `S`, and its count in.
pub fn open_stats(app: &mut App) {
    let effects = app.update(key(KeyCode::Char('S')));
    settle(app, effects);
}

/// The checks of a pool that sends with Cognito's own sender and links instead of codes.
pub fn troubled(app: &mut App) {
    diagnosed(app, false);
}

/// As [`troubled`], and the app client has a secret none is configured for (staging in the
/// demo): a failure that makes every send fail.
pub fn diagnosed(app: &mut App, client_has_secret: bool) {
    let settings = PoolSettings {
        auto_verified: vec!["email".into()],
        email_sending_account: Some("COGNITO_DEFAULT".into()),
        default_email_option: Some("CONFIRM_WITH_LINK".into()),
        ..PoolSettings::default()
    };
    let facts = PoolFacts {
        pool: Ok(settings.clone()),
        client: Ok(ClientSettings {
            has_secret: client_has_secret,
            ..ClientSettings::default()
        }),
        logs: Ok(vec![]),
    };
    app.update(Msg::Diagnosed {
        pool: "prod".into(),
        checks: diagnostics::pool_checks(&facts, false),
        settings: Some(settings),
        at: now(),
    });
}

/// The screen as text: each row with its trailing spaces trimmed.
pub fn draw(app: &App) -> String {
    let (w, h) = app.size;
    let mut terminal =
        ratatui::Terminal::new(ratatui::backend::TestBackend::new(w, h)).expect("test terminal");
    terminal
        .draw(|f| f.render_widget(app, f.area()))
        .expect("draw");
    let buffer = terminal.backend().buffer().clone();
    (0..h)
        .map(|y| {
            let line: String = (0..w)
                .map(|x| buffer[(x, y)].symbol().to_string())
                .collect();
            format!("{}\n", line.trim_end())
        })
        .collect()
}

/// The resend dialog on screen.
pub fn dialog(app: &App) -> &cogtui::tui::screens::resend::ResendDialog {
    match &app.mode {
        cogtui::tui::app::Mode::Dialog(d) => d,
        other => panic!("expected the dialog, got {other:?}"),
    }
}

/// Cognito's answer to the dialog's freshness check: still UNCONFIRMED.
pub fn check_passes(app: &mut App) {
    let name = dialog(app).username.clone();
    let fresh = app
        .users
        .all()
        .find(|u| u.username == name)
        .cloned()
        .unwrap_or_else(|| user(&name, 1));
    answer_look(app, &name, Ok(fresh));
}

/// Cognito's answer to a dialog's fresh look at `username` (AdminGetUser) in the current pool.
pub fn answer_look(
    app: &mut App,
    username: &str,
    result: Result<User, cogtui::cognito::ApiError>,
) -> Vec<Effect> {
    app.update(Msg::UserFetched {
        pool: app.current_pool().name.clone(),
        username: username.into(),
        result,
    })
}

/// In an action dialog whose fields are Ticket then Reason: types the reason.
pub fn give_reason(app: &mut App, reason: &str) {
    app.update(key(KeyCode::Down));
    app.update(key(KeyCode::Enter));
    type_text(app, reason);
    app.update(key(KeyCode::Enter));
}

/// What a resend dialog's send (an `Effect::Act` run of one) reports.
pub struct Sent {
    pub id: u64,
    pub username: String,
    pub at: DateTime<Utc>,
    pub result: Result<cogtui::cognito::Delivery, cogtui::cognito::ApiError>,
    pub audit_warning: Option<String>,
}

impl Sent {
    /// The answer to send `id` for `username`, now, recorded.
    pub fn new(
        id: u64,
        username: &str,
        result: Result<cogtui::cognito::Delivery, cogtui::cognito::ApiError>,
    ) -> Self {
        Self {
            id,
            username: username.into(),
            at: now(),
            result,
            audit_warning: None,
        }
    }
}

/// The run's one step, made from the result as `ops::bulk` makes it (a rule's refusal is a skip),
/// then the run's end; the effects of both.
pub fn answer_send(app: &mut App, sent: Sent) -> Vec<Effect> {
    use cogtui::ops::bulk::{Step, Tally};
    let step = Step::of(
        &sent.username,
        sent.result.map(cogtui::ops::Answer::Delivered),
    );
    let mut tally = Tally::default();
    tally.count(&step, sent.audit_warning.as_deref());
    let mut effects = app.update(Msg::ActProgress {
        id: sent.id,
        step,
        audit_warning: sent.audit_warning,
        at: sent.at,
    });
    effects.extend(app.update(Msg::ActDone { id: sent.id, tally }));
    effects
}

/// The resend dialog's send among these effects: a run of one resend (`Effect::Act`), its id,
/// pool and request.
pub fn dialog_send(effects: &[Effect]) -> Option<(u64, &str, &cogtui::ops::Request)> {
    effects.iter().find_map(|e| match e {
        Effect::Act { id, pool, requests } => match requests.as_slice() {
            [request] if matches!(request.action, cogtui::ops::Action::Resend(_)) => {
                Some((*id, pool.as_str(), request))
            }
            _ => None,
        },
        _ => None,
    })
}

/// `s`, then a bare `y`, in an open resend dialog: the id of its send (a run of one).
pub fn confirm_send(app: &mut App) -> u64 {
    app.update(key(KeyCode::Char('s')));
    let effects = app.update(key(KeyCode::Char('y')));
    match dialog_send(&effects) {
        Some((id, _, _)) => id,
        None => panic!("no send: {effects:?}"),
    }
}

/// Where a code sent by email went: `p***@e***.com`.
pub fn by_email() -> cogtui::cognito::Delivery {
    cogtui::cognito::Delivery {
        destination: "p***@e***.com".into(),
        medium: cogtui::cognito::DeliveryMedium::Email,
        attribute_name: "email".into(),
    }
}

/// A code sent by email to `p***@e***.com`: the answer to send `id`, now.
pub fn answer_delivered(app: &mut App, id: u64, username: &str) -> Vec<Effect> {
    answer_send(app, Sent::new(id, username, Ok(by_email())))
}
