//! The resend dialog, drawn over the main screen.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Stylize;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

use chrono::{DateTime, Utc};

use crate::audit::{self, Attempt};
use crate::cognito::diagnostics::{Check, PoolSettings, Status};
use crate::cognito::{ApiError, ErrorKind};
use crate::text::{cell, sanitize};
use crate::time::Zone;
use crate::tui::app::PoolView;
use crate::tui::input::TextField;
use crate::tui::keymap::{Command, Screen};
use crate::tui::screens::resend::{Edit, Fresh, Part, Phase, ResendDialog, Slot};
use crate::tui::theme::Role;
use crate::tui::view::{SPINNER, centered, indented, keep_margin, keep_margin_map};

pub struct DialogView<'a> {
    pub dialog: &'a ResendDialog,
    /// `--redact`: a username that is an address is masked.
    pub redact: bool,
    pub pool: &'a PoolView,
    pub spinner: usize,
    pub zone: Zone,
    pub now: DateTime<Utc>,
    /// A send to this user went unanswered at this time, less than a minute ago.
    pub unanswered_since: Option<DateTime<Utc>>,
    /// What DescribeUserPool said, once it has: the destination is then definite.
    pub settings: Option<&'a PoolSettings>,
    pub checks: &'a [Check],
    /// The audit log's attempts on this user.
    pub attempts: &'a [Attempt],
    /// Five resends in the last hour: Cognito refuses more until then.
    pub hourly_limit: Option<DateTime<Utc>>,
    /// After a send: the reply for the ticket.
    pub reply: Option<String>,
    /// The dialog's inner width, for laying out key hints (set in `render`).
    pub width: usize,
    /// The keys in force (the list's refresh in "then r refreshes the list", the dialog's
    /// copy, unsuppress and opt-in).
    pub keymap: &'a crate::tui::keymap::Keymap,
    /// The dialog's keys outside a field, from the keymap ("↑↓ move", "s send", …).
    pub key_hints: Vec<String>,
    /// Where each of the form's slots was drawn (written by `render`), for a click.
    pub hits: &'a std::cell::RefCell<Vec<(Rect, Slot)>>,
}

const KEY_WIDTH: usize = 22;

/// A text field's visible part; while it is edited, the cursor shows as a reversed cell.
pub fn field_spans(field: &TextField, width: usize, editing: bool) -> Vec<Span<'static>> {
    let width = width.max(4);
    let chars: Vec<char> = field.value().chars().collect();
    let cursor = field.cursor().min(chars.len());
    let start = if editing {
        cursor.saturating_sub(width - 1)
    } else {
        0
    };
    let end = (start + width).min(chars.len());
    let shown =
        |from: usize, to: usize| sanitize(&chars[from..to].iter().collect::<String>()).into_owned();
    if !editing {
        return vec![Span::from(cell(field.value(), width))];
    }
    let mut spans = vec![Span::from(shown(start, cursor.min(end)))];
    let under = chars
        .get(cursor)
        .map_or(" ".to_string(), |c| sanitize(&c.to_string()).into_owned());
    spans.push(Span::from(under).reversed());
    if cursor + 1 < end {
        spans.push(Span::from(shown(cursor + 1, end)));
    }
    spans
}

