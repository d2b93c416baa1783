use super::*;
use crate::tui::keymap::Keymap;

fn parse(text: &str) -> Result<Config, ConfigError> {
    Config::parse(Path::new("/etc/cogtui.toml"), text)
}

fn err(text: &str) -> ConfigError {
    parse(text).expect_err("config should be rejected")
}

const GOOD: &str = r#"
default_pool = "prod"

[pools.prod]
user_pool_id = "eu-west-1_AbCdEf123"
client_id = "1example23456789abcdef"
"#;

#[test]
fn the_example_config_parses_and_documents_every_key() {
    let text = include_str!("../../config.example.toml");
    let config = parse(text).unwrap();
    let prod = &config.pools["prod"];
    assert_eq!(prod.region, "eu-west-1");
    assert_eq!(prod.profile.as_deref(), Some("support"));
    assert_eq!(prod.secret, SecretSource::Env("PROD_CLIENT_SECRET".into()));
    assert_eq!(prod.client_metadata["source"], "support-desk");
    assert_eq!(config.pools["staging"].region, "eu-west-1");
    assert_eq!(prod.ticket_metadata_key.as_deref(), Some("ticket"));
    assert_eq!(
        config.reply,
        ReplyTemplates::default(),
        "the example shows the defaults"
    );
    for key in [
        "default_pool",
        "user_pool_id",
        "client_id",
        "region",
        "profile",
        "endpoint_url",
        "client_secret_env",
        "client_secret_file",
        "fetch_client_secret",
        "analytics_endpoint_id",
        "client_metadata",
        "required_metadata",
        "ticket_metadata_key",
        "max_list_rps",
        "max_users",
        "read_only",
        "audit_log",
        "[reply]",
        "{destination}",
        "{valid_hours}",
    ] {
        assert!(
            text.contains(key),
            "config.example.toml does not document {key}"
        );
    }
    // Every screen with keys of its own is named, here and in the README's "Keys".
    let readme = include_str!("../../README.md");
    for screen in crate::tui::keymap::Screen::ALL {
        if screen == crate::tui::keymap::Screen::Browse {
            continue;
        }
        let table = format!("[keys.{}]", screen.name());
        assert!(text.contains(&table), "config.example.toml: {table}");
        assert!(readme.contains(&table), "README.md: {table}");
    }
    // And every command's name, as the config writes it.
    for screen in crate::tui::keymap::Screen::ALL {
        for name in crate::tui::keymap::Keymap::commands(screen) {
            assert!(
                readme.contains(&format!("`{name}`")),
                "README.md does not name {}'s command {name}",
                screen.name()
            );
        }
    }
}

#[test]
fn region_comes_from_the_pool_id_when_absent() {
    let config = parse(GOOD).unwrap();
    assert_eq!(config.pools["prod"].region, "eu-west-1");
    assert_eq!(config.select(None).unwrap().name, "prod");
}

#[test]
fn an_unknown_key_names_file_line_and_key() {
    let e = err(&GOOD.replace("client_id =", "regoin = \"x\"\nclient_id ="));
    assert_eq!(e.path, Path::new("/etc/cogtui.toml"));
    assert_eq!(e.line, Some(6));
    assert_eq!(e.key.as_deref(), Some("pools.prod.regoin"));
    assert!(e.message.contains("unknown field"), "{e}");
    assert!(
        e.to_string()
            .starts_with("/etc/cogtui.toml:6: pools.prod.regoin: "),
        "{e}"
    );
}

#[test]
fn an_unknown_top_level_table_after_a_pool_is_not_blamed_on_the_pool() {
    let e = err(
        "[pools.plain]\nuser_pool_id = \"eu-west-1_A\"\nclient_id = \"c\"\n\n[auditing]\nstore = \"file\"\n",
    );
    assert_eq!(e.line, Some(5));
    assert_eq!(e.key.as_deref(), Some("auditing"), "{e}");
    let e = err(
        "[pools.plain]\nuser_pool_id = \"eu-west-1_A\"\nclient_id = \"c\"\n[pools.plain.extra]\nx = 1\n",
    );
    assert_eq!(e.key.as_deref(), Some("pools.plain.extra"), "{e}");
}

#[test]
fn a_missing_required_key_names_it() {
    let e = err("[pools.prod]\nuser_pool_id = \"eu-west-1_Abc\"\n");
    assert_eq!(e.key.as_deref(), Some("pools.prod.client_id"));
    assert!(e.line.is_some());
    assert!(e.message.contains("missing field"), "{e}");
}

