//! The loaded users: newest first, filtered as the operator types, with a selection that follows
//! the user it points at.

use std::hash::BuildHasher;

use chrono::{DateTime, Utc};

use std::sync::Arc;

use super::ranked::Ranked;
use super::store::{Snapshot, Store};
use crate::cognito::User;
use crate::local_filter::{LocalFilter, TimeWindow};
use crate::time::Zone;

#[derive(Debug, Default)]
pub struct UserList {
    /// Append-only; `order` and `visible` index into it. Chunked, so that a background task
    /// takes a snapshot in O(1).
    users: Store,
    /// Where each username is in `users`: a user appears once, a later copy replaces it.
    /// Indexes into `users` found by username without a second copy of every username.
    by_name: hashbrown::HashTable<u32>,
    hasher: std::collections::hash_map::RandomState,
    /// The filter's text: each user's lowercased username, email, phone and name, one after the
    /// other in one buffer (each ended by a NUL), so a rescan of a million users is one SIMD pass.
    text: Vec<u8>,
    /// Where each piece of `text` starts (ascending) and whose it is; a user's replaced text is
    /// left in place with `DEAD` as its owner. A piece ends with the NUL before the next one.
    segments: Vec<u32>,
    owners: Vec<u32>,
    /// Each user's current piece (its text, and what to mark dead when the user is replaced).
    segment_of: Vec<u32>,
    /// Every user, newest first (ties: the one loaded first, first): see [`before`].
    order: Arc<Ranked>,
    /// The users that pass the filter, in the same order (shared with a snapshot until it
    /// changes); `None` without a filter: every user, in `order` (no second copy of a million
    /// rows).
    visible: Option<Arc<Ranked>>,
    filter: String,
    /// The filter's words and time terms.
    parsed: LocalFilter,
    /// The time terms as a span of creation times, as of `clock`.
    window: TimeWindow,
    /// One prebuilt substring searcher per filter word (SIMD, much faster than `str::contains`
    /// when a keystroke rescans a million users).
    finders: Vec<memchr::memmem::Finder<'static>>,
    /// How the filter was read, when it was read as a phone number (said under the input).
    note: Option<String>,
    /// Loaded phone numbers by country code, kept as users arrive and are replaced (so the
    /// usual one is known without a pass over a million users on a keystroke).
    countries: std::collections::HashMap<String, usize>,
    /// The filter has a term that does not parse (`age<24`, no unit): it fails closed, nothing
    /// is shown (nor markable) until it is fixed.
    broken: bool,
    /// What time terms (`age>7d`) are measured against; set by the app.
    clock: Option<(DateTime<Utc>, Zone)>,
    selected: usize,
    /// First visible row of the table.
    offset: usize,
    /// Until the operator moves, the selection stays on the newest user as pages arrive.
    moved: bool,
    /// After a refresh starts over, the user to select again once it shows up; the operator's
    /// own moves win over it.
    wanted: Option<String>,
    /// The marked users (Space, `*`): one bit per user number, so marking a million is a pass
    /// over bits, never a million names copied.
    marks: Vec<u64>,
    marked: usize,
    /// Across a refresh: the users marked before it, marked again as they arrive.
    remarks: std::collections::HashSet<String>,
}

impl UserList {
    pub fn len(&self) -> usize {
        self.users.len()
    }

    pub fn is_empty(&self) -> bool {
        self.users.is_empty()
    }

    pub fn visible_len(&self) -> usize {
        self.rows().len()
    }

    pub fn filter(&self) -> &str {
        &self.filter
    }

    /// The rows that pass the filter, in table order.
    fn shown(&self) -> &Arc<Ranked> {
        self.visible.as_ref().unwrap_or(&self.order)
    }

    fn rows(&self) -> &Ranked {
        self.shown()
    }

    /// The rows shown, for a background task (an export, the stats count): O(1).
    pub fn snapshot(&self) -> Snapshot {
        self.users.snapshot(self.shown())
    }

    /// Empties the list; the filter stays applied to every row that arrives after. The old rows
    /// are freed on another thread (a million take longer than a frame).
    pub fn clear(&mut self) {
        // With a filter in force, the rows shown are those that pass it (none yet), not all.
        let filtered = self.broken || !self.parsed.is_empty();
        let fresh = Self {
            visible: filtered.then(Arc::default),
            filter: std::mem::take(&mut self.filter),
            parsed: std::mem::take(&mut self.parsed),
            finders: std::mem::take(&mut self.finders),
            window: self.window,
            broken: self.broken,
            note: self.note.take(),
            clock: self.clock,
            ..Self::default()
        };
        let mut old = std::mem::replace(self, fresh);
        if old.len() > 10_000 {
            let users = std::mem::take(&mut old.users);
            super::store::free_slowly(users.into_users());
            // The indexes are a few large blocks: one go.
            super::store::free_slowly([old]);
        }
    }