impl DialogView<'_> {
    /// Where the code goes: definite once the pool's verified attributes are known.
    fn destination(&self) -> String {
        let d = self.dialog;
        crate::delivery::destination(
            self.settings.map(|s| s.verifies()),
            d.email.as_deref(),
            d.phone.as_deref(),
        )
        .describe()
    }

    /// The pool checks that matter for this send, in a few words each.
    fn pool_lines(&self, width: usize) -> Vec<Line<'static>> {
        let label = Span::from(" Pool       ").bold();
        if self.settings.is_none() && self.checks.is_empty() {
            return vec![Line::from(vec![
                label,
                Span::from("checking the pool's delivery settings…").dim(),
            ])];
        }
        let words = |c: &Check| {
            if c.short.is_empty() {
                c.summary.clone()
            } else {
                c.short.clone()
            }
        };
        // Failures first, marked ✘ and never cut: each may make every send fail.
        let fails: Vec<&Check> = self
            .checks
            .iter()
            .filter(|c| c.status == Status::Fail)
            .collect();
        let warns: Vec<&Check> = self
            .checks
            .iter()
            .filter(|c| c.status == Status::Warn && !c.short.is_empty())
            .collect();
        if fails.is_empty() && warns.is_empty() {
            return vec![Line::from(vec![
                label,
                Span::from("no delivery problem found · D for details").dim(),
            ])];
        }
        let mut lines = Vec::new();
        for (i, fail) in fails.iter().enumerate() {
            let text = format!("✘ {}", sanitize(&words(fail)));
            for (j, part) in indented(&text, width.saturating_sub(13), 0)
                .into_iter()
                .enumerate()
            {
                let head = if i == 0 && j == 0 {
                    " Pool       "
                } else {
                    "            "
                };
                lines.push(Line::from(vec![
                    Span::from(head).bold(),
                    Span::from(part).fail().bold(),
                ]));
            }
        }
        let rest = warns
            .iter()
            .map(|c| format!("⚠ {}", sanitize(&c.short)))
            .chain(std::iter::once("D for details".to_string()))
            .collect::<Vec<_>>()
            .join(" · ");
        let head = if lines.is_empty() {
            " Pool       "
        } else {
            "            "
        };
        lines.push(Line::from(vec![
            Span::from(head).bold(),
            Span::from(cell(&rest, width.saturating_sub(13))).warn(),
        ]));
        lines
    }

    /// "2 resends in the last hour: 14:02 T-41 (alice) → j***@e***.com, …"
    fn history_line(&self, width: usize) -> Line<'static> {
        let hour = audit::resends_within(self.attempts, self.now, chrono::Duration::hours(1));
        let day = audit::resends_within(self.attempts, self.now, chrono::Duration::hours(24));
        let label = Span::from(" History    ").bold();
        if day.is_empty() {
            return Line::from(vec![
                label,
                Span::from("no resends in the last 24 hours").dim(),
            ]);
        }
        let recent = day
            .iter()
            .rev()
            .take(3)
            .map(|a| audit::summary(a, self.now, self.zone))
            .collect::<Vec<_>>()
            .join(", ");
        let text = format!(
            "{} resend{} in the last hour ({} in 24 h): {recent}",
            hour.len(),
            if hour.len() == 1 { "" } else { "s" },
            day.len()
        );
        let span = Span::from(cell(&text, width.saturating_sub(13)));
        Line::from(vec![
            label,
            if self.hourly_limit.is_some() {
                span.fail().bold()
            } else {
                span
            },
        ])
    }

    /// What SES, SNS and the delivery logs say of this user: the worst finding ("✘ +44… has
    /// opted out of SMS…"), how many more, and the fixes on offer; or that it is asking.
    fn evidence_line(&self, width: usize) -> Option<Line<'static>> {
        use crate::cognito::diagnostics::Status;
        let d = self.dialog;
        let label = Span::from(" Evidence   ").bold();
        let Some(checks) = &d.evidence else {
            return matches!(d.fresh, Fresh::Checking | Fresh::Checked(_)).then(|| {
                Line::from(vec![
                    label,
                    Span::from("asking SES, SNS and the delivery logs…").dim(),
                ])
            });
        };
        let worst = crate::cognito::diagnostics::worst_first(checks);
        let check = worst.first()?;
        let problems = checks
            .iter()
            .filter(|c| matches!(c.status, Status::Fail | Status::Warn | Status::Unknown))
            .count();
        let mut tail = Vec::new();
        if problems > 1 {
            tail.push(format!("+{} more", problems - 1));
        }
        if crate::evidence::fixable(checks, "ses_suppressed") {
            tail.push(format!(
                "{} unsuppress",
                self.dialog_key(Command::Unsuppress)
            ));
        }
        if crate::evidence::fixable(checks, "sms_opted_out") {
            tail.push(format!("{} opt in", self.dialog_key(Command::OptIn)));
        }
        let tail = if tail.is_empty() {
            String::new()
        } else {
            format!(" · {}", tail.join(" · "))
        };
        let room = width.saturating_sub(15 + tail.chars().count());
        let summary = if check.status == Status::Ok {
            "nothing in SES, SNS or the delivery logs stands in this code's way"
        } else {
            check.summary.as_str()
        };
        let text = cell(summary, room);
        let span = match check.status {
            Status::Fail => Span::from(format!("✘ {text}")).fail().bold(),
            Status::Warn => Span::from(format!("⚠ {text}")).warn().bold(),
            Status::Unknown => Span::from(format!("? {text}")).unknown(),
            Status::Ok | Status::Info => Span::from(format!("✔ {text}")).good(),
        };
        Some(Line::from(vec![label, span, Span::from(tail).bold()]))
    }

    /// The form, which of its lines holds the focus, and the line of each slot (for a click).
    fn form_lines(&self, width: usize) -> (Vec<Line<'static>>, usize, Vec<(usize, Slot)>) {
        let d = self.dialog;
        let mut lines = Vec::new();
        let mut focus_line = 0;
        let mut slots = Vec::new();
        let mut user = vec![
            Span::from(" User       ").bold(),
            Span::from(cell(
                &crate::text::shown_username(&d.username, self.redact),
                width / 2,
            )),
        ];
        if let Some(name) = &d.display_name {
            let used: usize = user.iter().map(|s| s.width()).sum();
            let room = width.saturating_sub(used + 14).max(width / 3);
            user.push(Span::from(format!(" ({})", cell(name, room))).dim());
        }
        if !d.enabled {
            user.push(Span::from("  disabled").fail().bold());
        }
        lines.push(Line::from(user));
        lines.push(Line::from(vec![
            Span::from(if self.settings.is_some() {
                " Goes to    "
            } else {
                " Likely to  "
            })
            .bold(),
            Span::from(cell(&self.destination(), width.saturating_sub(13))),
        ]));

        if !d.enabled {
            lines.push(
                Line::from(
                    " ⚠ This account is disabled: Cognito will refuse the resend until an \
                     administrator enables it.",
                )
                .fail()
                .bold(),
            );
        }
        let status = match &d.fresh {
            Fresh::Checking => Span::from(format!(
                "{} asking Cognito whether they are still unconfirmed…",
                SPINNER[self.spinner % SPINNER.len()]
            ))
            .dim(),
            Fresh::Checked(user) if user.is_unconfirmed() => {
                Span::from("UNCONFIRMED (checked with Cognito just now)").good()
            }
            Fresh::Checked(user) => {
                Span::from(format!("{} now: nothing to resend", sanitize(&user.status)))
                    .fail()
                    .bold()
            }
            Fresh::Gone => Span::from(
                "no longer in the pool (deleted by a colleague or a prune): nothing to send",
            )
            .fail()
            .bold(),
            Fresh::Unknown(err) => Span::from(cell(
                &format!(
                    "could not check ({}: {}); sending still works",
                    err.code,
                    err.hint()
                ),
                width.saturating_sub(13),
            ))
            .warn(),
        };
        lines.push(Line::from(vec![Span::from(" Status     ").bold(), status]));
        lines.extend(self.pool_lines(width));
        lines.push(self.history_line(width));
        lines.extend(self.evidence_line(width));
        // Who else is on this user (the desk's claims, a colleague's send in 15 minutes).
        match &self.dialog.colleague {
            // Whole (wrapped under its label): the times are what the agent needs.
            Some(Ok(Some(who))) => lines.push(Line::from(vec![
                Span::from(" Colleague  ").bold(),
                Span::from(format!("⚠ {} · O goes on anyway", sanitize(who)))
                    .warn()
                    .bold(),
            ])),
            Some(Err(why)) => lines.push(Line::from(vec![
                Span::from(" Colleague  ").bold(),
                Span::from(format!(
                    "? cannot tell who else is on this user: {}",
                    cell(why, width.saturating_sub(55))
                ))
                .unknown(),
            ])),
            _ => {}
        }
        let focused = d.focus == Slot::Ticket;
        if focused {
            focus_line = lines.len();
        }
        slots.push((lines.len(), Slot::Ticket));
        let editing = matches!(
            &d.edit,
            Some(Edit::Field {
                slot: Slot::Ticket,
                ..
            })
        );
        let mut ticket = vec![
            Span::from(if focused {
                " ▸ Ticket   "
            } else {
                "   Ticket   "
            })
            .bold(),
        ];
        ticket.extend(field_spans(&d.ticket, 24, editing));
        if d.ticket.value().is_empty() && !editing {
            ticket.push(Span::from("(Enter to type the ticket reference)").dim());
        }
        // Where the ticket goes too: on the line when it fits, else under it (never wrapped
        // to the border).
        let also = d.ticket_key.as_ref().map(|key| {
            cell(
                &format!("also sent as ClientMetadata {}", sanitize(key)),
                width.saturating_sub(12),
            )
        });
        let mut ticket = Line::from(ticket);
        match also {
            Some(also) if ticket.width() + 2 + also.chars().count() <= width => {
                ticket.push_span(Span::from(format!("  {also}")).dim());
                lines.push(ticket);
            }
            Some(also) => {
                lines.push(ticket);
                lines.push(Line::from(format!("            {also}")).dim());
            }
            None => lines.push(ticket),
        }
        lines.push(Line::from(""));
        lines.push(
            Line::from(if width >= 70 {
                " ClientMetadata, handed to the pool's custom-message Lambda trigger"
            } else {
                " ClientMetadata (for the pool's Lambda triggers)"
            })
            .bold(),
        );
        lines.push(Line::from(format!("   {:<KEY_WIDTH$} VALUE", "KEY")).dim());
        let value_width = width.saturating_sub(KEY_WIDTH + 22);
        for (i, row) in d.rows.iter().enumerate() {
            let focused = d.focus == Slot::Meta(i);
            if focused {
                focus_line = lines.len();
            }
            slots.push((lines.len(), Slot::Meta(i)));
            let editing = match &d.edit {
                Some(Edit::Meta { row, part, .. }) if *row == i => Some(*part),
                _ => None,
            };
            let mut spans = vec![Span::from(if focused { " ▸ " } else { "   " })];
            let key = field_spans(&row.key, KEY_WIDTH - 1, editing == Some(Part::Key));
            let key_len: usize = key.iter().map(|s| s.content.chars().count()).sum();
            spans.extend(key);
            spans.push(Span::from(
                " ".repeat((KEY_WIDTH + 1).saturating_sub(key_len)),
            ));
            spans.extend(field_spans(
                &row.value,
                value_width,
                editing == Some(Part::Value),
            ));
            if let Some(problem) = d.row_problem(i) {
                spans.push(Span::from(format!("  ⚠ {problem}")).warn().bold());
            }
            let mut line = Line::from(spans);
            if focused && d.edit.is_none() {
                line = line.bold();
            }
            lines.push(line);
        }
        if matches!(d.focus, Slot::AddRow | Slot::Advanced) {
            focus_line = lines.len() + usize::from(d.focus == Slot::Advanced);
        }
        slots.push((lines.len(), Slot::AddRow));
        lines.push(slot_line(d.focus == Slot::AddRow, "+ add a pair (a)"));
        slots.push((lines.len(), Slot::Advanced));
        let arrow = if d.advanced_open { "▾" } else { "▸" };
        lines.push(slot_line(
            d.focus == Slot::Advanced,
            &format!("{arrow} Optional: AnalyticsEndpointId, UserContextData (x)"),
        ));
        if d.advanced_open {
            for (slot, label) in [
                (Slot::Analytics, "AnalyticsEndpointId"),
                (Slot::Ip, "IpAddress"),
                (Slot::EncodedData, "EncodedData"),
            ] {
                let Some(field) = d.field(slot) else { continue };
                if d.focus == slot {
                    focus_line = lines.len();
                }
                slots.push((lines.len(), slot));
                let editing = matches!(&d.edit, Some(Edit::Field { slot: s, .. }) if *s == slot);
                let mut spans = vec![
                    Span::from(if d.focus == slot { " ▸   " } else { "     " }),
                    Span::from(format!("{label:<20} ")).dim(),
                ];
                spans.extend(field_spans(field, width.saturating_sub(40), editing));
                if slot == Slot::Ip
                    && let Some(problem) = d.ip_problem()
                {
                    spans.push(Span::from(format!("  ⚠ {problem}")).warn().bold());
                }
                lines.push(Line::from(spans));
            }
        }
        (lines, focus_line, slots)
    }

    fn phase_lines(&self) -> Vec<Line<'static>> {
        let d = self.dialog;
        let hints: Vec<&str> = if d.edit.is_some() {
            vec![
                "typing",
                "Tab/Enter next",
                "Esc cancels this edit",
                "Ctrl-W deletes a word",
            ]
        } else {
            self.key_hints.iter().map(String::as_str).collect()
        };
        let keys = crate::tui::view::hint_lines(&hints, self.width.saturating_sub(2));
        let notice = || {
            d.notice
                .as_ref()
                .map(|n| Line::from(format!(" {n}")).warn().bold())
        };
        match &d.phase {
            Phase::Draft => notice().into_iter().chain(keys).collect(),
            Phase::AwaitingCheck => vec![
                Line::from(format!(
                    " {} checking with Cognito that {} is still unconfirmed…",
                    SPINNER[self.spinner % SPINNER.len()],
                    sanitize(&crate::text::shown_username(&d.username, self.redact))
                ))
                .info(),
                Line::from(" The send waits for this answer · Esc back").dim(),
            ],
            Phase::Confirming => self.confirm_lines(),
            Phase::Sending(run) => run.progress_lines("Sending", self.spinner),
            Phase::Sent(delivery) => {
                let mut lines = vec![
                    Line::from(format!(" ✔ {}", sanitize(&delivery.to_string())))
                        .good()
                        .bold(),
                ];
                // The delivery logs, watched for two minutes after the send.
                if let Some((_, seen)) = &self.dialog.watch {
                    let keep = |t: &str| t.to_string();
                    let line = match seen {
                        None => Line::from(" Watch      reading the delivery logs…").dim(),
                        Some(seen @ crate::evidence::Watched::Found(_)) => Line::from(format!(
                            " Watch      {}",
                            sanitize(&seen.line(self.zone, &keep))
                        ))
                        .fail()
                        .bold(),
                        Some(seen @ crate::evidence::Watched::Cannot(_)) => Line::from(format!(
                            " Watch      {}",
                            sanitize(&seen.line(self.zone, &keep))
                        ))
                        .unknown(),
                        Some(seen) => Line::from(format!(
                            " Watch      ✔ {}{}",
                            sanitize(&seen.line(self.zone, &keep)),
                            if seen.is_over() { "" } else { " · Esc stops" }
                        ))
                        .good(),
                    };
                    lines.push(line);
                }
                if let Some(reply) = &self.reply {
                    lines.push(Line::from(" Reply for the ticket:").bold());
                    lines.push(Line::from(format!(" {reply}")));
                }
                lines.push(
                    Line::from(format!(
                        " {} copies the reply for the ticket · Enter closes",
                        self.dialog_key(Command::CopyReply)
                    ))
                    .dim(),
                );
                lines
            }
            Phase::Failed { error, at } if error.outcome_unknown() => vec![
                Line::from(format!(
                    " ⚠ Cognito did not answer (at {}): the code may have been sent.",
                    self.zone.clock(*at)
                ))
                .warn()
                .bold(),
                Line::from(format!(
                    " {}: {}",
                    sanitize(&error.code),
                    sanitize(&error.message)
                ))
                .warn(),
                Line::from(format!(" {}", error.hint())),
            ]
            .into_iter()
            .chain(keys)
            .collect(),
            Phase::Failed { error, .. } => {
                let mut lines = vec![
                    Line::from(format!(
                        " ✘ {}: {}",
                        sanitize(&error.code),
                        sanitize(&error.message)
                    ))
                    .fail()
                    .bold(),
                    Line::from(format!(" hint: {}", error.hint())).fail(),
                    self.retry_line(error),
                ];
                lines.extend(notice());
                lines.extend(keys);
                lines
            }
        }
    }

    /// What to do after a failure: when the limit frees up, fix the draft where the draft can be
    /// the cause, else what to do instead.
    fn retry_line(&self, error: &ApiError) -> Line<'static> {
        match (error.kind, self.hourly_limit) {
            (ErrorKind::LimitExceeded | ErrorKind::HourlyLimit, Some(until)) => {
                Line::from(format!(
                    " The next resend to this user is possible at {} (from the audit log).",
                    self.zone.format(until, "%H:%M")
                ))
                .bold()
            }
            (ErrorKind::LimitExceeded | ErrorKind::HourlyLimit, None) => Line::from(
                " Nothing to fix: Cognito counts 5 resends per user in a rolling hour; try again \
                 later in the hour.",
            )
            .bold(),
            // Only where the draft itself can be the cause (its ClientMetadata reaches the
            // Lambda trigger); otherwise say what to do instead.
            (ErrorKind::UserLambdaValidation | ErrorKind::InvalidLambdaResponse, _)
            | (ErrorKind::InvalidParameter, _) => {
                Line::from(" Your draft is kept: fix it and press s to try again.").dim()
            }
            (kind, _) => match instead(kind) {
                Some(text) => Line::from(format!(
                    " {}",
                    text.replace(
                        "{refresh}",
                        &self.keymap.key(Screen::Browse, Command::Refresh)
                    )
                ))
                .bold(),
                None => Line::from(""),
            },
        }
    }

    /// The question before a send: who, where it will go, from which pool, and every reason to
    /// think twice.
    fn confirm_lines(&self) -> Vec<Line<'static>> {
        let d = self.dialog;
        let mut lines = Vec::new();
        if let Some(who) = d.colleague_text() {
            lines.push(
                Line::from(format!(
                    " ⚠ {}: a second code invalidates theirs. O sends anyway.",
                    sanitize(who)
                ))
                .warn()
                .bold(),
            );
        }
        if let Some(until) = self.hourly_limit {
            lines.push(
                Line::from(format!(
                    " ✘ Five resends to this user in the last hour: Cognito will refuse until {}. \
                     Each one also made the earlier codes invalid.",
                    self.zone.format(until, "%H:%M")
                ))
                .fail()
                .bold(),
            );
        }
        if let Some(at) = self.unanswered_since {
            lines.push(
                Line::from(format!(
                    " ⚠ The send at {} got no answer and may have gone out: a new code \
                     invalidates that one.",
                    self.zone.clock(at)
                ))
                .warn()
                .bold(),
            );
        }
        if !d.enabled {
            lines.push(
                Line::from(" ⚠ The account is disabled: Cognito will refuse.")
                    .fail()
                    .bold(),
            );
        }
        if let Fresh::Unknown(err) = &d.fresh {
            lines.push(
                Line::from(format!(
                    " ⚠ Could not check the user with Cognito ({}): sending anyway is possible.",
                    sanitize(&err.code)
                ))
                .warn(),
            );
        }
        // Evidence that the code will not reach this user (a number that replied STOP).
        for fail in d
            .evidence
            .iter()
            .flatten()
            .filter(|c| c.status == Status::Fail)
        {
            lines.push(
                Line::from(format!(
                    " ✘ This code will not arrive: {}",
                    sanitize(&fail.summary)
                ))
                .fail()
                .bold(),
            );
        }
        // A pool check that fails is said where the operator decides: the send will likely fail.
        for fail in self.checks.iter().filter(|c| c.status == Status::Fail) {
            lines.push(
                Line::from(format!(
                    " ✘ This send will most likely fail: {} (D for details)",
                    sanitize(&fail.summary)
                ))
                .fail()
                .bold(),
            );
        }
        lines.push(
            Line::from(format!(
                " Send a new confirmation code to {}, {} {}, from pool {} ({})?",
                sanitize(&crate::text::shown_username(&d.username, self.redact)),
                if self.settings.is_some() {
                    "to"
                } else {
                    "likely"
                },
                sanitize(&self.destination()),
                sanitize(&self.pool.name),
                sanitize(&self.pool.region)
            ))
            .bold(),
        );
        if let Some(notice) = &d.notice {
            lines.push(Line::from(format!(" {notice}")).warn().bold());
        }
        lines.push(if self.hourly_limit.is_some() {
            Line::from(vec![
                Span::from(" "),
                Span::from(" F send anyway ").reversed(),
                Span::from("  n or Esc back").dim(),
            ])
        } else if d.colleague_text().is_some() {
            Line::from(vec![
                Span::from(" "),
                Span::from(" O send anyway ").reversed(),
                Span::from("  n or Esc back").dim(),
            ])
        } else {
            Line::from(vec![
                Span::from(" "),
                Span::from(" y send ").reversed(),
                Span::from("  n or Esc back (Enter does not send)").dim(),
            ])
        });
        lines
    }
}

