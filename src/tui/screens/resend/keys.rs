//! The resend dialog's keys: opening it for a user (or what applies instead), the fresh look,
//! the keys, and the answer of the send (a run of one). The state is `mod.rs`, the view `view.rs`.

use chrono::{DateTime, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::cognito::{ApiError, Delivery, ErrorKind, User};
use crate::ops::bulk::Step;
use crate::ops::{Action, Answer, Request};
use crate::tui::app::*;
use crate::tui::keymap::{Command, Screen};
use crate::tui::screens::action::ActionKind;
use crate::tui::screens::resend::{Fresh, Outcome, Phase, ResendDialog};

impl App {
    /// The one step of a resend dialog's run: its answer is the dialog's.
    pub(crate) fn on_sent(
        &mut self,
        id: u64,
        pool: String,
        step: Step,
        audit_warning: Option<String>,
        at: DateTime<Utc>,
    ) -> Vec<Effect> {
        if let Some(warning) = audit_warning {
            self.toast = Some(warning);
        }
        let username = step.username().to_string();
        let result = match step {
            Step::Done {
                answer: Answer::Delivered(delivery),
                ..
            } => Ok(delivery),
            Step::Done { .. } => Err(ApiError::local(
                crate::cognito::Operation::Resend,
                ErrorKind::Other,
                "no delivery details in the answer",
            )),
            Step::Skipped { error, .. } | Step::Failed { error, .. } => Err(error),
        };
        if self.quitting {
            self.exit_summary = Some(match &result {
                Ok(d) => format!("{}: {d}", crate::text::sanitize(&username)),
                Err(e) => format!(
                    "{}: {}: {}\nhint: {}",
                    crate::text::sanitize(&username),
                    crate::text::sanitize(&e.code),
                    crate::text::sanitize(&e.message),
                    e.hint()
                ),
            });
            self.should_quit = true;
        }
        let mut effects = vec![self.load_history(pool.clone())];
        effects.extend(self.on_resent(id, pool, username, at, result));
        effects
    }

    /// The answer to a send; a code that went out is watched in the delivery logs.
    fn on_resent(
        &mut self,
        id: u64,
        pool: String,
        username: String,
        at: DateTime<Utc>,
        result: Result<Delivery, ApiError>,
    ) -> Vec<Effect> {
        let key = (pool, username);
        let mut result = result;
        match &mut result {
            Ok(delivery) => {
                let record = ResendRecord {
                    at,
                    delivery: delivery.clone(),
                };
                self.drafts.remove(&key);
                self.unknown_outcomes.remove(&key);
                self.resent.insert(key.clone(), record);
            }
            Err(err) if err.outcome_unknown() => {
                self.unknown_outcomes.insert(key.clone(), at);
            }
            Err(err) => {
                // Cognito says only "not authorized"; the dialog knows the account is disabled.
                if err.kind == ErrorKind::NotAuthorized
                    && matches!(&self.mode, Mode::Dialog(d) if d.username == key.1 && !d.enabled)
                {
                    err.kind = ErrorKind::UserDisabled;
                }
            }
        }
        if let Mode::Dialog(dialog) = &mut self.mode
            && matches!(&dialog.phase, Phase::Sending(run) if run.id == id)
        {
            let sent = result.is_ok();
            // Refused for a colleague: the next confirmation asks for the deliberate O.
            if let Err(err) = &result
                && err.kind == ErrorKind::ColleagueOnUser
            {
                dialog.colleague = Some(Ok(Some(
                    err.message
                        .trim_end_matches(": nothing was done")
                        .to_string(),
                )));
            }
            dialog.phase = match result {
                Ok(delivery) => Phase::Sent(delivery),
                Err(err) => Phase::Failed { error: err, at },
            };
            if sent {
                self.next_request += 1;
                let watch = self.next_request;
                dialog.watch = Some((watch, None));
                return vec![Effect::Watch {
                    id: watch,
                    pool: key.0,
                    username: key.1,
                    since: at - chrono::Duration::seconds(5),
                    redact: self.redact,
                }];
            }
        }
        Vec::new()
    }

    pub(crate) fn on_user_fetched(
        &mut self,
        pool: &str,
        username: &str,
        result: Result<User, ApiError>,
    ) -> Vec<Effect> {
        if pool != self.current_pool().name {
            return Vec::new();
        }
        // The dialog's Evidence line: what SES, SNS and the logs say of a user who exists.
        let exists = result.is_ok();
        let result = result.map(|u| if self.redact { u.redacted() } else { u });
        let fresh = match result {
            Ok(user) => {
                let fresh = Fresh::Checked(Box::new(user.clone()));
                if self.users.contains(&user.username) {
                    self.replace_user(user);
                }
                fresh
            }
            Err(err) if err.kind == ErrorKind::UserNotFound => Fresh::Gone,
            Err(err) => Fresh::Unknown(err),
        };
        let redact = self.redact;
        if let Some(dialog) = self.resend_dialog_of(username) {
            dialog.checked(fresh);
            if exists && dialog.evidence.is_none() {
                return vec![Effect::Evidence {
                    pool: pool.to_string(),
                    username: username.to_string(),
                    redact,
                }];
            }
        }
        Vec::new()
    }

    /// The resend dialog for this user, open or parked behind `D`.
    pub(crate) fn resend_dialog_of(&mut self, username: &str) -> Option<&mut ResendDialog> {
        match &mut self.mode {
            Mode::Dialog(dialog) => Some(dialog),
            _ => self.parked.as_mut(),
        }
        .filter(|d| d.username == username)
        .map(|d| &mut **d)
    }

    pub(crate) fn open_dialog(&mut self) -> Vec<Effect> {
        match self.users.selected_user().cloned() {
            Some(user) => self.open_dialog_for(user),
            None => Vec::new(),
        }
    }

    /// The resend dialog (or the invitation, or why neither applies) for this user: a dialog is
    /// bound to its user when it opens, whatever the selection does after.
    pub(crate) fn open_dialog_for(&mut self, user: User) -> Vec<Effect> {
        let user = &user;
        if self.is_read_only() {
            self.toast = Some(READ_ONLY.into());
            return Vec::new();
        }
        if user.status.kind() == crate::cognito::Status::ForceChangePassword {
            let user = user.clone();
            let dialog = self.action_dialog(ActionKind::Invite, vec![user]);
            return self.open_action(dialog);
        }
        if !user.is_unconfirmed() {
            let (title, lines) = not_applicable(&user.username, &user.status);
            self.mode = Mode::Notice(NoticeScreen { title, lines });
            return Vec::new();
        }
        let pool = &self.pools[self.pool];
        let key = (pool.name.clone(), user.username.clone());
        let fresh = || {
            Box::new(ResendDialog::new(
                user,
                &pool.client_metadata,
                &pool.required_metadata,
                pool.analytics_endpoint_id.as_deref(),
                pool.ticket_metadata_key.as_deref(),
            ))
        };
        let mut dialog = match self.drafts.remove(&key) {
            Some(draft) => draft,
            None => fresh(),
        };
        // A draft's look and evidence are old: both are asked again.
        dialog.fresh = Fresh::Checking;
        dialog.evidence = None;
        dialog.watch = None;
        dialog.colleague = None;
        let dialog_ticket = dialog.ticket.value().trim().to_string();
        dialog.enabled = user.enabled;
        let (pool, username) = key;
        self.mode = Mode::Dialog(dialog);
        // The list may be minutes old: ask Cognito whether the user is still unconfirmed, and
        // read the audit log again for sends made elsewhere since.
        let ticket = Some(dialog_ticket).filter(|t| !t.is_empty());
        let mut effects = vec![
            Effect::FetchUser {
                pool: pool.clone(),
                username: username.clone(),
            },
            Effect::Claim {
                pool: pool.clone(),
                username,
                ticket,
            },
        ];
        effects.extend(self.pool_facts(false));
        effects
    }

    pub(crate) fn on_dialog_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        let limit = match &self.mode {
            Mode::Dialog(d) => self.hourly_limit(&d.username),
            _ => None,
        };
        let reply = match &self.mode {
            Mode::Dialog(d) => match &d.phase {
                Phase::Sent(delivery) => Some(self.reply_for(&d.username, delivery)),
                _ => None,
            },
            _ => None,
        };
        let Mode::Dialog(dialog) = &mut self.mode else {
            return Vec::new();
        };
        let bare = !key
            .modifiers
            .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT | KeyModifiers::SUPER);
        // Outside a field, a key is the keymap's (`[keys.dialog]`).
        let command = if dialog.edit.is_none() {
            self.keymap.command(Screen::Dialog, &key)
        } else {
            None
        };
        // `D`, as the Pool line says: the pool's checks, then back to this dialog.
        if command == Some(Command::Checks)
            && dialog.edit.is_none()
            && matches!(
                dialog.phase,
                Phase::Draft | Phase::Failed { .. } | Phase::Sent(_)
            )
        {
            let Mode::Dialog(dialog) = std::mem::replace(
                &mut self.mode,
                Mode::Diagnostics(DiagnosticsScreen { scroll: 0 }),
            ) else {
                return Vec::new();
            };
            self.parked = Some(dialog);
            return self.pool_facts(false);
        }
        // The fixes the Evidence line offers: `u` takes the address off SES's suppression list,
        // `o` opts the number back in; each in its own guarded dialog, then `r` sends a code.
        if dialog.edit.is_none()
            && matches!(
                dialog.phase,
                Phase::Draft | Phase::Failed { .. } | Phase::Sent(_)
            )
        {
            let checks = dialog.evidence.as_deref().unwrap_or_default();
            let fix = match command {
                Some(Command::Unsuppress) if crate::evidence::fixable(checks, "ses_suppressed") => {
                    Some(ActionKind::Unsuppress)
                }
                Some(Command::OptIn) if crate::evidence::fixable(checks, "sms_opted_out") => {
                    Some(ActionKind::SmsOptIn)
                }
                _ => None,
            };
            if let Some(kind) = fix {
                return self.open_fix(kind);
            }
        }
        // Five resends in the last hour: Cognito will refuse, so `y` does not send; only an
        // explicit `F` does.
        let mut force = false;
        if dialog.phase == Phase::Confirming
            && let Some(until) = limit
        {
            match key.code {
                KeyCode::Char('y') if bare => {
                    dialog.notice = Some(format!(
                        "Cognito will refuse until {}: press F to send anyway",
                        self.zone.clock(until)
                    ));
                    return Vec::new();
                }
                KeyCode::Char('F') if bare => force = true,
                _ => {}
            }
        }
        // A colleague is on this user (their dialog is open, or they sent a code in the last
        // 15 minutes): `y` says who, and only a deliberate `O` goes on.
        let mut over_colleague = false;
        if dialog.phase == Phase::Confirming
            && let Some(who) = dialog.colleague_text()
        {
            match key.code {
                KeyCode::Char('y') if bare && !force => {
                    dialog.notice = Some(format!("{who}: press O to send anyway"));
                    return Vec::new();
                }
                KeyCode::Char('O') if bare => over_colleague = true,
                _ => {}
            }
        }
        let outcome = if force || over_colleague {
            dialog.notice = None;
            Outcome::Send(dialog.options())
        } else {
            dialog.handle_key(key, command)
        };
        self.dialog_outcome(outcome, force, over_colleague, reply)
    }

    /// Leaves the resend dialog (kept as a draft, its evidence to be asked again) for a fix's
    /// action dialog on the same user.
    fn open_fix(&mut self, kind: ActionKind) -> Vec<Effect> {
        let Mode::Dialog(mut dialog) = std::mem::replace(&mut self.mode, Mode::Browse) else {
            return Vec::new();
        };
        let user = match &dialog.fresh {
            Fresh::Checked(user) => Some((**user).clone()),
            _ => self
                .users
                .all()
                .find(|u| u.username == dialog.username)
                .cloned(),
        };
        if !matches!(dialog.phase, Phase::Sent(_)) {
            dialog.phase = Phase::Draft;
            dialog.evidence = None;
            let key = (self.pools[self.pool].name.clone(), dialog.username.clone());
            self.drafts.insert(key, dialog);
        }
        match user {
            Some(user) => {
                let action = self.action_dialog(kind, vec![user]);
                self.open_action(action)
            }
            None => Vec::new(),
        }
    }

    fn dialog_outcome(
        &mut self,
        outcome: Outcome,
        force: bool,
        over_colleague: bool,
        reply: Option<String>,
    ) -> Vec<Effect> {
        let Mode::Dialog(dialog) = &mut self.mode else {
            return Vec::new();
        };
        match outcome {
            Outcome::CopyReply => match reply {
                Some(text) => {
                    self.toast = Some(
                        "reply copied to the clipboard (OSC 52: the terminal must allow it)".into(),
                    );
                    vec![Effect::Copy(text)]
                }
                None => Vec::new(),
            },
            Outcome::Stay => Vec::new(),
            Outcome::Close => {
                let Mode::Dialog(mut dialog) = std::mem::replace(&mut self.mode, Mode::Browse)
                else {
                    return Vec::new();
                };
                // Closing the dialog ends its watch, and lets go of the user.
                let mut stop: Vec<Effect> = match &dialog.watch {
                    Some((id, seen)) if !seen.as_ref().is_some_and(|s| s.is_over()) => {
                        vec![Effect::Stop { id: *id }]
                    }
                    _ => Vec::new(),
                };
                if dialog.colleague.is_some() {
                    stop.push(Effect::Release {
                        pool: self.pools[self.pool].name.clone(),
                        username: dialog.username.clone(),
                    });
                }
                if !matches!(dialog.phase, Phase::Sent(_)) {
                    // Keep what the operator typed for the next time this user is opened.
                    dialog.phase = Phase::Draft;
                    let key = (self.pools[self.pool].name.clone(), dialog.username.clone());
                    self.drafts.insert(key, dialog);
                }
                stop
            }
            Outcome::Send(options) => {
                self.next_request += 1;
                let id = self.next_request;
                dialog.phase = Phase::Sending(crate::tui::run::Run::new(id, 1));
                let ticket = dialog.ticket.value().trim().to_string();
                let mut request = Request::new(dialog.username.clone(), Action::Resend(options))
                    .ticket((!ticket.is_empty()).then_some(ticket));
                request.force = force;
                request.over_colleague = over_colleague;
                // The dialog stays open: it keeps the user claimed, and lets go on closing.
                request.keep_claim = true;
                let pool = self.pools[self.pool].name.clone();
                self.dialog_sends.insert(id, pool.clone());
                // A run of one, through the same runner as a bulk run.
                vec![Effect::Act {
                    id,
                    pool,
                    requests: vec![request],
                }]
            }
        }
    }
}

/// Why a resend does not apply to this user, and what does (the operations' one piece of
/// advice per status).
fn not_applicable(username: &str, status: &crate::cognito::UserStatus) -> (String, Vec<String>) {
    let name = crate::text::sanitize(username).into_owned();
    let mut lines = vec![format!(
        "{name} is {}: only UNCONFIRMED users get a confirmation code.",
        crate::text::sanitize(status)
    )];
    let advice = crate::ops::advice(status, username);
    if !advice.is_empty() {
        lines.push(advice);
    }
    (format!("Resend does not apply to {status} users"), lines)
}