    /// Empties the list for a refresh, remembering the selected user to select it again, and
    /// the marked ones to mark again as they arrive.
    pub fn restart(&mut self) {
        let wanted = self
            .selected_user()
            .map(|u| u.username.clone())
            .or(self.wanted.take());
        let moved = self.moved;
        let mut remarks: std::collections::HashSet<String> =
            self.marked_users().map(|u| u.username.clone()).collect();
        remarks.extend(std::mem::take(&mut self.remarks));
        self.clear();
        self.wanted = wanted;
        self.moved = moved;
        self.remarks = remarks;
    }

    fn bit(&self, at: u32) -> bool {
        self.marks
            .get(at as usize / 64)
            .is_some_and(|w| w & (1 << (at % 64)) != 0)
    }

    /// Sets or clears one user's mark; `true` when it changed.
    fn set_mark(&mut self, at: u32, on: bool) -> bool {
        let word = at as usize / 64;
        if self.marks.len() <= word {
            self.marks.resize(word + 1, 0);
        }
        let mask = 1u64 << (at % 64);
        let was = self.marks[word] & mask != 0;
        if was == on {
            return false;
        }
        self.marks[word] ^= mask;
        if on {
            self.marked += 1;
        } else {
            self.marked -= 1;
        }
        true
    }

    /// How many users are marked (those of a refresh still to arrive included).
    pub fn marked_count(&self) -> usize {
        self.marked + self.remarks.len()
    }

    pub fn is_marked(&self, username: &str) -> bool {
        match self.index_of(username) {
            Some(at) => self.bit(at),
            None => self.remarks.contains(username),
        }
    }

    /// Marks or unmarks one user.
    pub fn toggle_mark(&mut self, username: &str) {
        if let Some(at) = self.index_of(username) {
            let on = !self.bit(at);
            self.set_mark(at, on);
        }
    }

    /// `*`: marks every row shown, or, when all of them are marked, unmarks them.
    pub fn toggle_visible_marks(&mut self) {
        let all = self.rows().iter().all(|at| self.bit(at));
        let rows = self.shown().clone();
        for at in rows.iter() {
            self.set_mark(at, !all);
        }
    }

    pub fn clear_marks(&mut self) {
        self.marks.clear();
        self.marked = 0;
        self.remarks.clear();
    }

    /// The marked users, in table order.
    pub fn marked_users(&self) -> impl Iterator<Item = &User> {
        self.order
            .iter()
            .filter(|at| self.bit(*at))
            .map(|at| &self.users[at])
    }

    /// Adds a page, keeping the newest-first order and the selected user selected. A user
    /// already loaded is replaced by the newer copy instead of showing twice. Each user costs
    /// O(log N): the rows after it are not moved. Returns the copies that were replaced.
    pub fn extend(&mut self, page: Vec<User>) -> Vec<User> {
        let current = self.selected_user().map(|u| u.username.clone());
        let start = self.users.len() as u32;
        let mut fresh: Vec<u32> = Vec::with_capacity(page.len());
        let mut replaced = Vec::new();
        for user in page {
            if let Some(at) = self.index_of(&user.username) {
                // Out of the order under its old creation time and text; back in below with
                // the new ones (once, however often it repeats on this page). A user first
                // seen on this page is not in the order yet.
                if at < start && Arc::make_mut(&mut self.order).remove_by(at, before(&self.users)) {
                    if let Some(visible) = &mut self.visible {
                        Arc::make_mut(visible).remove_by(at, before(&self.users));
                    }
                    fresh.push(at);
                }
                self.owners[self.segment_of[at as usize] as usize] = DEAD;
                self.push_text(at, &user);
                self.count_country(&user, true);
                let old = self.users.replace(at, user);
                self.count_country(&old, false);
                replaced.push(old);
                continue;
            }
            let at = self.users.len() as u32;
            self.segment_of.push(0);
            self.push_text(at, &user);
            self.count_country(&user, true);
            let hash = self.hasher.hash_one(user.username.as_str());
            self.users.push(user);
            let (users, hasher) = (&self.users, &self.hasher);
            self.by_name
                .insert_unique(hash, at, |i| hasher.hash_one(users[*i].username.as_str()));
            fresh.push(at);
        }
        for at in fresh {
            if !self.remarks.is_empty() && self.remarks.remove(&self.users[at].username) {
                self.set_mark(at, true);
            }
            Arc::make_mut(&mut self.order).insert_by(at, before(&self.users));
            // Without a filter every user shows through `order`: nothing to test.
            let shown = self.visible.is_some() && self.passes(at);
            if shown && let Some(visible) = &mut self.visible {
                Arc::make_mut(visible).insert_by(at, before(&self.users));
            }
        }
        if !self.moved {
            self.selected = 0;
        } else if self.wanted.is_some() && self.try_select(self.wanted.clone().as_deref()) {
            self.wanted = None;
        } else {
            self.reselect(current.as_deref());
        }
        replaced
    }

