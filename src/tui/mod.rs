//! The terminal UI: one task owns the state, every key and finished call becomes a message to
//! `App::update`, and each effect it returns runs as a spawned task whose answer comes back as a
//! message. The screen is redrawn only after a message, so an idle cogtui uses no CPU.

pub mod app;
pub mod backend;
pub mod input;
pub mod keymap;
pub mod layout;
pub mod picker;
mod ranked;
pub mod run;
pub mod screens;
pub mod store;
pub mod theme;
pub mod users;
pub mod view;

use std::sync::Arc;
use std::time::Duration;

use crossterm::event::{
    DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture, Event,
    EventStream, MouseEventKind,
};
use futures::StreamExt;
use ratatui::DefaultTerminal;
use tokio::sync::mpsc;

use self::app::{App, Effect, Msg, PoolView};
use self::backend::Backend;
use crate::cognito::session::{self, Overrides};
use crate::config::{Config, ConfigError};

/// Spinner frames while something is loading or sending.
const TICK: Duration = Duration::from_millis(100);
/// The app's clock: ages on screen ("3m") are redrawn, and an open dialog asks again who else
/// is on its user (a colleague's claim or send shows within seconds), this often.
const CLOCK: Duration = Duration::from_secs(5);

/// Why the UI could not run.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{0}")]
    Config(#[from] ConfigError),
    #[error("the terminal UI needs a terminal: for scripts use `cogtui list` or `cogtui resend`")]
    NoTerminal,
    #[error("terminal error: {0}")]
    Terminal(#[from] std::io::Error),
}

/// `--read-only` and `--redact`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Modes {
    pub read_only: bool,
    pub redact: bool,
}

pub async fn run(
    config: Config,
    pool: String,
    overrides: Overrides,
    modes: Modes,
) -> Result<(), Error> {
    // A broken secret setting for the starting pool is a config error: say so before the UI opens.
    if let Some(selected) = config.pools.get(&pool) {
        session::local_secret(&config, selected, |var| std::env::var(var).ok())?;
    }
    let mut backend = Backend::new(config.clone(), pool.clone(), overrides);
    backend.read_only = modes.read_only;
    let backend = Arc::new(backend);
    let pools: Vec<PoolView> = config
        .pools
        .values()
        .map(|p| {
            let endpoint = backend.overrides_for(&p.name).endpoint_for(p);
            PoolView {
                name: p.name.clone(),
                user_pool_id: p.user_pool_id.clone(),
                region: endpoint.region,
                client_metadata: p.client_metadata.clone(),
                required_metadata: p.required_metadata.clone(),
                analytics_endpoint_id: p.analytics_endpoint_id.clone(),
                endpoint_url: endpoint.endpoint_url,
                ticket_metadata_key: p.ticket_metadata_key.clone(),
                read_only: p.read_only,
                max_users: p.max_users,
            }
        })
        .collect();
    let index = pools.iter().position(|p| p.name == pool).unwrap_or(0);

    if !std::io::IsTerminal::is_terminal(&std::io::stdout()) {
        return Err(Error::NoTerminal);
    }
    // Also installs a panic hook that restores the terminal before the panic is reported.
    let mut terminal = ratatui::try_init()?;
    // Pasted text arrives as one Paste event, never as keys that could act.
    crossterm::execute!(std::io::stdout(), EnableBracketedPaste)?;
    // Clicks and the wheel, unless `mouse = false` leaves the mouse to the terminal.
    let mouse = config.mouse;
    if mouse {
        crossterm::execute!(std::io::stdout(), EnableMouseCapture)?;
    }
    let restore_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let _ = crossterm::execute!(std::io::stdout(), DisableBracketedPaste);
        if mouse {
            let _ = crossterm::execute!(std::io::stdout(), DisableMouseCapture);
        }
        restore_hook(info);
    }));
    let size = terminal
        .size()
        .map(|s| (s.width, s.height))
        .unwrap_or((80, 24));
    let (mut app, effects) = App::new(pools, index, size, chrono::Utc::now());
    app.replies = config.reply.clone();
    app.keymap = config.keys.clone();
    app.mouse = config.mouse;
    // NO_COLOR (no-color.org) wins over the config's colours.
    theme::set(if theme::no_color() {
        theme::Theme::plain()
    } else {
        config.theme
    });
    // A first notice from whoever started cogtui (scripts/demo names its env file this way).
    if let Ok(notice) = std::env::var("COGTUI_NOTICE")
        && !notice.trim().is_empty()
    {
        app.toast = Some(crate::text::sanitize(notice.trim()).into_owned());
    }
    // A shared audit log everyone on the machine can read: said once, at start.
    if app.toast.is_none()
        && let Some(warning) =
            crate::audit::AuditLog::from_config(&config).and_then(|l| l.warning())
    {
        app.toast = Some(warning);
    }
    app.read_only = modes.read_only;
    app.redact = modes.redact;
    let result = event_loop(&mut terminal, app, effects, backend).await;
    let _ = crossterm::execute!(std::io::stdout(), DisableBracketedPaste);
    if mouse {
        let _ = crossterm::execute!(std::io::stdout(), DisableMouseCapture);
    }
    ratatui::restore();
    // What the operator waited for on the way out, on the normal screen.
    if let Ok(Some(summary)) = &result {
        println!("{summary}");
    }
    result.map(|_| ()).map_err(Error::Terminal)
}

