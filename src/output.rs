//! The writers every command shares (and the TUI's export): users as a table, JSON lines or
//! CSV, and errors as text or JSON. Untrusted text is made safe here for a terminal, a JSON
//! reader and a spreadsheet; under `--redact` a username that is an address is masked.

use serde_json::json;

use crate::cli::ResendFormat;
use crate::cognito::{ApiError, User};
use crate::text;

pub const COLUMNS: [(&str, usize); 6] = [
    ("USERNAME", 28),
    ("EMAIL", 34),
    ("PHONE", 16),
    ("STATUS", 21),
    ("ENABLED", 7),
    ("CREATED", 20),
];

/// `error: CODE: message` and `hint: …`, safe for a terminal.
pub fn error_text(error: &ApiError) -> String {
    format!(
        "error: {}: {}\nhint: {}\n",
        text::sanitize(&error.code),
        text::sanitize(&error.message),
        error.hint()
    )
}

/// `{"error": {code, message, hint, outcome_unknown}}` for `--format json`, nothing for text.
pub fn error_json(error: &ApiError, format: ResendFormat) -> String {
    match format {
        ResendFormat::Json => format!(
            "{}\n",
            text::json_safe(
                &json!({"error": {
                    "code": error.code,
                    "message": error.message,
                    "hint": error.hint(),
                    "outcome_unknown": error.outcome_unknown(),
                }})
                .to_string()
            )
        ),
        ResendFormat::Text => String::new(),
    }
}

pub const CSV_HEADER: [&str; 8] = [
    "username",
    "status",
    "enabled",
    "created",
    "modified",
    "email",
    "phone_number",
    "name",
];

/// The header and a row per user, as `list --format csv` writes them (the TUI's export too),
/// streamed to `out`. Before every 4,096th row `go_on(rows written)` may stop it: then
/// `Ok(None)`; else `Ok(Some(rows))`.
pub fn write_csv<'a, W: std::io::Write>(
    out: W,
    users: impl IntoIterator<Item = &'a User>,
    redact: bool,
    mut go_on: impl FnMut(usize) -> bool,
) -> std::io::Result<Option<usize>> {
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record(CSV_HEADER)?;
    let mut rows = 0;
    for user in users {
        if rows % 4096 == 0 && !go_on(rows) {
            return Ok(None);
        }
        writer.write_record(csv_row(user, redact))?;
        rows += 1;
    }
    writer.flush()?;
    Ok(Some(rows))
}

pub fn csv_bytes(rows: &[[String; 8]]) -> std::io::Result<Vec<u8>> {
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

pub fn table_row(user: &User, redact: bool) -> String {
    let values = [
        text::shown_username(&user.username, redact).into_owned(),
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
pub fn json_line(user: &User, redact: bool) -> String {
    let value = json!({
        "username": text::shown_username(&user.username, redact),
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
pub fn csv_row(user: &User, redact: bool) -> [String; 8] {
    let s = text::csv_cell;
    [
        s(&text::shown_username(&user.username, redact)),
        s(&user.status),
        user.enabled.to_string(),
        rfc3339(user.created),
        rfc3339(user.modified),
        s(user.email().unwrap_or("")),
        s(user.phone().unwrap_or("")),
        s(&user.display_name().unwrap_or_default()),
    ]
}
