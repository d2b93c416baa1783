//! The admin actions in the UI: invite again, confirm, fix the address, delete, and bulk resend
//! or delete on the marked users. One dialog for all of them: a few fields, then a confirmation
//! (a bare `y` for one user; the typed count or username for anything destructive or bulk,
//! never a paste), then progress and a summary.

use std::collections::BTreeMap;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::cognito::{DeliveryMedium, User};
use crate::ops::Contact;
use crate::ops::bulk::Tally;
use crate::tui::input::TextField;
use crate::tui::keymap::Command;
pub use crate::tui::run::Run;

mod keys;
mod view;

pub use view::ActionView;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActionKind {
    Invite,
    Confirm,
    SetContact,
    Delete,
    BulkResend,
    Disable,
    Enable,
    /// Take the user's email off SES's suppression list (the evidence found it there).
    Unsuppress,
    /// Opt the user's number back in to SMS (it replied STOP).
    SmsOptIn,
}

impl ActionKind {
    pub fn title(self) -> &'static str {
        match self {
            ActionKind::Invite => "Invite again",
            ActionKind::Confirm => "Confirm without a code",
            ActionKind::SetContact => "Fix the email or phone number",
            ActionKind::Delete => "Delete",
            ActionKind::BulkResend => "Resend confirmation codes",
            ActionKind::Disable => "Disable",
            ActionKind::Enable => "Enable",
            ActionKind::Unsuppress => "Remove from the SES suppression list",
            ActionKind::SmsOptIn => "Opt the number back in to SMS",
        }
    }

    /// Whether the Reason field must be filled (it goes to the audit log).
    pub fn needs_reason(self) -> bool {
        matches!(
            self,
            ActionKind::Confirm | ActionKind::Delete | ActionKind::Disable | ActionKind::Enable
        )
    }

    /// Whether a code is offered (`r`) once it is done: the address is fixed or reachable again.
    pub fn offers_resend(self) -> bool {
        matches!(
            self,
            ActionKind::SetContact | ActionKind::Unsuppress | ActionKind::SmsOptIn
        )
    }

    /// Whether the operator must type the count (or the username) to go on.
    pub fn typed(self, targets: usize) -> bool {
        matches!(self, ActionKind::Delete) || targets > 1
    }
}

/// Which fields the dialog has, top to bottom.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Ticket,
    /// ClientMetadata for the Lambda triggers (invite and bulk resend): `key=value; key=value`.
    Metadata,
    Reason,
    Value,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Medium {
    Email,
    Sms,
    Both,
}

