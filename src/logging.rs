//! Logs go to a file: stdout and stderr belong to the terminal UI.
//!
//! The file and its folder are private (0600 / 0700). Whatever `COGTUI_LOG` asks for, other
//! crates log at `info` at most: the AWS SDK's debug and trace output holds request bodies, and a
//! ResendConfirmationCode body holds the secret hash and the ClientMetadata.

use std::fs::OpenOptions;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use tracing::{Level, Metadata};
use tracing_subscriber::filter::{EnvFilter, FilterFn};
use tracing_subscriber::layer::{Layer, SubscriberExt};
use tracing_subscriber::util::SubscriberInitExt;

pub const LOG_ENV: &str = "COGTUI_LOG";

pub fn default_path() -> Option<PathBuf> {
    let dirs = directories::ProjectDirs::from("", "", "cogtui")?;
    let dir = dirs.state_dir().unwrap_or_else(|| dirs.cache_dir());
    Some(dir.join("cogtui.log"))
}

/// Only cogtui's own events may be more detailed than `info`.
pub fn allowed(meta: &Metadata<'_>) -> bool {
    meta.target().starts_with("cogtui") || *meta.level() <= Level::INFO
}

/// Starts logging to `path` (or the default). Logging is a help, not a need: if the file cannot
/// be opened, cogtui runs without it.
pub fn init(path: Option<&Path>) -> Option<PathBuf> {
    let path = path.map(Path::to_path_buf).or_else(default_path)?;
    if let Some(dir) = path.parent()
        && !dir.as_os_str().is_empty()
        && !dir.exists()
    {
        create_private_dir(dir).ok()?;
    }
    let file = open_private(&path).ok()?;
    let filter =
        EnvFilter::try_from_env(LOG_ENV).unwrap_or_else(|_| EnvFilter::new("cogtui=info,warn"));
    let layer = tracing_subscriber::fmt::layer()
        .with_ansi(false)
        .with_writer(Mutex::new(file))
        .with_filter(FilterFn::new(allowed));
    tracing_subscriber::registry()
        .with(filter)
        .with(layer)
        .try_init()
        .ok()?;
    Some(path)
}

pub(crate) fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir)
}

/// Appends to the file, creating it readable and writable by its owner only; an existing file
/// that others could read is made private.
fn open_private(path: &Path) -> std::io::Result<std::fs::File> {
    open_private_with(path, false)
}

/// As the log file, and readable too: the audit log checks its own last byte before appending.
pub(crate) fn open_private_rw(path: &Path) -> std::io::Result<std::fs::File> {
    open_private_with(path, true)
}

fn open_private_with(path: &Path, read: bool) -> std::io::Result<std::fs::File> {
    let mut options = OpenOptions::new();
    options.create(true).append(true).read(read);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let file = options.open(path)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if file.metadata()?.permissions().mode() & 0o077 != 0 {
            file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
        }
    }
    Ok(file)
}

#[cfg(test)]
mod tests {
    use std::io::Write;
    use std::sync::{Arc, Mutex};

    use super::*;

    #[derive(Clone, Default)]
    struct Captured(Arc<Mutex<Vec<u8>>>);

    impl Write for Captured {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn other_crates_log_info_at_most_whatever_the_level_asked_for() {
        let out = Captured::default();
        let writer = out.clone();
        let layer = tracing_subscriber::fmt::layer()
            .with_ansi(false)
            .with_writer(move || writer.clone())
            .with_filter(FilterFn::new(allowed));
        let subscriber = tracing_subscriber::registry()
            .with(EnvFilter::new("trace"))
            .with(layer);
        tracing::subscriber::with_default(subscriber, || {
            tracing::debug!(target: "aws_smithy_runtime::client::orchestrator", "body=SECRET-BODY");
            tracing::trace!(target: "hyper", "bytes=SECRET-BYTES");
            tracing::info!(target: "aws_smithy_runtime", "an info line");
            tracing::trace!("a cogtui trace line");
        });
        let text = String::from_utf8(out.0.lock().unwrap().clone()).unwrap();
        assert!(!text.contains("SECRET"), "{text}");
        assert!(text.contains("an info line"), "{text}");
        assert!(text.contains("a cogtui trace line"), "{text}");
    }
}
