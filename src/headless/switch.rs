//! `cogtui disable` and `cogtui enable`: one user or many (from the command line or stdin),
//! each through the disable operation's rules; several need the typed count or `--yes`.

use crate::cli::SwitchArgs;
use crate::cognito::CognitoWrite;
use crate::cognito::session::PoolSession;
use crate::commands::Failure;
use crate::ops::bulk::Tally;
use crate::ops::{Action, Auditor, Request};

/// The names given, or read from stdin (blank lines and `#` comments skipped, repeats dropped).
pub fn names(args: &SwitchArgs) -> Result<Vec<String>, Failure> {
    if !args.stdin {
        return Ok(super::bulk::usernames(&args.usernames.join("\n")));
    }
    let mut input = String::new();
    std::io::Read::read_to_string(&mut std::io::stdin(), &mut input)?;
    let names = super::bulk::usernames(&input);
    if names.is_empty() {
        return Err(Failure::Usage(
            "--stdin: no usernames on standard input".into(),
        ));
    }
    Ok(names)
}

/// Runs the switch: a dry run looks at each user and says what would happen; otherwise one
/// user goes at once, several after `confirm`.
pub async fn run<A: CognitoWrite>(
    session: &PoolSession<A>,
    auditor: &Auditor,
    args: &SwitchArgs,
    enable: bool,
    names: Vec<String>,
    confirm: impl FnOnce(&str, usize) -> Result<(), Failure>,
) -> Result<Option<Tally>, Failure> {
    let verb = if enable { "enable" } else { "disable" };
    if args.dry_run {
        for name in &names {
            let line = match session.api.get_user(name).await {
                Ok(user) => match crate::ops::disable::applies_to(&user, enable) {
                    Ok(()) => format!("would {verb} {}", crate::text::sanitize(name)),
                    Err(e) => format!(
                        "would skip {}: {}",
                        crate::text::sanitize(name),
                        crate::text::sanitize(&e.message)
                    ),
                },
                Err(e) => format!(
                    "would skip {}: {}",
                    crate::text::sanitize(name),
                    crate::text::sanitize(&e.message)
                ),
            };
            println!("{line}");
        }
        eprintln!("dry run: nothing changed");
        return Ok(None);
    }
    if names.len() > 1 {
        confirm(
            &format!(
                "{} {} users of pool {} ({})?",
                if enable { "Enable" } else { "Disable" },
                names.len(),
                session.pool.name,
                session.pool.region
            ),
            names.len(),
        )?;
    }
    let requests = names
        .into_iter()
        .map(|name| {
            Request::new(
                name,
                Action::SetEnabled {
                    enable,
                    reason: args.reason.clone(),
                },
            )
            .ticket(args.ticket.clone())
        })
        .collect();
    let done = if enable { "enabled" } else { "disabled" };
    Ok(Some(
        super::bulk::run(auditor, session, requests, args.rate, done).await,
    ))
}
