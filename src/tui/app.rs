//! The app: what the screens share (the pools, the list, the history, the keymap) and its one
//! `update`. Keys and finished calls come in as messages and go to the screen in front (each
//! screen's state, keys and view are in `tui/screens/`); the calls to make go out as effects.
//! No I/O and no `.await` here.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, Utc};
use crossterm::event::{
    KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};

use super::keymap::{Command, Keymap, Screen};
use super::layout;
use super::screens::Next;
use super::screens::action::{ActPhase, ActionDialog};
use super::screens::resend::{Fresh, Phase, ResendDialog};
use super::store::Snapshot;
use super::users::UserList;
use crate::audit::{self, Attempt};
use crate::cognito::diagnostics::{Check, PoolSettings};
use crate::cognito::{ApiError, Delivery, ListQuery, Search, StatusFilter, User, UserPage};
use crate::config::ReplyTemplates;
use crate::ops::Request;
use crate::ops::bulk::{Step, Tally};
use crate::time::Zone;

mod mouse;

// The screens' own types, named here too: the app holds them in `Mode`.
pub use crate::tui::screens::actions_menu::{ActionsMenuScreen, Offer, Offered};
pub use crate::tui::screens::browse::{Listing, Loading, PauseReason, Paused, Stopped};
pub use crate::tui::screens::diagnostics::DiagnosticsScreen;
pub use crate::tui::screens::export::{ExportScreen, Writing};
pub use crate::tui::screens::filter::FilterScreen;
pub use crate::tui::screens::help::HelpScreen;
pub use crate::tui::screens::notice::NoticeScreen;
pub use crate::tui::screens::pools::PoolsScreen;
pub use crate::tui::screens::stats::{
    BarHit, Counting, STATS_DOMAINS, StatsBasis, StatsPanel, StatsScreen, count_stats,
};

/// What the app needs to know of a configured pool.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PoolView {
    pub name: String,
    pub user_pool_id: String,
    pub region: String,
    pub client_metadata: BTreeMap<String, String>,
    pub required_metadata: Vec<String>,
    pub analytics_endpoint_id: Option<String>,
    /// The endpoint in use when it is not AWS's own (an emulator, a VPC endpoint).
    pub endpoint_url: Option<String>,
    /// The ClientMetadata key the dialog's Ticket field is also sent under.
    pub ticket_metadata_key: Option<String>,
    /// `read_only = true` for this pool.
    pub read_only: bool,
    /// The listing pauses after this many users.
    pub max_users: usize,
}

pub(crate) const READ_ONLY: &str =
    "read-only: resends and admin actions are off (--read-only or the pool's read_only)";

pub(crate) const REFRESHING: &str =
    "refreshing: the rows stay until the new ones arrive, the checks run again";

const PASTE_IGNORED: &str = "paste ignored: pasted text only goes into a field being edited";

/// A send whose outcome is unknown makes the next one within this many seconds ask again.
pub const UNKNOWN_OUTCOME_WARNING_SECS: i64 = 60;

