//! The action dialog's keys: opening it, its run through the guarded path, and Ctrl-C while
//! writes are out. The state is `mod.rs`, the view `view.rs`; the menu that opens it is
//! `actions_menu.rs`.

use std::collections::{BTreeMap, HashSet};

use crossterm::event::KeyEvent;

use crate::cognito::{ResendOptions, User};
use crate::ops::bulk::{Step, Tally};
use crate::ops::{Action, Request};
use crate::tui::app::*;
use crate::tui::run::Run;
use crate::tui::screens::action::{ActOutcome, ActPhase, ActionDialog, ActionKind};

impl App {
    /// The users an action applies to: the marked ones (in table order), else the selected one;
    /// and the marked ones the filter hides (named in the dialog before anything is typed).
    pub(crate) fn targets(&self) -> (Vec<User>, Vec<String>) {
        if self.users.marked_count() == 0 {
            return (
                self.users.selected_user().cloned().into_iter().collect(),
                Vec::new(),
            );
        }
        let targets: Vec<User> = self.users.marked_users().cloned().collect();
        let shown: HashSet<&str> = self
            .users
            .visible()
            .filter(|u| self.users.is_marked(&u.username))
            .map(|u| u.username.as_str())
            .collect();
        let hidden = targets
            .iter()
            .filter(|u| !shown.contains(u.username.as_str()))
            .map(|u| u.username.clone())
            .collect();
        (targets, hidden)
    }

    /// Whether a write is out: Ctrl-C then waits for its answer.
    pub fn writes_in_flight(&self) -> bool {
        match &self.mode {
            Mode::Dialog(d) => d.is_sending(),
            Mode::Action(d) => matches!(d.phase, ActPhase::Running { .. }),
            _ => false,
        }
    }

    /// Ctrl-C: leave, but never with a write whose outcome is unrecorded. The first Ctrl-C
    /// during a write waits for its answer (a run stops after the call in flight), then leaves
    /// and prints the outcome; a second one leaves at once, the call recorded as `unknown`.
    pub(crate) fn on_interrupt(&mut self) -> Vec<Effect> {
        if !self.writes_in_flight() {
            self.should_quit = true;
            return Vec::new();
        }
        if self.quitting {
            self.abandon = true;
            self.should_quit = true;
            return Vec::new();
        }
        self.quitting = true;
        self.toast = Some(
            "leaving when Cognito answers (up to 30 s) · Ctrl-C again: leave now, the call \
             recorded as unknown"
                .into(),
        );
        match &mut self.mode {
            Mode::Action(d) => match &mut d.phase {
                ActPhase::Running(run) => {
                    run.stop();
                    vec![Effect::Stop { id: run.id }]
                }
                _ => Vec::new(),
            },
            _ => Vec::new(),
        }
    }

    /// Shows an action dialog; one user is claimed while it is open (a colleague on them is
    /// named).
    pub(crate) fn open_action(&mut self, dialog: ActionDialog) -> Vec<Effect> {
        let claim = match dialog.targets.as_slice() {
            [one] if dialog.kind != ActionKind::BulkResend => vec![Effect::Claim {
                pool: self.current_pool().name.clone(),
                username: one.username.clone(),
                ticket: None,
            }],
            _ => Vec::new(),
        };
        self.mode = Mode::Action(Box::new(dialog));
        claim
    }

    /// An action dialog, its Metadata field prefilled from the pool.
    pub(crate) fn action_dialog(&self, kind: ActionKind, targets: Vec<User>) -> ActionDialog {
        let pool = self.current_pool();
        ActionDialog::new(kind, targets)
            .with_pool_metadata(
                &pool.client_metadata,
                &pool.required_metadata,
                pool.ticket_metadata_key.as_deref(),
            )
            .redacted(self.redact)
    }