#[test]
fn a_malformed_pool_id_names_line_and_key() {
    let e = err(&GOOD.replace("eu-west-1_AbCdEf123", "eu-west-1-AbCdEf123"));
    assert_eq!(
        (e.line, e.key.as_deref()),
        (Some(5), Some("pools.prod.user_pool_id"))
    );
    let e = err(&GOOD.replace(
        "eu-west-1_AbCdEf123",
        &format!("eu-west-1_{}", "a".repeat(50)),
    ));
    assert_eq!(e.key.as_deref(), Some("pools.prod.user_pool_id"));
}

#[test]
fn a_malformed_client_id_names_line_and_key() {
    let e = err(&GOOD.replace("1example23456789abcdef", "bad client"));
    assert_eq!(
        (e.line, e.key.as_deref()),
        (Some(6), Some("pools.prod.client_id"))
    );
    let e = err(&GOOD.replace("1example23456789abcdef", &"a".repeat(129)));
    assert_eq!(e.key.as_deref(), Some("pools.prod.client_id"));
}

#[test]
fn two_secret_sources_conflict() {
    let e = err(&format!(
        "{GOOD}client_secret_env = \"A\"\nclient_secret_file = \"/s\"\n"
    ));
    assert_eq!(
        (e.line, e.key.as_deref()),
        (Some(8), Some("pools.prod.client_secret_file"))
    );
    assert!(
        e.message.contains("conflicts with client_secret_env"),
        "{e}"
    );
    let e = err(&format!(
        "{GOOD}client_secret_env = \"A\"\nfetch_client_secret = true\n"
    ));
    assert_eq!(e.key.as_deref(), Some("pools.prod.fetch_client_secret"));
    // `fetch_client_secret = false` is no source at all.
    assert!(
        parse(&format!(
            "{GOOD}client_secret_env = \"A\"\nfetch_client_secret = false\n"
        ))
        .is_ok()
    );
}

#[test]
fn a_secret_in_the_file_is_refused_without_echoing_it() {
    let e = err(&format!("{GOOD}client_secret = \"hunter2-very-secret\"\n"));
    assert_eq!(
        (e.line, e.key.as_deref()),
        (Some(7), Some("pools.prod.client_secret"))
    );
    assert!(e.message.contains("never goes in the config file"), "{e}");
    assert!(
        !e.to_string().contains("hunter2"),
        "the secret must not be echoed: {e}"
    );
}

#[test]
fn a_syntax_error_gives_the_line() {
    let e = err("[pools.prod\nuser_pool_id = 1\n");
    assert_eq!(e.line, Some(1));
}

#[test]
fn default_pool_must_exist_and_selection_explains_itself() {
    let e = err(&GOOD.replace("default_pool = \"prod\"", "default_pool = \"nope\""));
    assert_eq!((e.line, e.key.as_deref()), (Some(2), Some("default_pool")));
    assert!(e.message.contains("prod"), "{e}");
    let two = format!(
        "{}\n[pools.dev]\nuser_pool_id = \"us-east-1_X1\"\nclient_id = \"c\"\n",
        GOOD.replace("default_pool = \"prod\"", "")
    );
    let config = parse(&two).unwrap();
    assert!(config.select(None).unwrap_err().message.contains("--pool"));
    assert_eq!(config.select(Some("dev")).unwrap().region, "us-east-1");
    assert!(
        config
            .select(Some("qa"))
            .unwrap_err()
            .message
            .contains("dev, prod")
    );
}

#[cfg(unix)]
#[test]
fn a_secret_file_readable_by_others_is_refused_with_file_line_and_key() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let secret = dir.path().join("prod.secret");
    std::fs::write(&secret, "s3cr3t\n").unwrap();
    std::fs::set_permissions(&secret, std::fs::Permissions::from_mode(0o644)).unwrap();
    let text = format!("{GOOD}client_secret_file = \"{}\"\n", secret.display());
    let config = parse(&text).unwrap();
    let pool = config.select(None).unwrap();
    let e = crate::cognito::session::local_secret(&config, pool, |_| None).unwrap_err();
    assert_eq!(
        (e.line, e.key.as_deref()),
        (Some(7), Some("pools.prod.client_secret_file"))
    );
    assert!(e.message.contains("chmod 600"), "{e}");

    std::fs::set_permissions(&secret, std::fs::Permissions::from_mode(0o600)).unwrap();
    let got = crate::cognito::session::local_secret(&config, pool, |_| None).unwrap();
    assert_eq!(
        got.map(|s| s.expose().to_string()).as_deref(),
        Some("s3cr3t")
    );
    assert!(!format!("{:?}", crate::secret::ClientSecret::new("s3cr3t")).contains("s3cr3t"));
}

