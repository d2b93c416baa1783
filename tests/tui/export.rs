//! The export (`e`): the path it proposes, the writing on another thread, Esc.

use crate::support::*;
use cogtui::cognito::UserPage;
use cogtui::tui::app::{Effect, ExportScreen, Mode, Msg};
use crossterm::event::KeyCode;

#[test]
fn export_writes_the_rows_shown_to_a_path_it_proposes() {
    let mut app = loaded(
        SIZE,
        vec![user("alpha1", 1), user("alpha2", 2), user("beta", 3)],
    );
    app.update(key(KeyCode::Char('/')));
    type_text(&mut app, "alpha");
    app.update(key(KeyCode::Enter));
    app.update(key(KeyCode::Char('e')));
    match &app.mode {
        Mode::Export(ExportScreen { input, .. }) => {
            // In the Downloads folder (or home), never wherever cogtui was started.
            let proposed = std::path::Path::new(input.value());
            assert!(proposed.is_absolute(), "{proposed:?}");
            assert!(
                input
                    .value()
                    .ends_with("/cogtui-prod-unconfirmed-20261126-1200.csv")
            );
        }
        other => panic!("{other:?}"),
    }
    let (id, rows) = match app.update(key(KeyCode::Enter)).as_slice() {
        [
            Effect::Export {
                id,
                path,
                rows,
                redact,
            },
        ] => {
            assert!(path.ends_with("/cogtui-prod-unconfirmed-20261126-1200.csv"));
            assert!(!redact);
            (*id, rows.clone())
        }
        other => panic!("{other:?}"),
    };
    // Written on another thread: the rows as they were at Enter, whatever happens after.
    app.update(Msg::Page {
        generation: 1,
        result: Ok(UserPage {
            users: vec![user("alpha0", 0)],
            next_token: None,
            slowed_to: None,
        }),
    });
    let mut csv = Vec::new();
    cogtui::output::write_csv(&mut csv, rows.iter(), false, |_| true).unwrap();
    let mut reader = ::csv::Reader::from_reader(csv.as_slice());
    assert_eq!(&reader.headers().unwrap()[0], "username");
    let names: Vec<String> = reader
        .records()
        .map(|r| r.unwrap()[0].to_string())
        .collect();
    assert_eq!(names, ["alpha1", "alpha2"]);
    // Its progress shows, and no key but Esc acts while it writes.
    app.update(Msg::ExportProgress { id, done: 1 });
    assert!(
        draw(&app).contains("writing 1 of 2 rows to"),
        "{}",
        draw(&app)
    );
    assert!(app.update(key(KeyCode::Char('x'))).is_empty());
    app.update(Msg::Exported {
        id,
        path: "x.csv".into(),
        result: Ok(2),
    });
    assert_eq!(app.toast.as_deref(), Some("exported 2 rows to x.csv"));
    assert!(matches!(app.mode, Mode::Browse));
}

#[test]
fn esc_stops_an_export_being_written_and_a_failed_one_keeps_the_path() {
    let mut app = loaded(SIZE, vec![user("alpha1", 1)]);
    app.update(key(KeyCode::Char('e')));
    let Some(Effect::Export { id, .. }) = app.update(key(KeyCode::Enter)).pop() else {
        panic!("no export");
    };
    assert_eq!(app.update(key(KeyCode::Esc)), vec![Effect::Stop { id }]);
    assert!(matches!(app.mode, Mode::Browse));
    app.update(Msg::Exported {
        id,
        path: "x.csv".into(),
        result: Err("export stopped; the partial x.csv was removed".into()),
    });
    assert_eq!(
        app.toast.as_deref(),
        Some("export: export stopped; the partial x.csv was removed")
    );
    // A file that cannot be written: the prompt stays with the path, to fix and retry.
    app.update(key(KeyCode::Char('e')));
    let Some(Effect::Export { id, .. }) = app.update(key(KeyCode::Enter)).pop() else {
        panic!("no export");
    };
    app.update(Msg::Exported {
        id,
        path: "x.csv".into(),
        result: Err("x.csv exists: choose another name".into()),
    });
    match &app.mode {
        Mode::Export(ExportScreen {
            input,
            error,
            writing,
        }) => {
            assert!(input.value().ends_with(".csv"));
            assert_eq!(error.as_deref(), Some("x.csv exists: choose another name"));
            assert!(writing.is_none());
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn the_export_prompt_says_whether_the_file_is_redacted() {
    let mut app = loaded(SIZE, vec![user("pending", 1)]);
    app.update(key(KeyCode::Char('e')));
    assert!(draw(&app).contains("NOT redacted · Enter writes 1 rows as CSV"));
    app.update(key(KeyCode::Esc));
    app.redact = true;
    app.update(key(KeyCode::Char('e')));
    assert!(draw(&app).contains(" redacted · Enter writes 1 rows as CSV"));
}
