//! Drawing. Every view only reads the app's state.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Style, Stylize};
use ratatui::text::Line;
use ratatui::widgets::{Clear, Paragraph, Widget, Wrap};

use super::app::{
    App, DiagnosticsScreen, HelpScreen, Mode, NoticeScreen, PoolsScreen, StatsScreen,
};
use super::layout::{MIN_HEIGHT, MIN_WIDTH, too_small};
use super::screens;

pub const SPINNER: [&str; 10] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

impl Widget for &App {
    fn render(self, area: Rect, buf: &mut Buffer) {
        if too_small((area.width, area.height)) {
            TooSmall {
                width: area.width,
                height: area.height,
            }
            .render(area, buf);
            return;
        }
        screens::browse::MainView { app: self }.render(area, buf);
        // Dialogs and overlays stand above the footer, which shows the keys of the one in front.
        let full = area;
        let area = Rect {
            height: area.height.saturating_sub(1),
            ..area
        };
        match &self.mode {
            Mode::Dialog(dialog) => screens::resend::DialogView {
                dialog,
                redact: self.redact,
                pool: self.current_pool(),
                spinner: self.spinner,
                zone: self.zone,
                now: self.now,
                unanswered_since: self.recent_unknown_outcome(&dialog.username),
                settings: self.pool_settings(),
                checks: self.checks(),
                attempts: self.attempts(&dialog.username),
                hourly_limit: self.hourly_limit(&dialog.username),
                reply: match &dialog.phase {
                    crate::tui::screens::resend::Phase::Sent(delivery) => {
                        Some(self.reply_for(&dialog.username, delivery))
                    }
                    _ => None,
                },
                width: 0,
                keymap: &self.keymap,
                hits: &self.dialog_hits,
                key_hints: self
                    .keymap
                    .hints(crate::tui::keymap::Screen::Dialog, self.is_read_only())
                    .into_iter()
                    .filter(|h| !h.ends_with(" pool checks"))
                    .collect(),
            }
            .render(area, buf),
            Mode::Diagnostics(DiagnosticsScreen { scroll }) => {
                screens::diagnostics::DiagnosticsView {
                    app: self,
                    scroll: *scroll,
                }
                .render(area, buf)
            }
            Mode::Help(HelpScreen { scroll }) => screens::help::HelpView {
                scroll: *scroll,
                keymap: &self.keymap,
                read_only: self.is_read_only(),
                mouse: self.mouse,
            }
            .render(area, buf),
            Mode::Pools(PoolsScreen { selected }) => screens::pools::PoolsView {
                app: self,
                selected: *selected,
            }
            .render(area, buf),
            Mode::Notice(NoticeScreen { title, lines }) => {
                screens::notice::NoticeView { title, lines }.render(area, buf)
            }
            Mode::Actions(menu) => screens::actions_menu::ActionsMenu {
                app: self,
                selected: menu.selected,
            }
            .render(area, buf),
            Mode::Stats(StatsScreen {
                panel,
                selected,
                stats,
                counting,
                ..
            }) => {
                // Below the header, over the table and the footer (the charts name their keys).
                let below = Rect {
                    y: full.y + 2,
                    height: full.height.saturating_sub(2),
                    ..full
                };
                screens::stats::StatsView {
                    app: self,
                    panel: *panel,
                    selected: *selected,
                    stats,
                    counting: counting.as_ref().map(|c| c.rows),
                }
                .render(below, buf)
            }
            Mode::Action(dialog) => screens::action::ActionView {
                dialog,
                pool: self.current_pool(),
                redact: self.redact,
                spinner: self.spinner,
                keymap: &self.keymap,
                read_only: self.is_read_only(),
                hits: &self.action_hits,
            }
            .render(area, buf),
            Mode::Browse | Mode::Filter { .. } | Mode::Export { .. } => {}
        }
    }
}

struct TooSmall {
    width: u16,
    height: u16,
}

impl Widget for TooSmall {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let lines = vec![
            Line::from("Terminal too small").bold(),
            Line::from(format!(
                "{}×{}: cogtui needs at least {MIN_WIDTH}×{MIN_HEIGHT}",
                self.width, self.height
            )),
        ];
        let height = (lines.len() as u16).min(area.height);
        let y = area.y + area.height.saturating_sub(height) / 2;
        Paragraph::new(lines)
            .centered()
            .wrap(Wrap { trim: true })
            .render(
                Rect::new(
                    area.x,
                    y,
                    area.width,
                    height.max(area.height - (y - area.y)),
                ),
                buf,
            );
    }
}