#[test]
fn a_missing_secret_env_var_names_the_key() {
    let config = parse(&format!(
        "{GOOD}client_secret_env = \"COGTUI_TEST_UNSET_VAR\"\n"
    ))
    .unwrap();
    let pool = config.select(None).unwrap();
    let e = crate::cognito::session::local_secret(&config, pool, |_| None).unwrap_err();
    assert_eq!(e.key.as_deref(), Some("pools.prod.client_secret_env"));
    assert!(e.message.contains("COGTUI_TEST_UNSET_VAR"));
}

#[test]
fn config_path_precedence() {
    let flag = Path::new("/flag.toml");
    assert_eq!(resolve_path(Some(flag)).unwrap(), flag);
    assert!(resolve_path(None).unwrap().ends_with("cogtui/config.toml"));
}

#[test]
fn a_secret_pasted_as_the_env_var_name_is_refused_and_not_echoed() {
    let secret = "1q2w3e4r5t6y7u8i9o0pabcdefghijklmnopqrstuvwxyz12345";
    let e = err(&format!("{GOOD}client_secret_env = \"{secret}\"\n"));
    assert_eq!(e.key.as_deref(), Some("pools.prod.client_secret_env"));
    assert_eq!(e.line, Some(7));
    assert!(e.message.contains("looks like a client secret"), "{e}");
    assert!(!e.to_string().contains(secret), "{e}");
    let e = err(&format!("{GOOD}client_secret_env = \"MY SECRET\"\n"));
    assert!(
        e.message.contains("not an environment variable name"),
        "{e}"
    );
    assert!(!e.to_string().contains("MY SECRET"), "{e}");
    assert!(
        parse(&format!(
            "{GOOD}client_secret_env = \"PROD_CLIENT_SECRET_2\"\n"
        ))
        .is_ok()
    );
}

#[test]
fn required_metadata_keys_are_read_and_must_not_be_empty() {
    let config = parse(&format!(
        "{GOOD}required_metadata = [\"ticket\", \" agent \"]\n"
    ))
    .unwrap();
    assert_eq!(config.pools["prod"].required_metadata, ["ticket", "agent"]);
    let e = err(&format!("{GOOD}required_metadata = [\"ticket\", \"\"]\n"));
    assert_eq!(e.key.as_deref(), Some("pools.prod.required_metadata"));
    assert_eq!(e.line, Some(7));
}

#[test]
fn the_audit_log_path_is_taken_from_the_config_folder() {
    let config = parse(&format!("audit_log = \"logs/audit.jsonl\"\n{GOOD}")).unwrap();
    assert_eq!(
        config.audit_log.as_deref(),
        Some(Path::new("/etc/logs/audit.jsonl"))
    );
    let config = parse(&format!("audit_log = \"/srv/a.jsonl\"\n{GOOD}")).unwrap();
    assert_eq!(config.audit_log.as_deref(), Some(Path::new("/srv/a.jsonl")));
    assert_eq!(parse(GOOD).unwrap().audit_log, None);
    let e = err(&format!("audit_log = \" \"\n{GOOD}"));
    assert_eq!((e.line, e.key.as_deref()), (Some(1), Some("audit_log")));
}

#[test]
fn a_reply_template_may_only_name_known_placeholders() {
    let config = parse(&format!(
        "{GOOD}\n[reply]\nsms = \"Sent to {{destination}} ({{username}}).\"\n"
    ))
    .unwrap();
    assert_eq!(config.reply.sms, "Sent to {destination} ({username}).");
    assert_eq!(config.reply.email, ReplyTemplates::default().email);
    let e = err(&format!(
        "{GOOD}\n[reply]\nemail = \"Sent to {{destnation}}\"\n"
    ));
    assert_eq!(e.key.as_deref(), Some("reply.email"));
    assert_eq!(e.line, Some(9));
    assert!(e.message.contains("{destnation}"), "{e}");
    assert!(e.message.contains("{destination}, {medium}"), "{e}");
    let e = err(&format!(
        "{GOOD}\n[reply]\nemail = \"Sent {{destination\"\n"
    ));
    assert!(e.message.contains("without a closing"), "{e}");
    let e = err(&format!("{GOOD}\n[reply]\nfax = \"x\"\n"));
    assert_eq!(e.key.as_deref(), Some("reply.fax"));
}

