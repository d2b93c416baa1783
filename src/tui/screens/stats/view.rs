//! `S`: the shape of the pending pile, drawn with ratatui's chart widgets.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Style, Stylize};
use ratatui::text::Line;
use ratatui::widgets::{
    Bar, BarChart, BarGroup, Block, Clear, Padding, Paragraph, Sparkline, Widget,
};

use crate::stats::{AGE_BUCKETS, Medium, Stats};
use crate::tui::app::{App, BarHit, STATS_DOMAINS, StatsPanel};
use crate::tui::keymap::{Command, Screen};
use crate::tui::theme::Role;

pub struct StatsView<'a> {
    pub app: &'a App,
    pub panel: StatsPanel,
    pub selected: usize,
    pub stats: &'a Stats,
    /// The rows still being counted, while they are.
    pub counting: Option<usize>,
}

/// The narrowest the ages chart goes: 5 bars of 5 with a gap each, 2 margins, 2 borders.
const AGES_MIN_WIDTH: u16 = 5 * 6 + 2 + 2;

fn panel_block(title: String, focused: bool) -> Block<'static> {
    let block = crate::tui::screens::boxed(title.trim());
    if focused {
        // Bold and marked, so the focus reads without colour too.
        block.title_style(Style::new().bold().reversed())
    } else {
        block
    }
}

impl StatsView<'_> {
    /// One bar; the selected one is reversed, and marked with ▸ where its label leaves room
    /// in `width` columns (a cut date would read as another day; the footer names it anyway).
    fn bar(
        &self,
        panel: StatsPanel,
        i: usize,
        label: String,
        value: usize,
        width: u16,
    ) -> Bar<'static> {
        let selected = self.panel == panel && self.selected == i;
        let bar = Bar::default().value(value as u64).label(Line::from(
            if selected && label.chars().count() < usize::from(width) {
                format!("▸{label}")
            } else {
                label
            },
        ));
        if selected {
            bar.style(Style::new().reversed())
                .value_style(Style::new().bold())
        } else {
            bar
        }
    }
}

