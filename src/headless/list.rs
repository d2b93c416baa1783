use std::io::Write;

use serde_json::json;

use crate::cli::ListFormat;
use crate::cognito::{CognitoApi, ListAllError, ListQuery, User, for_each_page};
use crate::text;

const COLUMNS: [(&str, usize); 6] = [
    ("USERNAME", 28),
    ("EMAIL", 34),
    ("PHONE", 16),
    ("STATUS", 21),
    ("ENABLED", 7),
    ("CREATED", 20),
];

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
                ListFormat::Table => writeln!(out, "{}", table_row(user))?,
                ListFormat::Json => writeln!(out, "{}", json_line(user))?,
                ListFormat::Csv => {}
            }
        }
        if format == ListFormat::Csv {
            let rows: Vec<[String; 8]> = users.iter().map(csv_row).collect();
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

const CSV_HEADER: [&str; 8] = [
    "username",
    "status",
    "enabled",
    "created",
    "modified",
    "email",
    "phone_number",
    "name",
];

/// The header and a row per user, as `list --format csv` writes them (the TUI's export too).
/// Row by row: a million users make one buffer of CSV, not a million rows of strings first.
pub fn csv_document<'a>(users: impl IntoIterator<Item = &'a User>) -> std::io::Result<Vec<u8>> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(CSV_HEADER)?;
    for user in users {
        writer.write_record(csv_row(user))?;
    }
    writer.into_inner().map_err(|e| e.into_error())
}

fn csv_bytes(rows: &[[String; 8]]) -> std::io::Result<Vec<u8>> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    for row in rows {
        writer.write_record(row)?;
    }
    writer.into_inner().map_err(|e| e.into_error())
}

fn rfc3339(t: Option<chrono::DateTime<chrono::Utc>>) -> String {
    t.map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
        .unwrap_or_default()
}

fn table_row(user: &User) -> String {
    let values = [
        user.username.clone(),
        user.email().unwrap_or("").to_string(),
        user.phone().unwrap_or("").to_string(),
        user.status.to_string(),
        if user.enabled { "yes" } else { "no" }.to_string(),
        rfc3339(user.created),
    ];
    let cells: Vec<String> = values
        .iter()
        .zip(COLUMNS)
        .map(|(v, (_, width))| format!("{:<width$}", text::cell(v, width)))
        .collect();
    cells.join(" ").trim_end().to_string()
}

/// One object per line; control and invisible characters are written as `\uXXXX`, so a
/// terminal that prints the file is never driven by it.
fn json_line(user: &User) -> String {
    let value = json!({
        "username": user.username,
        "status": user.status,
        "enabled": user.enabled,
        "created": user.created.map(|_| rfc3339(user.created)),
        "modified": user.modified.map(|_| rfc3339(user.modified)),
        "attributes": user.attributes,
    });
    text::json_safe(&value.to_string()).into_owned()
}

/// Values are escaped like the table's (a CSV printed to a terminal must not drive it) and can
/// never start a spreadsheet formula.
fn csv_row(user: &User) -> [String; 8] {
    let s = text::csv_cell;
    [
        s(&user.username),
        s(&user.status),
        user.enabled.to_string(),
        rfc3339(user.created),
        rfc3339(user.modified),
        s(user.email().unwrap_or("")),
        s(user.phone().unwrap_or("")),
        s(&user.display_name().unwrap_or_default()),
    ]
}
