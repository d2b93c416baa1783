use chrono::TimeZone;

use super::*;

fn at(h: u32, m: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 26, h, m, 0).unwrap()
}

fn record(id: &str, event: Event, time: DateTime<Utc>, outcome: Option<Outcome>) -> Record {
    Record {
        id: id.into(),
        event,
        time,
        operator: Operator {
            user: "alice".into(),
            arn: Some("arn:aws:iam::123456789012:user/alice".into()),
        },
        pool: "prod".into(),
        user_pool_id: "eu-west-1_Abc".into(),
        username: "jane".into(),
        action: "resend".into(),
        ticket: Some("T-41".into()),
        client_metadata: BTreeMap::from([("locale".into(), "fr".into())]),
        outcome,
        destination: (outcome == Some(Outcome::Sent)).then(|| "j***@e***.com".into()),
        delivery_medium: None,
        attribute_name: None,
        error_code: (outcome == Some(Outcome::Failed)).then(|| "LimitExceededException".into()),
        reason: None,
        details: BTreeMap::new(),
        version: VERSION.into(),
    }
}

fn sent(id: &str, h: u32, m: u32) -> [Record; 2] {
    [
        record(id, Event::Intent, at(h, m), None),
        record(id, Event::Outcome, at(h, m), Some(Outcome::Sent)),
    ]
}

#[test]
fn records_round_trip_through_a_private_file() {
    let dir = tempfile::tempdir().unwrap();
    let log = AuditLog::new(dir.path().join("sub/audit.jsonl"));
    for r in sent("1", 14, 2) {
        log.append(&r).unwrap();
    }
    let (records, skipped) = log.read(|_| true).unwrap();
    assert!(skipped.is_empty());
    assert_eq!(records, sent("1", 14, 2).to_vec());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // Written to its month's file, beside the configured name.
        let file = log.month_path(at(14, 2));
        assert!(file.ends_with("sub/audit-2026-11.jsonl"), "{file:?}");
        let mode = std::fs::metadata(file).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
}

#[test]
fn a_missing_file_is_an_empty_history() {
    let dir = tempfile::tempdir().unwrap();
    let log = AuditLog::new(dir.path().join("none.jsonl"));
    assert_eq!(log.read(|_| true).unwrap(), (vec![], vec![]));
}

#[test]
fn torn_and_foreign_lines_are_skipped_and_the_next_record_stays_whole() {
    let dir = tempfile::tempdir().unwrap();
    let log = AuditLog::new(dir.path().join("audit.jsonl"));
    let path = log.month_path(at(14, 0));
    log.append(&sent("1", 14, 0)[0]).unwrap();
    // Someone else's line, then a record cut off by a crash (no line end).
    let mut text = std::fs::read_to_string(&path).unwrap();
    text.push_str("not json at all\n{\"id\":\"2\",\"event\":\"int");
    std::fs::write(&path, text).unwrap();
    log.append(&sent("1", 14, 0)[1]).unwrap();
    let (records, skipped) = log.read(|_| true).unwrap();
    assert_eq!(records, sent("1", 14, 0).to_vec());
    assert_eq!(
        skipped.iter().map(|s| s.line).collect::<Vec<_>>(),
        vec![2, 3]
    );
}