    /// The listing has ended (or stopped): a remembered user (to select, or marked) that never
    /// showed up is dropped.
    pub fn listing_done(&mut self) {
        self.wanted = None;
        self.remarks.clear();
    }

    /// The filter's words (lowercased), for highlighting what matched.
    pub fn filter_words(&self) -> &[String] {
        &self.parsed.words
    }

    /// The time `age>7d` is measured from, and the zone of `created:` dates.
    pub fn set_clock(&mut self, now: DateTime<Utc>, zone: Zone) {
        self.clock = Some((now, zone));
        self.window = self.parsed.window(now, zone);
    }

    /// Sets the filter; a filter that extends the last one only narrows what is visible. Time
    /// terms that do not parse (yet) fail closed: nothing is shown, and the problem is returned.
    pub fn set_filter(&mut self, filter: &str) -> Option<String> {
        let keep = self.selected_user().map(|u| u.username.clone());
        let mut needle = filter.trim().to_lowercase();
        self.note = None;
        if needle.chars().any(|c| c.is_ascii_digit()) {
            let usual = self.usual_country();
            if let Some((number, note)) =
                crate::local_filter::phone_number(&needle, usual.as_deref())
            {
                needle = number;
                self.note = note;
            }
        }
        let (parsed, problem) = LocalFilter::parse_lenient(&needle);
        let narrowing = needle.starts_with(&self.filter)
            && !parsed.has_time()
            && !self.parsed.has_time()
            && parsed.words.len() >= self.parsed.words.len()
            // Testing each shown row one by one reads the text out of order: over many rows, one
            // pass over the whole text is faster (20 ms against 10 at a million).
            && self.rows().len() <= self.users.len() / 8;
        self.filter = needle;
        self.finders = parsed
            .words
            .iter()
            .map(|w| memchr::memmem::Finder::new(w.as_bytes()).into_owned())
            .collect();
        let (now, zone) = self.clock.unwrap_or_else(|| (Utc::now(), Zone::Local));
        self.window = parsed.window(now, zone);
        self.parsed = parsed;
        self.broken = problem.is_some();
        self.visible = if self.broken {
            Some(Ranked::default())
        } else if narrowing {
            Some(Ranked::from_sorted(
                self.rows().iter().filter(|i| self.passes(*i)),
            ))
        } else if self.parsed.is_empty() {
            None
        } else {
            Some(self.scan())
        }
        .map(Arc::new);
        self.reselect(keep.as_deref());
        problem
    }

    fn push_text(&mut self, at: u32, user: &User) {
        let start = self.text.len() as u32;
        self.text.extend_from_slice(haystack(user).as_bytes());
        self.text.push(0);
        self.segment_of[at as usize] = self.segments.len() as u32;
        self.segments.push(start);
        self.owners.push(at);
    }

    /// How a phone number in the filter was read, to say under the input.
    pub fn filter_note(&self) -> Option<&str> {
        self.note.as_deref()
    }