impl Medium {
    pub fn mediums(self) -> Vec<DeliveryMedium> {
        match self {
            Medium::Email => vec![DeliveryMedium::Email],
            Medium::Sms => vec![DeliveryMedium::Sms],
            Medium::Both => vec![DeliveryMedium::Email, DeliveryMedium::Sms],
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Medium::Email => "email",
            Medium::Sms => "SMS",
            Medium::Both => "email and SMS",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ActPhase {
    Draft,
    /// `y` (one user) or the typed text (destructive or bulk) goes on.
    Confirming {
        typed: TextField,
    },
    Running(Run),
    /// The run's tally, with the users left out before it started.
    Finished {
        tally: Tally,
    },
}

/// What the app must do after a key in the dialog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ActOutcome {
    Stay,
    Close,
    Go,
    Stop,
    /// Close, and open the resend dialog for the (one) user.
    Resend,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionDialog {
    pub kind: ActionKind,
    pub targets: Vec<User>,
    pub ticket: TextField,
    pub reason: TextField,
    /// The corrected address (set-contact).
    pub value: TextField,
    pub contact: Contact,
    pub medium: Medium,
    pub verify_phone: bool,
    pub focus: Field,
    pub editing: bool,
    pub phase: ActPhase,
    /// ClientMetadata as typed: `key=value; key=value`, prefilled with the pool's defaults.
    pub metadata: TextField,
    /// The pool's required ClientMetadata keys, and the key the Ticket is sent under.
    required: Vec<String>,
    ticket_key: Option<String>,
    pub notice: Option<String>,
    /// Users left out before any call (the operation's plan), with why.
    pub skipped_before: Vec<(String, String)>,
    /// Marked users the filter hides: named before anything is typed.
    pub hidden: Vec<String>,
    /// Under `--redact`: the current address, masked, named beside an empty field (a masked
    /// value is never written back).
    pub current_masked: Option<String>,
    redact: bool,
    /// A bulk resend by Cognito's own email that would pass the day's 50: said before the go.
    pub quota_warning: Option<String>,
    /// One user: who else is on them ("alice has had this user open since 14:02"), once the
    /// claim has answered; `claimed` once it has (the claim goes when the dialog closes).
    pub colleague: Option<String>,
    pub claimed: bool,
    /// The operator went on past the colleague (`O`).
    pub over_colleague: bool,
}

impl ActionDialog {
    pub fn new(kind: ActionKind, targets: Vec<User>) -> Self {
        let first = targets.first();
        let medium = match first {
            Some(u) if u.email().is_none() && u.phone().is_some() => Medium::Sms,
            _ => Medium::Email,
        };
        let contact = Contact::Email;
        let value = first
            .and_then(|u| u.email())
            .map(TextField::new)
            .unwrap_or_default();
        Self {
            kind,
            targets,
            ticket: TextField::default(),
            reason: TextField::default(),
            value,
            contact,
            medium,
            verify_phone: false,
            focus: Field::Ticket,
            editing: false,
            phase: ActPhase::Draft,
            metadata: TextField::default(),
            required: Vec::new(),
            ticket_key: None,
            notice: None,
            skipped_before: Vec::new(),
            hidden: Vec::new(),
            current_masked: None,
            redact: false,
            quota_warning: None,
            colleague: None,
            claimed: false,
            over_colleague: false,
        }
    }

    /// Under `--redact` the users hold masked addresses: the address field starts empty, and
    /// the masked current one is named beside it.
    pub fn redacted(mut self, redact: bool) -> Self {
        self.redact = redact;
        self.reset_value();
        self
    }

    fn reset_value(&mut self) {
        let current = self
            .targets
            .first()
            .and_then(|u| u.attr(self.contact.attribute()))
            .map(str::to_string);
        if self.redact {
            self.value = TextField::default();
            self.current_masked = current;
        } else {
            self.value = current.as_deref().map(TextField::new).unwrap_or_default();
            self.current_masked = None;
        }
    }

    /// The pool's ClientMetadata: its defaults prefill the Metadata field (a required key
    /// without a default as `key=`, to fill in), its required keys and ticket key are checked.
    pub fn with_pool_metadata(
        mut self,
        defaults: &BTreeMap<String, String>,
        required: &[String],
        ticket_key: Option<&str>,
    ) -> Self {
        let mut pairs: Vec<String> = defaults.iter().map(|(k, v)| format!("{k}={v}")).collect();
        pairs.extend(
            required
                .iter()
                .filter(|k| !defaults.contains_key(*k) && Some(k.as_str()) != ticket_key)
                .map(|k| format!("{k}=")),
        );
        self.metadata = TextField::new(&pairs.join("; "));
        self.required = required.to_vec();
        self.ticket_key = ticket_key.map(str::to_string);
        self
    }

    /// The ClientMetadata to send, or what is wrong with the field (naming the pair): the
    /// field's `key=value; key=value` parsed here, the pairs checked by the operations' rules.
    pub fn client_metadata(&self) -> Result<BTreeMap<String, String>, String> {
        let mut pairs = Vec::new();
        for part in self.metadata.value().split(';') {
            let part = part.trim();
            if part.is_empty() {
                continue;
            }
            let Some(pair) = part.split_once('=') else {
                return Err(format!("metadata \"{part}\": expected key=value"));
            };
            pairs.push(pair);
        }
        let rules = crate::ops::metadata::Rules {
            required: &self.required,
            ticket_key: self.ticket_key.as_deref(),
        };
        crate::ops::metadata::check(&pairs, rules, Some(self.ticket.value())).map_err(|problem| {
            match problem {
                crate::ops::metadata::Problem::Missing(_) => problem.message(),
                _ => format!("metadata {}", problem.message()),
            }
        })
    }

    pub fn fields(&self) -> Vec<Field> {
        match self.kind {
            ActionKind::Invite | ActionKind::BulkResend => vec![Field::Ticket, Field::Metadata],
            ActionKind::Confirm => vec![Field::Ticket, Field::Reason],
            ActionKind::SetContact => vec![Field::Ticket, Field::Value],
            ActionKind::Delete | ActionKind::Disable | ActionKind::Enable => {
                vec![Field::Ticket, Field::Reason]
            }
            ActionKind::Unsuppress | ActionKind::SmsOptIn => vec![Field::Ticket],
        }
    }

    pub fn field(&self, field: Field) -> &TextField {
        match field {
            Field::Ticket => &self.ticket,
            Field::Metadata => &self.metadata,
            Field::Reason => &self.reason,
            Field::Value => &self.value,
        }
    }

    fn field_mut(&mut self, field: Field) -> &mut TextField {
        match field {
            Field::Ticket => &mut self.ticket,
            Field::Metadata => &mut self.metadata,
            Field::Reason => &mut self.reason,
            Field::Value => &mut self.value,
        }
    }

    /// What must be typed to go on: the username for one user, else the count.
    pub fn expected(&self) -> String {
        match self.targets.as_slice() {
            [one] => one.username.clone(),
            many => many.len().to_string(),
        }
    }

    /// The checked new address (set-contact).
    pub fn new_value(&self) -> Result<String, String> {
        self.contact.validate(self.value.value())
    }

    /// Pasted text goes into the field being edited or the typed confirmation? Only the field:
    /// a confirmation is never a paste.
    pub fn paste(&mut self, text: &str) -> bool {
        if self.editing && self.phase == ActPhase::Draft {
            let focus = self.focus;
            self.field_mut(focus).paste(text);
            return true;
        }
        false
    }

    fn problem(&self) -> Option<String> {
        if self.targets.is_empty() {
            return Some("no user to act on".into());
        }
        match self.kind {
            ActionKind::Confirm if self.reason.value().trim().is_empty() => Some(
                "a reason is required: how was the user's identity checked? (it goes to the audit \
                 log)"
                    .into(),
            ),
            kind if kind.needs_reason() && self.reason.value().trim().is_empty() => {
                Some("a reason is required: why? (it goes to the audit log)".into())
            }
            ActionKind::SetContact => self.new_value().err(),
            ActionKind::Invite => {
                crate::ops::invite::applies_to(&self.targets[0], &self.medium.mediums())
                    .err()
                    .map(|e| e.message)
                    .or_else(|| self.client_metadata().err())
            }
            ActionKind::BulkResend => self.client_metadata().err(),
            _ => None,
        }
    }

    /// A key, with the command the keymap's `[keys.action]` makes of it. The keymap drives the
    /// draft and the summary; a field being typed in, the confirmation (a bare `y`, `n`, the
    /// deliberate `O`, or the typed count) and Esc during a run are fixed.
    pub fn handle_key(&mut self, key: KeyEvent, command: Option<Command>) -> ActOutcome {
        let bare = !key
            .modifiers
            .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT | KeyModifiers::SUPER);
        let expected = self.expected();
        match &mut self.phase {
            ActPhase::Running(run) => {
                if key.code == KeyCode::Esc && run.stop().is_some() {
                    return ActOutcome::Stop;
                }
                ActOutcome::Stay
            }
            ActPhase::Finished { tally } => match (key.code, command) {
                (KeyCode::Enter, _) | (_, Some(Command::Close)) => ActOutcome::Close,
                // The address is fixed (or reachable again): offer the code.
                (_, Some(Command::Resend)) if self.kind.offers_resend() && tally.done == 1 => {
                    ActOutcome::Resend
                }
                _ => ActOutcome::Stay,
            },
            ActPhase::Confirming { typed } => {
                let typed_needed = self.kind.typed(self.targets.len());
                match key.code {
                    KeyCode::Esc => {
                        self.phase = ActPhase::Draft;
                        ActOutcome::Stay
                    }
                    // A colleague on the user: `y` says who, a deliberate `O` goes on.
                    KeyCode::Char('y') if bare && !typed_needed && self.colleague.is_some() => {
                        self.notice = self
                            .colleague
                            .as_ref()
                            .map(|who| format!("{who}: press O to go on anyway"));
                        ActOutcome::Stay
                    }
                    KeyCode::Char('O') if bare && !typed_needed && self.colleague.is_some() => {
                        self.over_colleague = true;
                        ActOutcome::Go
                    }
                    KeyCode::Char('y') if bare && !typed_needed => ActOutcome::Go,
                    KeyCode::Char('n') if bare && !typed_needed => {
                        self.phase = ActPhase::Draft;
                        ActOutcome::Stay
                    }
                    KeyCode::Enter if typed_needed => {
                        if typed.value().trim() == expected {
                            ActOutcome::Go
                        } else {
                            self.notice = Some(format!("type {expected} exactly to go on, or Esc"));
                            ActOutcome::Stay
                        }
                    }
                    _ if typed_needed => {
                        typed.handle(key);
                        ActOutcome::Stay
                    }
                    _ => ActOutcome::Stay,
                }
            }
            ActPhase::Draft if self.editing => {
                match key.code {
                    KeyCode::Enter | KeyCode::Esc => self.editing = false,
                    // Tab moves on and keeps typing there (the letters after it are text, never
                    // commands); on the last field it ends the editing.
                    KeyCode::Tab | KeyCode::BackTab => {
                        let fields = self.fields();
                        let at = fields.iter().position(|f| *f == self.focus).unwrap_or(0);
                        let next = if key.code == KeyCode::Tab {
                            fields.get(at + 1)
                        } else {
                            at.checked_sub(1).and_then(|i| fields.get(i))
                        };
                        match next {
                            Some(field) => self.focus = *field,
                            None => self.editing = false,
                        }
                    }
                    _ => {
                        let focus = self.focus;
                        self.field_mut(focus).handle(key);
                    }
                }
                ActOutcome::Stay
            }
            ActPhase::Draft => {
                self.notice = None;
                let fields = self.fields();
                let at = fields.iter().position(|f| *f == self.focus).unwrap_or(0);
                let Some(command) = command else {
                    return ActOutcome::Stay;
                };
                match command {
                    // As in every dialog: `q` closes outside a field.
                    Command::Close => return ActOutcome::Close,
                    Command::Down => {
                        self.focus = fields[(at + 1).min(fields.len() - 1)];
                    }
                    Command::Up => {
                        self.focus = fields[at.saturating_sub(1)];
                    }
                    Command::Edit => self.editing = true,
                    Command::Medium if self.kind == ActionKind::Invite => {
                        self.medium = match self.medium {
                            Medium::Email => Medium::Sms,
                            Medium::Sms => Medium::Both,
                            Medium::Both => Medium::Email,
                        };
                    }
                    Command::VerifyPhone if self.kind == ActionKind::Confirm => {
                        self.verify_phone = !self.verify_phone;
                    }
                    Command::Contact if self.kind == ActionKind::SetContact => {
                        self.contact = match self.contact {
                            Contact::Email => Contact::Phone,
                            Contact::Phone => Contact::Email,
                        };
                        self.reset_value();
                    }
                    Command::Send => match self.problem() {
                        Some(problem) => self.notice = Some(problem),
                        None => {
                            self.phase = ActPhase::Confirming {
                                typed: TextField::default(),
                            }
                        }
                    },
                    _ => {}
                }
                ActOutcome::Stay
            }
        }
    }
}
