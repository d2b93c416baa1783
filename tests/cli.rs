//! The `list` and `resend` commands, run as the real binary against the emulator.

mod common;

use common::text;

use std::path::Path;
use std::process::{Command, Output};

use common::TestPool;
use common::cogtui;

fn write_config(dir: &Path, body: &str) -> std::path::PathBuf {
    let path = dir.join("config.toml");
    std::fs::write(&path, body).unwrap();
    path
}

#[tokio::test]
async fn list_prints_unconfirmed_users_in_every_format() {
    let pool = TestPool::new(false).await;
    pool.sign_up("ann", "ann@example.com", Some("+447700900001"))
        .await;
    pool.sign_up("bea", "bea@example.com", None).await;
    pool.sign_up("cid", "cid@example.com", None).await;
    pool.confirm("cid").await;
    let dir = tempfile::tempdir().unwrap();
    let config = write_config(dir.path(), &pool.config_toml(""));

    let out = cogtui(&config, &["list"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let table = text(&out.stdout);
    assert!(table.starts_with("USERNAME"), "{table}");
    assert!(table.contains("ann") && table.contains("+447700900001") && table.contains("bea"));
    assert!(
        !table.contains("cid"),
        "confirmed users are not listed by default"
    );

    let out = cogtui(&config, &["list", "--format", "json", "--status", "all"]);
    assert!(out.status.success());
    let rows: Vec<serde_json::Value> = text(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rows.len(), 3);
    let ann = rows.iter().find(|r| r["username"] == "ann").unwrap();
    assert_eq!(ann["status"], "UNCONFIRMED");
    assert_eq!(ann["enabled"], true);
    assert_eq!(ann["attributes"]["email"], "ann@example.com");
    let created = ann["created"].as_str().unwrap();
    assert!(
        chrono::DateTime::parse_from_rfc3339(created).is_ok(),
        "{created}"
    );

    let out = cogtui(
        &config,
        &["list", "--format", "csv", "--search", "email^=be"],
    );
    assert!(out.status.success());
    let csv = text(&out.stdout);
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "username,status,enabled,created,modified,email,phone_number,name"
    );
    assert_eq!(lines.len(), 2, "{csv}");
    assert!(lines[1].starts_with("bea,UNCONFIRMED,true,"));
}

#[tokio::test]
async fn resend_prints_the_delivery_and_merges_metadata() {
    let pool = TestPool::new(true).await;
    pool.sign_up("dan", "dan@example.com", None).await;
    let dir = tempfile::tempdir().unwrap();
    let secret = pool.write_secret_file(dir.path());
    let extra = format!(
        "client_secret_file = \"{}\"\n[pools.test.client_metadata]\nsource = \"support-desk\"\nticket = \"default\"\n",
        secret.display()
    );
    let config = write_config(dir.path(), &pool.config_toml(&extra));

    let out = cogtui(
        &config,
        &["resend", "dan", "--meta", "ticket=T-9", "--ip", "192.0.2.1"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(
        stdout.starts_with("Code sent by EMAIL to d***@e***.com (attribute: email)\n"),
        "{stdout}"
    );
    // The reply for the ticket, with what the diagnostics found: the pool sends with Cognito's
    // own sender (moto's default), so the reply names it.
    assert!(
        stdout.contains(
            "\nReply for the ticket:\nWe have sent a new confirmation code by email to \
             d***@e***.com. It is valid for 24 hours; if it is not in your inbox, please check \
             your spam folder. It comes from no-reply@verificationemail.com"
        ),
        "{stdout}"
    );
    let sent = common::recorded_requests(&pool.client_id);
    let last = sent.last().unwrap();
    assert_eq!(
        last["ClientMetadata"]["ticket"], "T-9",
        "the command line wins"
    );
    assert_eq!(last["ClientMetadata"]["source"], "support-desk");
    assert_eq!(last["UserContextData"]["IpAddress"], "192.0.2.1");

    let out = cogtui(&config, &["resend", "dan", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["username"], "dan");
    assert_eq!(v["destination"], "d***@e***.com");
    assert_eq!(v["delivery_medium"], "EMAIL");
    assert_eq!(v["attribute_name"], "email");
    let secret_text = pool.secret.as_ref().unwrap().expose().to_string();
    for output in [&out.stdout, &out.stderr] {
        assert!(
            !text(output).contains(&secret_text),
            "the secret must never be printed"
        );
    }
    let log = std::fs::read_to_string(config.with_extension("log")).unwrap_or_default();
    assert!(
        !log.contains(&secret_text),
        "the secret must never be logged"
    );
}

#[tokio::test]
async fn resend_errors_exit_1_with_code_message_and_hint() {
    let pool = TestPool::new(false).await;
    pool.sign_up("eve", "eve@example.com", None).await;
    pool.confirm("eve").await;
    let dir = tempfile::tempdir().unwrap();
    let config = write_config(dir.path(), &pool.config_toml(""));

    let out = cogtui(&config, &["resend", "eve"]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        err.contains("AlreadyConfirmed: eve is CONFIRMED: nothing to resend."),
        "{err}"
    );
    assert!(
        err.contains("hint: nothing to resend: this user has confirmed"),
        "{err}"
    );
    assert!(out.stdout.is_empty());

    let out = cogtui(&config, &["resend", "nobody", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        v["error"]["code"], "UserGone",
        "the look before the send found nobody"
    );
    assert!(
        v["error"]["hint"]
            .as_str()
            .unwrap()
            .contains("no such user")
    );
    assert!(v["error"]["message"].as_str().is_some());
}

#[test]
fn config_and_usage_errors_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let config = write_config(
        dir.path(),
        "[pools.p]\nuser_pool_id = \"not a pool\"\nclient_id = \"c\"\n",
    );
    let out = cogtui(&config, &["list"]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(
        err.contains("config.toml:2: pools.p.user_pool_id:"),
        "{err}"
    );

    let good = write_config(
        dir.path(),
        "[pools.p]\nuser_pool_id = \"eu-west-1_A\"\nclient_id = \"c\"\n",
    );
    let out = cogtui(&good, &["list", "--search", "custom:plan=gold"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("--search: cannot search on \"custom:plan\""));
    let out = cogtui(&good, &["resend", "x", "--meta", "novalue"]);
    assert_eq!(out.status.code(), Some(2));
    let out = cogtui(&good, &["--pool", "nope", "list"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("no pool named \"nope\""));
}

#[test]
fn list_against_a_dead_endpoint_fails_with_a_hint_in_seconds() {
    let dir = tempfile::tempdir().unwrap();
    let config = write_config(
        dir.path(),
        "[pools.p]\nuser_pool_id = \"eu-west-1_A\"\nclient_id = \"c\"\nendpoint_url = \"http://127.0.0.1:9\"\n",
    );
    let out = cogtui(&config, &["list"]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.contains("hint: cannot reach Cognito"), "{err}");
}

#[test]
fn help_lists_every_command_and_option() {
    let out = Command::new(env!("CARGO_BIN_EXE_cogtui"))
        .arg("--help")
        .output()
        .unwrap();
    let help = text(&out.stdout);
    for word in [
        "list",
        "resend",
        "invite",
        "confirm",
        "set-contact",
        "prune",
        "diagnose",
        "history",
        "stats",
        "--read-only",
        "--redact",
        "--config",
        "--pool",
        "--profile",
        "--region",
        "--endpoint-url",
        "Exit codes",
    ] {
        assert!(help.contains(word), "--help lacks {word}");
    }
    let out = Command::new(env!("CARGO_BIN_EXE_cogtui"))
        .args(["resend", "--help"])
        .output()
        .unwrap();
    let help = text(&out.stdout);
    for word in [
        "--meta",
        "--analytics-endpoint-id",
        "--ip",
        "--encoded-data",
        "--ticket",
        "--force",
        "--stdin",
        "--format",
    ] {
        assert!(help.contains(word), "resend --help lacks {word}");
    }
}

#[test]
fn the_ui_without_a_terminal_explains_itself_instead_of_panicking() {
    let dir = tempfile::tempdir().unwrap();
    let config = write_config(
        dir.path(),
        "[pools.p]\nuser_pool_id = \"eu-west-1_A\"\nclient_id = \"c\"\n",
    );
    let out = cogtui(&config, &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("needs a terminal"),
        "{}",
        text(&out.stderr)
    );
}

#[cfg(unix)]
#[test]
fn the_ui_refuses_a_secret_file_others_can_read_before_it_opens() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let secret = dir.path().join("s");
    std::fs::write(&secret, "x").unwrap();
    std::fs::set_permissions(&secret, std::fs::Permissions::from_mode(0o644)).unwrap();
    let body = format!(
        "[pools.p]\nuser_pool_id = \"eu-west-1_A\"\nclient_id = \"c\"\nclient_secret_file = \"{}\"\n",
        secret.display()
    );
    let config = write_config(dir.path(), &body);
    for args in [&[][..], &["resend", "someone"][..], &["list"][..]] {
        let out = cogtui(&config, args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = text(&out.stderr);
        assert!(
            err.contains("config.toml:4: pools.p.client_secret_file:") && err.contains("chmod 600"),
            "{err}"
        );
    }
}

/// `cogtui` with COGTUI_LOG set, the log file at `log`.
fn cogtui_logged(config: &Path, log: &Path, level: &str, args: &[&str]) -> Output {
    common::run_cogtui(config, Some(log), Some(level), args)
}

#[tokio::test]
async fn at_trace_level_the_log_holds_no_secret_hash_secret_or_metadata_value() {
    let pool = TestPool::new(true).await;
    pool.sign_up("tracy", "tracy@example.com", None).await;
    let dir = tempfile::tempdir().unwrap();
    let secret = pool.write_secret_file(dir.path());
    let config = write_config(
        dir.path(),
        &pool.config_toml(&format!("client_secret_file = \"{}\"\n", secret.display())),
    );
    // The log goes into a folder that does not exist yet: both are created private.
    let log = dir.path().join("logs").join("cogtui.log");
    let out = cogtui_logged(
        &config,
        &log,
        "trace",
        &["resend", "tracy", "--meta", "ticket=MetaValue-7731"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let sent = common::recorded_requests(&pool.client_id);
    let hash = sent.last().unwrap()["SecretHash"]
        .as_str()
        .unwrap()
        .to_string();
    let logged = std::fs::read_to_string(&log).unwrap();
    assert!(
        logged.contains("ResendConfirmationCode"),
        "the log is written at all: {logged}"
    );
    let secret_text = pool.secret.as_ref().unwrap().expose().to_string();
    for (what, needle) in [
        ("the client secret", secret_text.as_str()),
        ("the secret hash", hash.as_str()),
        ("a metadata value", "MetaValue-7731"),
    ] {
        assert!(!logged.contains(needle), "{what} reached the log");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&log), 0o600, "the log file is private");
        assert_eq!(mode(log.parent().unwrap()), 0o700, "its folder is private");
    }
}

#[tokio::test]
async fn json_and_csv_output_cannot_drive_a_terminal_or_a_spreadsheet() {
    let pool = TestPool::new(false).await;
    let hostile = "=HYPERLINK(\"http://x\")\u{1b}[2J\u{85}\u{202e}\u{2028}\u{e0041}";
    pool.admin
        .sign_up()
        .client_id(&pool.client_id)
        .username("hostile")
        .password("Test-password-1!")
        .user_attributes(common::attr("email", "hostile@example.com"))
        .user_attributes(common::attr("name", hostile))
        .user_attributes(common::attr("phone_number", "+447700900123"))
        .send()
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let config = write_config(dir.path(), &pool.config_toml(""));

    let out = cogtui(&config, &["list", "--format", "json"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let json = text(&out.stdout);
    for c in ['\u{1b}', '\u{85}', '\u{202e}', '\u{2028}', '\u{e0041}'] {
        assert!(!json.contains(c), "raw {c:?} in the JSON output");
    }
    let row: serde_json::Value = serde_json::from_str(json.lines().next().unwrap()).unwrap();
    assert_eq!(
        row["attributes"]["name"], hostile,
        "escaped as \\uXXXX, the value decodes unchanged"
    );

    let out = cogtui(&config, &["list", "--format", "csv"]);
    let mut reader = csv::Reader::from_reader(out.stdout.as_slice());
    let headers = reader.headers().unwrap().clone();
    let record = reader.records().next().unwrap().unwrap();
    let field = |name: &str| &record[headers.iter().position(|h| h == name).unwrap()];
    assert!(
        field("name").starts_with("'=HYPERLINK"),
        "a formula is defused: {}",
        field("name")
    );
    assert!(!field("name").chars().any(char::is_control));
    assert_eq!(
        field("phone_number"),
        "'+447700900123",
        "a phone number still reads as one (a spreadsheet hides the apostrophe)"
    );
}

#[tokio::test]
async fn empty_and_required_metadata_are_never_sent_silently() {
    let pool = TestPool::new(false).await;
    pool.sign_up("meta", "meta@example.com", None).await;
    let dir = tempfile::tempdir().unwrap();
    let extra = "required_metadata = [\"ticket\"]\n[pools.test.client_metadata]\nsource = \"desk\"\nagent = \"\"\n";
    let config = write_config(dir.path(), &pool.config_toml(extra));

    let out = cogtui(&config, &["resend", "meta"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("--meta ticket=VALUE"),
        "{}",
        text(&out.stderr)
    );
    let out = cogtui(&config, &["resend", "meta", "--meta", "ticket="]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("empty value"),
        "{}",
        text(&out.stderr)
    );
    assert!(
        common::recorded_requests(&pool.client_id).is_empty(),
        "nothing was sent"
    );

    let out = cogtui(&config, &["resend", "meta", "--meta", "ticket=T-1"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("agent has no value"),
        "{}",
        text(&out.stderr)
    );
    let sent = common::recorded_requests(&pool.client_id);
    let metadata = sent.last().unwrap()["ClientMetadata"].clone();
    assert_eq!(
        metadata,
        serde_json::json!({"source": "desk", "ticket": "T-1"})
    );
}
