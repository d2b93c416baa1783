//! The real binary in a pseudo-terminal against the emulator: find a user, add a ClientMetadata
//! pair, send, read where the code went off the screen, and check what Cognito received.

mod common;

use std::time::{Duration, Instant};

use common::TestPool;
use common::pty::Tui;

#[tokio::test(flavor = "multi_thread")]
async fn find_a_user_add_metadata_send_and_read_the_destination() {
    let pool = TestPool::new(true).await;
    for i in 0..75 {
        pool.sign_up(
            &format!("filler{i:02}"),
            &format!("filler{i}@example.com"),
            None,
        )
        .await;
    }
    pool.sign_up("zoe.e2e", "zoe.e2e@example.org", None).await;
    let dir = tempfile::tempdir().unwrap();
    let secret = pool.write_secret_file(dir.path());
    let config = dir.path().join("config.toml");
    let extra = format!(
        "client_secret_file = \"{}\"\n[pools.test.client_metadata]\nsource = \"support-desk\"\n",
        secret.display()
    );
    std::fs::write(&config, pool.config_toml(&extra)).unwrap();

    let mut tui = Tui::start(&config);
    // 76 users take two pages: the count shows once both have arrived.
    tui.wait_for("76 users loaded");
    tui.send("/zoe.e2e");
    tui.wait_for("filter \"zoe.e2e\": 1 shown");
    tui.send("\r"); // keep the filter
    tui.send("\r"); // open the resend dialog
    tui.wait_for("Resend confirmation code");
    tui.wait_for("email zoe.e2e@example.org");
    tui.send("a");
    tui.send("ticket\t");
    tui.send("E2E-42\r");
    tui.wait_for("E2E-42");
    tui.send("s");
    tui.wait_for("Send a new confirmation code to zoe.e2e");
    tui.send("y");
    let screen = tui.wait_for("Code sent by EMAIL to");
    let line = screen
        .lines()
        .find(|l| l.contains("Code sent by EMAIL to"))
        .unwrap();
    assert!(line.contains("z***@e***.org (attribute: email)"), "{line}");

    let received = common::recorded_requests(&pool.client_id);
    let request = received
        .iter()
        .find(|r| r["Username"] == "zoe.e2e")
        .expect("the emulator got the resend");
    assert_eq!(request["ClientMetadata"]["ticket"], "E2E-42");
    assert_eq!(request["ClientMetadata"]["source"], "support-desk");
    assert!(request["SecretHash"].as_str().is_some());

    tui.send("\r"); // close the result
    let screen = tui.wait_for("ago) → z***@e***.org (EMAIL)");
    assert!(screen.contains("zoe.e2e"));
    tui.send("q");
    let deadline = Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(status) = tui.child.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "cogtui did not quit on q");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(status.success());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_dead_endpoint_shows_a_banner_and_the_app_stays() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    std::fs::write(
        &config,
        "[pools.dead]\nuser_pool_id = \"eu-west-1_Dead1\"\nclient_id = \"c1\"\nendpoint_url = \"http://127.0.0.1:9\"\n",
    )
    .unwrap();
    let mut tui = Tui::start(&config);
    tui.wait_for("ListUsers failed");
    tui.wait_for("cannot reach Cognito");
    tui.send("r");
    tui.wait_for("loading page 1");
    tui.wait_for("ListUsers failed");
    assert!(
        tui.child.try_wait().unwrap().is_none(),
        "the app never exits on a Cognito error"
    );
    tui.send("\x03");
    let deadline = Instant::now() + Duration::from_secs(10);
    while tui.child.try_wait().unwrap().is_none() {
        assert!(Instant::now() < deadline, "Ctrl-C did not quit");
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn config_for(pool: &TestPool, dir: &std::path::Path, extra: &str) -> std::path::PathBuf {
    let config = dir.join("config.toml");
    std::fs::write(&config, pool.config_toml(extra)).unwrap();
    config
}

#[tokio::test(flavor = "multi_thread")]
async fn a_paste_and_enter_on_the_confirmation_never_send() {
    let pool = TestPool::new(false).await;
    pool.sign_up("pat", "pat@example.org", None).await;
    let dir = tempfile::tempdir().unwrap();
    let config = config_for(&pool, dir.path(), "");
    let mut tui = Tui::start(&config);
    tui.wait_for("1 user loaded");
    // On the main screen a paste is not keys: "\r" would open the dialog, "q" would quit.
    tui.paste("q\rsy");
    tui.wait_for("paste ignored");
    tui.send("\r");
    tui.wait_for("UNCONFIRMED (checked with Cognito just now)");
    tui.send("a");
    tui.send("ticket\t");
    // The paste that used to send: Enter ends the edit, s asks, y confirms.
    tui.paste("T-9\ruser says yes\rsy");
    tui.wait_for("T-9 user says yes sy");
    tui.send("\r"); // ends the edit
    tui.send("s");
    tui.wait_for("Send a new confirmation code to pat");
    tui.send("\r"); // Enter must not send
    tui.paste("y"); // nor a pasted y
    tui.wait_for("paste ignored");
    assert!(
        tui.contents()
            .contains("Send a new confirmation code to pat")
    );
    assert_eq!(
        common::count_calls(&pool.pool_id, "ResendConfirmationCode"),
        0,
        "nothing was sent"
    );
    tui.send("y");
    tui.wait_for("Code sent by EMAIL to p***@e***.org");
    assert_eq!(
        common::count_calls(&pool.pool_id, "ResendConfirmationCode"),
        1
    );
    let sent = common::recorded_requests(&pool.client_id);
    assert_eq!(sent[0]["ClientMetadata"]["ticket"], "T-9 user says yes sy");
    tui.send("\rq");
    assert!(tui.wait_exit(Duration::from_secs(5)).success());
}

#[tokio::test(flavor = "multi_thread")]
async fn the_ui_answers_keys_while_a_call_hangs_and_ctrl_c_quits_at_once() {
    let pool = TestPool::new(false).await;
    pool.sign_up_many("h", 70).await;
    common::inject_faults(serde_json::json!([
        {"operation": "ListUsers", "pool": pool.pool_id, "fault": "hang", "calls": [2], "hang_s": 60}
    ]));
    let dir = tempfile::tempdir().unwrap();
    let config = config_for(&pool, dir.path(), "");
    let mut tui = Tui::start_with(&config, &["--timeout", "30"]);
    tui.wait_for("60 users loaded");
    tui.wait_for("loading page 2");
    // Moving, filtering and clearing still work while page 2 hangs.
    let detail = |screen: &str| {
        screen
            .lines()
            .find(|l| l.contains("│ username   "))
            .map(str::to_string)
    };
    let before = detail(&tui.contents());
    tui.send("G");
    let deadline = Instant::now() + Duration::from_secs(10);
    while detail(&tui.contents()) == before {
        assert!(Instant::now() < deadline, "G did not move the selection");
        std::thread::sleep(Duration::from_millis(20));
    }
    tui.send("/h012");
    tui.wait_for("filter \"h012\": 1 shown");
    tui.send("\x1b");
    tui.wait_for("· 60 users loaded · ");
    let started = Instant::now();
    tui.send("\x03");
    let status = tui.wait_exit(Duration::from_secs(5));
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "Ctrl-C took {:?}",
        started.elapsed()
    );
    assert!(status.success());
    let raw = tui.raw.lock().unwrap().clone();
    let tail = String::from_utf8_lossy(&raw[raw.len().saturating_sub(200)..]).into_owned();
    assert!(
        tail.contains("\x1b[?1049l"),
        "the alternate screen is left: {tail:?}"
    );
    assert!(
        tail.contains("\x1b[?2004l"),
        "bracketed paste is turned off: {tail:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_resend_that_times_out_reached_cognito_once_and_may_have_been_sent() {
    let pool = TestPool::new(false).await;
    pool.sign_up("tim", "tim@example.org", None).await;
    common::inject_faults(serde_json::json!([
        {"operation": "ResendConfirmationCode", "pool": pool.pool_id, "fault": "hang", "hang_s": 20}
    ]));
    let dir = tempfile::tempdir().unwrap();
    let config = config_for(&pool, dir.path(), "");
    let mut tui = Tui::start_with(&config, &["--timeout", "1"]);
    tui.wait_for("1 user loaded");
    tui.send("\r");
    tui.wait_for("checked with Cognito just now");
    tui.send("s");
    tui.wait_for("Send a new confirmation code to tim");
    tui.send("y");
    tui.wait_for("the code may have been sent");
    assert_eq!(
        common::count_calls(&pool.pool_id, "ResendConfirmationCode"),
        1,
        "sent once, never retried"
    );
    tui.send("s");
    tui.wait_for("got no answer and may have gone out");
    tui.send("n");
    tui.wait_for("s send · Esc close");
    tui.send("\x1b");
    tui.wait_gone("Resend confirmation code");
    tui.send("q");
    assert!(tui.wait_exit(Duration::from_secs(5)).success());
    assert_eq!(
        common::count_calls(&pool.pool_id, "ResendConfirmationCode"),
        1
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_reply_lands_on_the_clipboard_and_the_history_outlives_the_process() {
    use base64::Engine;
    let pool = TestPool::new(false).await;
    pool.sign_up("yan.e2e", "yan.e2e@example.com", None).await;
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    std::fs::write(
        &config,
        pool.config_toml("ticket_metadata_key = \"ticket\"\n"),
    )
    .unwrap();

    let mut tui = Tui::start(&config);
    tui.wait_for("1 user loaded");
    tui.send("\r");
    // The pool's checks came back: the destination is definite and the default sender shows.
    tui.wait_for("Goes to    email yan.e2e@example.com");
    tui.wait_for("Cognito sender: 50 emails/day");
    tui.send("\r"); // the Ticket field has the focus
    tui.send("INC-9\r");
    tui.wait_for("INC-9  also sent as ClientMetadata ticket");
    tui.send("s");
    tui.wait_for("Send a new confirmation code to yan.e2e, to email yan.e2e@example.com");
    tui.send("y");
    tui.wait_for("Reply for the ticket:");
    tui.send("c");
    tui.wait_for("reply copied to the clipboard");
    let reply = "We have sent a new confirmation code by email to y***@e***.com. It is valid for \
                 24 hours; if it is not in your inbox, please check your spam folder. It comes \
                 from no-reply@verificationemail.com, which some mail services file as junk.";
    let osc52 = format!(
        "\x1b]52;c;{}",
        base64::engine::general_purpose::STANDARD.encode(reply)
    );
    let raw = String::from_utf8_lossy(&tui.raw.lock().unwrap()).into_owned();
    assert!(
        raw.contains(&osc52),
        "no OSC 52 with the reply in the output"
    );
    let sent = common::recorded_requests(&pool.client_id);
    assert_eq!(sent.last().unwrap()["ClientMetadata"]["ticket"], "INC-9");
    tui.send("\r");
    tui.send("q");
    assert!(tui.wait_exit(Duration::from_secs(10)).success());

    // A new process reads the audit log: the row and the dialog know about the send.
    let mut tui = Tui::start(&config);
    tui.wait_for("→ y***@e***.com (EMAIL)");
    tui.send("\r");
    let screen = tui.wait_for("1 resend in the last hour (1 in 24 h):");
    assert!(screen.contains("INC-9"), "{screen}");
    tui.send("\x1b");
    // Esc then q at once would read as Alt-q.
    tui.wait_gone("Resend confirmation code");
    tui.send("q");
    assert!(tui.wait_exit(Duration::from_secs(10)).success());
}

#[tokio::test(flavor = "multi_thread")]
async fn invite_and_delete_from_the_ui_reach_cognito_and_the_audit_log() {
    let pool = TestPool::new(false).await;
    pool.create_invited("inv.e2e", Some("inv.e2e@example.com"), None)
        .await;
    pool.sign_up("del.e2e", "del.e2e@example.com", None).await;
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    std::fs::write(&config, pool.config_toml("")).unwrap();

    let mut tui = Tui::start(&config);
    tui.wait_for("1 user loaded");
    // Delete the pending user: the username must be typed.
    tui.send("a");
    tui.wait_for("Actions: del.e2e");
    tui.send("x");
    tui.wait_for("Deletes the user(s)");
    // A delete needs a reason (Tab-free: j to the Reason field, Enter to type).
    tui.send("j\r");
    tui.send("spam sign-up\r");
    tui.wait_for("Reason*    spam sign-up");
    tui.send("s");
    tui.wait_for("Type del.e2e to go on");
    tui.paste("del.e2e");
    tui.send("\r");
    tui.wait_for("type del.e2e exactly");
    tui.send("del.e2e\r");
    tui.wait_for("Delete: 1 done · 0 skipped · 0 failed");
    assert!(pool.user("del.e2e").await.is_none(), "deleted in Cognito");
    tui.send("\r");
    tui.wait_for("0 users loaded");
    // Invite the invited one: t to FORCE_CHANGE_PASSWORD, Enter, s, y.
    tui.send("t");
    tui.wait_for("FORCE_CHANGE_PASSWORD · 1 user loaded");
    tui.send("\r");
    tui.wait_for("Sends a new invitation by email");
    tui.send("s");
    tui.wait_for("Send inv.e2e a new invitation by email");
    tui.send("y");
    tui.wait_for("Invite again: 1 done");
    let invites = common::recorded_invites(&pool.pool_id);
    assert_eq!(invites.len(), 1);
    assert_eq!(
        invites[0]["DesiredDeliveryMediums"],
        serde_json::json!(["EMAIL"])
    );
    tui.send("\r");
    tui.wait_gone("Invite again");
    tui.send("q");
    assert!(tui.wait_exit(Duration::from_secs(10)).success());

    let audit = common::audit_text(&dir.path().join("audit.jsonl"));
    let outcomes: Vec<serde_json::Value> = audit
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter(|r| r["event"] == "outcome")
        .collect();
    let summary: Vec<String> = outcomes
        .iter()
        .map(|r| {
            format!(
                "{} {} {}",
                r["action"].as_str().unwrap(),
                r["username"].as_str().unwrap(),
                r["outcome"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(summary, ["delete del.e2e done", "invite inv.e2e sent"]);
}

#[tokio::test(flavor = "multi_thread")]
async fn read_only_and_redact_are_what_the_screen_and_cognito_see() {
    let pool = TestPool::new(false).await;
    pool.sign_up(
        "red.e2e",
        "secret.person@example.com",
        Some("+447700900999"),
    )
    .await;
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    std::fs::write(&config, pool.config_toml("")).unwrap();
    let mut tui = Tui::start_with(&config, &["--read-only", "--redact"]);
    let screen = tui.wait_for("1 user loaded");
    assert!(
        screen.contains("READ-ONLY") && screen.contains("REDACTED"),
        "{screen}"
    );
    let screen = tui.wait_for("s***@e***.com");
    assert!(!screen.contains("secret.person"), "{screen}");
    assert!(!screen.contains("900999"), "{screen}");
    assert!(screen.contains("+********0999"), "{screen}");
    assert!(screen.contains("red.e2e"), "usernames stay");
    tui.send("\r");
    tui.wait_for("read-only: resends and admin actions are off");
    tui.send("a");
    tui.send("q");
    assert!(tui.wait_exit(Duration::from_secs(10)).success());
    assert_eq!(
        common::count_calls(&pool.pool_id, "ResendConfirmationCode"),
        0
    );
    assert_eq!(common::count_calls(&pool.pool_id, "AdminGetUser"), 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn prune_on_a_terminal_takes_the_typed_count_and_not_a_paste() {
    let pool = TestPool::new(false).await;
    let old = pool.sign_up_many("pr", 3).await;
    let ages: Vec<(&str, f64)> = old.iter().map(|u| (u.as_str(), 9.0 * 86_400.0)).collect();
    common::backdate(&pool.pool_id, &ages);
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    std::fs::write(&config, pool.config_toml("")).unwrap();
    let mut run = Tui::start_with(&config, &["prune", "--older-than", "7d"]);
    run.wait_for("Type 3 to go on");
    run.paste("3");
    run.wait_for("a paste is not a confirmation");
    run.send("\x1b");
    let status = run.wait_exit(Duration::from_secs(10));
    assert_eq!(status.exit_code(), 2, "cancelled: nothing deleted");
    assert_eq!(common::count_calls(&pool.pool_id, "AdminDeleteUser"), 0);

    let mut run = Tui::start_with(&config, &["prune", "--older-than", "7d"]);
    run.wait_for("Type 3 to go on");
    run.send("3\r");
    run.wait_for("deleted 3");
    assert!(run.wait_exit(Duration::from_secs(10)).success());
    assert_eq!(common::count_calls(&pool.pool_id, "AdminDeleteUser"), 3);
}

#[tokio::test(flavor = "multi_thread")]
async fn confirm_and_fix_an_address_from_the_ui_then_resend_to_the_new_one() {
    let pool = TestPool::new(false).await;
    pool.sign_up("conf.e2e", "conf.e2e@example.com", None).await;
    pool.sign_up("fix.e2e", "fix.e2e@exmaple.con", None).await;
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    std::fs::write(&config, pool.config_toml("")).unwrap();
    let mut tui = Tui::start(&config);
    tui.wait_for("2 users loaded");
    // The newest first: fix.e2e, then conf.e2e.
    tui.send("a");
    tui.wait_for("Actions: fix.e2e");
    tui.send("f");
    tui.wait_for("New email");
    tui.send("j\r");
    tui.send(&"\x7f".repeat(40));
    tui.send("fix.e2e@example.com\r");
    tui.send("s");
    tui.wait_for("Change fix.e2e's email to fix.e2e@example.com");
    tui.send("y");
    tui.wait_for("r resends a confirmation code to the new address now");
    tui.send("r");
    tui.wait_for("Goes to    email fix.e2e@example.com");
    tui.send("s");
    tui.wait_for("Send a new confirmation code to fix.e2e");
    tui.send("y");
    tui.wait_for("Code sent by EMAIL to f***@e***.com");
    tui.send("\r");
    tui.wait_gone("Resend confirmation code");
    // Confirm the other one by hand, with a reason.
    tui.send("j");
    tui.send("a");
    tui.wait_for("Actions: conf.e2e");
    tui.send("c");
    tui.wait_for("Confirms without a code");
    tui.send("j\rcalled the user back\r");
    tui.send("s");
    tui.wait_for("Confirm conf.e2e without a code");
    tui.send("y");
    tui.wait_for("Confirm without a code: 1 done");
    tui.send("\r");
    tui.wait_gone("Confirm without a code");
    tui.send("q");
    assert!(tui.wait_exit(Duration::from_secs(10)).success());

    let fixed = pool.user("fix.e2e").await.unwrap();
    let email = fixed
        .user_attributes()
        .iter()
        .find(|a| a.name() == "email")
        .and_then(|a| a.value());
    assert_eq!(email, Some("fix.e2e@example.com"));
    let confirmed = pool.user("conf.e2e").await.unwrap();
    assert_eq!(confirmed.user_status().unwrap().as_str(), "CONFIRMED");
    let audit = common::audit_text(&dir.path().join("audit.jsonl"));
    let outcomes: Vec<String> = audit
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter(|r| r["event"] == "outcome")
        .map(|r| {
            format!(
                "{} {}",
                r["action"].as_str().unwrap(),
                r["username"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(
        outcomes,
        ["set-contact fix.e2e", "resend fix.e2e", "confirm conf.e2e"]
    );
    assert!(audit.contains("called the user back"));
}

#[tokio::test(flavor = "multi_thread")]
async fn typing_an_email_from_a_ticket_finds_a_user_the_capped_listing_did_not_load() {
    let pool = TestPool::new(false).await;
    pool.sign_up_many("filler", 130).await;
    pool.sign_up("needle.e2e", "needle.e2e@example.org", None)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    // The listing pauses after its first page: the needle is on the third.
    std::fs::write(&config, pool.config_toml("max_users = 60\n")).unwrap();
    let mut tui = Tui::start(&config);
    tui.wait_for("60 loaded (max_users): search, or L loads more");
    assert!(!tui.contents().contains("needle.e2e"));
    tui.send("/needle.e2e@exam");
    let screen = tui.wait_for("⌕ needle.e2e");
    assert!(screen.contains("needle.e2e@example.org"), "{screen}");
    assert_eq!(
        common::requests_for(&pool.pool_id)
            .iter()
            .filter(|r| r["operation"] == "ListUsers")
            .count(),
        2,
        "one page of the listing, then exactly one search for the pause"
    );
    tui.send("\r");
    tui.send("q");
    assert!(tui.wait_exit(Duration::from_secs(10)).success());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_notice_from_whoever_started_cogtui_is_on_the_first_screen() {
    // scripts/demo names its env file this way: the terminal's own lines go behind the app.
    let pool = TestPool::new(false).await;
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    std::fs::write(&config, pool.config_toml("")).unwrap();
    let mut tui = Tui::start_env(
        &config,
        &[],
        &[("COGTUI_NOTICE", "headless: source /tmp/demo.env")],
    );
    tui.wait_for("headless: source /tmp/demo.env");
    tui.send("q");
    assert!(tui.wait_exit(Duration::from_secs(10)).success());
}

#[tokio::test]
async fn a_click_selects_a_row_and_the_wheel_scrolls_in_a_real_terminal() {
    let pool = TestPool::new(false).await;
    pool.sign_up_many("clicky", 12).await;
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    std::fs::write(&config, pool.config_toml("")).unwrap();
    let mut tui = Tui::start(&config);
    tui.wait_for("12 users loaded");
    // Row 5 of the table (a 1-based SGR report: column 4, the 5th user's line).
    let screen = tui.contents();
    let lines: Vec<&str> = screen.lines().collect();
    let header = lines
        .iter()
        .position(|l| l.starts_with("USERNAME"))
        .unwrap();
    let fifth = lines[header + 5]
        .split_whitespace()
        .next()
        .unwrap()
        .to_string();
    tui.send(&format!(
        "\x1b[<0;4;{}M\x1b[<0;4;{}m",
        header + 6,
        header + 6
    ));
    tui.wait_for(&format!("username   {fifth}"));
    // The wheel: three rows a notch.
    let eighth = lines[header + 8]
        .split_whitespace()
        .next()
        .unwrap()
        .to_string();
    tui.send("\x1b[<65;10;10M");
    tui.wait_for(&format!("username   {eighth}"));
    tui.send("q");
    assert!(tui.wait_exit(Duration::from_secs(10)).success());
}

#[tokio::test]
async fn a_click_on_a_chart_bar_selects_it_in_a_real_terminal() {
    let pool = TestPool::new(false).await;
    for (name, email) in [
        ("ana", "ana@alpha.example"),
        ("abe", "abe@alpha.example"),
        ("bea", "bea@beta.example"),
    ] {
        pool.sign_up(name, email, None).await;
    }
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    std::fs::write(&config, pool.config_toml("")).unwrap();
    let mut tui = Tui::start(&config);
    tui.wait_for("3 users loaded");
    tui.send("S");
    let screen = tui.wait_for("Top email domains");
    // The beta.example bar of the domains chart, clicked where its label is (SGR is 1-based).
    let (y, line) = screen
        .lines()
        .enumerate()
        .find(|(_, l)| l.contains("│ beta.example"))
        .unwrap_or_else(|| panic!("{screen}"));
    let x = line[..line.find("beta.example").unwrap()].chars().count();
    tui.send(&format!(
        "\x1b[<0;{};{}M\x1b[<0;{};{}m",
        x + 2,
        y + 1,
        x + 2,
        y + 1
    ));
    tui.wait_for("filters the table by @beta.example");
    // Enter filters the list by the bar clicked: only bea is left.
    tui.send("\r");
    tui.wait_for("filter @beta.example: 1 users");
    assert!(!tui.contents().contains("ana@alpha.example"));
    tui.send("q");
    assert!(tui.wait_exit(Duration::from_secs(10)).success());
}

#[tokio::test]
async fn mouse_false_leaves_the_mouse_to_the_terminal() {
    let pool = TestPool::new(false).await;
    pool.sign_up_many("nomouse", 2).await;
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    std::fs::write(&config, format!("mouse = false\n{}", pool.config_toml(""))).unwrap();
    let mut tui = Tui::start(&config);
    tui.wait_for("2 users loaded");
    tui.send("q");
    assert!(tui.wait_exit(Duration::from_secs(10)).success());
    // No mouse reporting was asked of the terminal (?1000h and friends).
    let raw = String::from_utf8_lossy(&tui.raw.lock().unwrap()).to_string();
    assert!(!raw.contains("\x1b[?1000h"), "mouse capture was turned on");
}

#[tokio::test]
async fn the_mouse_is_on_by_default_and_off_again_on_the_way_out() {
    let pool = TestPool::new(false).await;
    pool.sign_up_many("mouse", 2).await;
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    std::fs::write(&config, pool.config_toml("")).unwrap();
    let mut tui = Tui::start(&config);
    tui.wait_for("2 users loaded");
    tui.send("q");
    assert!(tui.wait_exit(Duration::from_secs(10)).success());
    let raw = String::from_utf8_lossy(&tui.raw.lock().unwrap()).to_string();
    let on = raw.find("\x1b[?1000h").expect("mouse capture on");
    assert!(raw[on..].contains("\x1b[?1000l"), "and off on the way out");
}

#[tokio::test(flavor = "multi_thread")]
async fn each_pool_records_the_principal_of_its_own_profile() {
    // Two pools reached with two profiles, each the session of an assumed role (SSO role
    // sessions name the person the same way).
    let first = TestPool::new(false).await;
    let second = TestPool::new(false).await;
    first.sign_up("ann.one", "ann@example.com", None).await;
    second.sign_up("bo.two", "bo@example.com", None).await;
    let dir = tempfile::tempdir().unwrap();
    let credentials = common::assumed_role_profiles(&["alice", "bob"]).await;
    let credentials_file = dir.path().join("credentials");
    std::fs::write(&credentials_file, credentials).unwrap();
    let config = dir.path().join("config.toml");
    let pool = |name: &str, p: &TestPool, profile: &str| {
        format!(
            "[pools.{name}]\nuser_pool_id = \"{}\"\nclient_id = \"{}\"\nendpoint_url = \"{}\"\n\
             profile = \"{profile}\"\n",
            p.pool_id,
            p.client_id,
            common::endpoint()
        )
    };
    std::fs::write(
        &config,
        format!(
            "default_pool = \"one\"\naudit_log = \"audit.jsonl\"\n\n{}\n{}",
            pool("one", &first, "alice"),
            pool("two", &second, "bob")
        ),
    )
    .unwrap();
    let files = credentials_file.display().to_string();
    let mut tui = Tui::start_env(
        &config,
        &[],
        &[
            ("AWS_ACCESS_KEY_ID", ""),
            ("AWS_SECRET_ACCESS_KEY", ""),
            ("AWS_SHARED_CREDENTIALS_FILE", &files),
            (
                "AWS_CONFIG_FILE",
                &dir.path().join("none").display().to_string(),
            ),
        ],
    );
    for (user, next) in [("ann.one", true), ("bo.two", false)] {
        tui.wait_for(user);
        tui.send("\r");
        tui.wait_for("(checked with Cognito just now)");
        tui.send("s");
        tui.wait_for("Send a new confirmation code to");
        tui.send("y");
        tui.wait_for("Code sent by EMAIL");
        tui.send("\x1b");
        // A key right after Esc would read as Alt-key: wait for the dialog to close first.
        tui.wait_gone("Resend confirmation code");
        if next {
            // The other pool, with the other profile.
            tui.send("p");
            tui.wait_for("two");
            tui.send("j\r");
        }
    }
    tui.send("q");
    assert!(tui.wait_exit(Duration::from_secs(10)).success());
    let arns: Vec<(String, String)> = common::audit_lines(&config)
        .into_iter()
        .filter(|r| r["event"] == "intent")
        .map(|r| {
            (
                r["username"].as_str().unwrap_or_default().to_string(),
                r["operator"]["arn"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
            )
        })
        .collect();
    assert_eq!(arns.len(), 2, "{arns:?}");
    assert!(
        arns[0].0 == "ann.one" && arns[0].1.ends_with("/alice"),
        "{arns:?}"
    );
    assert!(
        arns[1].0 == "bo.two" && arns[1].1.ends_with("/bob"),
        "{arns:?}"
    );
}
