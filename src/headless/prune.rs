//! `cogtui prune`: list, let the prune operation choose (pending only, oldest first, at most
//! `--limit`), print the plan, confirm, and run the deletes through the delete operation.

use crate::cli::PruneArgs;
use crate::cognito::session::PoolSession;
use crate::cognito::{CognitoWrite, ListAllError, ListQuery};
use crate::commands::Failure;
use crate::ops::Auditor;
use crate::ops::bulk::Tally;
use crate::ops::prune;
use crate::time::Zone;

/// Lists the matches (the count first, then each user), and deletes after `confirm` agrees.
pub async fn run<A: CognitoWrite>(
    session: &PoolSession<A>,
    auditor: Option<&Auditor>,
    args: &PruneArgs,
    query: &ListQuery,
    confirm: impl FnOnce(&str, usize) -> Result<(), Failure>,
) -> Result<Option<Tally>, Failure> {
    let now = chrono::Utc::now();
    let cutoff = now - args.older_than;
    let not_before = args.newer_than.map(|d| now - d);
    let mut listed = Vec::new();
    let listing = crate::cognito::for_each_page(&session.api, query, |page| {
        listed.extend(page.users);
        Ok(())
    })
    .await;
    if let Err(e) = listing {
        return match e {
            ListAllError::Api { error, .. } => Err(Failure::Api(error)),
            ListAllError::Output(io) => Err(Failure::Io(io)),
        };
    }
    let selection = prune::select(listed, query.status, cutoff, not_before, args.limit);
    let criteria = format!(
        "older than {}{}, status {}{}",
        crate::time::age(now, cutoff),
        args.newer_than
            .map(|d| format!(", newer than {}", crate::time::age(now, now - d)))
            .unwrap_or_default(),
        if prune::invited(query.status) {
            "UNCONFIRMED or FORCE_CHANGE_PASSWORD"
        } else {
            "UNCONFIRMED"
        },
        args.search
            .as_deref()
            .map(|s| format!(", search {s}"))
            .unwrap_or_default()
    );
    let count = count_line(&selection, &criteria);
    // The count first (a long dry run is read from the top), then each user, then the count.
    eprintln!("{count}");
    for u in &selection.chosen {
        println!(
            "{} {} {} signed up {} ({} ago)",
            if args.dry_run {
                "would delete"
            } else {
                "to delete"
            },
            crate::text::sanitize(&u.username),
            crate::text::sanitize(&u.status),
            u.created
                .map(|c| Zone::Local.minutes(c))
                .unwrap_or_default(),
            u.created
                .map(|c| crate::time::age(now, c))
                .unwrap_or_default()
        );
    }
    if !selection.chosen.is_empty() {
        eprintln!("{count}");
    }
    let Some(auditor) = auditor.filter(|_| !args.dry_run && !selection.chosen.is_empty()) else {
        if args.dry_run {
            eprintln!("dry run: nothing deleted");
        }
        return Ok(None);
    };
    confirm(
        &format!(
            "Delete {} users from pool {} ({})? This cannot be undone.",
            selection.chosen.len(),
            session.pool.name,
            session.pool.region
        ),
        selection.chosen.len(),
    )?;
    let reason = args
        .reason
        .clone()
        .unwrap_or_else(|| format!("prune: {criteria}"));
    let requests = prune::requests(
        &selection,
        query.status,
        cutoff,
        &reason,
        args.ticket.clone(),
    );
    Ok(Some(
        super::bulk::run(auditor, session, requests, args.rate, "deleted").await,
    ))
}

/// "142 users match (…); this run deletes the oldest 5 (--limit)", and the confirmed accounts
/// the listing held, which a prune never deletes.
fn count_line(selection: &prune::Selection, criteria: &str) -> String {
    let mut line = format!("{} users match ({criteria})", selection.matched);
    if selection.chosen.len() < selection.matched {
        line.push_str(&format!(
            "; this run deletes the oldest {} (--limit {}), run again for the rest",
            selection.chosen.len(),
            selection.chosen.len()
        ));
    }
    if selection.not_pending > 0 {
        line.push_str(&format!(
            "; {} listed users are not pending (CONFIRMED or other) and are never deleted",
            selection.not_pending
        ));
    }
    line
}
