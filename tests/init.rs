//! `cogtui init` against the emulator: from no config to one `cogtui diagnose` accepts, picked
//! in a pseudo-terminal or given as flags; the secret's source asked, the secret never written;
//! a denied listing met with the flag to use instead.

mod common;

use std::path::Path;
use std::time::Duration;

use common::pty::Tui;
use common::{TestPool, endpoint, inject_faults, text};
use serde_json::json;

/// The tests here list every pool (or deny the listing): one at a time.
static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

fn init(config: &Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_cogtui"))
        .arg("--config")
        .arg(config)
        .arg("--log-file")
        .arg(config.with_extension("log"))
        .args(["--endpoint-url", &endpoint(), "--region", "eu-west-1"])
        .arg("init")
        .args(args)
        .env("AWS_ACCESS_KEY_ID", "test")
        .env("AWS_SECRET_ACCESS_KEY", "test")
        .env_remove("AWS_PROFILE")
        .env_remove("AWS_ENDPOINT_URL")
        .stdin(std::process::Stdio::null())
        .output()
        .expect("run cogtui init")
}

fn diagnose(config: &Path, args: &[&str]) -> std::process::Output {
    common::run_cogtui(config, None, None, &[args, &["diagnose"]].concat())
}

#[tokio::test]
async fn flags_write_a_config_that_diagnose_accepts_and_never_the_secret() {
    let _one = ONE_AT_A_TIME.lock().await;
    let pool = TestPool::new(true).await;
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("cogtui").join("config.toml");
    let ids = ["--pool-id", &pool.pool_id, "--client-id", &pool.client_id];
    // A client with a secret and no terminal: init asks for the source, writes nothing.
    let out = init(&config, &ids);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("--secret-from"));
    assert!(!config.exists());

    let out = init(
        &config,
        &[&ids[..], &["--secret-from", "env:PROD_SECRET"]].concat(),
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("export PROD_SECRET="), "{stdout}");
    assert!(stdout.contains("diagnose"), "{stdout}");
    let written = std::fs::read_to_string(&config).unwrap();
    assert!(
        written.contains("client_secret_env = \"PROD_SECRET\""),
        "{written}"
    );
    assert!(written.contains(&pool.pool_id) && written.contains(&pool.client_id));
    let secret = pool.secret.as_ref().unwrap().expose().to_string();
    assert!(!written.contains(&secret), "the secret is never written");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&config).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    // The config works: diagnose reads it and reaches the pool (with the secret in place).
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_cogtui"))
        .arg("--config")
        .arg(&config)
        .arg("--log-file")
        .arg(config.with_extension("log"))
        .args(["diagnose", "--format", "json"])
        .env("AWS_ACCESS_KEY_ID", "test")
        .env("AWS_SECRET_ACCESS_KEY", "test")
        .env("PROD_SECRET", &secret)
        .env_remove("AWS_PROFILE")
        .output()
        .unwrap();
    let report = text(&out.stdout);
    assert!(
        report.contains("The client secret is configured"),
        "{report}{}",
        text(&out.stderr)
    );

    // Again: refused without --force or --add.
    let out = init(&config, &[&ids[..], &["--secret-from", "fetch"]].concat());
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("--force"),
        "{}",
        text(&out.stderr)
    );
    // --force keeps the old one as .bak.
    let out = init(
        &config,
        &[&ids[..], &["--secret-from", "fetch", "--force"]].concat(),
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let bak = config.with_file_name("config.toml.bak");
    assert_eq!(std::fs::read_to_string(&bak).unwrap(), written);
    assert!(
        std::fs::read_to_string(&config)
            .unwrap()
            .contains("fetch_client_secret = true")
    );
    // --add: a second pool beside the first, used with --pool.
    let other = TestPool::new(false).await;
    let out = init(
        &config,
        &[
            "--pool-id",
            &other.pool_id,
            "--client-id",
            &other.client_id,
            // --pool names it, as the other commands take it.
            "--pool",
            "staging",
            "--add",
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("--pool staging"));
    let out = diagnose(&config, &["--pool", "staging"]);
    assert_ne!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("no secret"),
        "{}",
        text(&out.stdout)
    );
}

#[tokio::test]
async fn a_denied_pool_listing_says_which_action_and_what_to_type_instead() {
    let _one = ONE_AT_A_TIME.lock().await;
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    inject_faults(json!([{"operation": "ListUserPools", "fault": "denied", "calls": [1]}]));
    let out = init(&config, &[]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("cognito-idp:ListUserPools is denied"),
        "{stderr}"
    );
    assert!(stderr.contains("--pool-id"), "{stderr}");
    assert!(!config.exists());
    // A pool whose clients cannot be listed: the same for --client-id.
    let pool = TestPool::new(false).await;
    inject_faults(json!([
        {"operation": "ListUserPoolClients", "pool": pool.pool_id, "fault": "denied"}
    ]));
    let out = init(&config, &["--pool-id", &pool.pool_id]);
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("cognito-idp:ListUserPoolClients is denied"),
        "{stderr}"
    );
    assert!(stderr.contains("--client-id"), "{stderr}");
}

#[tokio::test]
async fn the_pool_and_the_secret_source_are_picked_from_lists_in_a_terminal() {
    let _one = ONE_AT_A_TIME.lock().await;
    let _other = TestPool::new(false).await;
    let pool = TestPool::new(true).await;
    // Where the pool is in the list the picker shows.
    let pools = pool
        .admin
        .list_user_pools()
        .max_results(60)
        .send()
        .await
        .unwrap();
    let mut ids: Vec<String> = pools
        .user_pools()
        .iter()
        .filter_map(|p| p.id().map(str::to_string))
        .collect();
    let mut token = pools.next_token().map(str::to_string);
    while let Some(t) = token.take() {
        let more = pool
            .admin
            .list_user_pools()
            .max_results(60)
            .next_token(t)
            .send()
            .await
            .unwrap();
        ids.extend(
            more.user_pools()
                .iter()
                .filter_map(|p| p.id().map(str::to_string)),
        );
        token = more.next_token().map(str::to_string);
    }
    let at = ids.iter().position(|id| *id == pool.pool_id).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    let url = endpoint();
    let mut pty = Tui::start_with(
        &config,
        &["--endpoint-url", &url, "--region", "eu-west-1", "init"],
    );
    pty.wait_for("Which user pool?");
    pty.wait_for("Enter take");
    for _ in 0..at {
        pty.send("j");
    }
    pty.wait_for("▸ test-");
    pty.send("\r");
    // One app client: taken. The client has a secret: where from?
    let screen = pty.wait_for("Where will cogtui get it?");
    assert!(screen.contains("environment variable"), "{screen}");
    pty.send("\r");
    let screen = pty.wait_for("next:");
    assert!(screen.contains("diagnose"), "{screen}");
    assert!(pty.wait_exit(Duration::from_secs(10)).success());
    let written = std::fs::read_to_string(&config).unwrap();
    assert!(written.contains(&pool.pool_id), "{written}");
    assert!(
        written.contains("client_secret_env = \"COGTUI_"),
        "{written}"
    );
}
