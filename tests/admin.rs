//! Admin actions headless (invite, confirm, set-contact) and read-only mode: the real binary
//! against the emulator, checking what reached it and what the audit log says.

mod common;

use common::{pool_config, text};

use common::TestPool;
use common::cogtui;

async fn status(pool: &TestPool, username: &str) -> String {
    pool.user(username)
        .await
        .and_then(|u| u.user_status().map(|s| s.as_str().to_string()))
        .unwrap_or_else(|| "GONE".into())
}

async fn attribute(pool: &TestPool, username: &str, name: &str) -> Option<String> {
    pool.user(username).await.and_then(|u| {
        u.user_attributes()
            .iter()
            .find(|a| a.name() == name)
            .and_then(|a| a.value().map(str::to_string))
    })
}

#[tokio::test]
async fn invite_resends_the_invitation_by_the_right_medium_and_refuses_other_users() {
    let pool = TestPool::new(false).await;
    pool.create_invited("ivan", Some("ivan@example.com"), Some("+447700900111"))
        .await;
    pool.create_invited("pia", None, Some("+447700900222"))
        .await;
    pool.sign_up("uma", "uma@example.com", None).await;
    let (_dir, config) = pool_config(&pool, "[pools.test.client_metadata]\nsource = \"desk\"\n");

    let out = cogtui(&config, &["invite", "ivan", "--ticket", "T-1"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).starts_with("Invitation sent to ivan by EMAIL"),
        "{}",
        text(&out.stdout)
    );
    let invites = common::recorded_invites(&pool.pool_id);
    assert_eq!(invites.len(), 1);
    assert_eq!(invites[0]["Username"], "ivan");
    assert_eq!(
        invites[0]["DesiredDeliveryMediums"],
        serde_json::json!(["EMAIL"]),
        "EMAIL is sent explicitly: the API's default is SMS"
    );
    assert_eq!(invites[0]["ClientMetadata"]["source"], "desk");
    assert_eq!(
        attribute(&pool, "ivan", "email").await.as_deref(),
        Some("ivan@example.com"),
        "the user keeps its attributes"
    );
    // Only a phone: SMS. Both on request.
    let out = cogtui(&config, &["invite", "pia", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["mediums"], serde_json::json!(["SMS"]));
    let out = cogtui(&config, &["invite", "ivan", "--medium", "both"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        common::recorded_invites(&pool.pool_id)[2]["DesiredDeliveryMediums"],
        serde_json::json!(["EMAIL", "SMS"])
    );

    // A self sign-up gets a code, not an invitation: refused before any call.
    let out = cogtui(&config, &["invite", "uma"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("uma is UNCONFIRMED, not FORCE_CHANGE_PASSWORD"),
        "{}",
        text(&out.stderr)
    );
    assert!(text(&out.stderr).contains("cogtui resend"));
    assert_eq!(common::recorded_invites(&pool.pool_id).len(), 3);

    let records = common::audit_lines(&config);
    let outcome = records
        .iter()
        .find(|r| r["event"] == "outcome" && r["username"] == "ivan")
        .unwrap();
    assert_eq!(outcome["action"], "invite");
    assert_eq!(outcome["outcome"], "sent");
    assert_eq!(outcome["ticket"], "T-1");
    assert_eq!(outcome["details"]["mediums"], "EMAIL");
}

#[tokio::test]
async fn confirm_needs_a_reason_confirms_and_marks_the_email_verified() {
    let pool = TestPool::new(false).await;
    pool.sign_up("cora", "cora@example.com", Some("+447700900333"))
        .await;
    pool.sign_up("dex", "dex@example.com", None).await;
    let (_dir, config) = pool_config(&pool, "");

    let out = cogtui(&config, &["confirm", "cora"]);
    assert_eq!(out.status.code(), Some(2), "--reason is required");
    assert_eq!(status(&pool, "cora").await, "UNCONFIRMED");

    let out = cogtui(
        &config,
        &[
            "confirm",
            "cora",
            "--reason",
            "called back on the number on file",
            "--verify-phone",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        "Confirmed cora; set email_verified and phone_number_verified\n"
    );
    assert_eq!(status(&pool, "cora").await, "CONFIRMED");
    assert_eq!(
        attribute(&pool, "cora", "email_verified").await.as_deref(),
        Some("true")
    );
    assert_eq!(
        attribute(&pool, "cora", "phone_number_verified")
            .await
            .as_deref(),
        Some("true")
    );
    let out = cogtui(
        &config,
        &["confirm", "dex", "--reason", "ID seen", "--no-verify-email"],
    );
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(attribute(&pool, "dex", "email_verified").await, None);

    // Confirming twice: refused with what to do instead.
    let out = cogtui(&config, &["confirm", "cora", "--reason", "again"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("cora is CONFIRMED"),
        "{}",
        text(&out.stderr)
    );

    let records = common::audit_lines(&config);
    let outcome = records
        .iter()
        .find(|r| r["event"] == "outcome" && r["username"] == "cora")
        .unwrap();
    assert_eq!(outcome["action"], "confirm");
    assert_eq!(outcome["outcome"], "done");
    assert_eq!(outcome["reason"], "called back on the number on file");
    assert_eq!(outcome["details"]["confirmed"], "yes");
}

#[tokio::test]
async fn set_contact_validates_changes_and_resends_to_the_new_address() {
    let pool = TestPool::new(false).await;
    pool.sign_up("eve", "eve@exmaple.con", None).await;
    let (_dir, config) = pool_config(&pool, "");

    for bad in [
        ["--email", "eve.example.com"],
        ["--email", "eve@example"],
        ["--phone", "07700900123"],
        ["--phone", "+44 7700 900123"],
    ] {
        let mut args = vec!["set-contact", "eve"];
        args.extend(bad);
        let out = cogtui(&config, &args);
        assert_eq!(out.status.code(), Some(2), "{bad:?}");
        assert!(text(&out.stderr).contains(bad[0]), "{}", text(&out.stderr));
    }
    assert_eq!(
        attribute(&pool, "eve", "email").await.as_deref(),
        Some("eve@exmaple.con"),
        "nothing changed on bad input"
    );

    let out = cogtui(
        &config,
        &[
            "set-contact",
            "eve",
            "--email",
            "eve@example.com",
            "--resend",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(
        stdout.starts_with("Changed eve's email from eve@exmaple.con to eve@example.com\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("Code sent by EMAIL to e***@e***.com"),
        "{stdout}"
    );
    assert_eq!(
        attribute(&pool, "eve", "email").await.as_deref(),
        Some("eve@example.com")
    );
    let actions: Vec<String> = common::audit_lines(&config)
        .iter()
        .filter(|r| r["event"] == "outcome")
        .map(|r| {
            format!(
                "{}:{}",
                r["action"].as_str().unwrap(),
                r["outcome"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(actions, ["set-contact:done", "resend:sent"]);

    // --redact masks the fixed address in the history and the user's address in diagnose.
    let out = cogtui(&config, &["--redact", "history", "--format", "json"]);
    let history = text(&out.stdout);
    assert!(history.contains("\"value\":\"e***@e***.com\""), "{history}");
    assert!(!history.contains("eve@example.com"), "{history}");
    let out = cogtui(
        &config,
        &["--redact", "diagnose", "--user", "eve", "--format", "json"],
    );
    let report = text(&out.stdout);
    assert!(
        report.contains("The code goes by email to e***@e***.com"),
        "{report}"
    );
    assert!(!report.contains("eve@example.com"), "{report}");
}

#[tokio::test]
async fn redact_masks_set_contact_output_usernames_that_are_addresses_and_metadata_in_history() {
    let pool = TestPool::new(false).await;
    pool.sign_up("zoe@mail.example", "zoe@typo.example", None)
        .await;
    let (_dir, config) = pool_config(&pool, "");
    let out = cogtui(
        &config,
        &[
            "--redact",
            "set-contact",
            "zoe@mail.example",
            "--email",
            "zoe@fixed.example",
            "--resend",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(
        stdout.starts_with(
            "Changed z***@m***.example's email from z***@t***.example to z***@f***.example"
        ),
        "{stdout}"
    );
    assert!(!stdout.contains("zoe@"), "{stdout}");
    // The real address went to Cognito.
    assert_eq!(
        attribute(&pool, "zoe@mail.example", "email")
            .await
            .as_deref(),
        Some("zoe@fixed.example")
    );
    let out = cogtui(&config, &["--redact", "history", "--format", "json"]);
    let history = text(&out.stdout);
    assert!(!history.contains("zoe@"), "{history}");
    assert!(
        history.contains("\"username\":\"z***@m***.example\""),
        "{history}"
    );
    let out = cogtui(&config, &["--redact", "list", "--format", "csv"]);
    assert!(!text(&out.stdout).contains("zoe@"), "{}", text(&out.stdout));
}

#[tokio::test]
async fn read_only_refuses_every_action_before_any_call() {
    let pool = TestPool::new(false).await;
    pool.sign_up("ron", "ron@example.com", None).await;
    pool.create_invited("ria", Some("ria@example.com"), None)
        .await;
    let (_dir, config) = pool_config(&pool, "");
    let before = common::requests_for(&pool.pool_id).len();
    let attempts: [&[&str]; 5] = [
        &["--read-only", "resend", "ron"],
        &["resend", "ron", "--read-only"],
        &["--read-only", "invite", "ria"],
        &["--read-only", "confirm", "ron", "--reason", "x"],
        &[
            "--read-only",
            "set-contact",
            "ron",
            "--email",
            "r@example.com",
        ],
    ];
    for args in attempts {
        let out = cogtui(&config, args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(
            text(&out.stderr).contains("nothing was done"),
            "{}",
            text(&out.stderr)
        );
    }
    // The environment and the pool's own setting do the same, in the spellings teams use.
    let with_env = |value: &str, args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_cogtui"))
            .args(["--config", config.to_str().unwrap()])
            .args(args)
            .env("COGTUI_READ_ONLY", value)
            .env("XDG_DATA_HOME", config.with_extension("data"))
            .env("AWS_ACCESS_KEY_ID", "test")
            .env("AWS_SECRET_ACCESS_KEY", "test")
            .output()
            .unwrap()
    };
    for value in ["1", "true", "yes", "on", "TRUE"] {
        let out = with_env(value, &["resend", "ron"]);
        assert_eq!(out.status.code(), Some(2), "{value}: {}", text(&out.stderr));
        assert!(
            text(&out.stderr).contains("COGTUI_READ_ONLY) is set: nothing was done"),
            "{value}: {}",
            text(&out.stderr)
        );
    }
    let (_dir2, pool_ro) = pool_config(&pool, "read_only = true\n");
    let out = cogtui(&pool_ro, &["confirm", "ron", "--reason", "x"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("read_only = true"));

    assert_eq!(
        common::requests_for(&pool.pool_id).len(),
        before,
        "no call reached Cognito"
    );
    assert!(common::recorded_requests(&pool.client_id).is_empty());
    assert!(common::audit_lines(&config).is_empty());
    // Reading still works.
    let out = cogtui(&config, &["--read-only", "list"]);
    assert_eq!(out.status.code(), Some(0));
    // Off is off: the confirmation goes as far as its look (and finds nobody to confirm).
    for value in ["0", "false", "no", "off"] {
        let out = with_env(value, &["confirm", "nobody", "--reason", "x"]);
        assert_eq!(out.status.code(), Some(1), "{value}: {}", text(&out.stderr));
        assert!(
            text(&out.stderr).contains("UserGone: nobody is not in the pool"),
            "{value}: {}",
            text(&out.stderr)
        );
    }
}

#[tokio::test]
async fn resend_explains_by_status_when_cognito_says_already_confirmed() {
    let pool = TestPool::new(false).await;
    pool.create_invited("invy", Some("invy@example.com"), None)
        .await;
    pool.sign_up("conny", "conny@example.com", None).await;
    pool.confirm("conny").await;
    let (_dir, config) = pool_config(&pool, "");
    let out = cogtui(&config, &["resend", "invy"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(
        stderr.starts_with("error: UnsupportedUserState: invy is FORCE_CHANGE_PASSWORD"),
        "{stderr}"
    );
    assert!(stderr.contains("cogtui invite invy"), "{stderr}");
    assert!(!stderr.contains("this user has confirmed"), "{stderr}");
    let out = cogtui(&config, &["resend", "conny"]);
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("conny is CONFIRMED: nothing to resend"),
        "{stderr}"
    );
    assert!(
        stderr.contains("hint: nothing to resend: this user has confirmed"),
        "{stderr}"
    );
}

#[tokio::test]
async fn list_takes_sign_up_time_bounds_and_sorts_newest_first_on_request() {
    let pool = TestPool::new(false).await;
    for name in ["t.old", "t.mid", "t.new"] {
        pool.sign_up(name, &format!("{name}@example.com"), None)
            .await;
    }
    common::backdate(
        &pool.pool_id,
        &[("t.old", 20.0 * 86_400.0), ("t.mid", 5.0 * 86_400.0)],
    );
    let (_dir, config) = pool_config(&pool, "");
    let names = |args: &[&str]| -> Vec<String> {
        let mut all = vec!["list", "--format", "json"];
        all.extend(args);
        let out = cogtui(&config, &all);
        assert!(out.status.success(), "{}", text(&out.stderr));
        text(&out.stdout)
            .lines()
            .map(|l| {
                serde_json::from_str::<serde_json::Value>(l).unwrap()["username"]
                    .as_str()
                    .unwrap()
                    .to_string()
            })
            .collect()
    };
    assert_eq!(names(&["--older-than", "7d"]), ["t.old"]);
    assert_eq!(
        names(&["--newer-than", "7d", "--sort", "created"]),
        ["t.new", "t.mid"]
    );
    assert_eq!(
        names(&["--older-than", "1d", "--newer-than", "10d"]),
        ["t.mid"]
    );
    assert_eq!(names(&["--sort", "created"]), ["t.new", "t.mid", "t.old"]);
    let out = cogtui(&config, &["list", "--older-than", "a week"]);
    assert_eq!(out.status.code(), Some(2));
    // prune takes the same window.
    let out = cogtui(
        &config,
        &[
            "prune",
            "--older-than",
            "1d",
            "--newer-than",
            "10d",
            "--dry-run",
        ],
    );
    assert_eq!(text(&out.stdout).lines().count(), 1);
    assert!(
        text(&out.stdout).starts_with("would delete t.mid"),
        "{}",
        text(&out.stdout)
    );
}

#[tokio::test]
async fn stats_counts_the_pile_and_calls_out_a_bot_wave() {
    let pool = TestPool::new(false).await;
    let bots: Vec<(String, String)> = (0..30)
        .map(|i| (format!("bot{i:02}"), format!("bot{i:02}@botmail.example")))
        .collect();
    for chunk in bots.chunks(10) {
        futures::future::join_all(chunk.iter().map(|(b, e)| pool.sign_up(b, e, None))).await;
    }
    let people = pool.sign_up_many("person", 20).await;
    let ages: Vec<(&str, f64)> = people
        .iter()
        .enumerate()
        .map(|(i, p)| (p.as_str(), (i as f64 + 1.0) * 86_400.0 + 3600.0))
        .collect();
    common::backdate(&pool.pool_id, &ages);
    let (_dir, config) = pool_config(&pool, "");
    let out = cogtui(&config, &["stats", "--format", "json"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["total"], 50);
    assert_eq!(v["complete"], true);
    assert_eq!(
        v["by_domain"][0],
        serde_json::json!({"domain": "botmail.example", "count": 30})
    );
    assert_eq!(
        v["by_age"][0],
        serde_json::json!({"bucket": "<1h", "count": 30})
    );
    let by_age_total: u64 = v["by_age"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["count"].as_u64().unwrap())
        .sum();
    assert_eq!(by_age_total, 50);
    assert_eq!(
        v["by_medium"][0],
        serde_json::json!({"medium": "email", "count": 50})
    );
    assert_eq!(v["disabled"], 0);
    assert!(v["by_day"].as_array().unwrap().len() >= 20);

    let out = cogtui(&config, &["stats"]);
    let report = text(&out.stdout);
    assert!(report.contains("likely bot wave"), "{report}");
    assert!(report.contains("botmail.example"), "{report}");
    // Time bounds as for list.
    let out = cogtui(
        &config,
        &["stats", "--format", "json", "--older-than", "1d"],
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["total"], 20);
}

#[tokio::test]
async fn disable_and_enable_switch_pending_users_and_leave_real_accounts_alone() {
    let pool = TestPool::new(false).await;
    pool.sign_up("bot1", "bot1@spam.example", None).await;
    pool.sign_up("bot2", "bot2@spam.example", None).await;
    pool.sign_up("real", "real@example.com", None).await;
    pool.confirm("real").await;
    let (_dir, config) = pool_config(&pool, "");
    let enabled = |name: &'static str| {
        let pool = &pool;
        async move { pool.user(name).await.map(|u| u.enabled()) }
    };

    let out = cogtui(
        &config,
        &[
            "disable",
            "bot1",
            "bot2",
            "real",
            "--reason",
            "wave",
            "--dry-run",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let said = text(&out.stdout);
    assert!(
        said.contains("would disable bot1") && said.contains("would disable bot2"),
        "{said}"
    );
    assert!(
        said.contains("would skip real: real is CONFIRMED"),
        "{said}"
    );
    assert_eq!(
        enabled("bot1").await,
        Some(true),
        "a dry run changes nothing"
    );

    // Several users and no terminal: --yes is needed.
    let out = cogtui(&config, &["disable", "bot1", "bot2", "--reason", "wave"]);
    assert_eq!(out.status.code(), Some(2));
    let out = cogtui(
        &config,
        &[
            "disable", "bot1", "bot2", "real", "--reason", "wave", "--ticket", "ABUSE-3", "--yes",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("disabled 2 · skipped 1"), "{stderr}");
    assert!(
        stderr.contains("skipped real: real is CONFIRMED"),
        "{stderr}"
    );
    assert_eq!(enabled("bot1").await, Some(false));
    assert_eq!(enabled("bot2").await, Some(false));
    assert_eq!(
        enabled("real").await,
        Some(true),
        "a confirmed account is left alone"
    );

    // One user goes without a confirmation; a reason is required.
    let out = cogtui(&config, &["enable", "bot2", "--reason", " "]);
    assert_eq!(out.status.code(), Some(2));
    let out = cogtui(
        &config,
        &["enable", "bot2", "--reason", "a real person after all"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(enabled("bot2").await, Some(true));
    let records: Vec<String> = common::audit_lines(&config)
        .iter()
        .filter(|r| r["event"] == "outcome")
        .map(|r| {
            format!(
                "{} {} {}",
                r["action"].as_str().unwrap(),
                r["username"].as_str().unwrap(),
                r["outcome"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(
        records,
        ["disable bot1 done", "disable bot2 done", "enable bot2 done"]
    );
}
