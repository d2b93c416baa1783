//! The rules of every operation, over the in-memory fake Cognito, through the same entry point
//! the TUI and the headless commands use (`Auditor::perform`, `bulk::run`, the plans).
//! `cargo test ops::tests::rule_` lists the table: one test per operation and user state.

use std::collections::BTreeMap;

use chrono::{Duration, Utc};

use super::bulk::{self, Step, Stop};
use super::resend::{self, Candidate, plan_bulk};
use super::*;
use crate::audit::{AuditLog, Outcome, Record};
use crate::cognito::fake::{FakeCognito, Fault};
use crate::cognito::session::PoolSession;
use crate::config::PoolConfig;

fn pool() -> PoolConfig {
    PoolConfig::minimal("test", "eu-west-1_test", "client", "eu-west-1")
}

fn user(name: &str, status: &str) -> User {
    let created = Utc::now() - Duration::days(40);
    User {
        username: name.into(),
        status: status.into(),
        enabled: true,
        created: Some(created),
        modified: Some(created),
        attributes: BTreeMap::from([
            ("email".to_string(), format!("{name}@example.com")),
            ("phone_number".to_string(), "+447700900123".to_string()),
        ])
        .into(),
    }
}

struct Desk {
    fake: FakeCognito,
    session: PoolSession<FakeCognito>,
    auditor: Auditor,
    _dir: tempfile::TempDir,
}

impl Desk {
    fn new(users: Vec<User>) -> Self {
        Self::with(FakeCognito::new(users))
    }

    fn with(fake: FakeCognito) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let log = AuditLog::new(dir.path().join("audit.jsonl"));
        let auditor = Auditor::new(log, crate::audit::Operator::default(), false);
        Self {
            session: PoolSession::new(pool(), fake.clone(), None),
            fake,
            auditor,
            _dir: dir,
        }
    }

    async fn run(&self, request: Request) -> Done<Answer> {
        self.auditor
            .perform(&self.session, request, Zone::utc())
            .await
    }

    fn records(&self) -> Vec<Record> {
        self.auditor.log.read(|_| true).expect("read").0
    }

    fn writes(&self) -> usize {
        [
            Operation::Resend,
            Operation::Invite,
            Operation::Confirm,
            Operation::UpdateAttributes,
            Operation::Delete,
            Operation::Disable,
            Operation::Enable,
            Operation::SesUnsuppress,
            Operation::SmsOptIn,
        ]
        .iter()
        .map(|o| self.fake.count(*o))
        .sum()
    }
}

#[derive(Clone, Copy, Debug)]
enum Op {
    Resend,
    Invite,
    Confirm,
    SetContact,
    Delete,
    DeleteInvited,
    Disable,
    Enable,
    Unsuppress,
    SmsOptIn,
}

impl Op {
    fn action(self) -> Action {
        match self {
            Op::Resend => Action::Resend(ResendOptions::default()),
            Op::Invite => Action::Invite {
                mediums: Vec::new(),
                client_metadata: BTreeMap::new(),
            },
            Op::Confirm => Action::Confirm {
                reason: "identity checked by phone".into(),
                verify_email: true,
                verify_phone: false,
            },
            Op::SetContact => Action::SetContact {
                contact: Contact::Email,
                value: "fixed@corrected.example".into(),
            },
            Op::Delete => Action::Delete {
                reason: Some("a bot".into()),
                invited: false,
                created_before: None,
            },
            Op::DeleteInvited => Action::Delete {
                reason: Some("never signed in".into()),
                invited: true,
                created_before: None,
            },
            Op::Disable | Op::Enable => Action::SetEnabled {
                enable: matches!(self, Op::Enable),
                reason: "bot wave from spam.example".into(),
            },
            // What a front end passes is replaced by what the look finds.
            Op::Unsuppress => Action::Unsuppress {
                region: "eu-west-1".into(),
                address: "someone-else@example.com".into(),
            },
            Op::SmsOptIn => Action::SmsOptIn {
                region: "eu-west-1".into(),
                number: String::new(),
            },
        }
    }

    /// The status the operation is for.
    fn home(self) -> &'static str {
        match self {
            Op::Invite => "FORCE_CHANGE_PASSWORD",
            _ => "UNCONFIRMED",
        }
    }
}

