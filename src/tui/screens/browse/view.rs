//! The main screen: header, error banner, the users table, the detail pane and the footer.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style, Stylize};
use ratatui::text::{Line, Span};
use ratatui::widgets::{
    Block, Borders, Cell, Paragraph, Row, Scrollbar, ScrollbarOrientation, ScrollbarState,
    StatefulWidget, Table, TableState, Widget, Wrap,
};

use crate::cognito::User;
use crate::text::{cell, sanitize, shown_username};
use crate::time::age;
use crate::tui::app::{App, Mode};
use crate::tui::keymap::{Command, Screen};
use crate::tui::layout::{Areas, banner_height};
use crate::tui::screens::action::ActPhase;
use crate::tui::screens::resend::Phase;
use crate::tui::theme::Role;
use crate::tui::view::SPINNER;

pub struct MainView<'a> {
    pub app: &'a App,
}

impl Widget for MainView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let app = self.app;
        let banner = app.banner_text();
        let areas = Areas::compute(
            area,
            banner_height(banner.as_ref(), (area.width, area.height)),
        );
        header(app, areas.header, buf);
        if let Some([what, hint]) = banner {
            Paragraph::new(vec![Line::from(what).bold(), Line::from(hint)])
                .wrap(Wrap { trim: false })
                .style(banner_style())
                .render(areas.banner, buf);
        }
        if app.users.visible_len() == 0 {
            empty_state(app, areas.table, buf);
        } else {
            table(app, areas.table, buf);
        }
        if areas.detail.area() > 0 {
            detail(app, areas.detail, buf);
        }
        footer(app, areas.footer, buf);
    }
}

/// The error banner: white on the failure colour, or reversed where there is no colour.
fn banner_style() -> Style {
    let fail = crate::tui::theme::current().fail;
    match fail.fg {
        Some(colour) => Style::new().fg(ratatui::style::Color::White).bg(colour),
        None => fail.add_modifier(Modifier::REVERSED),
    }
}

fn header(app: &App, area: Rect, buf: &mut Buffer) {
    let pool = app.current_pool();
    let mut title = vec![
        Span::from(" cogtui ")
            .style(crate::tui::theme::current().header)
            .bold()
            .reversed(),
        Span::from(format!(" pool {} ", sanitize(&pool.name)))
            .style(crate::tui::theme::current().header),
        Span::from(format!("· {} ", sanitize(&pool.region))),
    ];
    // The pool first: on a narrow terminal the endpoint is what gets cut, never the pool id.
    title.push(Span::from(format!("· {} ", sanitize(&pool.user_pool_id))).dim());
    // Where the calls go, when it is not AWS itself.
    if let Some(url) = &pool.endpoint_url {
        let short = url
            .strip_prefix("https://")
            .or_else(|| url.strip_prefix("http://"))
            .unwrap_or(url);
        title.push(Span::from(format!("· endpoint {}", sanitize(short))).warn());
    }
    let mut status = vec![
        Span::from(format!(
            " {} ",
            app.status.status().unwrap_or("ALL STATUSES")
        ))
        .bold(),
        Span::from(match app.users.len() {
            1 => "· 1 user loaded".to_string(),
            n => format!("· {n} users loaded"),
        }),
    ];
    // Where the selection is among the rows shown.
    if let Some(at) = app.users.selected_index() {
        status.push(Span::from(format!(" · {} of {}", at + 1, app.users.visible_len())).bold());
    }
    if app.is_read_only() {
        title.insert(1, Span::from(" READ-ONLY ").bold().reversed().warn());
    }
    if app.redact {
        title.insert(1, Span::from(" REDACTED ").bold().reversed().info());
    }
    if app.users.marked_count() > 0 {
        status.push(
            Span::from(format!(" · {} marked", app.users.marked_count()))
                .unknown()
                .bold(),
        );
    }
    if let Some(search) = &app.search {
        status.push(
            Span::from(format!(
                " · server search {}",
                sanitize(&search.to_string())
            ))
            .info(),
        );
    }
    if !app.users.filter().is_empty() {
        status.push(
            Span::from(format!(
                " · filter \"{}\": {} shown",
                sanitize(app.users.filter()),
                app.users.visible_len()
            ))
            .warn(),
        );
    }
    if let Some(paused) = app.listing.paused() {
        let more = app.keymap.key(Screen::Browse, Command::LoadMore);
        status.push(
            Span::from(match paused.why {
                crate::tui::app::PauseReason::Cap => format!(
                    " · {} loaded (max_users): search, or {more} loads more",
                    app.users.len()
                ),
                crate::tui::app::PauseReason::Stopped => format!(" · stopped: {more} loads more"),
            })
            .warn()
            .bold(),
        );
    }
    match app.listing.loading() {
        Some(loading) => {
            status.push(
                Span::from(format!(
                    " · {} loading page {}…",
                    SPINNER[app.spinner % SPINNER.len()],
                    loading.pages() + 1
                ))
                .info(),
            );
            if let Some(rate) = loading.slowed_to {
                status.push(Span::from(format!(" Cognito throttles: {rate:.1} calls/s")).warn());
            }
        }
        None if app.pages == 1 => status.push(Span::from(" · 1 page").dim()),
        None if app.pages > 1 => status.push(Span::from(format!(" · {} pages", app.pages)).dim()),
        None => {}
    }
    Paragraph::new(vec![Line::from(title), Line::from(status)]).render(area, buf);
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    Username,
    Email,
    Phone,
    Status,
    Enabled,
    Age,
    LastResend,
}

