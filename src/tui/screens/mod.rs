//! The screens of the TUI, each in its own module with its state, its keys and its view:
//!
//! | screen        | opened by          | module           |
//! |---------------|--------------------|------------------|
//! | browse        | (the list)         | `browse/`        |
//! | filter        | `/`                | `filter.rs`      |
//! | resend dialog | Enter              | `resend/`        |
//! | actions menu  | `a`                | `actions_menu.rs`|
//! | action dialog | a menu entry       | `action/`        |
//! | stats         | `S`                | `stats/`         |
//! | help          | `?`                | `help.rs`        |
//! | pools         | `p`                | `pools.rs`       |
//! | diagnostics   | `D`                | `diagnostics.rs` |
//! | export        | `e`                | `export.rs`      |
//! | notice        | (at start)         | `notice.rs`      |
//!
//! `app.rs` holds what the screens share (the pools, the list, the history, the keymap) and
//! routes messages and keys to the screen in front; `view/` draws the frame around them. A run
//! (a bulk action, or a send) is `tui/run.rs`, shared by the two dialogs.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::{Block, BorderType, Paragraph, Widget};

use crate::tui::keymap::Command;
use crate::tui::view::centered;

pub mod action;
pub mod actions_menu;
pub mod browse;
pub mod diagnostics;
pub mod export;
pub mod filter;
pub mod help;
pub mod notice;
pub mod pools;
pub mod resend;
pub mod stats;

/// What a key on a screen asks of the app, for the screens that decide on their own state alone
/// (help, checks, pools, a notice, the charts): the screen decides, `app.rs` carries it out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Next {
    Stay,
    /// Back where the screen was opened from.
    Close,
    /// The pool's checks again.
    CheckAgain,
    /// Switch to the configured pool at this index.
    SwitchPool(usize),
    /// Back to the list, filtered by this (a chart's bar).
    Filter(String),
}

/// Moves a scrolled screen (help, diagnostics) by a command.
pub(crate) fn scroll(scroll: &mut u16, command: Command) {
    *scroll = match command {
        Command::Down => scroll.saturating_add(1),
        Command::Up => scroll.saturating_sub(1),
        Command::PageDown => scroll.saturating_add(10),
        Command::PageUp => scroll.saturating_sub(10),
        Command::First => 0,
        _ => *scroll,
    };
}

/// A screen's rounded box in the theme's border colour, its title bold with a space either side.
pub(crate) fn boxed(title: impl std::fmt::Display) -> Block<'static> {
    Block::bordered()
        .border_type(BorderType::Rounded)
        .border_style(crate::tui::theme::current().border)
        .title(format!(" {title} "))
        .title_style(Style::new().bold())
}

/// `lines` in `block`, centred in `area` and as tall as they need (within the screen), scrolled
/// down by `scroll` lines at most as far as the last line.
pub(crate) fn scrolled(
    block: Block<'static>,
    lines: Vec<Line<'static>>,
    scroll: u16,
    area: Rect,
    width: u16,
    buf: &mut Buffer,
) {
    let total = lines.len() as u16;
    let height = (total + 2).min(area.height.saturating_sub(2));
    let rect = centered(area, width, height, buf);
    let inner = block.inner(rect);
    block.render(rect, buf);
    let max_scroll = total.saturating_sub(inner.height);
    Paragraph::new(lines)
        .scroll((scroll.min(max_scroll), 0))
        .render(inner, buf);
}

/// Where the first `n` lines inside a boxed menu drawn in `rect` are (those inside the box), for
/// a click on an entry.
pub(crate) fn entry_rows(rect: Rect, n: usize) -> Vec<Rect> {
    (0..n)
        .map(|i| {
            Rect::new(
                rect.x + 1,
                rect.y + 1 + i as u16,
                rect.width.saturating_sub(2),
                1,
            )
        })
        .filter(|r| r.y < rect.y + rect.height.saturating_sub(1))
        .collect()
}
