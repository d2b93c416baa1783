//! `scripts/demo`, the README's first command, run as a newcomer runs it: with a release build
//! already there it builds nothing; the env file it names works on one line
//! (`source …/demo.env && cogtui …`, so `cogtui` is on PATH, not an alias); and the demo's audit
//! log outlives the demo.
//!
//! The app the demo starts is a stand-in script put where the release build goes (the demo uses
//! a release build newer than the sources as it is): it does what an operator does from another
//! terminal while the demo runs, with the real cogtui behind `cogtui` on the env file's PATH.

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The stand-in: as the demo's app (`--config …`) it sources the env file the notice names and
/// runs headless commands; as `cogtui` on that PATH it is the real binary.
fn stand_in(dir: &Path, real: &str, out: &Path) -> PathBuf {
    let release = dir.join("release");
    std::fs::create_dir_all(&release).unwrap();
    let script = release.join("cogtui");
    let text = format!(
        r#"#!/usr/bin/env bash
set -euo pipefail
if [ "${{1:-}}" != "--config" ]; then
    exec "{real}" "$@"
fi
out="{out}"
echo "$COGTUI_NOTICE" > "$out/notice"
env_file=${{COGTUI_NOTICE##* }}
# One line, from a fresh shell, as the README and the notice say.
bash -c "source '$env_file' && type -t cogtui && cogtui list --format json" > "$out/list" 2> "$out/list.err"
user=$(python3 -c 'import json, sys; print(json.loads(sys.stdin.readline())["username"])' < <(tail -n +2 "$out/list"))
bash -c "source '$env_file' && cogtui resend '$user' --ticket DEMO-1" > "$out/resend" 2>&1
echo "$user" > "$out/user"
"#,
        out = out.display()
    );
    std::fs::write(&script, text).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    script
}

#[test]
fn the_demo_uses_a_release_build_and_its_env_file_and_audit_log_work_as_the_readme_says() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    std::fs::create_dir_all(&out).unwrap();
    stand_in(dir.path(), env!("CARGO_BIN_EXE_cogtui"), &out);
    let kept = root().join("target/emulator/demo-audit.jsonl");
    let log = cogtui::audit::AuditLog::shared(&kept);
    let audit_text = |log: &cogtui::audit::AuditLog| -> String {
        log.files(None)
            .iter()
            .map(|f| std::fs::read_to_string(f).unwrap_or_default())
            .collect()
    };
    let before = audit_text(&log);
    let run = Command::new("bash")
        .arg(root().join("scripts/demo"))
        .env("CARGO_TARGET_DIR", dir.path())
        .env_remove("COGTUI_CONFIG")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{stderr}");
    // Built nothing: the release build was newer than every source.
    assert!(stderr.contains("using the release build"), "{stderr}");
    assert!(!stderr.contains("building cogtui"), "{stderr}");

    let read = |name: &str| std::fs::read_to_string(out.join(name)).unwrap_or_default();
    let notice = read("notice");
    assert!(
        notice.starts_with("headless against this demo, from another terminal: source "),
        "{notice}"
    );
    let list = read("list");
    let mut lines = list.lines();
    assert_eq!(
        lines.next(),
        Some("file"),
        "cogtui is on PATH, not an alias"
    );
    let users = lines.count();
    assert!(
        users >= 300,
        "the seeded pool: {users} users\n{}",
        read("list.err")
    );
    let user = read("user");

    // The demo's folder went; its audit log stayed, where the demo said.
    let env_file = notice.trim().rsplit(' ').next().unwrap().to_string();
    assert!(
        !Path::new(&env_file).exists(),
        "the demo's folder is removed"
    );
    assert!(
        stderr.contains(&format!(
            "the demo's audit log is kept for the next demo: {}",
            kept.with_file_name("demo-audit-*.jsonl").display()
        )),
        "{stderr}"
    );
    let after = audit_text(&log);
    let new = &after[before.len()..];
    assert!(
        new.contains(&format!("\"username\":\"{}\"", user.trim())) && new.contains("DEMO-1"),
        "{new}"
    );
}
