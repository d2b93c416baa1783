//! The export prompt (`e`): where to, and the writing on another thread; its state, its keys
//! and its view (on the footer's line).

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::style::Stylize;
use ratatui::text::{Line, Span};

use crate::text::sanitize;
use crate::tui::app::*;
use crate::tui::theme::Role;

/// Where to write the view as CSV, why that will not do, and the writing once Enter started it.
#[derive(Debug)]
pub struct ExportScreen {
    pub input: crate::tui::input::TextField,
    pub error: Option<String>,
    pub writing: Option<Writing>,
}

/// An export being written on another thread.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Writing {
    pub id: u64,
    pub rows: usize,
    /// Rows written so far.
    pub done: usize,
}

impl App {
    pub(crate) fn on_export_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        let Mode::Export(ExportScreen {
            input,
            error,
            writing,
        }) = &mut self.mode
        else {
            return Vec::new();
        };
        if let Some(w) = writing {
            // The file is being written: Esc stops it, nothing else acts.
            if key.code == KeyCode::Esc {
                let id = w.id;
                self.mode = Mode::Browse;
                return vec![Effect::Stop { id }];
            }
            return Vec::new();
        }
        match key.code {
            KeyCode::Esc => self.mode = Mode::Browse,
            KeyCode::Enter => {
                let path = input.value().trim().to_string();
                if path.is_empty() {
                    *error = Some("give a file name".into());
                    return Vec::new();
                }
                // The rows as shown now, written on another thread (a million take a second).
                self.next_request += 1;
                let id = self.next_request;
                let rows = self.users.snapshot();
                *writing = Some(Writing {
                    id,
                    rows: rows.len(),
                    done: 0,
                });
                *error = None;
                return vec![Effect::Export {
                    id,
                    path,
                    rows,
                    redact: self.redact,
                }];
            }
            _ => {
                if input.handle(key) {
                    *error = None;
                }
            }
        }
        Vec::new()
    }
}

/// Where an export is proposed: the user's Downloads folder, else home, else here.
pub(crate) fn export_dir() -> std::path::PathBuf {
    directories::UserDirs::new()
        .and_then(|dirs| {
            dirs.download_dir()
                .map(std::path::Path::to_path_buf)
                .or_else(|| Some(dirs.home_dir().to_path_buf()))
        })
        .unwrap_or_default()
}

impl ExportScreen {
    /// Its view, on the footer's line: the path being typed, or the writing's progress.
    pub fn line(&self, app: &App, width: u16) -> Line<'static> {
        let input = &self.input;
        if let Some(w) = &self.writing {
            return Line::from(vec![
                Span::from(" export ").bold().reversed(),
                Span::from(format!(
                    " writing {} of {} rows to {}… Esc stops (and removes the partial file)",
                    w.done,
                    w.rows,
                    sanitize(input.value())
                )),
            ]);
        }
        let mut spans = vec![Span::from(" export to ").bold().reversed(), Span::from(" ")];
        spans.extend(crate::tui::screens::resend::field_spans(
            input,
            width.saturating_sub(62) as usize,
            true,
        ));
        spans.push(match &self.error {
            Some(e) => Span::from(format!("  {}", sanitize(e))).fail(),
            None => Span::from(format!(
                "  {} · Enter writes {} rows as CSV · Esc",
                if app.redact {
                    "redacted"
                } else {
                    "NOT redacted"
                },
                app.users.visible_len(),
            ))
            .dim(),
        });
        Line::from(spans)
    }
}