impl Widget for StatsView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        Clear.render(area, buf);
        let app = self.app;
        let stats = self.stats;
        let complete = app.listing.loading().is_none() && app.listing.resume_point().is_none();
        // Where the bars go, for a click (recorded as they are drawn).
        let mut hits = app.bar_hits.borrow_mut();
        hits.clear();
        let inner = |r: Rect| Block::bordered().inner(r);
        // The bar charts keep a column of margin on each side, as text in a box does.
        let chart_inner = |r: Rect| Block::bordered().padding(Padding::horizontal(1)).inner(r);
        if let Some(rows) = self.counting {
            let block = panel_block(" The pending pile ".into(), false);
            let inner = block.inner(area);
            block.render(area, buf);
            Paragraph::new(vec![
                Line::from(format!(" counting the {rows} users shown…")).bold(),
                Line::from(format!(
                    " on another thread, so keys still answer; {} closes",
                    app.keymap.key(Screen::Stats, Command::Close)
                ))
                .dim(),
            ])
            .render(inner, buf);
            return;
        }
        let medium = |m: Medium| stats.by_medium.get(&m).copied().unwrap_or(0);
        let mut head = vec![
            Line::from(format!(
                " The pending pile: {} {} users {}{} · {} disabled · likely medium: email {}, SMS {}, none {}",
                stats.total,
                app.status.label(),
                if app.users.is_filtered() {
                    format!(
                        "shown (filter \"{}\", of {} loaded)",
                        crate::text::sanitize(app.users.filter()),
                        app.users.len()
                    )
                } else {
                    "loaded".to_string()
                },
                if complete { "" } else { " (listing still running)" },
                stats.disabled,
                medium(Medium::Email),
                medium(Medium::Sms),
                medium(Medium::None),
            ))
            .bold(),
        ];
        head.push(match stats.wave(app.now) {
            Some(w) => {
                let selected = self.panel == StatsPanel::Wave;
                let line = Line::from(format!(
                    " {}{}{}",
                    if w.stands_out() { "⚠ " } else { "" },
                    w.describe(app.zone),
                    if selected {
                        format!(
                            " · {} shows them in the table",
                            app.keymap.key(Screen::Stats, Command::Apply)
                        )
                    } else {
                        String::new()
                    }
                ));
                let line = if w.stands_out() {
                    line.warn().bold()
                } else {
                    line.dim()
                };
                if selected { line.reversed() } else { line }
            }
            None => Line::from(" No 60 minutes of the last 48 hours hold 10 sign-ups.").dim(),
        });
        // The wave's line (the last of the head) is a target for the mouse too.
        let wave_height = match (stats.wave(app.now), head.last()) {
            (Some(_), Some(line)) => Paragraph::new(line.clone())
                .wrap(ratatui::widgets::Wrap { trim: true })
                .line_count(area.width) as u16,
            _ => 0,
        };
        let head = Paragraph::new(head).wrap(ratatui::widgets::Wrap { trim: true });
        let head_height = head.line_count(area.width).min(4) as u16;
        let [head_area, days_area, rest, hours_area, keys_area] = Layout::vertical([
            Constraint::Length(head_height),
            Constraint::Min(7),
            Constraint::Min(7),
            // The hourly sparkline only where there is room for the charts above it.
            Constraint::Length(if area.height >= 26 { 3 } else { 0 }),
            Constraint::Length(1),
        ])
        .areas(area);
        head.render(head_area, buf);
        if wave_height > 0 {
            let height = wave_height.min(head_area.height);
            hits.push(BarHit {
                area: Rect {
                    y: head_area.y + head_area.height - height,
                    height,
                    ..head_area
                },
                panel: StatsPanel::Wave,
                index: 0,
            });
        }

        // Sign-ups per day: the latest days that fit, the selection kept in view.
        let per_bar = 6u16;
        let fit = (chart_inner(days_area).width / per_bar).max(1) as usize;
        let days: Vec<(usize, String, usize)> = stats
            .by_day
            .iter()
            .enumerate()
            .map(|(i, (d, c))| (i, d.format("%m-%d").to_string(), *c))
            .collect();
        let end = if self.panel == StatsPanel::Days {
            (self.selected + 1).max(fit.min(days.len())).min(days.len())
        } else {
            days.len()
        };
        let start = end.saturating_sub(fit);
        let bars: Vec<Bar> = days[start..end]
            .iter()
            .map(|(i, label, c)| self.bar(StatsPanel::Days, *i, label.clone(), *c, per_bar - 1))
            .collect();
        let days_inner = chart_inner(days_area);
        for (k, (i, ..)) in days[start..end].iter().enumerate() {
            hits.push(BarHit {
                area: Rect {
                    x: days_inner.x + k as u16 * per_bar,
                    width: per_bar - 1,
                    ..days_inner
                },
                panel: StatsPanel::Days,
                index: *i,
            });
        }
        BarChart::default()
            .block(
                panel_block(
                    if end - start < days.len() {
                        // Say what is shown: the days that fit, of how many (←→ scrolls).
                        format!(
                            " Sign-ups per day {}…{}: {} of {} days, ←→ ",
                            days[start].1,
                            days[end.saturating_sub(1)].1,
                            end - start,
                            days.len()
                        )
                    } else {
                        format!(" Sign-ups per day ({} days) ", days.len())
                    },
                    self.panel == StatsPanel::Days,
                )
                .padding(Padding::horizontal(1)),
            )
            .data(BarGroup::default().bars(&bars))
            .bar_width(per_bar - 1)
            .bar_gap(1)
            .render(days_area, buf);

        let [ages_area, domains_area] =
            // Half each, but the ages chart never so narrow that "1-24h" is cut: five bars of
            // five, their gaps, the margins and the border.
            Layout::horizontal([Constraint::Min(AGES_MIN_WIDTH), Constraint::Percentage(50)])
                .areas(rest);
        let age_width = (chart_inner(ages_area).width / 5)
            .saturating_sub(1)
            .clamp(3, 10);
        let age_bars: Vec<Bar> = AGE_BUCKETS
            .iter()
            .zip(stats.by_age)
            .enumerate()
            .map(|(i, ((label, _), c))| {
                self.bar(StatsPanel::Ages, i, label.to_string(), c, age_width)
            })
            .collect();
        BarChart::default()
            .block(
                panel_block(" By age ".into(), self.panel == StatsPanel::Ages)
                    .padding(Padding::horizontal(1)),
            )
            .data(BarGroup::default().bars(&age_bars))
            .bar_width(age_width)
            .bar_gap(1)
            .render(ages_area, buf);
        let ages_inner = chart_inner(ages_area);
        for i in 0..AGE_BUCKETS.len() {
            hits.push(BarHit {
                area: Rect {
                    x: ages_inner.x + i as u16 * (age_width + 1),
                    width: age_width,
                    ..ages_inner
                },
                panel: StatsPanel::Ages,
                index: i,
            });
        }

        // Domains as horizontal bars with their share.
        let top = Stats::top(&stats.by_domain, STATS_DOMAINS);
        let domains_inner = inner(domains_area);
        for i in 0..top.len().min(usize::from(domains_inner.height)) {
            hits.push(BarHit {
                area: Rect {
                    y: domains_inner.y + i as u16,
                    height: 1,
                    ..domains_inner
                },
                panel: StatsPanel::Domains,
                index: i,
            });
        }
        let max = top.first().map(|(_, c)| *c).unwrap_or(1).max(1);
        let inner = domains_area.width.saturating_sub(2) as usize;
        let name_w = (inner / 2).min(24);
        let bar_room = inner.saturating_sub(name_w + 14);
        let mut lines: Vec<Line> = top
            .iter()
            .enumerate()
            .map(|(i, (domain, c))| {
                let selected = self.panel == StatsPanel::Domains && self.selected == i;
                let share = if stats.total == 0 {
                    0.0
                } else {
                    100.0 * *c as f64 / stats.total as f64
                };
                let bar = "█".repeat((bar_room * c).div_ceil(max).min(bar_room));
                let text = format!(
                    "{}{:<name_w$} {:>5} {:>4.0}% {bar}",
                    if selected { "▸" } else { " " },
                    crate::text::cell(domain, name_w),
                    c,
                    share
                );
                if selected {
                    Line::from(text).reversed()
                } else {
                    Line::from(text)
                }
            })
            .collect();
        let countries = Stats::top(&stats.by_country, 4);
        if !countries.is_empty() {
            lines.push(
                Line::from(format!(
                    " phones: {}",
                    countries
                        .iter()
                        .map(|(code, c)| format!("{code} {c}"))
                        .collect::<Vec<_>>()
                        .join(" · ")
                ))
                .dim(),
            );
        }
        Paragraph::new(lines)
            .block(panel_block(
                " Top email domains ".into(),
                self.panel == StatsPanel::Domains,
            ))
            .render(domains_area, buf);

        // The last 48 hours, an hour a column.
        let hours: Vec<u64> = (0..48)
            .rev()
            .map(|h| {
                let hour = app.now - chrono::Duration::hours(h);
                stats
                    .by_hour
                    .iter()
                    .find(|(start, _)| {
                        **start <= hour && hour - **start < chrono::Duration::hours(1)
                    })
                    .map(|(_, c)| *c as u64)
                    .unwrap_or(0)
            })
            .collect();
        Sparkline::default()
            .block(
                Block::new()
                    .title(" Last 48 hours, an hour a column ")
                    .title_style(Style::new().bold()),
            )
            .data(&hours)
            .render(hours_area, buf);

        let selected = App::stats_bar_filter(stats, self.panel, self.selected);
        // The keys in force (the keymap's), with what Enter would filter by.
        let key = |c| app.keymap.key(Screen::Stats, c);
        Paragraph::new(Line::from(format!(
            " {}{} chart · {}{} bar · {} filters the table by {} · {} back",
            key(Command::PrevChart),
            key(Command::NextChart),
            key(Command::PrevBar),
            key(Command::NextBar),
            key(Command::Apply),
            selected.unwrap_or_else(|| "it".into()),
            key(Command::Close),
        )))
        .style(Style::new().dim())
        .render(keys_area, buf);
    }
}
