//! The admin action dialog, drawn over the main screen.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Style, Stylize};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

use crate::text::{cell, sanitize, shown_username};
use crate::tui::app::PoolView;
use crate::tui::keymap::{Command, Keymap, Screen};
use crate::tui::screens::action::{ActPhase, ActionDialog, ActionKind, Field};
use crate::tui::screens::resend::field_spans;
use crate::tui::theme::Role;
use crate::tui::view::{centered, indented, keep_margin_map};

pub struct ActionView<'a> {
    pub dialog: &'a ActionDialog,
    pub pool: &'a PoolView,
    /// `--redact`: usernames that are addresses are masked.
    pub redact: bool,
    /// The frame of the run's spinner.
    pub spinner: usize,
    /// The keys in force (`[keys.action]`): the hints name them.
    pub keymap: &'a Keymap,
    pub read_only: bool,
    /// Where each field was drawn (written by `render`), for a click.
    pub hits: &'a std::cell::RefCell<Vec<(Rect, Field)>>,
}

impl ActionView<'_> {
    /// The key in force for a command of the dialog.
    fn key(&self, command: Command) -> String {
        self.keymap.key(Screen::Action, command)
    }

    fn who(&self) -> String {
        match self.dialog.targets.as_slice() {
            [one] => sanitize(&shown_username(&one.username, self.redact)).into_owned(),
            many => format!("{} users", many.len()),
        }
    }

    /// The dialog's lines, and the line of each field (for a click).
    fn lines(&self, width: usize) -> (Vec<Line<'static>>, Vec<(usize, Field)>) {
        let d = self.dialog;
        let mut lines = Vec::new();
        let mut fields = Vec::new();
        match d.targets.as_slice() {
            [] => lines.push(Line::from(vec![
                Span::from(" Users      ").bold(),
                Span::from("nobody: every marked user is left out (below)").warn(),
            ])),
            [one] => {
                let mut spans = vec![
                    Span::from(" User       ").bold(),
                    Span::from(cell(&shown_username(&one.username, self.redact), width / 2)),
                    Span::from(format!("  {}", sanitize(&one.status))).dim(),
                ];
                if !one.enabled {
                    spans.push(Span::from("  disabled").fail().bold());
                }
                lines.push(Line::from(spans));
                for (label, value) in [("Email", one.email()), ("Phone", one.phone())] {
                    lines.push(Line::from(vec![
                        Span::from(format!(" {label:<11}")).bold(),
                        Span::from(cell(value.unwrap_or("(none)"), width.saturating_sub(13))),
                    ]));
                }
            }
            many => {
                let names: Vec<String> = many
                    .iter()
                    .take(5)
                    .map(|u| shown_username(&u.username, self.redact).into_owned())
                    .collect();
                // The count first: the names may not fit, the count always does.
                let more = many.len().saturating_sub(5);
                lines.push(Line::from(vec![
                    Span::from(" Users      ").bold(),
                    Span::from(format!("{}: ", many.len())).bold(),
                    Span::from(cell(
                        &format!(
                            "{}{}",
                            names.join(", "),
                            if more > 0 {
                                format!(" and {more} more")
                            } else {
                                String::new()
                            }
                        ),
                        width.saturating_sub(15 + many.len().to_string().len()),
                    )),
                ]));
            }
        }
        let what = match d.kind {
            ActionKind::Invite => format!(
                " Sends a new invitation by {} ({} changes). It issues a NEW temporary password: \
                 the one sent before stops working.",
                d.medium.label(),
                self.key(Command::Medium)
            ),
            ActionKind::Confirm => format!(
                " Confirms without a code, then sets email_verified{} ({} toggles \
                 phone_number_verified). Only after checking who the user is another way.",
                if d.verify_phone {
                    " and phone_number_verified"
                } else {
                    ""
                },
                self.key(Command::VerifyPhone)
            ),
            ActionKind::SetContact => format!(
                " Changes the user's {} ({} switches email/phone); then {} resends a code to \
                 the new address.",
                d.contact.attribute(),
                self.key(Command::Contact),
                self.key(Command::Resend)
            ),
            ActionKind::Delete => " Deletes the user(s) with AdminDeleteUser. This cannot be \
                 undone; they still count as monthly active users this month."
                .to_string(),
            ActionKind::BulkResend => " Sends a new confirmation code to each, paced, with the \
                 Metadata below as ClientMetadata (key=value; key=value) and the ticket."
                .to_string(),
            ActionKind::Disable => " Disables the user(s) with AdminDisableUser: they cannot sign \
                 in, confirm or get a code until enabled again (nothing is deleted)."
                .to_string(),
            ActionKind::Enable => " Enables the user(s) again with AdminEnableUser.".to_string(),
            ActionKind::Unsuppress => " Takes the user's email address off the SES account's \
                 suppression list (DeleteSuppressedDestination): SES sends to it again. If it \
                 bounces again, SES lists it again; then r sends a code."
                .to_string(),
            ActionKind::SmsOptIn => " Opts the user's number back in to SMS \
                 (OptInPhoneNumber). SNS allows this once in 30 days for a number; the user \
                 replied STOP before, so make sure they want codes by SMS. Then r sends a code."
                .to_string(),
        };
        let warn = matches!(
            d.kind,
            ActionKind::Delete | ActionKind::Invite | ActionKind::Disable
        );
        let style = if warn {
            crate::tui::theme::current().warn.bold()
        } else {
            Style::new()
        };
        // Wrapped here, so that every line keeps the one-space margin.
        lines.extend(
            indented(what.trim_start(), width.saturating_sub(1), 1)
                .into_iter()
                .map(|l| Line::from(l).style(style)),
        );
        if !d.hidden.is_empty() && !matches!(d.phase, ActPhase::Finished { .. }) {
            lines.push(
                Line::from(format!(
                    " ⚠ {} of the marked users are hidden by the filter and will be acted on too: {}",
                    d.hidden.len(),
                    d.hidden
                        .iter()
                        .take(5)
                        .map(|u| sanitize(u).into_owned())
                        .collect::<Vec<_>>()
                        .join(", ")
                ))
                .warn()
                .bold(),
            );
        }
        if !d.skipped_before.is_empty() && !matches!(d.phase, ActPhase::Finished { .. }) {
            // Grouped by reason: "34 left out: 33 a code in the last 15 minutes (ann, bob, …)".
            let mut groups: Vec<(&str, Vec<&str>)> = Vec::new();
            for (user, why) in &d.skipped_before {
                match groups.iter_mut().find(|(w, _)| w == why) {
                    Some((_, users)) => users.push(user),
                    None => groups.push((why, vec![user])),
                }
            }
            let text = groups
                .iter()
                .map(|(why, users)| {
                    let names: Vec<String> = users
                        .iter()
                        .take(3)
                        .map(|u| sanitize(&shown_username(u, self.redact)).into_owned())
                        .collect();
                    let more = if users.len() > 3 { ", …" } else { "" };
                    format!(
                        "{} {} ({}{more})",
                        users.len(),
                        sanitize(why),
                        names.join(", ")
                    )
                })
                .collect::<Vec<_>>()
                .join("; ");
            lines.extend(
                indented(
                    &format!("{} left out: {text}", d.skipped_before.len()),
                    width.saturating_sub(1),
                    1,
                )
                .into_iter()
                .map(|l| Line::from(l).dim()),
            );
        }
        if let Some(who) = &d.colleague
            && !matches!(d.phase, ActPhase::Finished { .. })
        {
            lines.extend(
                indented(
                    &format!("⚠ {who}: O goes on anyway"),
                    width.saturating_sub(1),
                    1,
                )
                .into_iter()
                .map(|l| Line::from(l).warn().bold()),
            );
        }
        if let Some(warning) = &d.quota_warning
            && !matches!(d.phase, ActPhase::Finished { .. })
        {
            lines.extend(
                indented(&format!("⚠ {warning}"), width.saturating_sub(1), 1)
                    .into_iter()
                    .map(|l| Line::from(l).warn().bold()),
            );
        }
        lines.push(Line::from(""));
        for field in d.fields() {
            fields.push((lines.len(), field));
            let focused = d.focus == field && d.phase == ActPhase::Draft;
            let label = match field {
                Field::Ticket => "Ticket",
                Field::Metadata => "Metadata",
                Field::Reason if d.kind.needs_reason() => "Reason*",
                Field::Reason => "Reason",
                Field::Value => match d.contact {
                    crate::ops::Contact::Email => "New email",
                    crate::ops::Contact::Phone => "New phone",
                },
            };
            let mut spans = vec![
                Span::from(format!(
                    "{}{label:<11}",
                    if focused { " ▸ " } else { "   " }
                ))
                .bold(),
            ];
            spans.extend(field_spans(
                d.field(field),
                width.saturating_sub(20),
                focused && d.editing,
            ));
            if field == Field::Value
                && let Some(current) = &d.current_masked
                && d.value.value().is_empty()
            {
                spans.push(
                    Span::from(format!(
                        "  now {} (masked: type the whole new address)",
                        cell(current, 30)
                    ))
                    .dim(),
                );
            }
            if field == Field::Value
                && let Err(problem) = d.new_value()
                && !d.value.value().is_empty()
            {
                spans.push(Span::from(format!("  ⚠ {}", cell(&problem, 40))).warn());
            }
            if field == Field::Metadata
                && let Err(problem) = d.client_metadata()
            {
                lines.push(Line::from(spans));
                // On its own line: the pair it names may be anywhere in a long field.
                lines.push(Line::from(format!("              ⚠ {}", sanitize(&problem))).warn());
                continue;
            }
            lines.push(Line::from(spans));
        }
        lines.push(Line::from(""));
        // (A metadata problem already shows under its field.)
        if let Some(notice) = &d.notice
            && d.client_metadata().err().as_ref() != Some(notice)
        {
            lines.push(Line::from(format!(" {notice}")).warn().bold());
        }
        lines.extend(self.phase_lines(width));
        (lines, fields)
    }

    fn phase_lines(&self, width: usize) -> Vec<Line<'static>> {
        let d = self.dialog;
        match &d.phase {
            ActPhase::Draft => vec![
                Line::from(if d.editing {
                    " typing · Enter or Tab done".to_string()
                } else {
                    format!(
                        " {}",
                        self.keymap
                            .hints(Screen::Action, self.read_only)
                            .join(" · ")
                    )
                })
                .dim(),
            ],
            ActPhase::Confirming { typed } => {
                let who = self.who();
                let what = match d.kind {
                    ActionKind::Invite => {
                        format!("Send {who} a new invitation by {}", d.medium.label())
                    }
                    ActionKind::Confirm => format!("Confirm {who} without a code"),
                    ActionKind::SetContact => format!(
                        "Change {who}'s {} to {}",
                        d.contact.attribute(),
                        sanitize(d.value.value().trim())
                    ),
                    ActionKind::Delete => format!("Delete {who} for good"),
                    ActionKind::BulkResend => format!("Send new confirmation codes to {who}"),
                    ActionKind::Disable => format!("Disable {who}"),
                    ActionKind::Enable => format!("Enable {who}"),
                    ActionKind::Unsuppress => {
                        format!("Take {who}'s email off the SES suppression list")
                    }
                    ActionKind::SmsOptIn => {
                        format!("Opt {who}'s number back in to SMS (once in 30 days)")
                    }
                };
                // What the Lambda will get, said where the operator decides.
                let with = match (d.kind, d.client_metadata()) {
                    (ActionKind::Invite | ActionKind::BulkResend, Ok(pairs))
                        if !pairs.is_empty() =>
                    {
                        format!(
                            " with ClientMetadata {}",
                            pairs
                                .iter()
                                .map(|(k, v)| format!("{}={}", sanitize(k), sanitize(v)))
                                .collect::<Vec<_>>()
                                .join(", ")
                        )
                    }
                    _ => String::new(),
                };
                let question = format!(
                    "{what}{with}, in pool {} ({})?",
                    sanitize(&self.pool.name),
                    sanitize(&self.pool.region)
                );
                let mut out: Vec<Line<'static>> = indented(&question, width.saturating_sub(1), 1)
                    .into_iter()
                    .map(|l| Line::from(l).bold())
                    .collect();
                if d.kind.typed(d.targets.len()) {
                    let mut spans = vec![Span::from(format!(" Type {} to go on: ", d.expected()))];
                    spans.extend(field_spans(typed, 30, true));
                    out.extend([
                        Line::from(spans),
                        Line::from(" Enter goes on · Esc back (a paste does not count)").dim(),
                    ]);
                } else {
                    if let Some(notice) = &d.notice {
                        out.push(Line::from(format!(" {}", sanitize(notice))).warn().bold());
                    }
                    out.push(Line::from(vec![
                        Span::from(" "),
                        Span::from(if d.colleague.is_some() {
                            " O go anyway "
                        } else {
                            " y go "
                        })
                        .reversed(),
                        Span::from("  n or Esc back").dim(),
                    ]));
                }
                out
            }
            ActPhase::Running(run) => run.progress_lines("Working", self.spinner),
            ActPhase::Finished { tally } => {
                let mut lines = crate::tui::run::summary_lines(d.kind.title(), tally);
                if d.kind.offers_resend() && tally.done == 1 {
                    lines.push(
                        Line::from(format!(
                            " {} resends a confirmation code{} now",
                            self.key(Command::Resend),
                            if d.kind == ActionKind::SetContact {
                                " to the new address"
                            } else {
                                ""
                            }
                        ))
                        .bold(),
                    );
                }
                // What was not recorded is said above; the rest is not called recorded.
                lines.push(
                    Line::from(if !tally.audit_warnings.is_empty() {
                        " Enter closes"
                    } else if tally.done + tally.failed.len() > 0 {
                        " Recorded in the audit log · Enter closes"
                    } else {
                        " Nothing was done · Enter closes"
                    })
                    .dim(),
                );
                lines
            }
        }
    }
}

impl Widget for ActionView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let width = area.width.saturating_sub(4).min(96);
        let inner = width.saturating_sub(2) as usize;
        let (lines, fields) = self.lines(inner);
        let (lines, moved) = keep_margin_map(lines, inner);
        let paragraph = Paragraph::new(lines).wrap(Wrap { trim: false });
        let height = paragraph.line_count(width.saturating_sub(2)) as u16 + 2;
        let rect = centered(area, width, height, buf);
        // Where each field is drawn (inside the border), for a click.
        *self.hits.borrow_mut() = fields
            .into_iter()
            .filter_map(|(line, field)| {
                let y = rect.y + 1 + *moved.get(line)? as u16;
                (y + 1 < rect.y + rect.height).then(|| {
                    (
                        Rect::new(rect.x + 1, y, rect.width.saturating_sub(2), 1),
                        field,
                    )
                })
            })
            .collect();
        paragraph
            .block(crate::tui::screens::boxed(self.dialog.kind.title()))
            .render(rect, buf);
    }
}
