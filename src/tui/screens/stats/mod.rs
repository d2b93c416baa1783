//! The charts (`S`): the shape of the pending pile. Its state (the panel and bar selected, the
//! counts, the count running on another thread) is here, its keys in `keys.rs`, its view in
//! `view.rs`.

use chrono::{DateTime, Utc};

use crate::cognito::User;
use crate::time::Zone;

mod keys;
mod view;

pub use view::StatsView;

/// The stats screen: a panel and the bar selected in it, and the counts (made when the screen
/// opens and again as pages arrive, not on every frame).
#[derive(Debug)]
pub struct StatsScreen {
    pub panel: StatsPanel,
    pub selected: usize,
    pub stats: Box<crate::stats::Stats>,
    /// What the counts were taken against, so the users of later pages are counted alike.
    pub basis: StatsBasis,
    /// While the rows shown at opening are counted on another thread.
    pub counting: Option<Counting>,
}

/// The charts of the stats screen that a bar can be selected in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatsPanel {
    Days,
    Ages,
    Domains,
    /// The busiest 60 minutes (a likely bot wave), when there is one.
    Wave,
}

/// A bar of the stats view where it was drawn: a click inside `area` selects bar `index` of
/// `panel`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BarHit {
    pub area: ratatui::layout::Rect,
    pub panel: StatsPanel,
    pub index: usize,
}

/// The stats view's count of the rows shown at opening, running on another thread; the users
/// that arrive (or are replaced) meanwhile wait here to be counted after it.
#[derive(Debug)]
pub struct Counting {
    pub id: u64,
    pub rows: usize,
    /// Users to add (`true`) or take back (`false`) once the count is in, in order.
    pub(crate) pending: Vec<(User, bool)>,
}

/// The time and pool facts an open stats view counted with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StatsBasis {
    pub now: DateTime<Utc>,
    pub zone: Zone,
    pub verifies: Option<(bool, bool)>,
}

/// The stats screen's numbers for these users.
pub fn count_stats<'a>(
    users: impl IntoIterator<Item = &'a User>,
    basis: StatsBasis,
) -> crate::stats::Stats {
    let mut stats = crate::stats::Stats::default();
    for user in users {
        stats.add(user, basis.now, basis.zone, basis.verifies);
    }
    stats
}

/// The stats screen lists this many email domains.
pub const STATS_DOMAINS: usize = 8;
