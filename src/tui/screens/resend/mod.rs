//! The resend dialog: the ClientMetadata editor, the optional fields, confirm, send, result.

use std::collections::{BTreeMap, HashMap};
use std::net::IpAddr;

use crate::tui::keymap::Command;
use chrono::{DateTime, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::cognito::{ApiError, Delivery, ResendOptions, User, UserContext};
use crate::tui::input::TextField;
use crate::tui::run::Run;

mod keys;
mod view;

pub use view::{DialogView, field_spans};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MetaRow {
    pub key: TextField,
    pub value: TextField,
}

/// What the focus can rest on, top to bottom.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slot {
    Ticket,
    Meta(usize),
    AddRow,
    Advanced,
    Analytics,
    Ip,
    EncodedData,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Key,
    Value,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Edit {
    Meta {
        row: usize,
        part: Part,
        before: MetaRow,
        added: bool,
    },
    Field {
        slot: Slot,
        before: TextField,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Phase {
    Draft,
    /// `s` was pressed while the AdminGetUser check was still out: its answer decides.
    AwaitingCheck,
    Confirming,
    /// The send, a run of one.
    Sending(Run),
    Sent(Delivery),
    Failed {
        error: ApiError,
        /// When the failure came: for "may have been sent at 14:02:31".
        at: DateTime<Utc>,
    },
}

/// What a fresh AdminGetUser said about the user since the dialog opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fresh {
    Checking,
    Checked(Box<User>),
    /// The check failed (for example no cognito-idp:AdminGetUser permission): sending still works.
    Unknown(ApiError),
    /// Cognito has no such user any more (deleted by a colleague or a prune): nothing to send.
    Gone,
}

impl ResendDialog {
    /// Who else is on this user, when a colleague is.
    pub fn colleague_text(&self) -> Option<&str> {
        match &self.colleague {
            Some(Ok(Some(who))) => Some(who),
            _ => None,
        }
    }
}

impl Fresh {
    pub fn status(&self) -> Option<&str> {
        match self {
            Fresh::Checked(user) => Some(&user.status),
            _ => None,
        }
    }
}

/// What the app must do after a key in the dialog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Stay,
    Close,
    Send(ResendOptions),
    /// After a send: put the reply for the ticket on the clipboard.
    CopyReply,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResendDialog {
    pub username: String,
    pub display_name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub enabled: bool,
    /// The support ticket: recorded in the audit log, and sent under `ticket_key` if set.
    pub ticket: TextField,
    pub ticket_key: Option<String>,
    pub rows: Vec<MetaRow>,
    /// Keys the pool requires a value for.
    pub required: Vec<String>,
    pub analytics: TextField,
    pub ip: TextField,
    pub encoded_data: TextField,
    pub advanced_open: bool,
    pub focus: Slot,
    pub edit: Option<Edit>,
    pub phase: Phase,
    /// Why the last send was refused, shown until the next key.
    pub notice: Option<String>,
    pub fresh: Fresh,
    /// What services beyond Cognito say about this user (SES, SNS, the delivery logs), once
    /// asked: `None` while the answer is out or when there is nothing to ask.
    pub evidence: Option<Vec<crate::cognito::diagnostics::Check>>,
    /// The watch of the delivery logs after a send: its id, and its latest read.
    pub watch: Option<(u64, Option<crate::evidence::Watched>)>,
    /// Who else is on this user, once the claim has answered: `Ok(None)` nobody, `Ok(Some)` a
    /// colleague ("alice has had this user open since 14:02 (T-1001)"), `Err` the store could
    /// not say.
    pub colleague: Option<Result<Option<String>, String>>,
    /// When the claim was last made (renewed while the dialog stays open).
    pub claimed_at: Option<chrono::DateTime<chrono::Utc>>,
}

impl ResendDialog {
    pub fn new(
        user: &User,
        defaults: &BTreeMap<String, String>,
        required: &[String],
        analytics_endpoint_id: Option<&str>,
        ticket_key: Option<&str>,
    ) -> Self {
        let mut rows: Vec<MetaRow> = defaults
            .iter()
            .map(|(k, v)| MetaRow {
                key: TextField::new(k),
                value: TextField::new(v),
            })
            .collect();
        // A required key the defaults lack starts as an empty pair to fill.
        for key in required {
            if !defaults.contains_key(key) && Some(key.as_str()) != ticket_key {
                rows.push(MetaRow {
                    key: TextField::new(key),
                    value: TextField::default(),
                });
            }
        }
        Self {
            username: user.username.clone(),
            display_name: user.display_name(),
            email: user.email().map(str::to_string),
            phone: user.phone().map(str::to_string),
            enabled: user.enabled,
            ticket: TextField::default(),
            ticket_key: ticket_key.map(str::to_string),
            focus: Slot::Ticket,
            rows,
            required: required.to_vec(),
            analytics: TextField::new(analytics_endpoint_id.unwrap_or_default()),
            ip: TextField::default(),
            encoded_data: TextField::default(),
            advanced_open: false,
            edit: None,
            phase: Phase::Draft,
            notice: None,
            fresh: Fresh::Checking,
            evidence: None,
            watch: None,
            colleague: None,
            claimed_at: None,
        }
    }

    pub fn slots(&self) -> Vec<Slot> {
        let mut slots = vec![Slot::Ticket];
        slots.extend((0..self.rows.len()).map(Slot::Meta));
        slots.extend([Slot::AddRow, Slot::Advanced]);
        if self.advanced_open {
            slots.extend([Slot::Analytics, Slot::Ip, Slot::EncodedData]);
        }
        slots
    }

    fn pairs(&self) -> Vec<(&str, &str)> {
        self.rows
            .iter()
            .map(|r| (r.key.value(), r.value.value()))
            .collect()
    }

    fn rules(&self) -> crate::ops::metadata::Rules<'_> {
        crate::ops::metadata::Rules {
            required: &self.required,
            ticket_key: self.ticket_key.as_deref(),
        }
    }

    /// An inline problem with a metadata row (the operations' ClientMetadata rules): an empty
    /// or a repeated key, the ticket's key, an empty value.
    pub fn row_problem(&self, row: usize) -> Option<&'static str> {
        crate::ops::metadata::pair_problems(&self.pairs(), self.rules())
            .get(row)?
            .as_ref()
            .map(crate::ops::metadata::Problem::short)
    }

    /// Required keys that no row fills, and a required ticket key while the Ticket field is
    /// empty.
    pub fn missing_required(&self) -> Vec<String> {
        crate::ops::metadata::missing(&self.pairs(), self.rules(), Some(self.ticket.value()))
    }

    pub fn ip_problem(&self) -> Option<&'static str> {
        let ip = self.ip.value().trim();
        (!ip.is_empty() && ip.parse::<IpAddr>().is_err()).then_some("not an IP address")
    }

    pub fn problems(&self) -> usize {
        (0..self.rows.len())
            .filter(|r| self.row_problem(*r).is_some())
            .count()
            + usize::from(self.ip_problem().is_some())
            + self.missing_required().len()
    }

    /// The AdminGetUser check came back. It decides a send that was waiting for it, and an
    /// answer that the user is no longer UNCONFIRMED cancels a pending confirmation.
    pub fn checked(&mut self, fresh: Fresh) {
        if let Fresh::Checked(user) = &fresh {
            self.enabled = user.enabled;
            self.email = user.email().map(str::to_string);
            self.phone = user.phone().map(str::to_string);
        }
        let still_pending = match &fresh {
            Fresh::Checked(user) => user.is_unconfirmed(),
            Fresh::Gone => false,
            Fresh::Unknown(_) | Fresh::Checking => true,
        };
        self.fresh = fresh;
        match self.phase {
            Phase::AwaitingCheck if still_pending => self.phase = Phase::Confirming,
            Phase::AwaitingCheck | Phase::Confirming if !still_pending => {
                self.phase = Phase::Draft;
                self.notice = self.not_pending_notice();
            }
            _ => {}
        }
    }

    fn not_pending_notice(&self) -> Option<String> {
        match &self.fresh {
            Fresh::Checked(user) if !user.is_unconfirmed() => Some(format!(
                "Cognito now reports {}: there is no code to resend",
                crate::text::sanitize(&user.status)
            )),
            Fresh::Gone => Some(
                "the user is no longer in the pool (deleted by a colleague or a prune): nothing \
                 to send"
                    .into(),
            ),
            _ => None,
        }
    }

    /// Pasted text goes into the field being edited, as text; `false` when no field is.
    pub fn paste(&mut self, text: &str) -> bool {
        if !matches!(self.phase, Phase::Draft | Phase::Failed { .. }) {
            return false;
        }
        match self.edit.clone() {
            Some(Edit::Meta { row, part, .. }) => {
                let pair = &mut self.rows[row];
                match part {
                    Part::Key => pair.key.paste(text),
                    Part::Value => pair.value.paste(text),
                }
                true
            }
            Some(Edit::Field { slot, .. }) => {
                if let Some(field) = self.field_mut(slot) {
                    field.paste(text);
                }
                true
            }
            None => false,
        }
    }

    pub fn is_sending(&self) -> bool {
        matches!(self.phase, Phase::Sending { .. })
    }

    pub fn options(&self) -> ResendOptions {
        let trimmed = |f: &TextField| Some(f.value().trim().to_string()).filter(|v| !v.is_empty());
        let client_metadata: HashMap<String, String> = self
            .rows
            .iter()
            .map(|r| {
                (
                    r.key.value().trim().to_string(),
                    r.value.value().to_string(),
                )
            })
            .collect();
        ResendOptions {
            client_metadata: client_metadata.into_iter().collect(),
            analytics_endpoint_id: trimmed(&self.analytics),
            user_context: UserContext {
                ip_address: trimmed(&self.ip),
                encoded_data: trimmed(&self.encoded_data),
            },
        }
    }

    pub fn field(&self, slot: Slot) -> Option<&TextField> {
        match slot {
            Slot::Ticket => Some(&self.ticket),
            Slot::Analytics => Some(&self.analytics),
            Slot::Ip => Some(&self.ip),
            Slot::EncodedData => Some(&self.encoded_data),
            _ => None,
        }
    }

    fn field_mut(&mut self, slot: Slot) -> Option<&mut TextField> {
        match slot {
            Slot::Ticket => Some(&mut self.ticket),
            Slot::Analytics => Some(&mut self.analytics),
            Slot::Ip => Some(&mut self.ip),
            Slot::EncodedData => Some(&mut self.encoded_data),
            _ => None,
        }
    }

    /// A key, and the command the keymap's `dialog` screen gives it (outside a field; the
    /// confirmation's `y`/`n` are fixed).
    pub fn handle_key(&mut self, key: KeyEvent, command: Option<Command>) -> Outcome {
        self.notice = None;
        // Alt-s, Ctrl-y and the like never act as the bare letter.
        let bare = !key
            .modifiers
            .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT | KeyModifiers::SUPER);
        match &self.phase {
            Phase::Sending { .. } => Outcome::Stay,
            Phase::Sent(_) => match (key.code, command) {
                (KeyCode::Enter, _) | (_, Some(Command::Close)) => Outcome::Close,
                (_, Some(Command::CopyReply)) => Outcome::CopyReply,
                _ => Outcome::Stay,
            },
            // Only a bare `y` sends: not Enter, not a paste, not Ctrl-y.
            Phase::Confirming => match key.code {
                KeyCode::Char('y') if bare => Outcome::Send(self.options()),
                KeyCode::Char('n') if bare => self.back_to_draft(),
                KeyCode::Esc => self.back_to_draft(),
                _ => Outcome::Stay,
            },
            Phase::AwaitingCheck => match key.code {
                KeyCode::Char('n') if bare => self.back_to_draft(),
                KeyCode::Esc => self.back_to_draft(),
                _ => Outcome::Stay,
            },
            Phase::Draft | Phase::Failed { .. } => {
                if self.edit.is_some() {
                    self.handle_edit_key(key);
                    Outcome::Stay
                } else {
                    self.handle_draft_command(command)
                }
            }
        }
    }

    fn back_to_draft(&mut self) -> Outcome {
        self.phase = Phase::Draft;
        Outcome::Stay
    }

    fn handle_draft_command(&mut self, command: Option<Command>) -> Outcome {
        match command {
            // Closing keeps the draft; inside a field `q` is a letter (handled above).
            Some(Command::Close) => return Outcome::Close,
            // `s`, or Ctrl-S as in editors.
            Some(Command::Send) => self.request_send(),
            Some(Command::Up) => self.move_focus(-1),
            Some(Command::Down) => self.move_focus(1),
            Some(Command::AddPair) => self.add_row(),
            Some(Command::DeletePair) => self.delete_row(),
            Some(Command::Optional) => self.toggle_advanced(),
            Some(Command::Edit) => self.activate(),
            _ => {}
        }
        Outcome::Stay
    }

    fn request_send(&mut self) {
        if let Some(notice) = self.not_pending_notice() {
            self.notice = Some(notice);
            return;
        }
        let missing = self.missing_required();
        if !missing.is_empty() {
            self.notice = Some(format!(
                "this pool requires {}",
                missing
                    .iter()
                    .map(|k| if self.ticket_key.as_deref() == Some(k.as_str()) {
                        "a Ticket".to_string()
                    } else {
                        format!("ClientMetadata {k}: add it with a")
                    })
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
            return;
        }
        let problems = self.problems();
        if problems > 0 {
            self.notice = Some(format!(
                "fix the {problems} flagged field{} before sending",
                if problems == 1 { "" } else { "s" }
            ));
            return;
        }
        // The freshness check gates the send: wait for its answer when it is still out.
        self.phase = if self.fresh == Fresh::Checking {
            Phase::AwaitingCheck
        } else {
            Phase::Confirming
        };
    }

    fn move_focus(&mut self, delta: isize) {
        let slots = self.slots();
        let at = slots.iter().position(|s| *s == self.focus).unwrap_or(0);
        let next = at.saturating_add_signed(delta).min(slots.len() - 1);
        self.focus = slots[next];
    }

    fn add_row(&mut self) {
        self.rows.push(MetaRow {
            key: TextField::default(),
            value: TextField::default(),
        });
        let row = self.rows.len() - 1;
        self.focus = Slot::Meta(row);
        self.edit = Some(Edit::Meta {
            row,
            part: Part::Key,
            before: self.rows[row].clone(),
            added: true,
        });
    }

    fn delete_row(&mut self) {
        if let Slot::Meta(row) = self.focus {
            self.rows.remove(row);
            self.focus = if self.rows.is_empty() {
                Slot::AddRow
            } else {
                Slot::Meta(row.min(self.rows.len() - 1))
            };
        }
    }

    fn toggle_advanced(&mut self) {
        self.advanced_open = !self.advanced_open;
        if !self.advanced_open
            && matches!(self.focus, Slot::Analytics | Slot::Ip | Slot::EncodedData)
        {
            self.focus = Slot::Advanced;
        }
    }

    fn activate(&mut self) {
        match self.focus {
            Slot::Meta(row) => {
                self.edit = Some(Edit::Meta {
                    row,
                    part: Part::Key,
                    before: self.rows[row].clone(),
                    added: false,
                });
            }
            Slot::AddRow => self.add_row(),
            Slot::Advanced => self.toggle_advanced(),
            slot => {
                if let Some(field) = self.field(slot) {
                    self.edit = Some(Edit::Field {
                        slot,
                        before: field.clone(),
                    });
                }
            }
        }
    }

    fn handle_edit_key(&mut self, key: KeyEvent) {
        let Some(edit) = self.edit.clone() else {
            return;
        };
        match (edit, key.code) {
            (
                Edit::Meta {
                    row, before, added, ..
                },
                KeyCode::Esc,
            ) => {
                if added {
                    self.rows.remove(row);
                    self.focus = if self.rows.is_empty() {
                        Slot::AddRow
                    } else {
                        Slot::Meta(row.saturating_sub(1))
                    };
                } else {
                    self.rows[row] = before;
                }
                self.edit = None;
            }
            (
                Edit::Meta {
                    row,
                    part: Part::Key,
                    before,
                    added,
                },
                KeyCode::Tab | KeyCode::Enter,
            ) => {
                self.edit = Some(Edit::Meta {
                    row,
                    part: Part::Value,
                    before,
                    added,
                });
            }
            (
                Edit::Meta {
                    row,
                    part: Part::Value,
                    before,
                    added,
                },
                KeyCode::BackTab,
            ) => {
                self.edit = Some(Edit::Meta {
                    row,
                    part: Part::Key,
                    before,
                    added,
                });
            }
            (
                Edit::Meta {
                    part: Part::Value, ..
                },
                KeyCode::Tab | KeyCode::Enter,
            ) => self.edit = None,
            (Edit::Meta { row, part, .. }, _) => {
                let row = &mut self.rows[row];
                match part {
                    Part::Key => row.key.handle(key),
                    Part::Value => row.value.handle(key),
                };
            }
            (Edit::Field { slot, before }, KeyCode::Esc) => {
                if let Some(field) = self.field_mut(slot) {
                    *field = before;
                }
                self.edit = None;
            }
            (Edit::Field { .. }, KeyCode::Enter | KeyCode::Tab) => self.edit = None,
            (Edit::Field { slot, .. }, _) => {
                if let Some(field) = self.field_mut(slot) {
                    field.handle(key);
                }
            }
        }
    }
}
