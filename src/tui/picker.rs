//! A small list to pick from (`cogtui init`): ↑↓ or j k to move, Enter to take, Esc or q to
//! give up. On the alternate screen (an inline list needs the terminal to report its cursor,
//! which not every terminal does); what was picked is printed after, so it stays in the
//! scrollback.

use crossterm::event::{self, Event, KeyCode, KeyEventKind, KeyModifiers};
use ratatui::layout::{Constraint, Layout};
use ratatui::style::{Style, Stylize};
use ratatui::text::Line;
use ratatui::widgets::{Block, List, ListItem, ListState, Paragraph};

/// The index picked, or `None` when the operator gave up.
pub fn pick(title: &str, items: &[String]) -> std::io::Result<Option<usize>> {
    if items.is_empty() {
        return Ok(None);
    }
    let mut terminal = ratatui::try_init()?;
    let mut state = ListState::default().with_selected(Some(0));
    let chosen = loop {
        terminal.draw(|frame| {
            let [head, list, foot] = Layout::vertical([
                Constraint::Length(1),
                Constraint::Min(1),
                Constraint::Length(1),
            ])
            .areas(frame.area());
            frame.render_widget(Paragraph::new(Line::from(title.to_string()).bold()), head);
            let rows: Vec<ListItem> = items
                .iter()
                .map(|i| ListItem::new(crate::text::sanitize(i).into_owned()))
                .collect();
            frame.render_stateful_widget(
                List::new(rows)
                    .block(Block::bordered())
                    .highlight_symbol("▸ ")
                    .highlight_style(Style::new().reversed()),
                list,
                &mut state,
            );
            frame.render_widget(
                Paragraph::new(Line::from(" ↑↓ choose · Enter take · Esc give up").dim()),
                foot,
            );
        })?;
        let Event::Key(key) = event::read()? else {
            continue;
        };
        if key.kind != KeyEventKind::Press {
            continue;
        }
        let at = state.selected().unwrap_or(0);
        match key.code {
            KeyCode::Down | KeyCode::Char('j') => state.select(Some((at + 1) % items.len())),
            KeyCode::Up | KeyCode::Char('k') => {
                state.select(Some((at + items.len() - 1) % items.len()))
            }
            KeyCode::Enter => break Some(at),
            KeyCode::Esc | KeyCode::Char('q') => break None,
            KeyCode::Char('c') if key.modifiers.contains(KeyModifiers::CONTROL) => break None,
            _ => {}
        }
    };
    ratatui::restore();
    if let Some(at) = chosen {
        println!("{title} {}", crate::text::sanitize(&items[at]));
    }
    Ok(chosen)
}
