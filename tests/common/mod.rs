//! Shared by the tests that run against the local emulator (started by scripts/test).
#![allow(dead_code)]

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

use aws_sdk_cognitoidentityprovider as cip;
use cip::config::{BehaviorVersion, Credentials, Region};
use cip::types::{AttributeType, VerifiedAttributeType};
use cogtui::cognito::sdk::SdkCognito;
use cogtui::cognito::secret_hash;
use cogtui::secret::ClientSecret;

pub mod pty;

pub const REGION: &str = "eu-west-1";

/// The emulator's URL. A test that needs it fails (never skips) without it.
pub fn endpoint() -> String {
    std::env::var("COGTUI_TEST_ENDPOINT").unwrap_or_else(|_| {
        panic!(
            "COGTUI_TEST_ENDPOINT is not set: these tests need the local Cognito emulator; \
             run them with scripts/test, which installs and starts it"
        )
    })
}

/// The file the emulator appends every ResendConfirmationCode request to.
pub fn record_path() -> PathBuf {
    std::env::var("COGTUI_TEST_RECORD")
        .map(PathBuf::from)
        .unwrap_or_else(|_| {
            panic!("COGTUI_TEST_RECORD is not set: run the tests with scripts/test")
        })
}

/// Every recorded request for this client id, oldest first.
pub fn recorded_requests(client_id: &str) -> Vec<serde_json::Value> {
    let text = std::fs::read_to_string(record_path()).unwrap_or_default();
    text.lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|v| v["ClientId"] == client_id)
        .collect()
}

pub fn admin_client() -> cip::Client {
    let config = cip::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new(REGION))
        .endpoint_url(endpoint())
        .credentials_provider(Credentials::new("test", "test", None, None, "tests"))
        .build();
    cip::Client::from_conf(config)
}

pub struct TestPool {
    pub admin: cip::Client,
    pub pool_id: String,
    pub client_id: String,
    pub secret: Option<ClientSecret>,
}

static POOLS: AtomicUsize = AtomicUsize::new(0);

impl TestPool {
    /// A fresh pool that verifies email and phone, with an app client (with a secret or not).
    pub async fn new(with_secret: bool) -> Self {
        let admin = admin_client();
        let n = POOLS.fetch_add(1, Ordering::SeqCst);
        let pool = admin
            .create_user_pool()
            .pool_name(format!("test-{}-{n}", std::process::id()))
            .auto_verified_attributes(VerifiedAttributeType::Email)
            .auto_verified_attributes(VerifiedAttributeType::PhoneNumber)
            .send()
            .await
            .expect("create pool");
        let pool_id = pool
            .user_pool()
            .and_then(|p| p.id())
            .expect("pool id")
            .to_string();
        Self::with_client(admin, pool_id, "tests", with_secret).await
    }

    /// A pool made elsewhere (with settings of a test's own), given an app client.
    pub async fn with_client(
        admin: cip::Client,
        pool_id: String,
        client_name: &str,
        with_secret: bool,
    ) -> Self {
        let client = admin
            .create_user_pool_client()
            .user_pool_id(&pool_id)
            .client_name(client_name)
            .generate_secret(with_secret)
            .send()
            .await
            .expect("create client");
        let client = client.user_pool_client().expect("client");
        Self {
            pool_id,
            client_id: client.client_id().expect("client id").to_string(),
            secret: client.client_secret().map(ClientSecret::new),
            admin,
        }
    }

    pub fn api(&self) -> SdkCognito {
        SdkCognito::new(self.admin.clone(), &self.pool_id)
    }

    /// Signs a user up (UNCONFIRMED) with the given email and optional phone.
    pub async fn sign_up(&self, username: &str, email: &str, phone: Option<&str>) {
        let mut attrs = vec![attr("email", email), attr("name", username)];
        if let Some(phone) = phone {
            attrs.push(attr("phone_number", phone));
        }
        self.admin
            .sign_up()
            .client_id(&self.client_id)
            .set_secret_hash(
                self.secret
                    .as_ref()
                    .map(|s| secret_hash::compute(s, username, &self.client_id)),
            )
            .username(username)
            .password("Test-password-1!")
            .set_user_attributes(Some(attrs))
            .send()
            .await
            .expect("sign up");
    }

