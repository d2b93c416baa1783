//! cogtui in a pseudo-terminal, read through a terminal emulator as a person reads the screen.

use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};

pub const COLS: u16 = 100;
pub const ROWS: u16 = 30;

pub struct Tui {
    pub screen: Arc<Mutex<vt100::Parser>>,
    /// Every byte cogtui wrote to the terminal.
    pub raw: Arc<Mutex<Vec<u8>>>,
    pub writer: Box<dyn Write + Send>,
    pub child: Box<dyn portable_pty::Child + Send + Sync>,
}

impl Tui {
    pub fn start(config: &std::path::Path) -> Self {
        Self::start_with(config, &[])
    }

    pub fn start_with(config: &std::path::Path, args: &[&str]) -> Self {
        Self::start_env(config, args, &[])
    }

    pub fn start_env(config: &std::path::Path, args: &[&str], env: &[(&str, &str)]) -> Self {
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
        for arg in args {
            cmd.arg(arg);
        }
        cmd.env("TERM", "xterm-256color");
        cmd.env("AWS_ACCESS_KEY_ID", "test");
        cmd.env("AWS_SECRET_ACCESS_KEY", "test");
        cmd.env_remove("AWS_PROFILE");
        // A config without audit_log never writes into the real data directory.
        cmd.env("XDG_DATA_HOME", config.with_extension("data"));
        // An empty value removes the variable (the credentials above, for a profile's own).
        for (name, value) in env {
            if value.is_empty() {
                cmd.env_remove(name);
            } else {
                cmd.env(name, value);
            }
        }
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
        let raw = Arc::new(Mutex::new(Vec::new()));
        let raw_feed = raw.clone();
        std::thread::spawn(move || {
            let _master = pair.master; // keep the pty open while reading
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                feed.lock().unwrap().process(&buf[..n]);
                raw_feed.lock().unwrap().extend_from_slice(&buf[..n]);
            }
        });
        Self {
            screen,
            raw,
            writer,
            child,
        }
    }

    pub fn contents(&self) -> String {
        self.screen.lock().unwrap().screen().contents()
    }

    /// Waits until the screen shows `text`, or fails with what it shows instead.
    pub fn wait_for(&self, text: &str) -> String {
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

    /// Waits until the screen no longer shows `text`.
    pub fn wait_gone(&self, text: &str) {
        let deadline = Instant::now() + Duration::from_secs(30);
        while self.contents().contains(text) {
            assert!(
                Instant::now() < deadline,
                "{text:?} stayed on screen:\n{}",
                self.contents()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Waits for cogtui to exit; fails after `limit`.
    pub fn wait_exit(&mut self, limit: Duration) -> portable_pty::ExitStatus {
        let deadline = Instant::now() + limit;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(
                Instant::now() < deadline,
                "cogtui did not exit within {limit:?}; the screen shows:\n{}",
                self.contents()
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// Pastes `text` as a terminal with bracketed paste does.
    pub fn paste(&mut self, text: &str) {
        self.send(&format!("\x1b[200~{text}\x1b[201~"));
    }

    pub fn send(&mut self, keys: &str) {
        self.writer.write_all(keys.as_bytes()).unwrap();
        self.writer.flush().unwrap();
    }
}