#[derive(Clone, Copy, Debug)]
enum State {
    Unconfirmed,
    Confirmed,
    Invited,
    /// The operation's own status, but the account is disabled.
    Disabled,
    /// Deleted by a colleague since the list was read.
    Gone,
    /// The list showed the operation's status; the user has confirmed since.
    ChangedSinceList,
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Expect {
    Acts,
    Refused(ErrorKind),
}

async fn check(op: Op, state: State, expect: Expect) {
    let (status, seen) = match state {
        State::Unconfirmed => ("UNCONFIRMED", "UNCONFIRMED"),
        State::Confirmed => ("CONFIRMED", "CONFIRMED"),
        State::Invited => ("FORCE_CHANGE_PASSWORD", "FORCE_CHANGE_PASSWORD"),
        State::Disabled | State::Gone => (op.home(), op.home()),
        State::ChangedSinceList => ("CONFIRMED", op.home()),
    };
    let mut u = user("jane", status);
    u.enabled = !matches!(state, State::Disabled);
    let desk = Desk::new(vec![u]);
    // What the fixes are for: the address bounced, the number replied STOP.
    desk.fake.suppress("jane@example.com");
    desk.fake.opt_out("+447700900123");
    if matches!(state, State::Gone) {
        desk.fake.remove("jane");
    }
    let request = Request::new("jane", op.action()).seen(Some(seen.into()));
    let done = desk.run(request).await;
    match expect {
        Expect::Acts => {
            assert!(
                done.result.is_ok(),
                "{op:?} on {state:?}: {:?}",
                done.result
            );
            assert_eq!(desk.writes(), if matches!(op, Op::Confirm) { 2 } else { 1 });
            let outcome = desk.records().pop().expect("an outcome");
            assert!(matches!(
                outcome.outcome,
                Some(Outcome::Sent | Outcome::Done)
            ));
        }
        Expect::Refused(kind) => {
            let error = done.result.as_ref().expect_err("refused");
            assert_eq!(error.kind, kind, "{op:?} on {state:?}: {}", error.message);
            assert!(done.refused(), "a rule's refusal: {error:?}");
            assert_eq!(desk.writes(), 0, "{op:?} on {state:?} reached Cognito");
            assert!(
                desk.records().is_empty(),
                "nothing to record: nothing was done"
            );
        }
    }
}

macro_rules! rules {
    ($($name:ident: $op:ident on $state:ident => $expect:expr;)*) => {
        $(
            #[tokio::test]
            async fn $name() {
                check(Op::$op, State::$state, $expect).await;
            }
        )*
    };
}

use Expect::{Acts, Refused};
const WRONG: Expect = Refused(ErrorKind::UnsupportedUserState);
const GONE: Expect = Refused(ErrorKind::UserGone);
const CHANGED: Expect = Refused(ErrorKind::ChangedSinceList);
const DISABLED: Expect = Refused(ErrorKind::UserDisabled);

rules! {
    rule_resend_unconfirmed: Resend on Unconfirmed => Acts;
    rule_resend_confirmed: Resend on Confirmed => Refused(ErrorKind::AlreadyConfirmed);
    rule_resend_invited: Resend on Invited => WRONG;
    rule_resend_disabled: Resend on Disabled => DISABLED;
    rule_resend_gone: Resend on Gone => GONE;
    rule_resend_changed_since_list: Resend on ChangedSinceList => CHANGED;

    rule_invite_unconfirmed: Invite on Unconfirmed => WRONG;
    rule_invite_confirmed: Invite on Confirmed => WRONG;
    rule_invite_invited: Invite on Invited => Acts;
    rule_invite_disabled: Invite on Disabled => DISABLED;
    rule_invite_gone: Invite on Gone => GONE;
    rule_invite_changed_since_list: Invite on ChangedSinceList => CHANGED;

    rule_confirm_unconfirmed: Confirm on Unconfirmed => Acts;
    rule_confirm_confirmed: Confirm on Confirmed => WRONG;
    rule_confirm_invited: Confirm on Invited => WRONG;
    rule_confirm_disabled: Confirm on Disabled => Acts;
    rule_confirm_gone: Confirm on Gone => GONE;
    rule_confirm_changed_since_list: Confirm on ChangedSinceList => CHANGED;

    rule_set_contact_unconfirmed: SetContact on Unconfirmed => Acts;
    rule_set_contact_confirmed: SetContact on Confirmed => WRONG;
    rule_set_contact_invited: SetContact on Invited => WRONG;
    rule_set_contact_disabled: SetContact on Disabled => Acts;
    rule_set_contact_gone: SetContact on Gone => GONE;
    rule_set_contact_changed_since_list: SetContact on ChangedSinceList => CHANGED;

    rule_delete_unconfirmed: Delete on Unconfirmed => Acts;
    rule_delete_confirmed: Delete on Confirmed => WRONG;
    rule_delete_invited_not_asked: Delete on Invited => WRONG;
    rule_delete_disabled: Delete on Disabled => Acts;
    rule_delete_gone: Delete on Gone => GONE;
    rule_delete_changed_since_list: Delete on ChangedSinceList => CHANGED;

    rule_delete_invited_asked_unconfirmed: DeleteInvited on Unconfirmed => Acts;
    rule_delete_invited_asked_confirmed: DeleteInvited on Confirmed => WRONG;
    rule_delete_invited_asked_invited: DeleteInvited on Invited => Acts;

    rule_disable_unconfirmed: Disable on Unconfirmed => Acts;
    rule_disable_confirmed: Disable on Confirmed => WRONG;
    rule_disable_invited: Disable on Invited => Acts;
    rule_disable_disabled: Disable on Disabled => WRONG;
    rule_disable_gone: Disable on Gone => GONE;
    rule_disable_changed_since_list: Disable on ChangedSinceList => CHANGED;

    rule_enable_unconfirmed: Enable on Unconfirmed => WRONG;
    rule_enable_confirmed: Enable on Confirmed => WRONG;
    rule_enable_disabled: Enable on Disabled => Acts;
    rule_enable_gone: Enable on Gone => GONE;
    rule_enable_changed_since_list: Enable on ChangedSinceList => CHANGED;

    // Any status: a confirmed user's password-reset mail is suppressed just as well.
    rule_unsuppress_unconfirmed: Unsuppress on Unconfirmed => Acts;
    rule_unsuppress_confirmed: Unsuppress on Confirmed => Acts;
    rule_unsuppress_invited: Unsuppress on Invited => Acts;
    rule_unsuppress_disabled: Unsuppress on Disabled => Acts;
    rule_unsuppress_gone: Unsuppress on Gone => GONE;
    rule_unsuppress_changed_since_list: Unsuppress on ChangedSinceList => CHANGED;

    rule_sms_opt_in_unconfirmed: SmsOptIn on Unconfirmed => Acts;
    rule_sms_opt_in_confirmed: SmsOptIn on Confirmed => Acts;
    rule_sms_opt_in_invited: SmsOptIn on Invited => Acts;
    rule_sms_opt_in_disabled: SmsOptIn on Disabled => Acts;
    rule_sms_opt_in_gone: SmsOptIn on Gone => GONE;
    rule_sms_opt_in_changed_since_list: SmsOptIn on ChangedSinceList => CHANGED;
}

#[tokio::test]
async fn a_fix_takes_the_address_from_its_look_and_only_when_it_is_on_the_list() {
    let desk = Desk::new(vec![user("jane", "CONFIRMED")]);
    desk.fake.suppress("jane@example.com");
    desk.fake.suppress("someone-else@example.com");
    let done = desk
        .run(Request::new("jane", Op::Unsuppress.action()))
        .await;
    assert!(done.result.is_ok(), "{:?}", done.result);
    assert!(!desk.fake.is_suppressed("jane@example.com"));
    assert!(
        desk.fake.is_suppressed("someone-else@example.com"),
        "the address a front end passed is never the one changed"
    );
    let outcome = desk.records().pop().expect("outcome");
    assert_eq!(outcome.action, "unsuppress");
    assert_eq!(outcome.details["address"], "jane@example.com");
    // Now off the list: a second time is nothing to do, and nothing is called or recorded.
    let again = desk
        .run(Request::new("jane", Op::Unsuppress.action()))
        .await;
    let error = again.result.expect_err("not on the list");
    assert_eq!(error.kind, ErrorKind::UnsupportedUserState);
    assert!(
        error.message.contains("is not on the SES suppression list"),
        "{}",
        error.message
    );
    assert_eq!(desk.fake.count(Operation::SesUnsuppress), 1);
    assert_eq!(desk.records().len(), 2);
}

#[tokio::test]
async fn a_fix_needs_the_address_or_number_it_is_for() {
    let mut no_phone = user("jane", "UNCONFIRMED");
    no_phone.attributes =
        BTreeMap::from([("email".to_string(), "j@example.com".to_string())]).into();
    let desk = Desk::new(vec![no_phone]);
    let done = desk.run(Request::new("jane", Op::SmsOptIn.action())).await;
    let error = done.result.expect_err("no phone");
    assert!(
        error.message.contains("has no phone number"),
        "{}",
        error.message
    );
    assert_eq!(desk.writes(), 0);
    assert_eq!(
        desk.fake.count(Operation::SmsOptOut),
        0,
        "no look at a list for nothing"
    );
}

#[tokio::test]
async fn one_sms_opt_in_in_30_days_from_the_audit_log() {
    let desk = Desk::new(vec![user("jane", "UNCONFIRMED")]);
    desk.fake.opt_out("+447700900123");
    let mut earlier = sent("jane", 60 * 24 * 10, Outcome::Done);
    for r in &mut earlier {
        r.action = "sms-opt-in".into();
    }
    log_records(&desk, earlier);
    let done = desk.run(Request::new("jane", Op::SmsOptIn.action())).await;
    assert!(done.refused());
    let error = done.result.expect_err("too soon");
    assert_eq!(error.kind, ErrorKind::OptInTooSoon);
    assert!(
        error.message.contains("one opt-in in 30 days"),
        "{}",
        error.message
    );
    assert_eq!(desk.fake.count(Operation::SmsOptIn), 0);

    // 31 days ago is another window: SNS allows it again.
    let desk = Desk::new(vec![user("jane", "UNCONFIRMED")]);
    desk.fake.opt_out("+447700900123");
    let mut long_ago = sent("jane", 60 * 24 * 31, Outcome::Done);
    for r in &mut long_ago {
        r.action = "sms-opt-in".into();
    }
    log_records(&desk, long_ago);
    let done = desk.run(Request::new("jane", Op::SmsOptIn.action())).await;
    assert!(done.result.is_ok(), "{:?}", done.result);
    assert!(!desk.fake.is_opted_out("+447700900123"));
}

#[tokio::test]
async fn a_fix_without_an_answer_is_unknown_and_not_retried() {
    let desk = Desk::new(vec![user("jane", "UNCONFIRMED")]);
    desk.fake.suppress("jane@example.com");
    desk.fake.fault(Operation::SesUnsuppress, Fault::LoseAnswer);
    let done = desk
        .run(Request::new("jane", Op::Unsuppress.action()))
        .await;
    assert!(done.result.expect_err("lost").outcome_unknown());
    assert_eq!(desk.fake.count(Operation::SesUnsuppress), 1);
    assert_eq!(
        desk.records().pop().expect("outcome").outcome,
        Some(Outcome::Unknown)
    );
}

#[tokio::test]
async fn a_switch_without_a_reason_is_refused_and_a_lost_answer_settled() {
    let desk = Desk::new(vec![user("bot1", "UNCONFIRMED")]);
    let action = Action::SetEnabled {
        enable: false,
        reason: " ".into(),
    };
    let done = desk.run(Request::new("bot1", action)).await;
    assert!(
        done.result
            .expect_err("no reason")
            .message
            .contains("a reason is required")
    );
    desk.fake.fault(Operation::Disable, Fault::LoseAnswer);
    let done = desk.run(Request::new("bot1", Op::Disable.action())).await;
    assert_eq!(
        done.settled.as_deref(),
        Some("disabled: a fresh look shows it")
    );
    assert_eq!(desk.fake.user("bot1").map(|u| u.enabled), Some(false));
    assert_eq!(desk.fake.count(Operation::Disable), 1);
}

#[tokio::test]
async fn a_confirmed_user_is_never_deleted_without_a_seen_status_either() {
    // `prune --status all` used to skip the status check: the rule does not depend on it.
    let desk = Desk::new(vec![user("real", "CONFIRMED")]);
    for invited in [false, true] {
        let action = Action::Delete {
            reason: Some("spam".into()),
            invited,
            created_before: None,
        };
        let done = desk.run(Request::new("real", action)).await;
        assert_eq!(
            done.result.expect_err("refused").kind,
            ErrorKind::UnsupportedUserState
        );
    }
    assert!(desk.fake.user("real").is_some());
    assert_eq!(desk.fake.count(Operation::Delete), 0);
}

#[tokio::test]
async fn a_delete_whose_answer_was_lost_is_sent_once_and_settled_by_a_look() {
    let desk = Desk::new(vec![user("gone-soon", "UNCONFIRMED")]);
    desk.fake.fault(Operation::Delete, Fault::LoseAnswer);
    let done = desk
        .run(Request::new("gone-soon", Op::Delete.action()))
        .await;
    assert!(done.result.is_ok(), "{:?}", done.result);
    assert_eq!(
        done.settled.as_deref(),
        Some("deleted: confirmed by a fresh look")
    );
    assert_eq!(desk.fake.count(Operation::Delete), 1, "never retried");
    let outcome = desk.records().pop().expect("outcome");
    assert_eq!(outcome.outcome, Some(Outcome::Done));
    assert_eq!(
        outcome.details.get("settled").map(String::as_str),
        Some("deleted: confirmed by a fresh look")
    );
}

#[tokio::test]
async fn a_delete_that_failed_without_an_answer_is_still_there() {
    let desk = Desk::new(vec![user("stays", "UNCONFIRMED")]);
    desk.fake.fault(
        Operation::Delete,
        Fault::Fail(ApiError::local(
            Operation::Delete,
            ErrorKind::Timeout,
            "no answer",
        )),
    );
    let done = desk.run(Request::new("stays", Op::Delete.action())).await;
    let error = done.result.expect_err("not deleted");
    assert!(error.message.contains("still there"), "{}", error.message);
    assert_eq!(desk.fake.count(Operation::Delete), 1);
    assert_eq!(
        desk.records().pop().and_then(|r| r.outcome),
        Some(Outcome::Failed)
    );
}

#[tokio::test]
async fn a_resend_without_an_answer_is_unknown_and_not_retried() {
    let desk = Desk::new(vec![user("jane", "UNCONFIRMED")]);
    desk.fake.fault(Operation::Resend, Fault::LoseAnswer);
    let done = desk.run(Request::new("jane", Op::Resend.action())).await;
    assert!(done.result.as_ref().is_err_and(ApiError::outcome_unknown));
    assert_eq!(desk.fake.count(Operation::Resend), 1);
    assert_eq!(
        desk.records().pop().and_then(|r| r.outcome),
        Some(Outcome::Unknown)
    );
}

#[tokio::test]
async fn a_set_contact_without_an_answer_is_settled_by_the_address_cognito_shows() {
    let desk = Desk::new(vec![user("jane", "UNCONFIRMED")]);
    desk.fake
        .fault(Operation::UpdateAttributes, Fault::LoseAnswer);
    let done = desk
        .run(Request::new("jane", Op::SetContact.action()))
        .await;
    assert!(done.result.is_ok());
    assert_eq!(
        done.settled.as_deref(),
        Some("changed: a fresh look shows the new email")
    );
}

#[tokio::test]
async fn a_masked_address_is_never_written() {
    let desk = Desk::new(vec![user("pat", "UNCONFIRMED")]);
    let action = Action::SetContact {
        contact: Contact::Email,
        value: "p***@corrected.example".into(),
    };
    let done = desk.run(Request::new("pat", action)).await;
    let error = done.result.expect_err("refused");
    assert!(error.message.contains("masked"), "{}", error.message);
    assert_eq!(desk.fake.calls(), Vec::new(), "refused before any call");
    assert_eq!(
        desk.fake
            .user("pat")
            .and_then(|u| u.email().map(str::to_string))
            .as_deref(),
        Some("pat@example.com")
    );
}

#[tokio::test]
async fn read_only_refuses_before_anything_is_read_or_called() {
    for op in [Op::Unsuppress, Op::SmsOptIn] {
        let desk = Desk::new(vec![user("jane", "UNCONFIRMED")]);
        let read_only = Auditor::new(desk.auditor.log.clone(), Default::default(), true);
        let done = read_only
            .perform(
                &desk.session,
                Request::new("jane", op.action()),
                Zone::utc(),
            )
            .await;
        assert_eq!(
            done.result.expect_err("read-only").kind,
            ErrorKind::ReadOnly
        );
        assert!(desk.fake.calls().is_empty(), "{:?}", desk.fake.calls());
    }
    let mut desk = Desk::new(vec![user("jane", "UNCONFIRMED")]);
    desk.auditor.read_only = true;
    for op in [
        Op::Resend,
        Op::Invite,
        Op::Confirm,
        Op::SetContact,
        Op::Delete,
    ] {
        let done = desk.run(Request::new("jane", op.action())).await;
        assert_eq!(
            done.result.expect_err("read-only").kind,
            ErrorKind::ReadOnly
        );
    }
    let mut pool = pool();
    pool.read_only = true;
    desk.auditor.read_only = false;
    desk.session = PoolSession::new(pool, desk.fake.clone(), None);
    let done = desk.run(Request::new("jane", Op::Delete.action())).await;
    assert_eq!(
        done.result.expect_err("read-only").kind,
        ErrorKind::ReadOnly
    );
    assert!(desk.fake.calls().is_empty());
}

#[tokio::test]
async fn an_admin_write_needs_its_look_but_a_resend_does_not() {
    let desk = Desk::new(vec![user("jane", "UNCONFIRMED")]);
    let denied = || {
        Fault::Fail(ApiError::service(
            Operation::GetUser,
            "AccessDeniedException",
            Some("not allowed"),
        ))
    };
    desk.fake.fault(Operation::GetUser, denied());
    let done = desk.run(Request::new("jane", Op::Delete.action())).await;
    assert!(
        done.result
            .expect_err("refused")
            .message
            .contains("could not look")
    );
    assert_eq!(desk.fake.count(Operation::Delete), 0);
    desk.fake.fault(Operation::GetUser, denied());
    let done = desk.run(Request::new("jane", Op::Resend.action())).await;
    assert!(done.result.is_ok(), "{:?}", done.result);
}

fn sent(username: &str, minutes_ago: i64, outcome: Outcome) -> Vec<Record> {
    let at = Utc::now() - Duration::minutes(minutes_ago);
    let id = format!("{username}-{minutes_ago}");
    let intent = Record {
        id: id.clone(),
        event: crate::audit::Event::Intent,
        time: at,
        operator: crate::audit::Operator::default(),
        pool: "test".into(),
        user_pool_id: "eu-west-1_test".into(),
        username: username.into(),
        action: "resend".into(),
        ticket: None,
        client_metadata: BTreeMap::new(),
        outcome: None,
        destination: None,
        delivery_medium: None,
        attribute_name: None,
        error_code: None,
        reason: None,
        details: BTreeMap::new(),
        version: "test".into(),
    };
    let mut done = intent.clone();
    done.event = crate::audit::Event::Outcome;
    done.outcome = Some(outcome);
    vec![intent, done]
}

fn log_records(desk: &Desk, records: Vec<Record>) {
    for r in records {
        desk.auditor.log.append(&r).expect("append");
    }
}

#[tokio::test]
async fn five_resends_an_hour_are_refused_unless_forced() {
    let desk = Desk::new(vec![user("jane", "UNCONFIRMED")]);
    for m in [10, 20, 30, 40, 50] {
        log_records(&desk, sent("jane", m, Outcome::Sent));
    }
    let done = desk.run(Request::new("jane", Op::Resend.action())).await;
    assert_eq!(done.result.expect_err("limit").kind, ErrorKind::HourlyLimit);
    let mut forced = Request::new("jane", Op::Resend.action());
    forced.force = true;
    assert!(desk.run(forced).await.result.is_ok());
}

#[tokio::test]
async fn a_bulk_resend_skips_a_code_of_the_last_15_minutes_unless_again() {
    let desk = Desk::new(vec![
        user("recent", "UNCONFIRMED"),
        user("unknown", "UNCONFIRMED"),
        user("old", "UNCONFIRMED"),
    ]);
    log_records(&desk, sent("recent", 5, Outcome::Sent));
    log_records(&desk, sent("unknown", 5, Outcome::Unknown));
    log_records(&desk, sent("old", 30, Outcome::Sent));
    let history = desk
        .auditor
        .log
        .by_user("eu-west-1_test", true, None)
        .expect("read");
    let names = || {
        ["recent", "unknown", "old"]
            .map(|n| Candidate {
                username: n.into(),
                seen_status: None,
                seen_disabled: false,
            })
            .to_vec()
    };
    let plan = plan_bulk(
        names(),
        |n| history.get(n),
        &resend::Bulk {
            again: false,
            case_sensitive: true,
            ..Default::default()
        },
        Utc::now(),
        Zone::utc(),
    );
    let send: Vec<&str> = plan.send.iter().map(|r| r.username.as_str()).collect();
    assert_eq!(send, ["old"]);
    assert_eq!(plan.skip.len(), 2);
    assert!(plan.skip.iter().all(|s| s.why.contains("15 minutes")));
    assert!(
        plan.skip
            .iter()
            .all(|s| s.reason == "a code in the last 15 minutes")
    );
    let again = plan_bulk(
        names(),
        |n| history.get(n),
        &resend::Bulk {
            again: true,
            case_sensitive: true,
            ..Default::default()
        },
        Utc::now(),
        Zone::utc(),
    );
    assert_eq!(again.send.len(), 3);
    // The rule holds at send time too: a run of the same list twice sends once.
    let tally = bulk::run(
        &desk.auditor,
        &desk.session,
        plan.send.clone(),
        50.0,
        &Stop::default(),
        Zone::utc(),
        |_, _, _| {},
    )
    .await;
    assert_eq!(tally.done, 1);
    let tally = bulk::run(
        &desk.auditor,
        &desk.session,
        plan.send,
        50.0,
        &Stop::default(),
        Zone::utc(),
        |_, _, _| {},
    )
    .await;
    assert_eq!((tally.done, tally.skipped.len()), (0, 1));
    assert_eq!(desk.fake.count(Operation::Resend), 1);
}

#[tokio::test]
async fn usernames_are_compared_as_the_pool_compares_them() {
    let fake = FakeCognito::new(vec![user("jane", "UNCONFIRMED")]).case_insensitive();
    let desk = Desk::with(fake);
    for m in [10, 20, 30, 40] {
        log_records(&desk, sent("jane", m, Outcome::Sent));
    }
    log_records(&desk, sent("JANE", 50, Outcome::Sent));
    // The record names the user as Cognito does; the five count whatever the case typed.
    let done = desk.run(Request::new("Jane", Op::Resend.action())).await;
    assert_eq!(
        done.result.expect_err("limit").kind,
        ErrorKind::HourlyLimit,
        "five in the hour across cases"
    );
    let history = desk
        .auditor
        .log
        .by_user("eu-west-1_test", false, None)
        .expect("read");
    assert_eq!(history.get("Jane").len(), 5);
    let plan = plan_bulk(
        vec![
            Candidate {
                username: "Ann".into(),
                seen_status: None,
                seen_disabled: false,
            },
            Candidate {
                username: "ann".into(),
                seen_status: None,
                seen_disabled: false,
            },
        ],
        |n| history.get(n),
        &resend::Bulk {
            again: false,
            case_sensitive: false,
            ..Default::default()
        },
        Utc::now(),
        Zone::utc(),
    );
    assert_eq!((plan.send.len(), plan.skip.len()), (1, 1));
}

#[tokio::test]
async fn a_stop_asked_during_a_call_starts_no_other_call() {
    let users: Vec<User> = (0..5)
        .map(|i| user(&format!("u{i}"), "UNCONFIRMED"))
        .collect();
    let desk = Desk::new(users);
    let requests = (0..5)
        .map(|i| Request::new(format!("u{i}"), Op::Delete.action()))
        .collect();
    let stop = Stop::default();
    let asker = stop.clone();
    // The stop comes while the first user is being done, before the pacing wait of the next.
    let tally = bulk::run(
        &desk.auditor,
        &desk.session,
        requests,
        1.0,
        &stop,
        Zone::utc(),
        |_, _, _| asker.request(),
    )
    .await;
    assert_eq!(tally.done, 1);
    assert_eq!(tally.not_reached, 4);
    assert!(tally.stopped && tally.failing());
    assert_eq!(desk.fake.count(Operation::Delete), 1);
}

#[tokio::test]
async fn an_outcome_not_recorded_reaches_the_tally_and_fails_the_run() {
    let desk = Desk::new(vec![user("a", "UNCONFIRMED"), user("b", "UNCONFIRMED")]);
    let path = desk.auditor.log.month_path(chrono::Utc::now());
    // The disk "fills" during the first call: its intent is written, its outcome cannot be.
    desk.fake.fault(
        Operation::Delete,
        Fault::Then(std::sync::Arc::new(move || {
            let _ = std::fs::remove_file(&path);
            let _ = std::fs::create_dir(&path);
        })),
    );
    let mut heard = Vec::new();
    let requests = ["a", "b"]
        .map(|n| Request::new(n, Op::Delete.action()))
        .to_vec();
    let tally = bulk::run(
        &desk.auditor,
        &desk.session,
        requests,
        50.0,
        &Stop::default(),
        Zone::utc(),
        |step, warning, _| {
            heard.push((step.clone(), warning.map(str::to_string)));
        },
    )
    .await;
    assert_eq!(tally.audit_warnings.len(), 1, "{tally:?}");
    assert!(
        heard[0]
            .1
            .as_deref()
            .is_some_and(|w| w.contains("not recorded"))
    );
    assert!(tally.failing());
    assert!(
        tally
            .summary("deleted", None)
            .contains("1 outcome NOT recorded")
    );
    // Nothing more is done without a record: the second user's intent cannot be written.
    assert!(
        matches!(&heard[1].0, Step::Skipped { error: ApiError { message: why, .. }, .. } | Step::Failed { error: ApiError { message: why, .. }, .. } if why.contains("cannot record"))
    );
    assert_eq!(desk.fake.count(Operation::Delete), 1);
}

#[tokio::test]
async fn leaving_at_once_records_the_call_in_flight_as_unknown() {
    let desk = Desk::new(vec![user("jane", "UNCONFIRMED")]);
    let auditor = desk.auditor.clone();
    desk.fake.fault(
        Operation::Resend,
        Fault::Then(std::sync::Arc::new(move || {
            assert!(auditor.busy());
            assert_eq!(auditor.abandon_in_flight(), 1);
        })),
    );
    let _ = desk.run(Request::new("jane", Op::Resend.action())).await;
    let outcomes: Vec<_> = desk
        .records()
        .into_iter()
        .filter_map(|r| r.outcome.map(|o| (o, r.error_code)))
        .collect();
    assert_eq!(
        outcomes[0],
        (Outcome::Unknown, Some("Abandoned".to_string()))
    );
}

#[test]
fn a_prune_never_chooses_a_confirmed_user_and_keeps_to_its_limit() {
    let now = Utc::now();
    let mut users: Vec<User> = (0..8)
        .map(|i| user(&format!("p{i}"), "UNCONFIRMED"))
        .collect();
    users.push(user("real1", "CONFIRMED"));
    users.push(user("invited", "FORCE_CHANGE_PASSWORD"));
    let all = prune::select(
        users.clone(),
        crate::cognito::StatusFilter::All,
        now,
        None,
        5,
    );
    assert_eq!(all.matched, 9, "eight unconfirmed and the invited one");
    assert_eq!(all.chosen.len(), 5);
    assert_eq!(all.not_pending, 1);
    assert!(all.chosen.iter().all(|u| u.status != "CONFIRMED"));
    let unconfirmed = prune::select(
        users,
        crate::cognito::StatusFilter::Unconfirmed,
        now,
        None,
        500,
    );
    assert_eq!(unconfirmed.matched, 8);
}

#[tokio::test]
async fn clientmetadata_is_checked_as_it_will_be_sent_whatever_built_it() {
    let mut desk = Desk::new(vec![user("jane", "UNCONFIRMED")]);
    let mut pool = pool();
    pool.required_metadata = vec!["ticket".into(), "case".into()];
    pool.ticket_metadata_key = Some("ticket".into());
    desk.session = PoolSession::new(pool, desk.fake.clone(), None);
    let options = |pairs: &[(&str, &str)]| ResendOptions {
        client_metadata: pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        ..ResendOptions::default()
    };
    // No ticket: the required ticket key is missing.
    let done = desk
        .run(Request::new(
            "jane",
            Action::Resend(options(&[("case", "C-1")])),
        ))
        .await;
    assert!(
        done.result
            .expect_err("refused")
            .message
            .contains("requires ClientMetadata ticket")
    );
    // An empty value is never sent.
    let done = desk
        .run(
            Request::new("jane", Action::Resend(options(&[("case", " ")])))
                .ticket(Some("T-1".into())),
        )
        .await;
    assert!(
        done.result
            .expect_err("refused")
            .message
            .contains("case has an empty value")
    );
    assert_eq!(desk.fake.count(Operation::Resend), 0);
    // The ticket fills its key.
    let done = desk
        .run(
            Request::new("jane", Action::Resend(options(&[("case", "C-1")])))
                .ticket(Some("T-1".into())),
        )
        .await;
    assert!(done.result.is_ok(), "{:?}", done.result);
    let sent = desk.records().pop().expect("outcome");
    assert_eq!(
        sent.client_metadata.get("ticket").map(String::as_str),
        Some("T-1")
    );
}

#[tokio::test]
async fn names_from_stdin_are_looked_at_before_the_count() {
    let mut off = user("off", "UNCONFIRMED");
    off.enabled = false;
    let desk = Desk::new(vec![
        user("ok", "UNCONFIRMED"),
        user("done", "CONFIRMED"),
        off,
    ]);
    let names = ["ok", "done", "off", "ghost"]
        .map(|n| Candidate {
            username: n.into(),
            seen_status: None,
            seen_disabled: false,
        })
        .to_vec();
    let mut plan = plan_bulk(
        names,
        |_| Vec::new(),
        &resend::Bulk::default(),
        Utc::now(),
        Zone::utc(),
    );
    assert_eq!(plan.send.len(), 4, "without a look nothing is known");
    resend::look_first(&desk.fake, &mut plan).await;
    let send: Vec<&str> = plan.send.iter().map(|r| r.username.as_str()).collect();
    assert_eq!(send, ["ok"], "the count is exactly who will get a code");
    let reasons: Vec<(&str, &str)> = plan
        .skip
        .iter()
        .map(|s| (s.username.as_str(), s.reason.as_str()))
        .collect();
    assert_eq!(
        reasons,
        [
            ("done", "CONFIRMED: no code to resend"),
            ("off", "disabled"),
            ("ghost", "not in the pool")
        ]
    );
    assert_eq!(desk.fake.count(Operation::Resend), 0);
}

fn colleague_auditor(desk: &Desk, name: &str) -> Auditor {
    Auditor::new(
        desk.auditor.log.clone(),
        crate::audit::Operator {
            user: "shared-laptop".into(),
            arn: Some(format!(
                "arn:aws:sts::123456789012:assumed-role/support/{name}"
            )),
        },
        false,
    )
}

#[tokio::test]
async fn a_user_a_colleague_has_open_is_named_and_left_alone_unless_overridden() {
    let desk = Desk::new(vec![user("jane", "UNCONFIRMED")]);
    let alice = colleague_auditor(&desk, "alice");
    let bob = colleague_auditor(&desk, "bob");
    let opened = alice
        .open_user(
            &pool(),
            "jane",
            Some("T-1001".into()),
            true,
            Zone::utc(),
            None,
        )
        .expect("claim");
    assert_eq!(opened, None, "nobody else on jane");
    // Bob opens jane too: alice is named.
    let seen = bob
        .open_user(&pool(), "jane", None, true, Zone::utc(), None)
        .expect("claim")
        .expect("alice holds jane");
    assert!(
        seen.starts_with("alice has had this user open since ") && seen.ends_with("(T-1001)"),
        "{seen}"
    );
    // Bob's send is refused before any call, naming alice…
    let done = bob
        .perform(
            &desk.session,
            Request::new("jane", Op::Resend.action()),
            Zone::utc(),
        )
        .await;
    assert!(done.refused());
    let error = done.result.expect_err("alice is on jane");
    assert_eq!(error.kind, ErrorKind::ColleagueOnUser);
    assert!(
        error.message.contains("alice has had this user open"),
        "{}",
        error.message
    );
    assert_eq!(desk.fake.count(Operation::Resend), 0);
    // …unless he goes on deliberately; then alice's send within 15 minutes is named to her.
    let mut over = Request::new("jane", Op::Resend.action());
    over.over_colleague = true;
    let done = bob.perform(&desk.session, over, Zone::utc()).await;
    assert!(done.result.is_ok(), "{:?}", done.result);
    alice.close_user(&pool(), "jane").expect("release");
    refused_for_a_send_by(resend_jane(&desk, &alice).await, "bob");
    assert_eq!(desk.fake.count(Operation::Resend), 1);
}

/// `auditor` resends jane a code.
async fn resend_jane(desk: &Desk, auditor: &Auditor) -> Done<Answer> {
    auditor
        .perform(
            &desk.session,
            Request::new("jane", Op::Resend.action()),
            Zone::utc(),
        )
        .await
}

/// The refusal names `who`'s recent send.
fn refused_for_a_send_by(done: Done<Answer>, who: &str) {
    let error = done.result.expect_err("a colleague's send");
    assert_eq!(error.kind, ErrorKind::ColleagueOnUser);
    assert!(
        error.message.starts_with(&format!("{who} sent a code at ")),
        "{}",
        error.message
    );
}

/// A store that, the first time it is asked for a claim, first writes what a colleague wrote
/// meanwhile (their whole send: intent, outcome, claim let go).
#[derive(Debug)]
struct Meanwhile {
    inner: std::sync::Arc<dyn crate::audit::AuditStore>,
    colleague: std::sync::Mutex<Vec<Record>>,
}

impl crate::audit::AuditStore for Meanwhile {
    fn append(&self, record: &Record) -> Result<(), crate::audit::AuditError> {
        self.inner.append(record)
    }
    fn read_since(
        &self,
        since: Option<chrono::DateTime<Utc>>,
        keep: &dyn Fn(&Record) -> bool,
    ) -> Result<(Vec<Record>, Vec<crate::audit::Skipped>), crate::audit::AuditError> {
        self.inner.read_since(since, keep)
    }
    fn attempts_of(
        &self,
        user_pool_id: &str,
        username: &str,
        case_sensitive: bool,
        since: Option<chrono::DateTime<Utc>>,
    ) -> Result<Vec<crate::audit::Attempt>, crate::audit::AuditError> {
        self.inner
            .attempts_of(user_pool_id, username, case_sensitive, since)
    }
    fn claim(
        &self,
        user_pool_id: &str,
        username: &str,
        claim: crate::audit::Claim,
    ) -> Result<Option<crate::audit::Claim>, crate::audit::AuditError> {
        for record in std::mem::take(&mut *self.colleague.lock().expect("lock")) {
            self.inner.append(&record)?;
        }
        self.inner.claim(user_pool_id, username, claim)
    }
    fn release(
        &self,
        user_pool_id: &str,
        username: &str,
        operator: &str,
    ) -> Result<(), crate::audit::AuditError> {
        self.inner.release(user_pool_id, username, operator)
    }
    fn location(&self) -> &std::path::Path {
        self.inner.location()
    }
}

#[tokio::test]
async fn a_colleagues_send_that_ends_just_before_ones_claim_is_seen_and_nothing_is_held_after() {
    let desk = Desk::new(vec![user("jane", "UNCONFIRMED")]);
    // Alice sends jane a code, start to end (her claim let go)…
    let elsewhere = tempfile::tempdir().expect("temp dir");
    let alice = Auditor::new(
        AuditLog::new(elsewhere.path().join("audit.jsonl")),
        colleague_auditor(&desk, "alice").operator,
        false,
    );
    let done = resend_jane(&desk, &alice).await;
    assert!(done.result.is_ok(), "{:?}", done.result);
    let (alices, _) = alice.log.read(|_| true).expect("read");
    assert_eq!(alices.len(), 2, "intent and outcome");
    // …in the moment between bob's look at the user and his claim.
    let store = std::sync::Arc::new(Meanwhile {
        inner: desk.auditor.log.store(),
        colleague: std::sync::Mutex::new(alices),
    });
    let log = AuditLog::over(store);
    let bob = Auditor::new(log.clone(), colleague_auditor(&desk, "bob").operator, false);
    refused_for_a_send_by(resend_jane(&desk, &bob).await, "alice");
    assert_eq!(desk.fake.count(Operation::Resend), 1, "one code, alice's");
    // The refusal let go of bob's claim: carol hears of alice's send, not of bob.
    let carol = Auditor::new(log, colleague_auditor(&desk, "carol").operator, false);
    let seen = carol
        .open_user(&pool(), "jane", None, true, Zone::utc(), None)
        .expect("open")
        .expect("alice's send");
    assert!(seen.starts_with("alice sent a code at "), "{seen}");
}

#[tokio::test]
async fn a_send_from_an_open_dialog_keeps_the_claim_and_when_it_began() {
    let desk = Desk::new(vec![user("jane", "UNCONFIRMED")]);
    let alice = colleague_auditor(&desk, "alice");
    let bob = colleague_auditor(&desk, "bob");
    let opened = Utc::now() - Duration::minutes(3);
    alice
        .open_user(&pool(), "jane", None, true, Zone::utc(), Some(opened))
        .expect("open");
    let mut request = Request::new("jane", Op::Resend.action());
    request.keep_claim = true;
    request.claimed_since = Some(opened);
    let done = alice.perform(&desk.session, request, Zone::utc()).await;
    assert!(done.result.is_ok(), "{:?}", done.result);
    let seen = bob
        .open_user(&pool(), "jane", None, true, Zone::utc(), None)
        .expect("open")
        .expect("alice");
    assert!(
        seen.starts_with(&format!(
            "alice has had this user open since {}",
            opened.format("%H:%M")
        )),
        "{seen}"
    );
}

#[tokio::test]
async fn a_claim_runs_out_after_ten_minutes_and_one_of_ones_own_is_renewed() {
    let desk = Desk::new(vec![user("jane", "UNCONFIRMED")]);
    let alice = colleague_auditor(&desk, "alice");
    let old = chrono::Utc::now() - chrono::Duration::minutes(11);
    let stale = crate::audit::Claim {
        operator: "arn:aws:sts::123456789012:assumed-role/support/carol".into(),
        name: "carol".into(),
        ticket: None,
        since: old,
        until: old + crate::audit::CLAIM_FOR,
    };
    assert_eq!(
        desk.auditor
            .log
            .claim("eu-west-1_test", "jane", stale)
            .expect("claim"),
        None
    );
    // Carol's claim ran out a minute ago: alice takes jane, twice (a renewal).
    for _ in 0..2 {
        assert_eq!(
            alice
                .open_user(&pool(), "JANE", None, false, Zone::utc(), None)
                .expect("claim"),
            None
        );
    }
}

#[tokio::test]
async fn a_renewed_claim_keeps_when_it_began_and_both_a_claim_and_a_send_are_named() {
    let desk = Desk::new(vec![user("jane", "UNCONFIRMED")]);
    let alice = colleague_auditor(&desk, "alice");
    let bob = colleague_auditor(&desk, "bob");
    let opened = chrono::Utc::now() - chrono::Duration::minutes(3);
    // Alice's dialog opened three minutes ago and renews its claim now.
    alice
        .open_user(&pool(), "jane", None, true, Zone::utc(), Some(opened))
        .unwrap();
    alice
        .open_user(&pool(), "jane", None, true, Zone::utc(), Some(opened))
        .unwrap();
    // Carol sent jane a code a minute ago (and closed her dialog).
    let carol = colleague_auditor(&desk, "carol");
    let mut request = Request::new("jane", Op::Resend.action());
    request.over_colleague = true;
    assert!(
        carol
            .perform(&desk.session, request, Zone::utc())
            .await
            .result
            .is_ok()
    );
    alice
        .open_user(&pool(), "jane", None, true, Zone::utc(), Some(opened))
        .unwrap();
    let seen = bob
        .open_user(&pool(), "jane", None, true, Zone::utc(), None)
        .unwrap()
        .expect("alice and carol");
    assert!(
        seen.starts_with(&format!(
            "alice has had this user open since {}; carol sent a code at ",
            opened.format("%H:%M")
        )),
        "{seen}"
    );
}