    /// Signs up `n` users named `{prefix}{i:03}`, a few at a time.
    pub async fn sign_up_many(&self, prefix: &str, n: usize) -> Vec<String> {
        let names: Vec<String> = (0..n).map(|i| format!("{prefix}{i:03}")).collect();
        for chunk in names.chunks(16) {
            futures::future::join_all(chunk.iter().map(|name| async move {
                self.sign_up(name, &format!("{name}@example.com"), None)
                    .await
            }))
            .await;
        }
        names
    }

    /// A user an administrator created: FORCE_CHANGE_PASSWORD, no message sent.
    pub async fn create_invited(&self, username: &str, email: Option<&str>, phone: Option<&str>) {
        let mut attrs = vec![attr("name", username)];
        if let Some(email) = email {
            attrs.push(attr("email", email));
        }
        if let Some(phone) = phone {
            attrs.push(attr("phone_number", phone));
        }
        self.admin
            .admin_create_user()
            .user_pool_id(&self.pool_id)
            .username(username)
            .set_user_attributes(Some(attrs))
            .message_action(aws_sdk_cognitoidentityprovider::types::MessageActionType::Suppress)
            .send()
            .await
            .expect("admin create user");
    }

    /// AdminGetUser as the test sees it: status and attributes.
    pub async fn user(
        &self,
        username: &str,
    ) -> Option<aws_sdk_cognitoidentityprovider::operation::admin_get_user::AdminGetUserOutput>
    {
        self.admin
            .admin_get_user()
            .user_pool_id(&self.pool_id)
            .username(username)
            .send()
            .await
            .ok()
    }

    pub async fn disable(&self, username: &str) {
        self.admin
            .admin_disable_user()
            .user_pool_id(&self.pool_id)
            .username(username)
            .send()
            .await
            .expect("disable");
    }

    pub async fn confirm(&self, username: &str) {
        self.admin
            .admin_confirm_sign_up()
            .user_pool_id(&self.pool_id)
            .username(username)
            .send()
            .await
            .expect("confirm");
    }

    /// Writes the app client's secret to a file only its owner can read.
    pub fn write_secret_file(&self, dir: &std::path::Path) -> PathBuf {
        let path = dir.join("client.secret");
        std::fs::write(
            &path,
            self.secret
                .as_ref()
                .expect("a client with a secret")
                .expose(),
        )
        .expect("write secret");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600))
                .expect("chmod 600");
        }
        path
    }

    /// A config file for this pool, for tests that run the binary. Its audit log is
    /// `audit.jsonl` beside it.
    pub fn config_toml(&self, extra: &str) -> String {
        format!(
            "default_pool = \"test\"\naudit_log = \"audit.jsonl\"\n\n[pools.test]\nuser_pool_id = \"{}\"\nclient_id = \"{}\"\n\
             endpoint_url = \"{}\"\n{extra}\n",
            self.pool_id,
            self.client_id,
            endpoint()
        )
    }
}

pub fn attr(name: &str, value: &str) -> AttributeType {
    AttributeType::builder()
        .name(name)
        .value(value)
        .build()
        .expect("attribute")
}

/// Adds fault rules to the emulator (see emulator/faults.py), scoped by the rules' `pool`.
pub fn inject_faults(rules: serde_json::Value) {
    let reply = emulator_http("POST", "/_cogtui/faults", &rules.to_string());
    assert!(
        reply.starts_with("HTTP/1.1 200") || reply.starts_with("HTTP/1.0 200"),
        "{reply}"
    );
}

/// The AdminCreateUser RESEND requests the emulator received for this pool.
pub fn recorded_invites(pool_id: &str) -> Vec<serde_json::Value> {
    let text = std::fs::read_to_string(record_path()).unwrap_or_default();
    text.lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|r| r["Operation"] == "AdminCreateUser" && r["UserPoolId"] == pool_id)
        .collect()
}