/// A box in the middle of `area`, cleared first.
pub(crate) fn centered(area: Rect, width: u16, height: u16, buf: &mut Buffer) -> Rect {
    let width = width.min(area.width.saturating_sub(2));
    let height = height.min(area.height.saturating_sub(2));
    let rect = Rect::new(
        area.x + (area.width - width) / 2,
        area.y + (area.height - height) / 2,
        width,
        height,
    );
    // A blank margin of one cell around the box (where the area allows): its border never runs
    // into the borders of the panes behind it.
    let margin = Rect::new(
        rect.x.saturating_sub(1).max(area.x),
        rect.y.saturating_sub(1).max(area.y),
        width + 2,
        height + 2,
    )
    .intersection(area);
    Clear.render(margin, buf);
    buf.set_style(margin, Style::default());
    rect
}

/// Key hints (`"s send"`, `"Esc close"`) laid out in lines of at most `width` columns, broken
/// only between hints, never inside one.
pub(crate) fn hint_lines(hints: &[&str], width: usize) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    let mut current = String::new();
    for hint in hints {
        let extra = if current.is_empty() {
            1 + hint.len()
        } else {
            3 + hint.len()
        };
        if !current.is_empty()
            && unicode_width::UnicodeWidthStr::width(current.as_str()) + extra > width
        {
            lines.push(Line::from(std::mem::take(&mut current)).dim());
        }
        if current.is_empty() {
            current.push(' ');
        } else {
            current.push_str(" · ");
        }
        current.push_str(hint);
    }
    if !current.is_empty() {
        lines.push(Line::from(current).dim());
    }
    lines
}

/// `text` wrapped to `width` columns, every line indented by `indent` spaces.
pub(crate) fn indented(text: &str, width: usize, indent: usize) -> Vec<String> {
    let pad = " ".repeat(indent);
    wrapped(text, width.max(indent + 10), &pad, &pad)
}

/// `text` wrapped to `width` columns, the first line after `first`, the others after `rest`.
pub(crate) fn wrapped(text: &str, width: usize, first: &str, rest: &str) -> Vec<String> {
    // Never split at a hyphen: names, regions and dates (eu-west-1, 2026-11-25) stay whole.
    let options = textwrap::Options::new(width)
        .initial_indent(first)
        .subsequent_indent(rest)
        .word_splitter(textwrap::WordSplitter::NoHyphenation);
    textwrap::wrap(text, options)
        .into_iter()
        .map(|l| l.into_owned())
        .collect()
}