#[test]
fn appends_from_many_writers_never_interleave() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("audit.jsonl");
    let threads: Vec<_> = (0..8)
        .map(|t| {
            let path = path.clone();
            std::thread::spawn(move || {
                // Each writer opens the file on its own, as a second process would.
                let log = AuditLog::new(path);
                for i in 0..50 {
                    let mut r = record(&format!("{t}-{i}"), Event::Intent, at(14, 0), None);
                    r.client_metadata
                        .insert("padding".into(), "x".repeat(5000 + t * 100));
                    log.append(&r).unwrap();
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    let (records, skipped) = AuditLog::new(&path).read(|_| true).unwrap();
    assert!(skipped.is_empty(), "{skipped:?}");
    assert_eq!(records.len(), 400);
}

#[test]
fn outcomes_pair_with_their_intents() {
    let mut records = Vec::new();
    records.extend(sent("a", 14, 0));
    records.push(record("b", Event::Intent, at(14, 10), None));
    records.push(record("c", Event::Intent, at(14, 20), None));
    records.push(record(
        "c",
        Event::Outcome,
        at(14, 21),
        Some(Outcome::Failed),
    ));
    let attempts = attempts(records);
    assert_eq!(attempts.len(), 3);
    assert_eq!(attempts[0].outcome(), Some(Outcome::Sent));
    assert_eq!(
        attempts[1].outcome(),
        None,
        "a crash mid-call leaves the intent alone"
    );
    assert!(attempts[1].may_have_sent());
    assert_eq!(attempts[2].outcome(), Some(Outcome::Failed));
    assert!(!attempts[2].may_have_sent());
    assert_eq!(attempts[2].at(), at(14, 21));
}

#[test]
fn the_fifth_resend_within_a_rolling_hour_is_the_last() {
    let mut records = Vec::new();
    for (i, m) in [0, 10, 20, 30].iter().enumerate() {
        records.extend(sent(&i.to_string(), 14, *m));
    }
    // A failed attempt does not count.
    records.push(record("f", Event::Intent, at(14, 35), None));
    records.push(record(
        "f",
        Event::Outcome,
        at(14, 35),
        Some(Outcome::Failed),
    ));
    let four = attempts(records.clone());
    assert_eq!(hourly_limit_until(&four, at(14, 40)), None);
    // An unanswered one does.
    records.push(record("u", Event::Intent, at(14, 40), None));
    records.push(record(
        "u",
        Event::Outcome,
        at(14, 40),
        Some(Outcome::Unknown),
    ));
    let five = attempts(records);
    assert_eq!(hourly_limit_until(&five, at(14, 45)), Some(at(15, 0)));
    // Once the first one is an hour old, the window has room again.
    assert_eq!(hourly_limit_until(&five, at(15, 0)), None);
    assert_eq!(
        resends_within(&five, at(15, 25), Duration::hours(1)).len(),
        2
    );
}

#[test]
fn a_summary_names_time_ticket_operator_and_destination() {
    let [i, o] = sent("a", 14, 2);
    let attempt = Attempt {
        intent: i,
        outcome: Some(o),
    };
    let zone = crate::time::Zone::utc();
    assert_eq!(
        summary(&attempt, at(16, 0), zone),
        "14:02 T-41 (alice) → j***@e***.com"
    );
    assert_eq!(
        summary(&attempt, at(16, 0) + Duration::days(1), zone),
        "2026-11-26 14:02 T-41 (alice) → j***@e***.com"
    );
}

#[test]
fn a_redacted_record_masks_the_address_the_metadata_and_an_address_username() {
    let mut r = record("1", Event::Outcome, at(10, 0), Some(Outcome::Done));
    r.username = "+447700900123".into();
    r.details.insert("value".into(), "jane@example.com".into());
    r.client_metadata
        .insert("ticket".into(), "Jane Doe 555".into());
    let shown = r.redacted();
    assert_eq!(shown.username, "+********0123");
    assert_eq!(shown.details["value"], "j***@e***.com");
    assert_eq!(shown.client_metadata["ticket"], "J*** D*** 5***");
}

#[cfg(unix)]
#[test]
fn a_shared_log_keeps_its_mode_and_says_when_everyone_can_read_it() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let log = AuditLog::shared(dir.path().join("desk/audit.jsonl"));
    let path = log.month_path(at(14, 2));
    log.append(&sent("1", 14, 2)[0]).unwrap();
    // A desk's file, writable by the group: appending leaves it so (a 0600 file locks the
    // desk out, and a colleague's file cannot be chmod-ed at all).
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o660)).unwrap();
    log.append(&sent("1", 14, 2)[1]).unwrap();
    let mode = std::fs::metadata(&path).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o660);
    assert_eq!(log.read(|_| true).unwrap().0.len(), 2);
    assert_eq!(log.warning(), None);
    // Readable by everyone: said, and left for the owner to fix.
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o664)).unwrap();
    log.append(&sent("2", 15, 2)[0]).unwrap();
    assert_eq!(
        std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
        0o664
    );
    assert!(log.warning().unwrap().contains("chmod o-rwx"));
    // The operator's own default log is still made private.
    let own = AuditLog::new(dir.path().join("own.jsonl"));
    own.append(&sent("3", 15, 2)[0]).unwrap();
    let own_file = own.month_path(at(15, 2));
    std::fs::set_permissions(&own_file, std::fs::Permissions::from_mode(0o644)).unwrap();
    own.append(&sent("3", 15, 2)[1]).unwrap();
    assert_eq!(
        std::fs::metadata(&own_file).unwrap().permissions().mode() & 0o777,
        0o600
    );
}