#[test]
fn the_ticket_key_cannot_also_be_a_metadata_default() {
    let config = parse(&format!("{GOOD}ticket_metadata_key = \"ticket\"\n")).unwrap();
    assert_eq!(
        config.pools["prod"].ticket_metadata_key.as_deref(),
        Some("ticket")
    );
    let e = err(&format!(
        "{GOOD}ticket_metadata_key = \"ticket\"\n[pools.prod.client_metadata]\nticket = \"\"\n"
    ));
    assert_eq!(e.key.as_deref(), Some("pools.prod.ticket_metadata_key"));
    assert_eq!(e.line, Some(7));
    assert!(e.message.contains("remove it from client_metadata"), "{e}");
}

#[test]
fn keys_remap_commands_per_screen() {
    use crate::tui::keymap::{Command, Screen};
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    let text = format!(
        "{GOOD}\n[keys]\nresend = \"o\"\nfilter = [\"f\", \"ctrl-f\"]\n\n[keys.stats]\nclose = \"x\"\n"
    );
    let config = parse(&text).unwrap();
    let key = |c| KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE);
    assert_eq!(
        config.keys.command(Screen::Browse, &key('o')),
        Some(Command::Resend)
    );
    assert_eq!(
        config.keys.command(Screen::Browse, &key('f')),
        Some(Command::Filter)
    );
    assert_eq!(
        config.keys.command(Screen::Stats, &key('x')),
        Some(Command::Close)
    );
    assert_eq!(config.keys.command(Screen::Stats, &key('q')), None);
    assert_eq!(parse(GOOD).unwrap().keys, Keymap::default());
}

#[test]
fn a_bad_key_entry_names_its_line_and_key() {
    // Lines: 1 blank, 2 default_pool, 3 blank, 4 [pools.prod], 5, 6, 7 blank, 8 [keys], 9…
    let with = |keys: &str| format!("{GOOD}\n[keys]\n{keys}");
    let e = err(&with("resend = \"o\"\nresnd = \"x\"\n"));
    assert_eq!((e.line, e.key.as_deref()), (Some(10), Some("keys.resnd")));
    assert!(e.message.contains("resend"), "{e}");
    let e = err(&with("filter = \"ctl-f\"\n"));
    assert_eq!((e.line, e.key.as_deref()), (Some(9), Some("keys.filter")));
    assert!(e.message.contains("is not a key"), "{e}");
    // `r` is refresh's: the entry that takes it is named, with the one it clashes with.
    let e = err(&with("status = \"x\"\nquit = \"r\"\n"));
    assert_eq!((e.line, e.key.as_deref()), (Some(10), Some("keys.quit")));
    assert!(e.message.contains("refresh"), "{e}");
    let e = err(&with("resend = 5\n"));
    assert_eq!((e.line, e.key.as_deref()), (Some(9), Some("keys.resend")));
    let e = err(&format!("{GOOD}\n[keys.dialg]\nsend = \"o\"\n"));
    assert_eq!(e.key.as_deref(), Some("keys.dialg"));
    assert!(e.message.contains("stats"), "{e}");
    // The dialog's keys are remappable too, and clash like any screen's.
    let e = err(&format!("{GOOD}\n[keys.dialog]\nsend = \"o\"\n"));
    assert_eq!(e.key.as_deref(), Some("keys.dialog.send"), "{e}");
    assert!(e.message.contains("opt_in"), "{e}");
    // So are an action dialog's: `m` is the invitation's medium.
    let e = err(&format!("{GOOD}\n[keys.action]\ngo_on = \"m\"\n"));
    assert_eq!(
        (e.line, e.key.as_deref()),
        (Some(9), Some("keys.action.go_on")),
        "{e}"
    );
    assert!(e.message.contains("medium"), "{e}");
    let config = parse(&format!("{GOOD}\n[keys.action]\ngo_on = \"S\"\n")).unwrap();
    assert_eq!(
        config.keys.key(
            crate::tui::keymap::Screen::Action,
            crate::tui::keymap::Command::Send
        ),
        "S"
    );
    let e = err(&format!(
        "{GOOD}\n[keys.stats]\nclose = \"q\"\nnext_bar = \"q\"\n"
    ));
    assert_eq!(
        (e.line, e.key.as_deref()),
        (Some(10), Some("keys.stats.next_bar"))
    );
    // The actions menu's letters are its actions': a key there would hide one.
    let e = err(&format!("{GOOD}\n[keys.actions]\nclose = \"x\"\n"));
    assert_eq!(
        (e.line, e.key.as_deref()),
        (Some(9), Some("keys.actions.close")),
        "{e}"
    );
    assert!(e.message.contains("x opens an action"), "{e}");
    let config = parse(&format!("{GOOD}\n[keys.actions]\nopen = \"space\"\n")).unwrap();
    assert_eq!(
        config.keys.key(
            crate::tui::keymap::Screen::Actions,
            crate::tui::keymap::Command::Apply
        ),
        "Space"
    );
}

