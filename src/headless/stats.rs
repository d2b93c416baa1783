//! `cogtui stats`: the pending pile in counts, streamed from the listing.

/// `cogtui stats`: streams the listing into counts; no user is kept.
pub async fn run(
    pool: &crate::config::PoolConfig,
    overrides: &crate::cognito::session::Overrides,
    args: &crate::cli::StatsArgs,
) -> Result<(), crate::commands::Failure> {
    let query = crate::commands::list_query(args.status, args.search.as_deref())?;
    let api = crate::cognito::session::connect(pool, overrides).await;
    let now = chrono::Utc::now();
    let mut stats = crate::stats::Stats::default();
    let listed = crate::cognito::for_each_page(&api, &query, |page| {
        for user in page.users.iter().filter(|u| {
            crate::local_filter::within(u.created, args.older_than, args.newer_than, now)
        }) {
            stats.add(user, now, crate::time::Zone::Local, None);
        }
        Ok(())
    })
    .await;
    let complete = match listed {
        Ok(()) => true,
        Err(crate::cognito::ListAllError::Api {
            error,
            users,
            pages,
        }) if pages > 0 => {
            eprintln!(
                "cogtui: the listing stopped after {users} users in {pages} pages: the numbers \
                 below are partial ({}: {})",
                error.code, error.message
            );
            false
        }
        Err(crate::cognito::ListAllError::Api { error, .. }) => {
            return Err(crate::commands::Failure::Api(error));
        }
        Err(crate::cognito::ListAllError::Output(e)) => {
            return Err(crate::commands::Failure::Io(e));
        }
    };
    let text = match args.format {
        crate::cli::StatsFormat::Json => {
            let mut value = stats.to_json();
            value["complete"] = serde_json::json!(complete);
            format!("{}\n", crate::text::json_safe(&value.to_string()))
        }
        crate::cli::StatsFormat::Text => stats.to_text(complete, crate::time::Zone::Local, now),
    };
    std::io::Write::write_all(&mut std::io::stdout(), text.as_bytes())?;
    Ok(())
}