#[test]
fn records_go_to_their_month_and_a_bounded_read_opens_only_the_months_it_needs() {
    let dir = tempfile::tempdir().unwrap();
    let log = AuditLog::new(dir.path().join("audit.jsonl"));
    let month = |m: u32, d: u32| Utc.with_ymd_and_hms(2026, m, d, 12, 0, 0).unwrap();
    // A file from before months, last written in September.
    let mut old = record("old", Event::Intent, month(9, 3), None);
    old.username = "from-before".into();
    std::fs::write(
        log.path(),
        format!("{}\n", serde_json::to_string(&old).unwrap()),
    )
    .unwrap();
    let september = std::time::SystemTime::from(month(9, 3));
    std::fs::File::options()
        .write(true)
        .open(log.path())
        .unwrap()
        .set_modified(september)
        .unwrap();
    for (id, m) in [("oct", 10), ("nov", 11), ("dec", 12)] {
        log.append(&record(id, Event::Intent, month(m, 5), None))
            .unwrap();
    }
    assert!(dir.path().join("audit-2026-10.jsonl").exists());
    assert!(dir.path().join("audit-2026-12.jsonl").exists());
    let ids = |since| {
        let (records, _) = log.read_since(since, |_| true).unwrap();
        records.into_iter().map(|r| r.id).collect::<Vec<_>>()
    };
    assert_eq!(
        ids(None),
        ["old", "oct", "nov", "dec"],
        "everything, oldest first"
    );
    assert_eq!(ids(Some(month(12, 1))), ["dec"], "one file for this month");
    assert_eq!(ids(Some(month(11, 20))), ["nov", "dec"]);
    assert_eq!(
        log.files(Some(month(12, 1))),
        [dir.path().join("audit-2026-12.jsonl")],
        "the old file and earlier months are not opened"
    );
    // Files that only look alike are not the log's.
    std::fs::write(dir.path().join("audit-backup.jsonl"), "x\n").unwrap();
    std::fs::write(dir.path().join("audit-2026-13x.jsonl"), "x\n").unwrap();
    assert_eq!(ids(None).len(), 4);
}

#[test]
fn one_users_attempts_are_found_whatever_the_case_and_names_json_escapes_still_are() {
    let dir = tempfile::tempdir().unwrap();
    let log = AuditLog::new(dir.path().join("audit.jsonl"));
    let named = |id: &str, name: &str| {
        let mut r = record(id, Event::Outcome, at(10, 0), Some(Outcome::Sent));
        r.username = name.into();
        // A ClientMetadata value that looks like a username field fools nobody.
        r.client_metadata
            .insert("note".into(), "\"username\":\"jane\"".into());
        r
    };
    for r in [
        named("a", "Jane"),
        named("b", "jane"),
        named("c", "janet"),
        named("d", "ja\"ne"),
        named("e", "JÄNE"),
    ] {
        log.append(&r).unwrap();
    }
    let ids = |name: &str, cs: bool| -> Vec<String> {
        log.attempts_of("eu-west-1_Abc", name, cs, None)
            .unwrap()
            .iter()
            .map(|a| a.intent.id.clone())
            .collect()
    };
    assert_eq!(ids("JANE", false), ["a", "b"]);
    assert_eq!(ids("jane", true), ["b"]);
    assert_eq!(ids("JA\"NE", false), ["d"]);
    assert_eq!(
        ids("jäne", false),
        ["e"],
        "Unicode case folding, not ASCII's"
    );
    assert!(file::line_names("jane", false)(
        br#"{"username":"JANE","x":1}"#
    ));
    assert!(!file::line_names("jane", false)(br#"{"username":"janet"}"#));
}
