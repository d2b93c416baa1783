//! Scale and the account's quota: the ListUsers rate limit, seen in the emulator's request times.

mod common;

use common::TestPool;

fn list_gaps(pool: &TestPool) -> Vec<f64> {
    let times: Vec<f64> = common::requests_for(&pool.pool_id)
        .iter()
        .filter(|r| r["operation"] == "ListUsers")
        .map(|r| r["time"].as_f64().unwrap())
        .collect();
    times.windows(2).map(|w| w[1] - w[0]).collect()
}

#[tokio::test]
async fn listing_keeps_to_max_list_rps() {
    let pool = TestPool::new(false).await;
    pool.sign_up_many("r", 241).await;
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    std::fs::write(&config, pool.config_toml("max_list_rps = 4\n")).unwrap();
    let out = common::run_cogtui(&config, None, None, &["list", "--format", "json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 241);
    let gaps = list_gaps(&pool);
    assert_eq!(gaps.len(), 4, "five pages: {gaps:?}");
    // 4 a second: the five calls span at least a second. The span of all calls, with slack,
    // not each gap: a busy machine delays one arrival and shortens the next gap.
    let span: f64 = gaps.iter().sum();
    assert!(span >= 0.95, "five calls in {span:.3}s: {gaps:?}");
}

#[tokio::test]
async fn a_throttled_listing_slows_down_and_climbs_back() {
    let pool = TestPool::new(false).await;
    pool.sign_up_many("t", 480).await;
    common::inject_faults(serde_json::json!([
        {"operation": "ListUsers", "pool": pool.pool_id, "fault": "throttle", "calls": [2]}
    ]));
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    std::fs::write(&config, pool.config_toml("max_list_rps = 10\n")).unwrap();
    let out = common::run_cogtui(&config, None, None, &["list", "--format", "json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).lines().count(),
        480,
        "the throttled page was retried, nothing lost"
    );
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("slowed to 6.0 calls a second"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let gaps = list_gaps(&pool);
    // Eight pages and the throttled call: the first page, the throttled second, its retry, then
    // pages three to eight.
    assert_eq!(gaps.len(), 8, "{gaps:?}");
    // Halved to 5 a second, then up by one a second with each page that gets through: the
    // calls after the retry are 1/6, 1/7, 1/8 and 1/9 s apart before they are back at 1/10.
    // Their span (with slack) tells it from a pace that never adapted (four gaps of 1/10 s:
    // 0.4 s); each gap alone would be at the mercy of a busy machine.
    let after: f64 = gaps[3..7].iter().sum();
    let adapted: f64 = [6.0, 7.0, 8.0, 9.0].iter().map(|r| 1.0 / r).sum();
    assert!(
        after >= adapted - 0.03,
        "four calls after the throttle in {after:.3}s, expected about {adapted:.3}s: {gaps:?}"
    );
}

#[test]
fn max_list_rps_and_max_users_are_checked_in_the_config() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    for (setting, key) in [
        ("max_list_rps = 100", "pools.p.max_list_rps"),
        ("max_users = 10", "pools.p.max_users"),
    ] {
        std::fs::write(
            &config,
            format!("[pools.p]\nuser_pool_id = \"eu-west-1_A\"\nclient_id = \"c\"\n{setting}\n"),
        )
        .unwrap();
        let out = common::run_cogtui(&config, None, None, &["list"]);
        assert_eq!(out.status.code(), Some(2));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains(&format!("config.toml:4: {key}")),
            "{stderr}"
        );
    }
}