/// Makes users look as if they signed up `seconds` ago (the API cannot set creation times).
pub fn backdate(pool_id: &str, ages: &[(&str, f64)]) {
    let ages: serde_json::Map<String, serde_json::Value> = ages
        .iter()
        .map(|(u, s)| (u.to_string(), serde_json::json!(s)))
        .collect();
    let body = serde_json::json!({"pool": pool_id, "ages": ages});
    let reply = emulator_http("POST", "/_cogtui/backdate", &body.to_string());
    assert!(reply.contains(" 200 "), "{reply}");
}

/// Sets pool fields only the service writes (SmsConfigurationFailure, EmailConfigurationFailure).
pub fn set_pool_fields(pool_id: &str, fields: serde_json::Value) {
    let body = serde_json::json!({"pool": pool_id, "fields": fields});
    let reply = emulator_http("POST", "/_cogtui/pool-fields", &body.to_string());
    assert!(reply.contains(" 200 "), "{reply}");
}

/// Sets the state of the services past Cognito: `/_cogtui/ses` or `/_cogtui/sns` (see
/// emulator/delivery.py).
pub fn delivery_state(path: &str, body: serde_json::Value) {
    let reply = emulator_http("POST", path, &body.to_string());
    assert!(reply.contains(" 200 "), "{reply}");
}

/// The calls the emulator received for this pool, oldest first: `operation`, `time`, `token`.
pub fn requests_for(pool_id: &str) -> Vec<serde_json::Value> {
    let reply = emulator_http("GET", &format!("/_cogtui/requests?pool={pool_id}"), "");
    let body = reply.split("\r\n\r\n").nth(1).unwrap_or("[]");
    serde_json::from_str(body).unwrap_or_else(|e| panic!("bad answer {e}: {reply}"))
}

/// How many calls of `operation` the emulator received for this pool.
pub fn count_calls(pool_id: &str, operation: &str) -> usize {
    requests_for(pool_id)
        .iter()
        .filter(|r| r["operation"] == operation)
        .count()
}

fn emulator_http(method: &str, path: &str, body: &str) -> String {
    use std::io::{Read, Write};
    let url = endpoint();
    let host = url.trim_start_matches("http://").trim_end_matches('/');
    let mut stream = std::net::TcpStream::connect(host).expect("connect to the emulator");
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .expect("write to the emulator");
    let mut reply = String::new();
    stream
        .read_to_string(&mut reply)
        .expect("read the emulator's answer");
    reply
}

/// A command's output as text.
pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A temporary folder with `config.toml` for this pool (and `extra` in its table).
pub fn pool_config(pool: &TestPool, extra: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temporary folder");
    let config = dir.path().join("config.toml");
    std::fs::write(&config, pool.config_toml(extra)).expect("write the config");
    (dir, config)
}

/// Runs the cogtui binary on `config` with test credentials, logging to `log` (next to the
/// config when `None`) at `level` (the default when `None`).
pub fn run_cogtui(
    config: &std::path::Path,
    log: Option<&std::path::Path>,
    level: Option<&str>,
    args: &[&str],
) -> std::process::Output {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_cogtui"));
    cmd.arg("--config")
        .arg(config)
        .arg("--log-file")
        .arg(log.map_or_else(|| config.with_extension("log"), PathBuf::from))
        .args(args)
        .env("AWS_ACCESS_KEY_ID", "test")
        .env("AWS_SECRET_ACCESS_KEY", "test")
        .env_remove("AWS_PROFILE")
        .env_remove("AWS_ENDPOINT_URL")
        // A config without audit_log never writes into the real data directory.
        .env("XDG_DATA_HOME", config.with_extension("data"));
    if let Some(level) = level {
        cmd.env("COGTUI_LOG", level);
    }
    cmd.output().expect("run cogtui")
}