#[test]
fn a_theme_takes_a_preset_and_colours_by_role_and_names_a_bad_one() {
    use crate::tui::theme::Theme;
    use ratatui::style::Color;
    let config = parse(&format!(
        "{GOOD}\n[theme]\npreset = \"light\"\nfail = \"#ff0000\"\n"
    ))
    .unwrap();
    let mut expected = Theme::light();
    expected.fail.fg = Some(Color::Rgb(255, 0, 0));
    assert_eq!(config.theme, expected);
    assert_eq!(parse(GOOD).unwrap().theme, Theme::dark());
    // Lines: 7 blank, 8 [theme], 9…
    let e = err(&format!("{GOOD}\n[theme]\npreset = \"solarized\"\n"));
    assert_eq!((e.line, e.key.as_deref()), (Some(9), Some("theme.preset")));
    assert!(e.message.contains("light"), "{e}");
    let e = err(&format!(
        "{GOOD}\n[theme]\nwarn = \"yellow\"\nfial = \"red\"\n"
    ));
    assert_eq!((e.line, e.key.as_deref()), (Some(10), Some("theme.fial")));
    assert!(e.message.contains("fail"), "{e}");
    let e = err(&format!("{GOOD}\n[theme]\nwarn = \"yelow\"\n"));
    assert_eq!((e.line, e.key.as_deref()), (Some(9), Some("theme.warn")));
}

#[test]
fn the_mouse_is_on_unless_the_config_says_mouse_false() {
    assert!(parse(GOOD).unwrap().mouse);
    assert!(!parse(&format!("mouse = false\n{GOOD}")).unwrap().mouse);
    let e = err(&format!("mouse = \"no\"\n{GOOD}"));
    assert_eq!(e.line, Some(1), "{e}");
}

#[test]
fn the_audit_store_is_the_file_or_a_dynamodb_table_with_its_region() {
    let pool = "[pools.p]\nuser_pool_id = \"eu-west-1_A\"\nclient_id = \"c\"\n";
    let config = Config::parse(
        Path::new("/etc/cogtui.toml"),
        &format!(
            "{pool}[audit]\nstore = \"dynamodb\"\ntable = \"desk\"\nregion = \"eu-west-1\"\nretain_days = 400\n"
        ),
    )
    .expect("valid");
    let table = config.audit.expect("a table");
    assert_eq!(
        (table.table.as_str(), table.region.as_str()),
        ("desk", "eu-west-1")
    );
    assert_eq!(table.retain_days, Some(400));
    let e = err(&format!(
        "{pool}[audit]\nstore = \"dynamodb\"\nregion = \"eu-west-1\"\n"
    ));
    assert_eq!(e.key.as_deref(), Some("audit.table"), "{e}");
    let e = err(&format!("{pool}[audit]\nstore = \"s3\"\n"));
    assert_eq!(
        (e.key.as_deref(), e.line),
        (Some("audit.store"), Some(5)),
        "{e}"
    );
    assert!(e.message.contains("\"file\" or \"dynamodb\""), "{e}");
    let e = err(&format!(
        "audit_log = \"a.jsonl\"\n{pool}[audit]\nstore = \"dynamodb\"\ntable = \"t\"\nregion = \"eu-west-1\"\n"
    ));
    assert_eq!(
        (e.key.as_deref(), e.line),
        (Some("audit_log"), Some(1)),
        "{e}"
    );
    let e = err(&format!(
        "{pool}[audit]\nstore = \"dynamodb\"\ntable = \"t\"\nregion = \"eu-west-1\"\nretain_days = 0\n"
    ));
    assert_eq!(
        (e.key.as_deref(), e.line),
        (Some("audit.retain_days"), Some(8)),
        "{e}"
    );
}