impl DialogView<'_> {
    /// The dialog's key for a command, as the keymap has it.
    fn dialog_key(&self, command: Command) -> String {
        self.keymap.key(Screen::Dialog, command)
    }
}

fn slot_line(focused: bool, text: &str) -> Line<'static> {
    let line = Line::from(format!("{}{text}", if focused { " ▸ " } else { "   " }));
    if focused { line.bold() } else { line.dim() }
}

impl Widget for DialogView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let width = area.width.saturating_sub(4).min(96);
        let inner_width = width.saturating_sub(2);
        let mut this = self;
        this.width = inner_width as usize;
        let this = this;
        let (form, focus_line, slots) = this.form_lines(inner_width as usize);
        let (form, moved) = keep_margin_map(form, inner_width as usize);
        let focus_line = moved.get(focus_line).copied().unwrap_or(0);
        let form = Paragraph::new(form).wrap(Wrap { trim: false });
        let status = Paragraph::new(keep_margin(this.phase_lines(), inner_width as usize))
            .wrap(Wrap { trim: false });
        let form_height = form.line_count(inner_width) as u16;
        let status_height = status.line_count(inner_width) as u16;
        let rect = centered(area, width, form_height + status_height + 3, buf);
        let block = crate::tui::screens::boxed("Resend confirmation code");
        let inner = block.inner(rect);
        block.render(rect, buf);
        // The outcome and the keys stay in view; the form scrolls to keep the focus visible.
        let status_height = status_height.min(inner.height);
        let status_area = Rect {
            y: inner.bottom() - status_height,
            height: status_height,
            ..inner
        };
        let form_area = Rect {
            height: inner.height.saturating_sub(status_height + 1),
            ..inner
        };
        let scroll = (focus_line as u16).saturating_sub(form_area.height.saturating_sub(1));
        // Where each slot is drawn, for a click.
        *this.hits.borrow_mut() = slots
            .into_iter()
            .filter_map(|(line, slot)| {
                let y = (*moved.get(line)? as u16).checked_sub(scroll)?;
                (y < form_area.height).then(|| {
                    (
                        Rect::new(form_area.x, form_area.y + y, form_area.width, 1),
                        slot,
                    )
                })
            })
            .collect();
        form.scroll((scroll, 0)).render(form_area, buf);
        status.render(status_area, buf);
    }
}

