use std::io::Write;

use crate::cli::ListFormat;
use crate::cognito::{CognitoApi, ListAllError, ListQuery, User, for_each_page};
use crate::output::{COLUMNS, CSV_HEADER, csv_bytes, csv_row, json_line, table_row};

/// Streams the users to `out`, a page at a time, flushing after each page.
/// How `list` shapes its rows.
#[derive(Debug, Clone, Copy, Default)]
pub struct Shape {
    /// Emails, phones and names masked.
    pub redact: bool,
    /// Only users who signed up longer ago than this.
    pub older_than: Option<chrono::Duration>,
    /// Only users who signed up more recently than this.
    pub newer_than: Option<chrono::Duration>,
    /// Wait for the last page and print newest first (else rows stream in the service's order).
    pub sort_created: bool,
}

pub async fn run<A: CognitoApi>(
    api: &A,
    query: &ListQuery,
    format: ListFormat,
    shape: Shape,
    out: &mut impl Write,
) -> Result<usize, ListAllError> {
    let mut count = 0;
    match format {
        ListFormat::Table => {
            let header: Vec<String> = COLUMNS
                .iter()
                .map(|(name, width)| format!("{name:<width$}"))
                .collect();
            writeln!(out, "{}", header.join(" ").trim_end()).map_err(ListAllError::Output)?;
        }
        ListFormat::Csv => {
            let header = CSV_HEADER.map(str::to_string);
            out.write_all(&csv_bytes(&[header]).map_err(ListAllError::Output)?)
                .map_err(ListAllError::Output)?;
        }
        ListFormat::Json => {}
    }
    let now = chrono::Utc::now();
    let mut held: Vec<User> = Vec::new();
    let write = |users: &[User], out: &mut dyn Write| -> std::io::Result<()> {
        for user in users {
            match format {
                ListFormat::Table => writeln!(out, "{}", table_row(user, shape.redact))?,
                ListFormat::Json => writeln!(out, "{}", json_line(user, shape.redact))?,
                ListFormat::Csv => {}
            }
        }
        if format == ListFormat::Csv {
            let rows: Vec<[String; 8]> = users.iter().map(|u| csv_row(u, shape.redact)).collect();
            out.write_all(&csv_bytes(&rows)?)?;
        }
        out.flush()
    };
    let mut throttled = false;
    for_each_page(api, query, |page| {
        if let Some(rate) = page.slowed_to
            && !throttled
        {
            // Once: the listing goes on, only slower (stdout holds the rows).
            throttled = true;
            eprintln!(
                "cogtui: Cognito is throttling ListUsers (the account's quota is shared with \
                 the application): slowed to {rate:.1} calls a second"
            );
        }
        let users: Vec<User> = page
            .users
            .into_iter()
            .filter(|u| {
                crate::local_filter::within(u.created, shape.older_than, shape.newer_than, now)
            })
            .map(|u| if shape.redact { u.redacted() } else { u })
            .collect();
        count += users.len();
        if shape.sort_created {
            held.extend(users);
            Ok(())
        } else {
            write(&users, out)
        }
    })
    .await?;
    if shape.sort_created {
        held.sort_by_key(|u| std::cmp::Reverse(u.created));
        write(&held, out).map_err(ListAllError::Output)?;
    }
    Ok(count)
}