impl Column {
    fn title(self) -> &'static str {
        match self {
            Column::Username => "USERNAME",
            Column::Email => "EMAIL",
            Column::Phone => "PHONE",
            Column::Status => "STATUS",
            Column::Enabled => "ENABLED",
            Column::Age => "AGE",
            Column::LastResend => "LAST RESEND",
        }
    }

    fn constraint(self) -> Constraint {
        match self {
            Column::Username => Constraint::Fill(3),
            Column::Email => Constraint::Fill(4),
            Column::Phone => Constraint::Length(14),
            Column::Status => Constraint::Length(12),
            Column::Enabled => Constraint::Length(7),
            // "59d 23h", the longest age (from 60 days on, months).
            Column::Age => Constraint::Length(7),
            Column::LastResend => Constraint::Fill(3),
        }
    }
}

fn columns(width: u16, any_resends: bool, phone_matched: bool, one_status: bool) -> Vec<Column> {
    let mut cols = vec![Column::Username, Column::Email];
    // The column the filter matched is never the one left out; at 80 columns (79 beside the
    // scrollbar) the phone stays, an agent works with it.
    if width >= 78 || phone_matched {
        cols.push(Column::Phone);
    }
    // Listing one status, the header names it: the column goes first when room is short.
    if !one_status || width >= 100 {
        cols.push(Column::Status);
    }
    if width >= 90 {
        cols.push(Column::Enabled);
    }
    cols.push(Column::Age);
    if any_resends && width >= 90 {
        cols.push(Column::LastResend);
    }
    cols
}

fn table(app: &App, area: Rect, buf: &mut Buffer) {
    let rows_area = Rect {
        width: area.width.saturating_sub(1),
        ..area
    };
    let words = app.users.filter_words();
    let phone_matched = words
        .iter()
        .any(|w| w.chars().all(|c| c.is_ascii_digit() || c == '+'));
    let one_status = app.status.status().is_some();
    let cols = columns(
        rows_area.width,
        app.has_resends(),
        phone_matched,
        one_status,
    );
    let widths: Vec<u16> = Layout::horizontal(cols.iter().map(|c| c.constraint()))
        .spacing(1)
        .split(rows_area)
        .iter()
        .map(|r| r.width)
        .collect();
    let visible_rows = area.height.saturating_sub(1) as usize;
    let rows: Vec<Row> = app
        .users
        .window(visible_rows)
        .map(|user| {
            let cells = cols.iter().zip(&widths).map(|(col, w)| {
                let w = *w as usize;
                let text = match col {
                    Column::Username if app.users.is_marked(&user.username) => {
                        let mut line = highlight(
                            &cell(
                                &shown_username(&user.username, app.redact),
                                w.saturating_sub(2),
                            ),
                            words,
                        );
                        line.spans.insert(0, Span::from("● ").marked());
                        return Cell::from(line);
                    }
                    Column::Username if app.found.contains(&user.username) => {
                        let mut line = highlight(
                            &cell(
                                &shown_username(&user.username, app.redact),
                                w.saturating_sub(2),
                            ),
                            words,
                        );
                        line.spans.insert(0, Span::from("⌕ ").info().bold());
                        return Cell::from(line);
                    }
                    Column::Username => {
                        return Cell::from(highlight(
                            &cell(&shown_username(&user.username, app.redact), w),
                            words,
                        ));
                    }
                    Column::Email => {
                        return Cell::from(highlight(&cell(user.email().unwrap_or(""), w), words));
                    }
                    Column::Phone => {
                        return Cell::from(highlight(&cell(user.phone().unwrap_or(""), w), words));
                    }
                    Column::Status => cell(short_status(&user.status), w),
                    Column::Enabled => if user.enabled { "yes" } else { "no" }.to_string(),
                    Column::Age => user.created.map(|c| age(app.now, c)).unwrap_or_default(),
                    Column::LastResend => app
                        .last_resend(&user.username)
                        .map(|r| {
                            cell(
                                &format!(
                                    "{} ago → {}",
                                    age(app.now, r.at),
                                    sanitize(&r.delivery.destination)
                                ),
                                w,
                            )
                        })
                        .unwrap_or_default(),
                };
                Cell::from(text)
            });
            let style = if user.enabled {
                Style::new()
            } else {
                Style::new().dim()
            };
            Row::new(cells).style(style)
        })
        .collect();
    let header = Row::new(cols.iter().map(|c| Cell::from(c.title())))
        .style(Style::new().bold().underlined());
    let table = Table::new(rows, widths.iter().map(|w| Constraint::Length(*w)))
        .header(header)
        .column_spacing(1)
        .row_highlight_style(crate::tui::theme::current().selection);
    let mut state = TableState::default();
    if let Some(selected) = app.users.selected_index() {
        state.select(Some(selected - app.users.offset()));
    }
    StatefulWidget::render(table, rows_area, buf, &mut state);
    // Every row shown: no scrollbar (a full-height thumb would read as "more below").
    if app.users.visible_len() <= visible_rows {
        return;
    }
    let mut scroll = ScrollbarState::new(app.users.visible_len().saturating_sub(visible_rows))
        .position(app.users.offset())
        .viewport_content_length(visible_rows);
    let bar_area = Rect {
        y: area.y + 1,
        height: area.height.saturating_sub(1),
        ..area
    };
    // A light track and a solid thumb: where the rows shown sit among the rest reads at a
    // glance (a double-line track looked solid from across the desk).
    Scrollbar::new(ScrollbarOrientation::VerticalRight)
        .begin_symbol(None)
        .end_symbol(None)
        .track_symbol(Some("│"))
        .track_style(Style::new().dim())
        .thumb_symbol("█")
        .render(bar_area, buf, &mut scroll);
}

