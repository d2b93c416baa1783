//! `cogtui prune`: which pending users a prune run deletes. Each delete then goes through the
//! delete operation's own rules (a fresh look: still pending, still before the cutoff).

use chrono::{DateTime, Utc};

use super::{Action, Request};
use crate::cognito::{Status, StatusFilter, User};

/// One run deletes at most this many users unless `--limit` says otherwise.
pub const DEFAULT_LIMIT: usize = 500;

/// What a prune run will do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selection {
    /// Every pending user that matched the criteria.
    pub matched: usize,
    /// Users the listing returned that are not pending (CONFIRMED and the rest): never deleted.
    pub not_pending: usize,
    /// The oldest `limit` of them: what this run deletes.
    pub chosen: Vec<User>,
}

/// The pending users created before `cutoff` (and after `newer_than`, when given), oldest first,
/// at most `limit`. `--status all` means every *pending* status, never a confirmed account.
pub fn select(
    users: Vec<User>,
    status: StatusFilter,
    cutoff: DateTime<Utc>,
    not_before: Option<DateTime<Utc>>,
    limit: usize,
) -> Selection {
    let invited = invited(status);
    let mut not_pending = 0;
    let mut matches: Vec<User> = users
        .into_iter()
        .filter(|u| {
            let pending =
                u.is_unconfirmed() || (invited && u.status.kind() == Status::ForceChangePassword);
            if !pending {
                not_pending += 1;
            }
            pending
        })
        .filter(|u| {
            u.created
                .is_some_and(|c| c <= cutoff && not_before.is_none_or(|n| c >= n))
        })
        .collect();
    matches.sort_by_key(|u| u.created);
    let matched = matches.len();
    matches.truncate(limit);
    Selection {
        matched,
        not_pending,
        chosen: matches,
    }
}

/// Whether invited (FORCE_CHANGE_PASSWORD) users are asked for.
pub fn invited(status: StatusFilter) -> bool {
    matches!(
        status,
        StatusFilter::ForceChangePassword | StatusFilter::All
    )
}

/// The delete requests of a selection.
pub fn requests(
    selection: &Selection,
    status: StatusFilter,
    cutoff: DateTime<Utc>,
    reason: &str,
    ticket: Option<String>,
) -> Vec<Request> {
    selection
        .chosen
        .iter()
        .map(|u| {
            Request::new(
                u.username.clone(),
                Action::Delete {
                    reason: Some(reason.to_string()),
                    invited: invited(status),
                    created_before: Some(cutoff),
                },
            )
            .ticket(ticket.clone())
            .seen(Some(u.status.clone()))
        })
        .collect()
}