/// Long lines wrapped so that every line keeps the margin the first has (a paragraph's own wrap
/// starts the next line at the border): one piece of text with textwrap, a line of several
/// styled pieces under its text (" User       name…" goes on under "name").
pub(crate) fn keep_margin(lines: Vec<Line<'static>>, width: usize) -> Vec<Line<'static>> {
    keep_margin_map(lines, width).0
}

/// As [`keep_margin`], and where line `at` of `lines` is among the lines it makes.
#[cfg(test)]
fn keep_margin_at(
    lines: Vec<Line<'static>>,
    width: usize,
    at: usize,
) -> (Vec<Line<'static>>, usize) {
    let (out, moved) = keep_margin_map(lines, width);
    let at = moved.get(at).copied().unwrap_or(0);
    (out, at)
}

/// As [`keep_margin`], and where each line of `lines` starts among the lines it makes.
pub(crate) fn keep_margin_map(
    lines: Vec<Line<'static>>,
    width: usize,
) -> (Vec<Line<'static>>, Vec<usize>) {
    let mut out = Vec::with_capacity(lines.len());
    let mut moved = Vec::with_capacity(lines.len());
    for line in lines {
        moved.push(out.len());
        if line.width() <= width {
            out.push(line);
            continue;
        }
        match line.spans.as_slice() {
            [span] => {
                // One piece: textwrap, from where it starts, on under its text.
                let style = line.style.patch(span.style);
                let lead: String = span
                    .content
                    .chars()
                    .take_while(|c| matches!(c, ' ' | '▸'))
                    .collect();
                let under = " ".repeat(hang_indent(&span.content).min(width / 2));
                out.extend(
                    wrapped(
                        &span.content[lead.len()..],
                        width.saturating_sub(1).max(10),
                        &lead,
                        &under,
                    )
                    .into_iter()
                    .map(|l| Line::from(l).style(style)),
                );
            }
            _ => out.extend(hang(line, width)),
        }
    }
    (out, moved)
}

/// Where a wrapped line goes on: under the text after a label (" Status     …"), else after the
/// leading spaces and focus mark.
fn hang_indent(text: &str) -> usize {
    let lead = text.chars().take_while(|c| matches!(c, ' ' | '▸')).count();
    let rest: String = text.chars().skip(lead).collect();
    match rest.find("  ") {
        Some(i) if !rest[..i].contains(' ') => {
            let spaces = rest[i..].chars().take_while(|c| *c == ' ').count();
            lead + rest[..i].chars().count() + spaces
        }
        _ => lead,
    }
}

/// A line of several styled pieces filled word by word into `width` columns, each further
/// line indented under its text; a reversed piece (a button) is never split.
fn hang(line: Line<'static>, width: usize) -> Vec<Line<'static>> {
    use ratatui::style::Modifier;
    use ratatui::text::Span;
    use unicode_width::UnicodeWidthStr;
    let text: String = line.spans.iter().map(|s| s.content.as_ref()).collect();
    // Never so deep that nothing fits after it.
    let indent = hang_indent(&text).min(width / 2);
    let mut pieces: Vec<(String, Style)> = Vec::new();
    for span in &line.spans {
        let style = line.style.patch(span.style);
        if span.style.add_modifier.contains(Modifier::REVERSED) {
            pieces.push((span.content.to_string(), style));
        } else {
            pieces.extend(
                span.content
                    .split_inclusive(' ')
                    .map(|word| (word.to_string(), style)),
            );
        }
    }
    let mut out = Vec::new();
    let mut current: Vec<Span<'static>> = Vec::new();
    let mut used = 0;
    for (mut word, style) in pieces {
        if used + word.trim_end().width() > width && used > indent {
            out.push(Line::from(std::mem::take(&mut current)));
            current.push(Span::from(" ".repeat(indent)));
            used = indent;
            word = word.trim_start().to_string();
            if word.is_empty() {
                continue;
            }
        }
        // A word longer than a whole line is cut.
        if used + word.trim_end().width() > width {
            word = crate::text::truncate(&word, width.saturating_sub(used)).into_owned();
        }
        used += word.width();
        current.push(Span::styled(word, style));
    }
    if !current.is_empty() {
        out.push(Line::from(current));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::style::Modifier;
    use ratatui::text::Span;

    fn text(line: &Line) -> String {
        line.spans.iter().map(|s| s.content.as_ref()).collect()
    }

    #[test]
    fn a_labelled_line_wraps_under_its_text_keeps_its_styles_and_never_splits_a_button() {
        let line = Line::from(vec![
            Span::from(" Status     ").bold(),
            Span::from("UNCONFIRMED (checked with Cognito just now)").green(),
            Span::from(" y send ").reversed(),
        ]);
        let lines = keep_margin(vec![line], 40);
        let texts: Vec<String> = lines.iter().map(text).collect();
        assert_eq!(
            texts,
            [
                " Status     UNCONFIRMED (checked with ",
                "            Cognito just now) y send ",
            ]
        );
        assert!(lines.iter().all(|l| l.width() <= 40));
        let button = lines[1]
            .spans
            .iter()
            .find(|s| s.content.contains("y send"))
            .expect("the button");
        assert_eq!(button.content, " y send ");
        assert!(button.style.add_modifier.contains(Modifier::REVERSED));
        assert!(
            lines[1]
                .spans
                .iter()
                .any(|s| s.content.starts_with("Cognito")
                    && s.style.fg == Some(ratatui::style::Color::Green))
        );
    }

    #[test]
    fn one_piece_keeps_its_lead_and_goes_on_under_its_text() {
        let line = Line::from("   ▸ Optional: AnalyticsEndpointId, UserContextData (x)");
        let texts: Vec<String> = keep_margin(vec![line], 40).iter().map(text).collect();
        assert_eq!(
            texts,
            [
                "   ▸ Optional: AnalyticsEndpointId,",
                "     UserContextData (x)",
            ]
        );
    }

    #[test]
    fn where_the_focus_line_lands_after_wrapping() {
        let long = Line::from(vec![
            Span::from(" User       "),
            Span::from("a name long enough to wrap twice over at twenty"),
        ]);
        let (lines, at) = keep_margin_at(
            vec![long, Line::from(" short"), Line::from(" ▸ focus")],
            20,
            2,
        );
        assert_eq!(text(&lines[at]), " ▸ focus");
    }

    #[test]
    fn no_width_is_too_small_to_lay_out() {
        let line = Line::from(vec![
            Span::from(" Colleague  ").bold(),
            Span::from("⚠ alice has had this user open since 14:02; bob sent a code at 14:05"),
            Span::from(" O send anyway ").reversed(),
        ]);
        for width in 0..60 {
            let lines = keep_margin(vec![line.clone()], width);
            assert!(!lines.is_empty(), "{width}");
        }
    }
}