/// Statuses short enough for the table; the detail pane shows them in full.
fn short_status(status: &str) -> &str {
    match status {
        "FORCE_CHANGE_PASSWORD" => "FORCE_CHG_PW",
        "EXTERNAL_PROVIDER" => "EXTERNAL",
        "RESET_REQUIRED" => "RESET_REQ",
        other => other,
    }
}

fn empty_state(app: &App, area: Rect, buf: &mut Buffer) {
    let status = app.status.status().unwrap_or("any");
    let key = |command| app.keymap.key(Screen::Browse, command);
    let lines: Vec<Line> = if app.listing.loading().is_some() {
        vec![Line::from(format!(
            "{} Loading users…",
            SPINNER[app.spinner % SPINNER.len()]
        ))]
    } else if !app.users.is_empty() {
        vec![
            Line::from(format!(
                "No loaded user matches \"{}\".",
                sanitize(app.users.filter())
            ))
            .bold(),
            Line::from(format!("{} clears the filter.", key(Command::Back))),
        ]
    } else if app.listing.error().is_some() {
        vec![
            Line::from("No users loaded."),
            Line::from(format!("{} tries again.", key(Command::Refresh))),
        ]
    } else if let Some(search) = &app.search {
        vec![
            Line::from(format!(
                "No {status} users match {}.",
                sanitize(&search.to_string())
            ))
            .bold(),
            Line::from(format!("{} returns to the full list.", key(Command::Back))),
        ]
    } else if app.status.status() == Some("UNCONFIRMED") {
        vec![
            Line::from("No UNCONFIRMED users in this pool.").bold(),
            Line::from("Nobody is waiting for a confirmation code."),
            Line::from(format!(
                "{} shows other statuses, {} refreshes.",
                key(Command::Status),
                key(Command::Refresh)
            )),
        ]
    } else {
        vec![
            Line::from(format!("No {status} users in this pool.")).bold(),
            Line::from(format!("{} shows other statuses.", key(Command::Status))),
        ]
    };
    let height = lines.len() as u16;
    let y = area.y + area.height.saturating_sub(height) / 2;
    Paragraph::new(lines)
        .centered()
        .wrap(Wrap { trim: true })
        .render(
            Rect {
                y,
                height: height.min(area.height),
                ..area
            },
            buf,
        );
}

