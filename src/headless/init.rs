//! `cogtui init`: lists, picks (or takes the flags), asks where the secret comes from, writes.

use std::io::IsTerminal;

use crate::cli::{Cli, InitArgs};
use crate::cognito::sdk::{Endpoint, SdkCognito, load_sdk_config};
use crate::cognito::{ApiError, ErrorKind};
use crate::commands::Failure;
use crate::config::{self, Config};
use crate::init::{self, Choices, Mode, SecretFrom};

/// A call the credentials may not make: say which and what to type instead.
fn denied(e: ApiError, instead: &str) -> Failure {
    if matches!(e.kind, ErrorKind::AccessDenied | ErrorKind::NotAuthorized) {
        Failure::Usage(format!(
            "{} is denied for these credentials: {instead}",
            e.operation.iam_action()
        ))
    } else {
        Failure::Api(e)
    }
}

/// One of `items` (id, name): the only one, the one picked, or, without a terminal, an error
/// that lists them and names the flag.
fn choose(
    what: &str,
    items: Vec<(String, String)>,
    interactive: bool,
    flag: &str,
    none: String,
) -> Result<(String, String), Failure> {
    match items.len() {
        0 => Err(Failure::Usage(none)),
        1 => {
            let (id, name) = items.into_iter().next().unwrap_or_default();
            eprintln!(
                "{what}: {} ({id}), the only one",
                crate::text::sanitize(&name)
            );
            Ok((id, name))
        }
        _ if interactive => {
            let shown: Vec<String> = items
                .iter()
                .map(|(id, name)| format!("{name}  ({id})"))
                .collect();
            match crate::tui::picker::pick(&format!("Which {what}?"), &shown)? {
                Some(i) => Ok(items[i].clone()),
                None => Err(Failure::Usage(format!(
                    "no {what} chosen: nothing was written"
                ))),
            }
        }
        _ => {
            let list: Vec<String> = items
                .iter()
                .map(|(id, name)| format!("  {id}  {}", crate::text::sanitize(name)))
                .collect();
            Err(Failure::Usage(format!(
                "several {what}s; choose one with {flag}:\n{}",
                list.join("\n")
            )))
        }
    }
}

/// The region: `--region`, the pool id's prefix, then the AWS config's.
async fn region(cli: &Cli, args: &InitArgs) -> Result<String, Failure> {
    if let Some(region) = &cli.region {
        return Ok(region.clone());
    }
    if let Some((prefix, _)) = args.pool_id.as_deref().and_then(|id| id.split_once('_')) {
        return Ok(prefix.to_string());
    }
    let mut loader = aws_config::defaults(aws_config::BehaviorVersion::latest());
    if let Some(profile) = &cli.profile {
        loader = loader.profile_name(profile);
    }
    loader
        .load()
        .await
        .region()
        .map(|r| r.to_string())
        .ok_or_else(|| {
            Failure::Usage(
                "no AWS region: pass --region (e.g. eu-west-1), or set one in your AWS profile"
                    .into(),
            )
        })
}