    /// The most common country code among the loaded numbers (`+44`), if any.
    fn usual_country(&self) -> Option<String> {
        self.countries
            .iter()
            .filter(|(_, n)| **n > 0)
            .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))
            .map(|(code, _)| code.clone())
    }

    /// Counts a user's country code in (or out).
    fn count_country(&mut self, user: &User, add: bool) {
        if let Some(code) = user.phone().and_then(crate::stats::country_code) {
            let n = self.countries.entry(code).or_default();
            *n = if add { *n + 1 } else { n.saturating_sub(1) };
        }
    }

    /// Whether this user, loaded or not, would show under the current filter (the stats view
    /// counts what the table shows, page by page).
    pub fn would_show(&self, user: &User) -> bool {
        if self.broken {
            return false;
        }
        if self.finders.is_empty() && self.window.is_any() {
            return true;
        }
        let text = haystack(user);
        self.finders
            .iter()
            .all(|f| f.find(text.as_bytes()).is_some())
            && (self.window.is_any() || self.window.contains(user.created))
    }

    /// Whether a filter is in force (a broken one too: it shows nothing).
    pub fn is_filtered(&self) -> bool {
        self.broken || !self.finders.is_empty() || !self.window.is_any()
    }

    /// Where piece `segment` of the text starts (the end of the text past the last one).
    fn segment_start(&self, segment: usize) -> usize {
        self.segments
            .get(segment)
            .map_or(self.text.len(), |s| *s as usize)
    }

    fn haystack_of(&self, index: u32) -> &[u8] {
        let segment = self.segment_of[index as usize] as usize;
        // Up to the NUL that ends it.
        &self.text[self.segment_start(segment)..self.segment_start(segment + 1) - 1]
    }

    /// Every user whose text holds every filter word and whose creation time is inside the time
    /// terms, in table order: one pass over the text buffer per word (jumping to the next user
    /// after a hit), then one over the order.
    fn scan(&self) -> Ranked {
        let mut all: Option<Vec<u64>> = None;
        for finder in &self.finders {
            let bits = self.hits(finder);
            all = Some(match all {
                None => bits,
                Some(mut acc) => {
                    acc.iter_mut().zip(&bits).for_each(|(a, b)| *a &= b);
                    acc
                }
            });
        }
        Ranked::from_sorted(self.order.iter().filter(|i| {
            all.as_ref()
                .is_none_or(|bits| bits[*i as usize / 64] >> (i % 64) & 1 == 1)
                && self.in_window(*i)
        }))
    }

    /// One bit per user whose text holds the word. A large buffer is searched in two halves at
    /// once (this machine has two cores; a word that nearly every user has, `a`, is a million
    /// searches: 11 ms in one go at a million users).
    fn hits(&self, finder: &memchr::memmem::Finder<'_>) -> Vec<u64> {
        let words = self.users.len().div_ceil(64);
        let segments = self.segments.len();
        if self.text.len() < PARALLEL_TEXT {
            return self.hits_in(finder, 0..segments, words);
        }
        let mid = segments / 2;
        std::thread::scope(|scope| {
            let second = scope.spawn(|| self.hits_in(finder, mid..segments, words));
            let mut bits = self.hits_in(finder, 0..mid, words);
            // A thread that panicked: its half is searched here.
            let other = second
                .join()
                .unwrap_or_else(|_| self.hits_in(finder, mid..segments, words));
            bits.iter_mut().zip(&other).for_each(|(a, b)| *a |= b);
            bits
        })
    }

    /// The hits in the text of segments `range`: one search per hit, then on to the next
    /// segment.
    fn hits_in(
        &self,
        finder: &memchr::memmem::Finder<'_>,
        range: std::ops::Range<usize>,
        words: usize,
    ) -> Vec<u64> {
        let mut bits = vec![0u64; words];
        let start_of = |segment| self.segment_start(segment);
        let end = start_of(range.end);
        let mut segment = range.start;
        let mut pos = start_of(segment);
        while pos < end {
            let Some(offset) = finder.find(&self.text[pos..end]) else {
                break;
            };
            let hit = pos + offset;
            while segment + 1 < range.end && start_of(segment + 1) <= hit {
                segment += 1;
            }
            let owner = self.owners[segment];
            if owner != DEAD {
                bits[owner as usize / 64] |= 1 << (owner % 64);
            }
            pos = start_of(segment + 1);
        }
        bits
    }

    fn passes(&self, index: u32) -> bool {
        if self.broken {
            return false;
        }
        let haystack = self.haystack_of(index);
        self.finders.iter().all(|f| f.find(haystack).is_some()) && self.in_window(index)
    }

    /// Whether the user's creation time is inside the time terms. Without time terms no user
    /// record is read (a million cache misses on every keystroke).
    fn in_window(&self, index: u32) -> bool {
        self.window.is_any() || self.window.contains(self.users[index].created)
    }

    /// Selects this user if visible; `false` (selection untouched) otherwise.
    fn try_select(&mut self, username: Option<&str>) -> bool {
        let Some(at) = username.and_then(|name| self.index_of(name)) else {
            return false;
        };
        match self.rows().rank_by(at, before(&self.users)) {
            Some(pos) => {
                self.selected = pos;
                true
            }
            None => false,
        }
    }

    fn reselect(&mut self, username: Option<&str>) {
        if !self.try_select(username) {
            self.selected = self.selected.min(self.rows().len().saturating_sub(1));
        }
    }

    /// Puts a fresher copy of a loaded user in place of the old one (moving it if its creation
    /// time changed), keeping the selection where it is.
    pub fn replace(&mut self, user: User) -> Vec<User> {
        if self.index_of(&user.username).is_none() {
            return Vec::new();
        }
        let keep = self.selected_user().map(|u| u.username.clone());
        let replaced = self.extend(vec![user]);
        self.reselect(keep.as_deref());
        replaced
    }

    pub fn selected_index(&self) -> Option<usize> {
        (!self.rows().is_empty()).then_some(self.selected)
    }

    pub fn selected_user(&self) -> Option<&User> {
        self.rows().get(self.selected).map(|i| &self.users[i])
    }

    /// Moves the selection by `delta` rows, clamped to the list.
    pub fn move_by(&mut self, delta: isize) {
        if self.rows().is_empty() {
            return;
        }
        let last = self.rows().len() - 1;
        self.selected = self.selected.saturating_add_signed(delta).min(last);
        self.operator_moved();
    }

    /// Selects row `row` of the table (a click), or the last one.
    pub fn select(&mut self, row: usize) {
        self.selected = row.min(self.rows().len().saturating_sub(1));
        self.operator_moved();
    }

    pub fn select_first(&mut self) {
        self.selected = 0;
        self.operator_moved();
    }

    pub fn select_last(&mut self) {
        self.selected = self.rows().len().saturating_sub(1);
        self.operator_moved();
    }

    /// From now on the selection follows the user the operator chose, not a remembered one.
    fn operator_moved(&mut self) {
        self.moved = true;
        self.wanted = None;
    }

    /// Scrolls so that the selection is inside a window of `rows` rows.
    pub fn scroll_into_view(&mut self, rows: usize) {
        let rows = rows.max(1);
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + rows {
            self.offset = self.selected + 1 - rows;
        }
        self.offset = self.offset.min(self.rows().len().saturating_sub(rows));
    }

    pub fn offset(&self) -> usize {
        self.offset
    }

    /// The users in rows `offset..offset + rows`: drawing touches only these.
    pub fn window(&self, rows: usize) -> impl Iterator<Item = &User> {
        self.rows()
            .iter_from(self.offset)
            .take(rows)
            .map(|i| &self.users[i])
    }

    pub fn contains(&self, username: &str) -> bool {
        self.index_of(username).is_some()
    }

    fn index_of(&self, username: &str) -> Option<u32> {
        let hash = self.hasher.hash_one(username);
        self.by_name
            .find(hash, |i| self.users[*i].username == username)
            .copied()
    }

    /// The users that pass the filter, in table order.
    pub fn visible(&self) -> impl Iterator<Item = &User> {
        self.rows().iter().map(|i| &self.users[i])
    }

    pub fn all(&self) -> impl Iterator<Item = &User> {
        self.order.iter().map(|i| &self.users[i])
    }
}