fn detail(app: &App, area: Rect, buf: &mut Buffer) {
    let block = Block::new()
        .borders(Borders::TOP | Borders::LEFT)
        .border_style(crate::tui::theme::current().border)
        .title(" Details ")
        .padding(ratatui::widgets::Padding::left(1));
    let inner = block.inner(area);
    block.render(area, buf);
    let Some(user) = app.users.selected_user() else {
        return;
    };
    let width = inner.width as usize;
    let mut lines = detail_lines(app, user, width);
    // What does not fit is said, never silently cut.
    let room = inner.height as usize;
    if lines.len() > room && room > 0 {
        let hidden = lines.len() - room + 1;
        lines.truncate(room - 1);
        lines.push(
            Line::from(format!(
                "… {hidden} more line{} (a taller terminal shows them)",
                if hidden == 1 { "" } else { "s" }
            ))
            .dim(),
        );
    }
    Paragraph::new(lines).render(inner, buf);
}

fn detail_lines(app: &App, user: &User, width: usize) -> Vec<Line<'static>> {
    let when = |t: Option<chrono::DateTime<chrono::Utc>>| {
        t.map(|t| format!("{} ({} ago)", app.zone.minutes(t), age(app.now, t)))
            .unwrap_or_else(|| "unknown".into())
    };
    let field = |name: &str, value: &str| {
        let label = format!("{name:<10} ");
        let room = width.saturating_sub(label.chars().count());
        Line::from(vec![
            Span::from(label).bold(),
            Span::from(cell(value, room)),
        ])
    };
    let mut lines = vec![
        field("username", &shown_username(&user.username, app.redact)),
        field("status", &user.status),
        field(
            "enabled",
            if user.enabled { "yes" } else { "no (disabled)" },
        ),
        field("created", &when(user.created)),
        field("modified", &when(user.modified)),
    ];
    if let Some(record) = app.last_resend(&user.username) {
        lines.push(field(
            "resent",
            &format!(
                "{} ({} ago) → {} ({})",
                app.zone.clock(record.at),
                age(app.now, record.at),
                sanitize(&record.delivery.destination),
                record.delivery.medium
            ),
        ));
    }
    for (name, value) in user.attributes.iter() {
        let label = cell(name, 24);
        let room = width.saturating_sub(label.chars().count() + 2);
        lines.push(Line::from(vec![
            Span::from(format!("{label}: ")).dim(),
            Span::from(cell(value, room)),
        ]));
    }
    lines
}

fn footer(app: &App, area: Rect, buf: &mut Buffer) {
    let line = match &app.mode {
        // The prompts of the export and the filter are their screens' own views.
        Mode::Export(export) => export.line(app, area.width),
        Mode::Filter(filter) => filter.line(app, area.width),
        _ => match (&app.toast, screen_keys(app)) {
            (Some(toast), _) => Line::from(format!(" {toast}")).warn(),
            // A dialog or overlay has the focus: its keys, never the list's.
            (None, Some((title, hints))) => {
                Line::from(titled_hints(title, &hints, area.width as usize)).dim()
            }
            (None, None) => {
                let map = &app.keymap;
                let read_only = app.is_read_only();
                let mut items = map.hints(Screen::Browse, read_only);
                if app.listing.resume_point().is_some() {
                    let refresh = map.key(Screen::Browse, Command::Refresh);
                    items.retain(|i| !i.ends_with(" refresh"));
                    items.insert(0, format!("{refresh} resumes the listing"));
                } else if read_only {
                    items.insert(0, "read-only".into());
                }
                let always = format!(
                    "{} help  {} quit",
                    map.key(Screen::Browse, Command::Help),
                    map.key(Screen::Browse, Command::Quit)
                );
                let items: Vec<&str> = items.iter().map(String::as_str).collect();
                Line::from(footer_hints(&items, area.width as usize, &always)).dim()
            }
        },
    };
    Paragraph::new(line).render(area, buf);
}