    /// The resend operation's plan: users who will not get a code (not UNCONFIRMED as listed,
    /// the hourly limit, a code in the last 15 minutes) are left out before the count is typed.
    pub(crate) fn prepare_bulk_resend(&self, dialog: &mut ActionDialog) {
        let candidates = dialog
            .targets
            .iter()
            .map(|u| crate::ops::resend::Candidate {
                username: u.username.clone(),
                seen_status: Some(u.status.clone()),
                seen_disabled: !u.enabled,
            })
            .collect();
        let plan = crate::ops::resend::plan_bulk(
            candidates,
            |name| self.attempts(name).to_vec(),
            &crate::ops::resend::Bulk {
                case_sensitive: self.case_sensitive(),
                ..Default::default()
            },
            self.now,
            self.zone,
        );
        let ready: HashSet<String> = plan.send.into_iter().map(|r| r.username).collect();
        dialog.targets.retain(|u| ready.contains(&u.username));
        // Cognito's own email sends 50 a day for the account: said before the count is typed
        // when these codes would pass what is left (counted from this pool's history: at least).
        if let Some(settings) = self.pool_settings() {
            let caused = self.history.get(&self.current_pool().name).map_or(0, |h| {
                crate::evidence::emails_caused(
                    h.attempts().filter_map(|a| a.outcome.as_ref()),
                    &self.current_pool().region,
                    self.now,
                )
            });
            dialog.quota_warning =
                crate::evidence::quota_warning(settings, caused, dialog.targets.len());
        }
        dialog.skipped_before = plan
            .skip
            .into_iter()
            .map(|s| (s.username, s.reason))
            .collect();
    }

    /// Whether the pool compares usernames case-sensitively (unknown: as the console's
    /// default pools do, case-insensitively).
    pub fn case_sensitive(&self) -> bool {
        self.case_sensitive_pool(&self.current_pool().name)
    }