async fn event_loop(
    terminal: &mut DefaultTerminal,
    mut app: App,
    effects: Vec<Effect>,
    backend: Arc<Backend>,
) -> std::io::Result<Option<String>> {
    let (tx, mut rx) = mpsc::unbounded_channel::<Msg>();
    let spawn = |effects: Vec<Effect>| {
        for effect in effects {
            if let Effect::Copy(text) = &effect {
                // OSC 52: the terminal (also over SSH) puts the text on the clipboard.
                let _ = crossterm::execute!(
                    std::io::stdout(),
                    crossterm::clipboard::CopyToClipboard::to_clipboard_from(text.as_str())
                );
                continue;
            }
            let backend = backend.clone();
            let tx = tx.clone();
            if let Effect::Act { id, pool, requests } = effect {
                // A run reports each user as it goes.
                tokio::spawn(async move { backend.act(id, pool, requests, tx).await });
                continue;
            }
            if let Effect::Export {
                id,
                path,
                rows,
                redact,
            } = effect
            {
                tokio::spawn(async move { backend.export(id, path, rows, redact, tx).await });
                continue;
            }
            if let Effect::Watch {
                id,
                pool,
                username,
                since,
                redact,
            } = effect
            {
                tokio::spawn(
                    async move { backend.watch(id, pool, username, since, redact, tx).await },
                );
                continue;
            }
            if let Effect::Stop { id } = effect {
                backend.stop(id);
                continue;
            }
            tokio::spawn(async move {
                // The receiver only goes away when the UI is closing.
                let _ = tx.send(backend.run(effect).await);
            });
        }
    };
    spawn(effects);
    let mut events = EventStream::new();
    let mut ticker = tokio::time::interval(TICK);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    let mut clock = tokio::time::interval_at(tokio::time::Instant::now() + CLOCK, CLOCK);
    clock.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    terminal.draw(|frame| frame.render_widget(&app, frame.area()))?;
    loop {
        let msg = tokio::select! {
            event = events.next() => match event {
                Some(Ok(Event::Key(key))) => Msg::Key(key),
                Some(Ok(Event::Paste(text))) => Msg::Paste(text),
                // Motion is reported too: only clicks and the wheel are worth a frame.
                Some(Ok(Event::Mouse(event)))
                    if !matches!(
                        event.kind,
                        MouseEventKind::Moved | MouseEventKind::Drag(_) | MouseEventKind::Up(_)
                    ) =>
                {
                    Msg::Mouse(event)
                }
                Some(Ok(Event::Resize(width, height))) => Msg::Resize { width, height },
                Some(Ok(_)) => continue,
                Some(Err(e)) => return Err(e),
                None => return Ok(None),
            },
            Some(msg) = rx.recv() => msg,
            _ = ticker.tick(), if app.is_busy() => {
                if app.listing.loading().is_some() {
                    let pool = &app.current_pool().user_pool_id;
                    spawn(app.update(Msg::Pace(crate::cognito::rate::slowed(pool))));
                }
                Msg::Tick
            }
            _ = clock.tick() => Msg::Clock(chrono::Utc::now()),
        };
        spawn(app.update(msg));
        // Take whatever else is already waiting before drawing once.
        while let Ok(msg) = rx.try_recv() {
            spawn(app.update(msg));
        }
        if app.should_quit {
            if app.abandon {
                let n = backend.abandon();
                return Ok(Some(format!(
                    "left at once: {n} call(s) in flight recorded as unknown in the audit log \
                     (the message may have gone out)"
                )));
            }
            return Ok(app.exit_summary.take());
        }
        app.now = chrono::Utc::now();
        terminal.draw(|frame| frame.render_widget(&app, frame.area()))?;
    }
}