/// A filter text this large is searched on two threads (small in the unit tests, so the
/// agreement test over replaced users goes through the split).
const PARALLEL_TEXT: usize = if cfg!(test) { 1024 } else { 4 << 20 };

/// The owner of a replaced user's old text in the filter buffer.
const DEAD: u32 = u32::MAX;

fn haystack(user: &User) -> String {
    let mut text = user.username.to_lowercase();
    for part in [user.email(), user.phone()].into_iter().flatten() {
        text.push('\n');
        text.push_str(&part.to_lowercase());
    }
    if let Some(name) = user.display_name() {
        text.push('\n');
        text.push_str(&name.to_lowercase());
    }
    text
}

/// The table's order: newest first; users created at the same time in the order they were first
/// loaded (a user's index only grows with loading), so that no two users tie.
fn before(users: &Store) -> impl Fn(u32, u32) -> bool + '_ {
    |a, b| {
        let (x, y) = (&users[a].created, &users[b].created);
        x > y || (x == y && a < b)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use std::collections::BTreeMap;

    fn user(name: &str, email: &str, minute: i64) -> User {
        User {
            username: name.into(),
            status: "UNCONFIRMED".into(),
            enabled: true,
            created: Some(
                Utc.with_ymd_and_hms(2026, 11, 1, 0, 0, 0).unwrap()
                    + chrono::Duration::minutes(minute),
            ),
            modified: None,
            attributes: BTreeMap::from([("email".to_string(), email.to_string())]).into(),
        }
    }

    fn with_phone(name: &str, phone: &str) -> User {
        let mut u = user(name, &format!("{name}@x.example"), 1);
        u.attributes.insert("phone_number".into(), phone.into());
        u
    }

    #[test]
    fn the_usual_country_follows_users_as_they_arrive_and_are_replaced() {
        let mut list = UserList::default();
        assert_eq!(list.usual_country(), None);
        list.extend(vec![
            with_phone("a", "+447700900001"),
            with_phone("b", "+447700900002"),
            with_phone("c", "+12025550100"),
        ]);
        assert_eq!(list.usual_country().as_deref(), Some("+44"));
        // b moved to the US, and d arrives from there: +1 is now the usual one.
        list.extend(vec![
            with_phone("b", "+12025550101"),
            with_phone("d", "+12025550102"),
        ]);
        assert_eq!(list.usual_country().as_deref(), Some("+1"));
        assert_eq!(list.countries.get("+44"), Some(&1));
        list.clear();
        assert_eq!(list.usual_country(), None, "a new listing counts again");
    }

    /// What the filter must show: every user whose current text holds every word, newest first.
    fn naive(list: &UserList, filter: &str) -> Vec<String> {
        let words: Vec<String> = filter.split_whitespace().map(str::to_lowercase).collect();
        list.all()
            .filter(|u| {
                let text = haystack(u);
                words.iter().all(|w| text.contains(w.as_str()))
            })
            .map(|u| u.username.clone())
            .collect()
    }

    #[test]
    fn the_one_pass_scan_agrees_with_a_plain_search_through_replacements() {
        let mut list = UserList::default();
        let mut seed: u64 = 42;
        let mut next = |n: u64| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) % n
        };
        let domains = ["example.com", "botmail.example", "corp.example.co.uk"];
        for page in 0..40 {
            let users: Vec<User> = (0..60)
                .map(|i| {
                    // Some users come again on later pages, with another address.
                    let id = if next(5) == 0 && page > 0 {
                        next(page * 60)
                    } else {
                        page * 60 + i
                    };
                    let domain = domains[next(3) as usize];
                    user(
                        &format!("u{id}"),
                        &format!("Mail{}@{domain}", next(100)),
                        next(10_000) as i64,
                    )
                })
                .collect();
            list.extend(users);
        }
        let created: Vec<_> = list.all().map(|u| u.created).collect();
        assert!(
            created.windows(2).all(|w| w[0] >= w[1]),
            "newest first after 40 merged pages"
        );
        assert_eq!(
            list.all().count(),
            list.len(),
            "each user once in the order"
        );
        for filter in [
            "bot",
            "mail1",
            "u1 corp",
            "example",
            "zzz",
            "u",
            "mail7 bot",
            "1@",
        ] {
            list.set_filter(filter);
            let shown: Vec<String> = list.visible().map(|u| u.username.clone()).collect();
            assert_eq!(shown, naive(&list, filter), "filter {filter:?}");
        }
        // Narrowing and widening keystrokes agree too.
        for filter in ["b", "bo", "bot", "bot ", "bot c", "bot", "b", ""] {
            list.set_filter(filter);
            let shown: Vec<String> = list.visible().map(|u| u.username.clone()).collect();
            assert_eq!(shown, naive(&list, filter), "filter {filter:?}");
        }
    }

    #[test]
    fn a_fresher_copy_that_no_longer_matches_the_filter_leaves_the_table_and_one_that_does_joins_it()
     {
        let mut list = UserList::default();
        list.extend(vec![
            user("ann", "ann@old.example", 3),
            user("bob", "bob@new.example", 2),
            user("cy", "cy@old.example", 1),
        ]);
        list.set_filter("old.example");
        let shown = |list: &UserList| {
            list.visible()
                .map(|u| u.username.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(shown(&list), ["ann", "cy"]);
        // ann changed her address; bob's now matches, and he signed up again (a later time).
        list.extend(vec![
            user("ann", "ann@elsewhere.example", 3),
            user("bob", "bob@old.example", 9),
        ]);
        assert_eq!(shown(&list), ["bob", "cy"]);
        assert_eq!(
            list.all().map(|u| u.username.as_str()).collect::<Vec<_>>(),
            ["bob", "ann", "cy"]
        );
        assert_eq!(list.len(), 3);
    }
}