    pub(crate) fn on_action_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        let Mode::Action(dialog) = &mut self.mode else {
            return Vec::new();
        };
        let command = self
            .keymap
            .command(crate::tui::keymap::Screen::Action, &key);
        match dialog.handle_key(key, command) {
            ActOutcome::Stay => Vec::new(),
            ActOutcome::Close => {
                let refresh =
                    matches!(&dialog.phase, ActPhase::Finished { tally } if tally.done > 0);
                let release: Vec<Effect> = match dialog.targets.as_slice() {
                    [one] if dialog.claimed => vec![Effect::Release {
                        pool: self.pools[self.pool].name.clone(),
                        username: one.username.clone(),
                    }],
                    _ => Vec::new(),
                };
                self.mode = Mode::Browse;
                if refresh {
                    // Confirmed, changed or deleted users: show the pool as it is now (the
                    // filter stays applied to every row that arrives).
                    self.users.clear_marks();
                    let mut effects = self.reload(true);
                    effects.extend(self.pool_facts(false));
                    effects.extend(release);
                    return effects;
                }
                release
            }
            ActOutcome::Stop => match &dialog.phase {
                ActPhase::Running(run) => vec![Effect::Stop { id: run.id }],
                _ => Vec::new(),
            },
            ActOutcome::Go => self.start_action(),
            ActOutcome::Resend => {
                // The dialog's own user, whatever is selected now; it asks Cognito afresh, so
                // it shows the new address.
                let user = dialog.targets.first().cloned();
                self.mode = Mode::Browse;
                let mut effects = self.reload(true);
                if let Some(user) = user {
                    effects.extend(self.open_dialog_for(user));
                }
                effects
            }
        }
    }

    /// The requests for the dialog's action; the operations decide in the backend.
    fn start_action(&mut self) -> Vec<Effect> {
        let pool = self.current_pool().clone();
        let Mode::Action(dialog) = &mut self.mode else {
            return Vec::new();
        };
        let ticket = Some(dialog.ticket.value().trim().to_string()).filter(|t| !t.is_empty());
        let client_metadata = match dialog.kind {
            ActionKind::BulkResend | ActionKind::Invite => match dialog.client_metadata() {
                Ok(pairs) => pairs,
                Err(problem) => {
                    dialog.phase = ActPhase::Draft;
                    dialog.notice = Some(problem);
                    return Vec::new();
                }
            },
            _ => BTreeMap::new(),
        };
        let reason = Some(dialog.reason.value().trim().to_string()).filter(|r| !r.is_empty());
        // Where the fixes are made: the regions the pool's email and SMS go out of.
        let settings = self.pool_settings();
        let ses_region = settings.map_or_else(
            || pool.region.clone(),
            |s| crate::evidence::ses_region(s, &pool.region),
        );
        let sns_region = settings
            .and_then(|s| s.sns_region.clone())
            .unwrap_or_else(|| pool.region.clone());
        let Mode::Action(dialog) = &mut self.mode else {
            return Vec::new();
        };
        let requests: Vec<Request> = dialog
            .targets
            .iter()
            .map(|user| {
                let action = match dialog.kind {
                    ActionKind::Invite => Action::Invite {
                        mediums: dialog.medium.mediums(),
                        client_metadata: client_metadata.clone(),
                    },
                    ActionKind::Confirm => Action::Confirm {
                        reason: reason.clone().unwrap_or_default(),
                        verify_email: true,
                        verify_phone: dialog.verify_phone,
                    },
                    ActionKind::SetContact => Action::SetContact {
                        contact: dialog.contact,
                        value: dialog.value.value().trim().to_string(),
                    },
                    ActionKind::Delete => Action::Delete {
                        reason: reason.clone(),
                        invited: user.status.kind() == crate::cognito::Status::ForceChangePassword,
                        created_before: None,
                    },
                    ActionKind::Disable | ActionKind::Enable => Action::SetEnabled {
                        enable: dialog.kind == ActionKind::Enable,
                        reason: reason.clone().unwrap_or_default(),
                    },
                    // The address and number come from the operation's look at the user.
                    ActionKind::Unsuppress => Action::Unsuppress {
                        region: ses_region.clone(),
                        address: String::new(),
                    },
                    ActionKind::SmsOptIn => Action::SmsOptIn {
                        region: sns_region.clone(),
                        number: String::new(),
                    },
                    ActionKind::BulkResend => Action::Resend(ResendOptions {
                        client_metadata: client_metadata.clone(),
                        analytics_endpoint_id: pool.analytics_endpoint_id.clone(),
                        ..ResendOptions::default()
                    }),
                };
                let mut request = Request::new(user.username.clone(), action)
                    .ticket(ticket.clone())
                    .seen(Some(user.status.clone()));
                request.skip_recent = dialog.kind == ActionKind::BulkResend;
                request.over_colleague = dialog.over_colleague;
                // The dialog holds its user until it closes.
                request.keep_claim = dialog.claimed;
                request
            })
            .collect();
        self.next_request += 1;
        let id = self.next_request;
        dialog.phase = ActPhase::Running(Run::new(id, requests.len()));
        vec![Effect::Act {
            id,
            pool: pool.name,
            requests,
        }]
    }

    pub(crate) fn on_act_progress(&mut self, id: u64, step: Step, audit_warning: Option<String>) {
        let Mode::Action(dialog) = &mut self.mode else {
            return;
        };
        let ActPhase::Running(run) = &mut dialog.phase else {
            return;
        };
        if run.id != id {
            return;
        }
        run.heard(&step, audit_warning.as_deref());
        // The change is made: the dialog, the row and the Details pane show the new address at
        // once (masked under --redact), not after the next refresh.
        if dialog.kind == ActionKind::SetContact
            && let Step::Done { username, .. } = &step
        {
            let value = dialog.value.value().trim().to_string();
            let attribute = dialog.contact.attribute();
            let shown = if self.redact {
                match dialog.contact {
                    crate::ops::Contact::Email => crate::text::mask_email(&value),
                    crate::ops::Contact::Phone => crate::text::mask_phone(&value),
                }
            } else {
                value
            };
            let mut changed = None;
            for target in dialog
                .targets
                .iter_mut()
                .filter(|t| &t.username == username)
            {
                target
                    .attributes
                    .insert(attribute.to_string(), shown.clone());
                changed = Some(target.clone());
            }
            if let Some(user) = changed {
                self.replace_user(user);
            }
        }
    }

    pub(crate) fn on_act_done(&mut self, id: u64, mut tally: Tally) -> Vec<Effect> {
        let pool = self.current_pool().name.clone();
        if let Mode::Action(dialog) = &mut self.mode
            && matches!(&dialog.phase, ActPhase::Running(run) if run.id == id)
        {
            let mut skipped = std::mem::take(&mut dialog.skipped_before);
            skipped.append(&mut tally.skipped);
            tally.skipped = skipped;
            if self.quitting {
                self.exit_summary = Some(tally.summary(dialog.kind.title(), None));
                self.should_quit = true;
            }
            dialog.phase = ActPhase::Finished { tally };
        }
        vec![self.load_history(pool)]
    }
}
