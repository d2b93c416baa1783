//! The real binary in a pseudo-terminal against the emulator: find a user, add a ClientMetadata
//! pair, send, read where the code went off the screen, and check what Cognito received.

mod common;

use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::TestPool;
use portable_pty::{CommandBuilder, PtySize, native_pty_system};

const COLS: u16 = 100;
const ROWS: u16 = 30;

struct Tui {
    screen: Arc<Mutex<vt100::Parser>>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn portable_pty::Child + Send + Sync>,
}

impl Tui {
    fn start(config: &std::path::Path) -> Self {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows: ROWS,
                cols: COLS,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("open a pty");
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_cogtui"));
        cmd.arg("--config");
        cmd.arg(config);
        cmd.arg("--log-file");
        cmd.arg(config.with_extension("log"));
        cmd.env("TERM", "xterm-256color");
        cmd.env("AWS_ACCESS_KEY_ID", "test");
        cmd.env("AWS_SECRET_ACCESS_KEY", "test");
        cmd.env_remove("AWS_PROFILE");
        let child = pair.slave.spawn_command(cmd).expect("spawn cogtui");
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().expect("pty reader");
        let writer = pair.master.take_writer().expect("pty writer");
        let screen = Arc::new(Mutex::new(vt100::Parser::new(
            std::num::NonZero::new(ROWS).unwrap(),
            std::num::NonZero::new(COLS).unwrap(),
            0,
        )));
        let feed = screen.clone();
        std::thread::spawn(move || {
            let _master = pair.master; // keep the pty open while reading
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                feed.lock().unwrap().process(&buf[..n]);
            }
        });
        Self {
            screen,
            writer,
            child,
        }
    }

    fn contents(&self) -> String {
        self.screen.lock().unwrap().screen().contents()
    }

    /// Waits until the screen shows `text`, or fails with what it shows instead.
    fn wait_for(&self, text: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let screen = self.contents();
            if screen.contains(text) {
                return screen;
            }
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {text:?}; the screen shows:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn send(&mut self, keys: &str) {
        self.writer.write_all(keys.as_bytes()).unwrap();
        self.writer.flush().unwrap();
    }
}

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
    let screen = tui.wait_for("ago → z***@e***.org");
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