/// The keys of the screen that has the focus, when it is not the list: its name and its hints
/// (the keymap's where the screen is in it; a confirmation, a run or a result has its own).
fn screen_keys(app: &App) -> Option<(&'static str, Vec<String>)> {
    let from_map = |title, screen| Some((title, app.keymap.hints(screen, app.is_read_only())));
    let fixed =
        |title, hints: &[&str]| Some((title, hints.iter().map(|h| h.to_string()).collect()));
    match &app.mode {
        Mode::Dialog(d) => match &d.phase {
            _ if d.edit.is_some() => fixed("resend dialog", &["typing", "Enter or Esc done"]),
            Phase::Confirming => fixed("resend dialog", &["y send", "n or Esc back"]),
            Phase::Sending(_) => fixed("resend dialog", &["waiting for Cognito"]),
            Phase::Sent(_) => Some((
                "resend dialog",
                vec![
                    format!(
                        "{} copies the reply",
                        app.keymap.key(Screen::Dialog, Command::CopyReply)
                    ),
                    "Enter closes".into(),
                ],
            )),
            _ => from_map("resend dialog", Screen::Dialog),
        },
        Mode::Action(d) => match &d.phase {
            ActPhase::Draft if d.editing => {
                fixed("action dialog", &["typing", "Enter or Tab done"])
            }
            ActPhase::Draft => from_map("action dialog", Screen::Action),
            ActPhase::Confirming { .. } if d.kind.typed(d.targets.len()) => Some((
                "action dialog",
                vec![
                    format!("type {} then Enter", crate::text::sanitize(&d.expected())),
                    "Esc back".into(),
                ],
            )),
            ActPhase::Confirming { .. } => fixed("action dialog", &["y go on", "n or Esc back"]),
            ActPhase::Running(_) => fixed("action dialog", &["Esc stops after the call in flight"]),
            ActPhase::Finished { .. } => fixed("action dialog", &["Enter closes"]),
        },
        Mode::Actions(_) => {
            let mut hints = app.keymap.hints(Screen::Actions, app.is_read_only());
            hints.push("a letter opens its action".into());
            Some(("actions", hints))
        }
        Mode::Stats { .. } => from_map("charts", Screen::Stats),
        Mode::Help { .. } => from_map("help", Screen::Help),
        Mode::Diagnostics { .. } => from_map("checks", Screen::Checks),
        Mode::Notice { .. } => fixed("notice", &["Enter or Esc closes"]),
        Mode::Pools { .. } => from_map("pools", Screen::Pools),
        Mode::Browse | Mode::Filter { .. } | Mode::Export { .. } => None,
    }
}

/// `title: a · b · c`, with as many hints as fit in `width`, never one cut in two.
fn titled_hints(title: &str, hints: &[String], width: usize) -> String {
    use unicode_width::UnicodeWidthStr;
    let mut out = format!(" {title}:");
    for (i, hint) in hints.iter().enumerate() {
        let sep = if i == 0 { " " } else { " · " };
        if out.width() + sep.width() + hint.width() > width {
            break;
        }
        out.push_str(sep);
        out.push_str(hint);
    }
    out
}

/// The first place a filter word appears, underlined in yellow (readable on the selected row
/// too), so the eye finds why a row matched.
fn highlight(text: &str, words: &[String]) -> Line<'static> {
    let lower = text.to_lowercase();
    // Lowercasing can change byte lengths outside ASCII: highlight only where offsets agree.
    let found = (lower.len() == text.len())
        .then(|| {
            words
                .iter()
                .filter(|w| !w.is_empty())
                .filter_map(|w| lower.find(w.as_str()).map(|at| (at, w.len())))
                .min()
        })
        .flatten();
    match found {
        Some((at, len)) if text.is_char_boundary(at) && text.is_char_boundary(at + len) => {
            Line::from(vec![
                Span::from(text[..at].to_string()),
                Span::from(text[at..at + len].to_string())
                    .warn()
                    .bold()
                    .underlined(),
                Span::from(text[at + len..].to_string()),
            ])
        }
        _ => Line::from(text.to_string()),
    }
}

/// The footer's hints, as many as fit, always ending with `? help  q quit`.
fn footer_hints(items: &[&str], width: usize, always: &str) -> String {
    // At 80 columns the whole line does not fit: the short forms keep every key on it.
    let full: usize = items.iter().map(|i| i.chars().count() + 2).sum::<usize>() + always.len() + 1;
    if full > width {
        let short: Vec<String> = items.iter().map(|i| shorten(i)).collect();
        let short: Vec<&str> = short.iter().map(String::as_str).collect();
        return fit(&short, width, always);
    }
    fit(items, width, always)
}

/// The short form of a key hint: "Enter resend" → "⏎ resend", "a actions" → "a act", "↑↓ move" →
/// "↑↓" (whatever the keys are).
fn shorten(item: &str) -> String {
    let item = item.strip_suffix(" move").unwrap_or(item);
    let item = item
        .strip_suffix(" actions")
        .map_or_else(|| item.to_string(), |keys| format!("{keys} act"));
    match item.strip_prefix("Enter ") {
        Some(rest) => format!("⏎ {rest}"),
        None => item,
    }
}

/// The hints that fit in `width`, in order, then `always`.
fn fit(items: &[&str], width: usize, always: &str) -> String {
    let mut out = String::from(" ");
    for item in items {
        let room = width.saturating_sub(always.len() + 1);
        if unicode_width::UnicodeWidthStr::width(out.as_str()) + item.chars().count() + 2 > room {
            break;
        }
        out.push_str(item);
        out.push_str("  ");
    }
    out.push_str(always);
    out
}