pub async fn run(cli: &Cli, args: &InitArgs) -> Result<(), Failure> {
    let path = config::resolve_path(cli.config.as_deref()).ok_or_else(|| {
        Failure::Usage("cannot find a config directory on this system: pass --config PATH".into())
    })?;
    let mode = init::mode(&path, args.add, args.force).map_err(Failure::Usage)?;
    let existing = match mode {
        Mode::Add => Some(Config::load(&path)?),
        _ => None,
    };
    if let Some(name) = args.name.as_ref().or(cli.pool.as_ref())
        && (name.is_empty()
            || !name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'))
    {
        return Err(Failure::Usage(format!(
            "--name \"{name}\": letters, digits, - and _ only (it is a TOML table name)"
        )));
    }
    let region = region(cli, args).await?;
    let endpoint = Endpoint {
        region: region.clone(),
        profile: cli.profile.clone(),
        endpoint_url: cli.endpoint_url.clone(),
        attempt_timeout: cli.timeout.map(std::time::Duration::from_secs_f64),
    };
    let sdk = load_sdk_config(&endpoint).await;
    let interactive = std::io::stdin().is_terminal() && std::io::stdout().is_terminal();

    let (pool_id, pool_label) = match &args.pool_id {
        // Its name in Cognito names it in the config, where DescribeUserPool is allowed.
        Some(id) => (
            id.clone(),
            SdkCognito::from_sdk_config(&sdk, id)
                .pool_label()
                .await
                .unwrap_or_default(),
        ),
        None => {
            let pools = SdkCognito::from_sdk_config(&sdk, "")
                .list_pools()
                .await
                .map_err(|e| {
                    denied(
                        e,
                        "pass --pool-id ID (the console's user pool overview shows it, e.g. \
                         eu-west-1_AbCdEf123), or ask for cognito-idp:ListUserPools",
                    )
                })?;
            choose(
                "user pool",
                pools,
                interactive,
                "--pool-id",
                format!(
                    "no user pools in {region} for these credentials: another --region or \
                     --profile?"
                ),
            )?
        }
    };
    let api = SdkCognito::from_sdk_config(&sdk, &pool_id);
    let (client_id, client_label) = match &args.client_id {
        Some(id) => (id.clone(), String::new()),
        None => {
            let clients = api.list_clients().await.map_err(|e| {
                denied(
                    e,
                    "pass --client-id ID (the console's App integration tab lists the app \
                     clients), or ask for cognito-idp:ListUserPoolClients",
                )
            })?;
            choose(
                "app client",
                clients,
                interactive,
                "--client-id",
                format!("the pool {pool_id} has no app client: create one in the console first"),
            )?
        }
    };
    // `--name`, or `--pool` (the name the other commands take), else the pool's own name.
    let name = args
        .name
        .clone()
        .or_else(|| cli.pool.clone())
        .unwrap_or_else(|| init::pool_name(&pool_label));
    if let Some(config) = &existing
        && config.pools.contains_key(&name)
    {
        return Err(Failure::Usage(format!(
            "{} already has a pool named {name}: choose another with --name",
            path.display()
        )));
    }
    let secret = match api.client_has_secret(&client_id).await {
        Ok(false) => None,
        Ok(true) => Some(Some(match &args.secret_from {
            Some(from) => from.clone(),
            None if interactive => {
                let choices = SecretFrom::choices(&name);
                let shown: Vec<String> = choices.iter().map(SecretFrom::describe).collect();
                match crate::tui::picker::pick(
                    "The app client has a secret. Where will cogtui get it? (it is never written \
                     to the config)",
                    &shown,
                )? {
                    Some(i) => choices[i].clone(),
                    None => {
                        return Err(Failure::Usage(
                            "no secret source chosen: nothing was written".into(),
                        ));
                    }
                }
            }
            None => {
                return Err(Failure::Usage(
                    "the app client has a secret: say where cogtui gets it with --secret-from \
                     env:VARIABLE, file:PATH or fetch"
                        .into(),
                ));
            }
        })),
        Err(e) if matches!(e.kind, ErrorKind::AccessDenied | ErrorKind::NotAuthorized) => {
            eprintln!(
                "note: {} is denied, so whether the app client has a secret is unknown; if it has \
                 one, the config says where to add its source (or pass --secret-from)",
                e.operation.iam_action()
            );
            Some(args.secret_from.clone())
        }
        Err(e) => return Err(Failure::Api(e)),
    };
    let choices = Choices {
        name: name.clone(),
        user_pool_id: pool_id.clone(),
        pool_label,
        client_id: client_id.clone(),
        client_label,
        region,
        profile: cli.profile.clone(),
        endpoint_url: cli.endpoint_url.clone(),
        secret,
    };
    let text = match (&existing, mode) {
        (Some(_), Mode::Add) => {
            let before = std::fs::read_to_string(&path)?;
            init::with_pool(&before, &choices)
        }
        _ => init::new_config(
            &choices,
            &chrono::Local::now().format("%Y-%m-%d").to_string(),
        ),
    };
    init::write(&path, &text, mode)?;
    println!(
        "{} {} (0600): pool {name} = {pool_id}, app client {client_id}",
        match mode {
            Mode::Add => "added to",
            Mode::Replace => "replaced",
            Mode::New => "wrote",
        },
        path.display()
    );
    if mode == Mode::Replace {
        println!(
            "the old config is kept as {}",
            init::backup_path(&path).display()
        );
    }
    match &choices.secret {
        Some(Some(SecretFrom::Env(var))) => println!(
            "before you start: export {var}=… (the app client's secret: the console's App client \
             page shows it)"
        ),
        Some(Some(SecretFrom::File(file))) => println!(
            "before you start: put the app client's secret in {file} (chmod 600; the console's \
             App client page shows it)"
        ),
        _ => {}
    }
    let mut flags = String::new();
    if cli.config.is_some() && Some(path.as_path()) != config::default_path().as_deref() {
        flags.push_str(&format!(" --config {}", path.display()));
    }
    if mode == Mode::Add {
        flags.push_str(&format!(" --pool {name}"));
    }
    println!("next:");
    println!("  cogtui{flags}             # the pending users");
    println!("  cogtui{flags} diagnose    # why codes may not arrive");
    Ok(())
}