#[derive(Debug)]
pub enum Msg {
    Key(KeyEvent),
    /// A click or the wheel (with `mouse = true`, the default).
    Mouse(MouseEvent),
    /// Text the terminal pasted (bracketed paste): never keys, only text for a field.
    Paste(String),
    /// Once a minute while idle, so that ages on screen stay true.
    Clock(DateTime<Utc>),
    Resize {
        width: u16,
        height: u16,
    },
    /// Animation tick; only sent while something is loading or sending.
    Tick,
    /// Calls a second the current pool's listing is down to while Cognito throttles it (read
    /// from the pool's rate limit on each tick, so it shows while a page is being retried).
    Pace(Option<f64>),
    Page {
        generation: u64,
        result: Result<UserPage, ApiError>,
    },
    /// The pool's delivery checks (Describe* calls) came back.
    Diagnosed {
        pool: String,
        checks: Vec<Check>,
        settings: Option<PoolSettings>,
        at: DateTime<Utc>,
    },
    /// One user of a run is done with (or failed, or was skipped by a rule): a bulk run's user,
    /// or a resend dialog's one send.
    ActProgress {
        id: u64,
        step: Step,
        /// Its outcome could not be written to the audit log.
        audit_warning: Option<String>,
        /// When the answer (or the failure) came.
        at: DateTime<Utc>,
    },
    /// The action run is over (all done, or stopped after the call in flight).
    ActDone {
        id: u64,
        tally: Tally,
    },
    /// Rows of export `id` written so far.
    ExportProgress {
        id: u64,
        done: usize,
    },
    Exported {
        id: u64,
        path: String,
        result: Result<usize, String>,
    },
    /// The stats view's count (see [`Effect::CountStats`]).
    Counted {
        id: u64,
        stats: Box<crate::stats::Stats>,
    },
    /// The pause after a keystroke in the filter is over.
    SearchDue {
        token: u64,
    },
    /// The automatic server search came back.
    Looked {
        id: u64,
        pool: String,
        result: Result<UserPage, ApiError>,
    },
    /// The audit log's attempts for a pool, read afresh.
    History {
        pool: String,
        result: Result<History, String>,
        /// Lines that were not cogtui records (torn, or foreign).
        skipped: usize,
    },
    UserFetched {
        pool: String,
        username: String,
        result: Result<User, ApiError>,
    },
    /// Who else is on a user, as the claim found (see [`Effect::Claim`]): `Ok(None)` nobody.
    Claimed {
        pool: String,
        username: String,
        colleague: Result<Option<String>, String>,
    },
    /// A read of the delivery logs while a send is watched (see [`Effect::Watch`]).
    Watched {
        id: u64,
        seen: crate::evidence::Watched,
    },
    /// The evidence on a user (see [`Effect::Evidence`]).
    Evidence {
        pool: String,
        username: String,
        checks: Vec<Check>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    FetchPage {
        generation: u64,
        pool: String,
        query: ListQuery,
        token: Option<String>,
    },
    /// Opening a user's dialog claims them for ten minutes (renewed while open) and asks who
    /// else is on them.
    Claim {
        pool: String,
        username: String,
        ticket: Option<String>,
    },
    /// The dialog closed: the claim goes.
    Release { pool: String, username: String },
    /// A fresh look at one user (AdminGetUser) when the dialog opens.
    FetchUser { pool: String, username: String },
    /// What SES, SNS and the delivery logs say of this user (suppressed, opted out, not a
    /// sandbox recipient, errors logged since the last send); shown masked with `--redact`.
    Evidence {
        pool: String,
        username: String,
        redact: bool,
    },
    /// Watch the delivery logs for the user after a send (two minutes, a read every 15 s);
    /// `Stop { id }` ends it (Esc, the dialog closed).
    Watch {
        id: u64,
        pool: String,
        username: String,
        since: DateTime<Utc>,
        redact: bool,
    },
    /// DescribeUserPool, DescribeUserPoolClient, GetLogDeliveryConfiguration: once per pool per
    /// session, and again on `r`.
    Diagnose { pool: String },
    /// Read the pool's history from the audit log (other processes write to it too).
    LoadHistory { pool: String, case_sensitive: bool },
    /// Put text on the terminal's clipboard (OSC 52).
    Copy(String),
    /// A run: operations one user after the other, paced, through the guarded path (a bulk
    /// action, or a resend dialog's send as a run of one), reporting `ActProgress` per user and
    /// `ActDone` at the end.
    Act {
        id: u64,
        pool: String,
        requests: Vec<Request>,
    },
    /// Stop an action run after the call in flight, or an export.
    Stop { id: u64 },
    /// Write these rows as CSV to a new file, on another thread, reporting `ExportProgress`
    /// and then `Exported`; `Stop { id }` stops it (and removes the partial file).
    Export {
        id: u64,
        path: String,
        rows: Snapshot,
        redact: bool,
    },
    /// Count the rows for the stats view on another thread (a million take longer than a
    /// frame); answers `Counted`.
    CountStats {
        id: u64,
        rows: Snapshot,
        basis: StatsBasis,
    },
    /// Send `SearchDue { token }` after `ms` milliseconds (the pause in typing).
    After { ms: u64, token: u64 },
    /// The automatic server search for what the operator typed (one page).
    Lookup {
        id: u64,
        pool: String,
        query: ListQuery,
    },
}

/// How long typing must pause before cogtui searches the server by itself.
pub const SEARCH_PAUSE_MS: u64 = 500;

/// The pool checks, once they are in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Diagnosis {
    Checking,
    Ready {
        checks: Vec<Check>,
        settings: Option<Box<PoolSettings>>,
        at: DateTime<Utc>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResendRecord {
    pub at: DateTime<Utc>,
    pub delivery: Delivery,
}

#[derive(Debug)]
pub enum Mode {
    /// The list (`screens/browse`).
    Browse,
    /// Typing the filter (`/`).
    Filter(FilterScreen),
    /// The resend dialog (Enter).
    Dialog(Box<ResendDialog>),
    /// What cogtui has to say before the list.
    Notice(NoticeScreen),
    /// Every key; scrolls on small terminals (`?`).
    Help(HelpScreen),
    /// The pool picker (`p`).
    Pools(PoolsScreen),
    /// The pool's delivery checks (`D`).
    Diagnostics(DiagnosticsScreen),
    /// What can be done to the selected (or the marked) users (`a`).
    Actions(ActionsMenuScreen),
    /// An admin action on one user or the marked ones.
    Action(Box<ActionDialog>),
    /// The shape of the pending pile (`S`).
    Stats(StatsScreen),
    /// Where to write the view as CSV (`e`), and the writing once Enter started it.
    Export(ExportScreen),
}

/// A pool's audit history by user, keyed as the pool compares usernames: built on another
/// thread from the whole log, so the UI only swaps it in.
pub use crate::audit::UserHistory as History;

/// Frees a history on another thread, a batch at a time (see [`super::store::free_slowly`]).
fn free_history(history: History) {
    let (by_user, names) = history.into_parts();
    super::store::free_slowly(by_user);
    super::store::free_slowly(names);
}

/// Two clicks on one row this close together open it.
const DOUBLE_CLICK: std::time::Duration = std::time::Duration::from_millis(500);
/// Rows the wheel moves a notch.
const WHEEL_ROWS: isize = 3;

pub struct App {
    pub pools: Vec<PoolView>,
    pub pool: usize,
    pub status: StatusFilter,
    pub search: Option<Search>,
    pub users: UserList,
    /// The listing: loading, paused, failed or done.
    pub listing: Listing,
    /// Pages loaded by the listing now on screen.
    pub pages: usize,
    /// Load this many users before pausing (the pool's `max_users`, raised by each `L`).
    pub cap: usize,
    pub toast: Option<String>,
    pub mode: Mode,
    pub resent: HashMap<(String, String), ResendRecord>,
    /// Sends that got no answer (timeout, broken connection, server error), by pool and user.
    pub unknown_outcomes: HashMap<(String, String), DateTime<Utc>>,
    /// The audit log's attempts, by pool and username (read at start, on `r` and when a dialog
    /// opens, so sends from other processes count).
    pub history: HashMap<String, History>,
    /// Whether a loaded user has a resend in the audit log (kept as pages arrive).
    pub(crate) resends_loaded: bool,
    /// Why the audit log could not be read, when it could not.
    pub history_error: Option<String>,
    pub diagnostics: HashMap<String, Diagnosis>,
    pub replies: ReplyTemplates,
    /// `--read-only`: every action is hidden.
    pub read_only: bool,
    /// `--redact`: emails, phones and names are masked as they arrive.
    pub redact: bool,
    /// What each key does on each screen (the defaults, with the config's `[keys]` over them).
    pub keymap: Keymap,
    /// Clicks and the wheel are the app's (`mouse = false` leaves them to the terminal).
    pub mouse: bool,
    /// The last click on a row of the table, for a double click.
    pub(crate) last_click: Option<(usize, std::time::Instant)>,
    /// Where the stats view drew its bars (the view records them, a click finds them).
    pub bar_hits: std::cell::RefCell<Vec<BarHit>>,
    /// Where the open menu (the actions menu, the pool picker) drew each entry, in its order,
    /// for a click.
    pub menu_hits: std::cell::RefCell<Vec<ratatui::layout::Rect>>,
    /// Where an action dialog drew each of its fields, for a click.
    pub action_hits:
        std::cell::RefCell<Vec<(ratatui::layout::Rect, crate::tui::screens::action::Field)>>,
    /// Where the resend dialog drew each of its slots, for a click.
    pub dialog_hits:
        std::cell::RefCell<Vec<(ratatui::layout::Rect, crate::tui::screens::resend::Slot)>>,
    /// The latest keystroke in the filter: a pause that ends with another token is stale.
    pub(crate) search_token: u64,
    /// The automatic search in flight; older answers are dropped.
    pub(crate) lookup: Option<u64>,
    /// Users the automatic server search found (not from the listing), marked in the table.
    pub found: HashSet<String>,
    /// Metadata drafts of dialogs closed before sending, by pool and username.
    pub(crate) drafts: HashMap<(String, String), Box<ResendDialog>>,
    /// The resend dialog waiting while `D` shows the pool's checks from it.
    pub(crate) parked: Option<Box<ResendDialog>>,
    pub size: (u16, u16),
    pub now: DateTime<Utc>,
    pub zone: Zone,
    pub spinner: usize,
    pub should_quit: bool,
    /// Ctrl-C came while a write was out: leave once its answer is in (a second Ctrl-C leaves
    /// at once).
    pub quitting: bool,
    /// Leaving without waiting: the runtime records the calls still out as `unknown`.
    pub abandon: bool,
    /// What to print on the normal screen once the UI has closed (the last run's outcome).
    pub exit_summary: Option<String>,
    pub(crate) generation: u64,
    pub(crate) next_request: u64,
    /// The runs resend dialogs started (a send is a run of one), by id: their pool.
    pub(crate) dialog_sends: HashMap<u64, String>,
}

impl App {
    /// The app on `pool`, with the first page already asked for.
    pub fn new(
        pools: Vec<PoolView>,
        pool: usize,
        size: (u16, u16),
        now: DateTime<Utc>,
    ) -> (Self, Vec<Effect>) {
        let mut app = Self {
            pools,
            pool,
            status: StatusFilter::default(),
            search: None,
            users: UserList::default(),
            listing: Listing::Done,
            pages: 0,
            cap: usize::MAX,
            toast: None,
            mode: Mode::Browse,
            resent: HashMap::new(),
            unknown_outcomes: HashMap::new(),
            history: HashMap::new(),
            resends_loaded: false,
            history_error: None,
            diagnostics: HashMap::new(),
            replies: ReplyTemplates::default(),
            read_only: false,
            redact: false,
            keymap: Keymap::default(),
            mouse: true,
            last_click: None,
            bar_hits: std::cell::RefCell::new(Vec::new()),
            menu_hits: std::cell::RefCell::new(Vec::new()),
            dialog_hits: std::cell::RefCell::new(Vec::new()),
            action_hits: std::cell::RefCell::new(Vec::new()),
            search_token: 0,
            lookup: None,
            found: HashSet::new(),
            drafts: HashMap::new(),
            parked: None,
            size,
            now,
            zone: Zone::Local,
            spinner: 0,
            should_quit: false,
            quitting: false,
            abandon: false,
            exit_summary: None,
            generation: 0,
            next_request: 0,
            dialog_sends: HashMap::new(),
        };
        let mut effects = app.reload(false);
        effects.extend(app.pool_facts(false));
        (app, effects)
    }

    /// The checks and the history of the current pool: asked for once per pool, or again when
    /// `again` (a refresh).
    pub(crate) fn pool_facts(&mut self, again: bool) -> Vec<Effect> {
        let pool = self.current_pool().name.clone();
        let mut effects = vec![self.load_history(pool.clone())];
        let checking = matches!(self.diagnostics.get(&pool), Some(Diagnosis::Checking));
        if (again || !self.diagnostics.contains_key(&pool)) && !checking {
            self.diagnostics.insert(pool.clone(), Diagnosis::Checking);
            effects.push(Effect::Diagnose { pool });
        }
        effects
    }

    /// The attempts on this user of the current pool, oldest first (`Jane` and `jane` as one
    /// unless the pool is known to tell them apart).
    pub fn attempts(&self, username: &str) -> &[Attempt] {
        self.history
            .get(&self.current_pool().name)
            .map_or(&[], |h| h.of(username))
    }

    /// Whether `pool` is known to tell `Jane` from `jane`.
    pub(crate) fn case_sensitive_pool(&self, pool: &str) -> bool {
        match self.diagnostics.get(pool) {
            Some(Diagnosis::Ready { settings, .. }) => settings
                .as_ref()
                .and_then(|s| s.case_sensitive)
                .unwrap_or(false),
            _ => false,
        }
    }

    /// Read the pool's audit history again (indexed on another thread, keyed as the pool
    /// compares usernames).
    pub(crate) fn load_history(&self, pool: String) -> Effect {
        Effect::LoadHistory {
            case_sensitive: self.case_sensitive_pool(&pool),
            pool,
        }
    }

    /// Counts the users about to be loaded: the LAST RESEND column shows once one of them has a
    /// resend in the audit log. O(page), not O(history) a frame.
    /// (Fields rather than `self`: a page is loaded while the listing's state is borrowed.)
    pub(crate) fn spot_resends(found: &mut bool, history: Option<&History>, users: &[User]) {
        if !*found && let Some(history) = history {
            *found = users.iter().any(|u| history.has_resend(&u.username));
        }
    }

    /// When Cognito will take another resend for this user, if the audit log shows five in
    /// the last hour.
    pub fn hourly_limit(&self, username: &str) -> Option<DateTime<Utc>> {
        audit::hourly_limit_until(self.attempts(username), self.now)
    }

    pub fn diagnosis(&self) -> Option<&Diagnosis> {
        self.diagnostics.get(&self.current_pool().name)
    }

    /// What DescribeUserPool said about the current pool, once it has.
    pub fn pool_settings(&self) -> Option<&PoolSettings> {
        match self.diagnosis()? {
            Diagnosis::Ready { settings, .. } => settings.as_deref(),
            Diagnosis::Checking => None,
        }
    }

    pub fn checks(&self) -> &[Check] {
        match self.diagnosis() {
            Some(Diagnosis::Ready { checks, .. }) => checks,
            _ => &[],
        }
    }

    /// Whether any loaded user of this pool has a resend (this session or in the audit log):
    /// the LAST RESEND column shows only then. Costs this session's sends, not the history.
    pub fn has_resends(&self) -> bool {
        let pool = &self.current_pool().name;
        self.resends_loaded
            || self
                .resent
                .keys()
                .any(|(p, user)| p == pool && self.users.contains(user))
    }

    /// The reply for the ticket after the dialog's send, with what the checks say.
    pub fn reply_for(&self, username: &str, delivery: &Delivery) -> String {
        let mut notes = crate::cognito::diagnostics::reply_notes(
            self.checks(),
            delivery.medium == crate::cognito::DeliveryMedium::Email,
        );
        // What the watch of the delivery logs found since the send.
        if let Mode::Dialog(dialog) = &self.mode
            && dialog.username == username
            && let Some((_, Some(seen @ crate::evidence::Watched::Found(_)))) = &dialog.watch
        {
            notes.push(format!(
                "Our delivery log shows a problem with this message ({}); we are looking into it.",
                seen.line(self.zone, &|t: &str| t.to_string())
                    .trim_start_matches("✘ ")
            ));
        }
        crate::reply::reply(&self.replies, username, delivery, &notes)
    }

    pub fn current_pool(&self) -> &PoolView {
        &self.pools[self.pool]
    }

    pub fn query(&self) -> ListQuery {
        ListQuery {
            status: self.status,
            search: self.search.clone(),
        }
    }

    /// Something is in flight: the spinner needs ticks.
    pub fn is_busy(&self) -> bool {
        self.listing.loading().is_some()
            || matches!(&self.mode, Mode::Dialog(d) if d.is_sending() || d.fresh == Fresh::Checking)
            || matches!(&self.mode, Mode::Action(d) if matches!(d.phase, ActPhase::Running(_)))
    }

    /// The banner's text, when there is one; it says whether `r` resumes or starts over.
    pub fn banner_text(&self) -> Option<[String; 2]> {
        let err = self.listing.error()?;
        // The refresh key in force (the keymap's), not a fixed `r`.
        let r = self.keymap.key(Screen::Browse, Command::Refresh);
        let next = match self.listing.resume_point() {
            Some(s) => format!(
                "{} users in {} pages kept · {r} resumes from page {}",
                self.users.len(),
                s.pages(),
                s.pages() + 1
            ),
            None => format!("{r} retries"),
        };
        Some(layout::banner_text(err, &next))
    }

    /// When a send to this user went unanswered less than a minute ago.
    pub fn recent_unknown_outcome(&self, username: &str) -> Option<DateTime<Utc>> {
        let key = (self.current_pool().name.clone(), username.to_string());
        self.unknown_outcomes
            .get(&key)
            .filter(|at| (self.now - **at).num_seconds() < UNKNOWN_OUTCOME_WARNING_SECS)
            .copied()
    }

    /// The newest delivery known for this user: sent this session, or found in the audit log.
    pub fn last_resend(&self, username: &str) -> Option<ResendRecord> {
        let session = self
            .resent
            .get(&(self.current_pool().name.clone(), username.to_string()))
            .cloned();
        let logged = self
            .attempts(username)
            .iter()
            .rev()
            .find(|a| {
                a.intent.action == crate::ops::ActionName::Resend.as_str()
                    && a.outcome() == Some(audit::Outcome::Sent)
            })
            .map(|a| {
                let r = a.record();
                ResendRecord {
                    at: a.at(),
                    delivery: Delivery {
                        destination: r.destination.clone().unwrap_or_default(),
                        medium: match r.delivery_medium.as_deref() {
                            Some("EMAIL") => crate::cognito::DeliveryMedium::Email,
                            Some("SMS") => crate::cognito::DeliveryMedium::Sms,
                            other => crate::cognito::DeliveryMedium::Other(
                                other.unwrap_or("UNKNOWN").to_string(),
                            ),
                        },
                        attribute_name: r.attribute_name.clone().unwrap_or_default(),
                    },
                }
            });
        match (session, logged) {
            (Some(s), Some(l)) => Some(if l.at > s.at { l } else { s }),
            (s, l) => s.or(l),
        }
    }

    pub fn update(&mut self, msg: Msg) -> Vec<Effect> {
        self.users.set_clock(self.now, self.zone);
        match msg {
            Msg::Key(key) if key.kind != KeyEventKind::Release => self.on_key(key),
            Msg::Key(_) => Vec::new(),
            Msg::Mouse(event) => self.on_mouse(event),
            Msg::Paste(text) => {
                self.on_paste(&text);
                if matches!(self.mode, Mode::Filter { .. }) {
                    return self.schedule_search();
                }
                Vec::new()
            }
            Msg::Clock(now) => {
                self.now = now;
                // An open dialog keeps its user claimed, and asks again who else is on them (a
                // colleague who sent since shows within a clock tick); one ask at a time.
                let pool = self.current_pool().name.clone();
                match &mut self.mode {
                    // An action dialog on one user too, until it goes.
                    Mode::Action(dialog)
                        if dialog.claimed
                            && matches!(
                                dialog.phase,
                                ActPhase::Draft | ActPhase::Confirming { .. }
                            )
                            && let [one] = dialog.targets.as_slice() =>
                    {
                        vec![Effect::Claim {
                            pool,
                            username: one.username.clone(),
                            ticket: Some(dialog.ticket.value().trim().to_string())
                                .filter(|t| !t.is_empty()),
                        }]
                    }
                    Mode::Dialog(dialog)
                        if matches!(dialog.colleague, Some(Ok(_)))
                            && dialog.claimed_at.is_some_and(|at| now > at) =>
                    {
                        dialog.claimed_at = Some(now);
                        vec![Effect::Claim {
                            pool,
                            username: dialog.username.clone(),
                            ticket: Some(dialog.ticket.value().trim().to_string())
                                .filter(|t| !t.is_empty()),
                        }]
                    }
                    _ => Vec::new(),
                }
            }
            Msg::Resize { width, height } => {
                self.size = (width, height);
                self.users.scroll_into_view(self.table_rows());
                Vec::new()
            }
            Msg::Tick => {
                self.spinner = self.spinner.wrapping_add(1);
                Vec::new()
            }
            Msg::Pace(slowed_to) => {
                if let Listing::Loading(loading) = &mut self.listing {
                    loading.slowed_to = slowed_to;
                }
                Vec::new()
            }
            Msg::Page { generation, result } => self.on_page(generation, result),
            Msg::Diagnosed {
                pool,
                checks,
                settings,
                at,
            } => {
                // A pool that tells `Jane` from `jane`: its history is keyed again by exact name.
                let rekey = settings.as_ref().and_then(|s| s.case_sensitive) == Some(true)
                    && self.history.contains_key(&pool);
                let effects = if rekey {
                    vec![Effect::LoadHistory {
                        pool: pool.clone(),
                        case_sensitive: true,
                    }]
                } else {
                    Vec::new()
                };
                self.diagnostics.insert(
                    pool,
                    Diagnosis::Ready {
                        checks,
                        settings: settings.map(Box::new),
                        at,
                    },
                );
                effects
            }
            Msg::ActProgress {
                id,
                step,
                audit_warning,
                at,
            } => match self.dialog_sends.get(&id).cloned() {
                Some(pool) => self.on_sent(id, pool, step, audit_warning, at),
                None => {
                    self.on_act_progress(id, step, audit_warning);
                    Vec::new()
                }
            },
            Msg::ActDone { id, tally } => match self.dialog_sends.remove(&id) {
                // The dialog heard its one step already.
                Some(_) => Vec::new(),
                None => self.on_act_done(id, tally),
            },
            Msg::SearchDue { token } => self.on_search_due(token),
            Msg::Looked { id, pool, result } => {
                self.on_looked(id, &pool, result);
                Vec::new()
            }
            Msg::Counted { id, stats } => {
                self.on_counted(id, stats);
                Vec::new()
            }
            Msg::ExportProgress { id, done } => {
                if let Mode::Export(ExportScreen {
                    writing: Some(writing),
                    ..
                }) = &mut self.mode
                    && writing.id == id
                {
                    writing.done = done;
                }
                Vec::new()
            }
            Msg::Exported { id, path, result } => {
                let ours = matches!(&self.mode, Mode::Export(ExportScreen { writing: Some(w), .. }) if w.id == id);
                match result {
                    Ok(rows) => {
                        self.toast = Some(format!("exported {rows} rows to {path}"));
                        if ours {
                            self.mode = Mode::Browse;
                        }
                    }
                    Err(e) => {
                        if let (true, Mode::Export(ExportScreen { error, writing, .. })) =
                            (ours, &mut self.mode)
                        {
                            // The path stays, to fix and press Enter again.
                            *writing = None;
                            *error = Some(e);
                        } else {
                            self.toast = Some(format!("export: {e}"));
                        }
                    }
                }
                Vec::new()
            }
            Msg::History {
                pool,
                result,
                skipped,
            } => {
                if skipped > 0 {
                    self.toast = Some(format!(
                        "audit log: skipped {skipped} line{} that {} not cogtui records (see the log file)",
                        if skipped == 1 { "" } else { "s" },
                        if skipped == 1 { "is" } else { "are" }
                    ));
                }
                match result {
                    Ok(history) => {
                        if pool == self.current_pool().name {
                            let users = &self.users;
                            self.resends_loaded = history.any_resend_among(
                                users.len(),
                                users.all().map(|u| u.username.as_str()),
                                |name| users.contains(name),
                            );
                        }
                        // The index it replaces may be large: freed on another thread.
                        if let Some(old) = self.history.insert(pool, history) {
                            free_history(old);
                        }
                        self.history_error = None;
                    }
                    Err(e) => self.history_error = Some(e),
                }
                Vec::new()
            }
            Msg::UserFetched {
                pool,
                username,
                result,
            } => self.on_user_fetched(&pool, &username, result),
            Msg::Claimed {
                pool,
                username,
                colleague,
            } => {
                let now = self.now;
                if pool != self.current_pool().name {
                    return Vec::new();
                }
                if let Mode::Action(dialog) = &mut self.mode
                    && let [one] = dialog.targets.as_slice()
                    && one.username == username
                {
                    dialog.claimed = true;
                    // A failed ask keeps what the last one said.
                    if let Ok(colleague) = colleague {
                        dialog.colleague = colleague;
                    }
                } else if let Some(dialog) = self.resend_dialog_of(&username) {
                    // News of a colleague since the last answer: the History line is read again
                    // (a colleague's send is in the log now).
                    let news = matches!(&colleague, Ok(Some(_)))
                        && dialog.colleague.as_ref() != Some(&colleague);
                    dialog.colleague = Some(colleague);
                    dialog.claimed_at = Some(now);
                    if news {
                        return vec![self.load_history(pool)];
                    }
                }
                Vec::new()
            }
            Msg::Watched { id, seen } => {
                if let Mode::Dialog(dialog) = &mut self.mode
                    && let Some((watching, state)) = &mut dialog.watch
                    && *watching == id
                {
                    *state = Some(seen);
                }
                Vec::new()
            }
            Msg::Evidence {
                pool,
                username,
                checks,
            } => {
                if pool == self.current_pool().name
                    && let Some(dialog) = self.resend_dialog_of(&username)
                {
                    dialog.evidence = Some(checks);
                }
                Vec::new()
            }
        }
    }

    pub(crate) fn table_rows(&self) -> usize {
        layout::table_rows(self.size, self.banner_text().as_ref())
    }

    fn on_paste(&mut self, text: &str) {
        match &mut self.mode {
            Mode::Filter(FilterScreen { input, error }) => {
                input.paste(text);
                let text = input.value().to_string();
                *error = self
                    .users
                    .set_filter(if looks_like_search(&text) { "" } else { &text });
                self.users.scroll_into_view(self.table_rows());
            }
            Mode::Dialog(dialog) => {
                if !dialog.paste(text) {
                    self.toast = Some(format!("{PASTE_IGNORED} (Enter on a field first)"));
                }
            }
            Mode::Action(dialog) => {
                if !dialog.paste(text) {
                    self.toast = Some(format!(
                        "{PASTE_IGNORED}: a confirmation must be typed (Enter on a field to paste \
                         into it)"
                    ));
                }
            }
            Mode::Export(ExportScreen {
                input,
                error,
                writing: None,
            }) => {
                input.paste(text);
                *error = None;
            }
            _ => self.toast = Some(format!("{PASTE_IGNORED} (/ or Enter on a field first)")),
        }
    }

    pub(crate) fn on_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        self.toast = None;
        if key.modifiers.contains(KeyModifiers::CONTROL) && key.code == KeyCode::Char('c') {
            return self.on_interrupt();
        }
        match &mut self.mode {
            Mode::Browse => self.on_browse_key(key),
            Mode::Filter { .. } => self.on_filter_key(key),
            Mode::Dialog(_) => self.on_dialog_key(key),
            // These screens decide alone; the app carries out what they ask.
            Mode::Help(help) => {
                let next = help.on_command(self.keymap.command(Screen::Help, &key));
                self.follow(next)
            }
            Mode::Diagnostics(checks) => {
                let next = checks.on_command(self.keymap.command(Screen::Checks, &key));
                self.follow(next)
            }
            Mode::Pools(pools) => {
                let next =
                    pools.on_command(self.keymap.command(Screen::Pools, &key), self.pools.len());
                self.follow(next)
            }
            Mode::Notice(notice) => {
                let next = notice.on_key(key);
                self.follow(next)
            }
            Mode::Actions(_) => self.on_actions_key(key),
            Mode::Action(_) => self.on_action_key(key),
            Mode::Export { .. } => self.on_export_key(key),
            Mode::Stats { .. } => self.on_stats_key(key),
        }
    }

    /// What a screen asked for (see [`Next`]).
    pub(crate) fn follow(&mut self, next: Next) -> Vec<Effect> {
        match next {
            Next::Stay => Vec::new(),
            Next::Close => {
                // Back where the screen was opened: the resend dialog parked behind `D`, or the
                // list.
                self.mode = match self.parked.take() {
                    Some(dialog) => Mode::Dialog(dialog),
                    None => Mode::Browse,
                };
                Vec::new()
            }
            Next::CheckAgain => self.pool_facts(true),
            Next::Filter(filter) => {
                self.users.set_filter(&filter);
                self.mode = Mode::Browse;
                self.users.scroll_into_view(self.table_rows());
                let key = |command| self.keymap.key(Screen::Browse, command);
                self.toast = Some(format!(
                    "filter {filter}: {} users ({} clears; {} then {} acts on them)",
                    self.users.visible_len(),
                    key(Command::Back),
                    key(Command::MarkAll),
                    key(Command::Actions)
                ));
                Vec::new()
            }
            Next::SwitchPool(chosen) => {
                self.mode = Mode::Browse;
                if chosen == self.pool || chosen >= self.pools.len() {
                    return Vec::new();
                }
                self.pool = chosen;
                self.search = None;
                self.users.set_filter("");
                let mut effects = self.reload(false);
                effects.extend(self.pool_facts(false));
                effects
            }
        }
    }

    /// Read-only for the whole session, or for the pool on screen.
    pub fn is_read_only(&self) -> bool {
        self.read_only || self.current_pool().read_only
    }
}

/// `email^=jane`: a word, then `=` or `^=` (an attribute Cognito cannot search is an error on
/// Enter, never a local filter that silently matches nothing).
pub fn looks_like_search(text: &str) -> bool {
    crate::cognito::filter::looks_like_search(text)
}