/// One resend through the guard, as the TUI and the CLI send it (fresh look, audit record,
/// one call), with an audit log of its own; `force` passes the five-an-hour refusal so that a
/// test can meet Cognito's own limit.
pub async fn resend<A: cogtui::cognito::CognitoWrite>(
    session: &cogtui::cognito::session::PoolSession<A>,
    username: &str,
    options: cogtui::cognito::ResendOptions,
    force: bool,
) -> Result<cogtui::cognito::Delivery, cogtui::cognito::ApiError> {
    use cogtui::ops::{Action, Answer, Auditor, Request};
    let dir = tempfile::tempdir().expect("temp dir");
    let auditor = Auditor::new(
        cogtui::audit::AuditLog::new(dir.path().join("audit.jsonl")),
        cogtui::audit::Operator::default(),
        false,
    );
    let mut request = Request::new(username, Action::Resend(options));
    request.force = force;
    let done = auditor
        .perform(session, request, cogtui::time::Zone::utc())
        .await;
    done.result.map(|answer| match answer {
        Answer::Delivered(d) => d,
        other => panic!("a resend answered {other:?}"),
    })
}

/// Runs cogtui on `config` with test credentials (the one runner of the test files).
pub fn cogtui(config: &std::path::Path, args: &[&str]) -> std::process::Output {
    run_cogtui(config, None, None, args)
}

/// Runs cogtui with `input` on stdin (and no terminal).
pub fn cogtui_stdin(config: &std::path::Path, args: &[&str], input: &str) -> std::process::Output {
    use std::io::Write;
    use std::process::Stdio;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_cogtui"))
        .arg("--config")
        .arg(config)
        .arg("--log-file")
        .arg(config.with_extension("log"))
        .args(args)
        .env("AWS_ACCESS_KEY_ID", "test")
        .env("AWS_SECRET_ACCESS_KEY", "test")
        .env_remove("AWS_PROFILE")
        .env_remove("AWS_ENDPOINT_URL")
        .env("XDG_DATA_HOME", config.with_extension("data"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run cogtui");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input.as_bytes())
        .expect("write stdin");
    child.wait_with_output().expect("cogtui's output")
}

/// Every record of the audit log beside `config` (the one reader of the test files); a torn
/// line fails the test.
pub fn audit_lines(config: &std::path::Path) -> Vec<serde_json::Value> {
    audit_text(&config.with_file_name("audit.jsonl"))
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("torn line {l:?}: {e}")))
        .collect()
}

/// The text of the audit log configured as `path`: its month files, oldest first.
pub fn audit_text(path: &std::path::Path) -> String {
    cogtui::audit::AuditLog::shared(path)
        .files(None)
        .iter()
        .map(|f| std::fs::read_to_string(f).unwrap_or_default())
        .collect()
}

/// A shared credentials file's profiles, one per name: each the session of an assumed role in
/// the emulator (as SSO role sessions name the person), so each is an AWS identity of its own.
pub async fn assumed_role_profiles(names: &[&str]) -> String {
    let sts = aws_sdk_sts::Client::from_conf(
        aws_sdk_sts::Config::builder()
            .behavior_version(aws_sdk_sts::config::BehaviorVersion::latest())
            .region(aws_sdk_sts::config::Region::new("eu-west-1"))
            .endpoint_url(endpoint())
            .credentials_provider(aws_sdk_sts::config::Credentials::new(
                "test", "test", None, None, "test",
            ))
            .build(),
    );
    let mut credentials = String::new();
    for who in names {
        let out = sts
            .assume_role()
            .role_arn("arn:aws:iam::123456789012:role/support")
            .role_session_name(*who)
            .send()
            .await
            .expect("assume role");
        let c = out.credentials().expect("credentials");
        credentials.push_str(&format!(
            "[{who}]\naws_access_key_id = {}\naws_secret_access_key = {}\naws_session_token = {}\n",
            c.access_key_id(),
            c.secret_access_key(),
            c.session_token()
        ));
    }
    credentials
}