/// What to do instead of editing the draft, after a failure no draft can fix.
fn instead(kind: ErrorKind) -> Option<&'static str> {
    Some(match kind {
        ErrorKind::SecretHashMissing
        | ErrorKind::SecretHashRejected
        | ErrorKind::SecretUnavailable => {
            "Nothing in the draft can fix this: set the pool's client secret in the config file, \
             then open the dialog again."
        }
        ErrorKind::UserGone | ErrorKind::UserNotFound => {
            "The user is not in the pool: Esc, then {refresh} refreshes the list."
        }
        ErrorKind::AlreadyConfirmed
        | ErrorKind::UnsupportedUserState
        | ErrorKind::ChangedSinceList => {
            "Nothing to resend to this user now: Esc, then {refresh} refreshes the list."
        }
        ErrorKind::UserDisabled => {
            "An administrator must enable the account first (a, e on the list)."
        }
        ErrorKind::AutoVerificationOff
        | ErrorKind::CodeDeliveryFailure
        | ErrorKind::InvalidEmailRoleAccessPolicy
        | ErrorKind::InvalidSmsRoleAccessPolicy
        | ErrorKind::InvalidSmsRoleTrustRelationship
        | ErrorKind::UnexpectedLambda => {
            "The pool cannot deliver as configured: D shows why; nothing in the draft changes it."
        }
        ErrorKind::AccessDenied | ErrorKind::NoCredentials | ErrorKind::BadCredentials => {
            "Fix the credentials (the hint above), then press s to try again."
        }
        _ => return None,
    })
}
