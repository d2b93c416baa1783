//! The Cognito layer against the local emulator, through the real SDK over HTTP.

mod common;

use std::collections::{BTreeMap, HashSet};

use cogtui::cognito::session::PoolSession;
use cogtui::cognito::{
    CognitoApi, DeliveryMedium, ErrorKind, ListQuery, ResendOptions, StatusFilter, UserContext,
    for_each_page,
};
use cogtui::config::PoolConfig;
use cogtui::secret::ClientSecret;
use common::TestPool;

fn pool_config(pool: &TestPool) -> PoolConfig {
    PoolConfig {
        endpoint_url: Some(common::endpoint()),
        ..PoolConfig::minimal("test", &pool.pool_id, &pool.client_id, common::REGION)
    }
}

fn session(
    pool: &TestPool,
    secret: Option<ClientSecret>,
) -> PoolSession<cogtui::cognito::sdk::SdkCognito> {
    PoolSession::new(pool_config(pool), pool.api(), secret)
}

#[tokio::test]
async fn listing_unconfirmed_users_follows_every_page_once() {
    let pool = TestPool::new(false).await;
    for i in 0..150 {
        pool.sign_up(
            &format!("pending{i:03}"),
            &format!("p{i}@example.com"),
            None,
        )
        .await;
    }
    for i in 0..7 {
        let name = format!("done{i}");
        pool.sign_up(&name, &format!("d{i}@example.com"), None)
            .await;
        pool.confirm(&name).await;
    }
    let mut pages = 0;
    let mut seen = Vec::new();
    for_each_page(&pool.api(), &ListQuery::default(), |page| {
        pages += 1;
        assert!(page.users.len() <= 60, "a page holds at most 60 users");
        seen.extend(page.users.into_iter().map(|u| (u.username, u.status)));
        Ok(())
    })
    .await
    .unwrap();
    assert!(
        pages >= 3,
        "150 users need at least three pages, got {pages}"
    );
    let names: HashSet<_> = seen.iter().map(|(n, _)| n.clone()).collect();
    assert_eq!(seen.len(), 150, "each user exactly once");
    assert_eq!(names.len(), 150);
    assert!(
        seen.iter()
            .all(|(n, s)| n.starts_with("pending") && s == "UNCONFIRMED")
    );
}

#[tokio::test]
async fn status_all_and_search_combine() {
    let pool = TestPool::new(false).await;
    pool.sign_up("jane1", "jane1@example.com", None).await;
    pool.sign_up("jane2", "jane2@example.com", None).await;
    pool.confirm("jane2").await;
    pool.sign_up("bob", "bob@example.com", None).await;
    let list = |query: ListQuery| {
        let api = pool.api();
        async move {
            let mut names = Vec::new();
            for_each_page(&api, &query, |p| {
                names.extend(p.users.into_iter().map(|u| u.username));
                Ok(())
            })
            .await
            .unwrap();
            names.sort();
            names
        }
    };
    let search = Some("email^=jane".parse().unwrap());
    assert_eq!(
        list(ListQuery {
            status: StatusFilter::All,
            search: search.clone()
        })
        .await,
        ["jane1", "jane2"]
    );
    assert_eq!(
        list(ListQuery {
            status: StatusFilter::Unconfirmed,
            search
        })
        .await,
        ["jane1"],
        "with a search the status still applies"
    );
    assert_eq!(
        list(ListQuery {
            status: StatusFilter::All,
            search: None
        })
        .await
        .len(),
        3
    );
}

#[tokio::test]
async fn the_emulator_rejects_a_limit_over_60_like_the_service() {
    let pool = TestPool::new(false).await;
    let err = pool
        .admin
        .list_users()
        .user_pool_id(&pool.pool_id)
        .limit(61)
        .send()
        .await
        .unwrap_err();
    let text = format!(
        "{}",
        aws_sdk_cognitoidentityprovider::error::DisplayErrorContext(&err)
    );
    assert!(text.contains("InvalidParameterException"), "{text}");
}

#[tokio::test]
async fn resend_with_a_secret_reports_the_masked_destination_and_sends_every_member() {
    let pool = TestPool::new(true).await;
    pool.sign_up("jane.doe", "jane.doe@example.com", None).await;
    pool.sign_up("sam", "sam@example.com", Some("+447700901234"))
        .await;
    let session = session(&pool, pool.secret.clone());
    let options = ResendOptions {
        client_metadata: BTreeMap::from([
            ("source".to_string(), "support-desk".to_string()),
            ("ticket".to_string(), "T-4711".to_string()),
        ]),
        analytics_endpoint_id: Some("endpoint-1".into()),
        user_context: UserContext {
            ip_address: Some("192.0.2.10".into()),
            encoded_data: Some("fingerprint".into()),
        },
    };
    let delivery = common::resend(&session, "jane.doe", options, true)
        .await
        .unwrap();
    assert_eq!(delivery.destination, "j***@e***.com");
    assert_eq!(delivery.medium, DeliveryMedium::Email);
    assert_eq!(delivery.attribute_name, "email");

    let sms = common::resend(&session, "sam", ResendOptions::default(), true)
        .await
        .unwrap();
    assert_eq!(
        (sms.destination.as_str(), sms.medium),
        ("+********1234", DeliveryMedium::Sms)
    );

    let sent = common::recorded_requests(&pool.client_id);
    let jane = sent
        .iter()
        .find(|r| r["Username"] == "jane.doe")
        .expect("recorded");
    assert_eq!(jane["ClientMetadata"]["ticket"], "T-4711");
    assert_eq!(jane["ClientMetadata"]["source"], "support-desk");
    assert_eq!(
        jane["AnalyticsMetadata"]["AnalyticsEndpointId"],
        "endpoint-1"
    );
    assert_eq!(jane["UserContextData"]["IpAddress"], "192.0.2.10");
    assert_eq!(jane["UserContextData"]["EncodedData"], "fingerprint");
    assert!(jane["SecretHash"].as_str().is_some_and(|h| !h.is_empty()));
    let sam = sent
        .iter()
        .find(|r| r["Username"] == "sam")
        .expect("recorded");
    assert!(
        sam["ClientMetadata"].is_null(),
        "empty metadata is not sent"
    );
}

#[tokio::test]
async fn a_wrong_or_missing_secret_gives_the_secret_hash_errors() {
    let pool = TestPool::new(true).await;
    pool.sign_up("jane", "jane@example.com", None).await;
    let wrong = session(&pool, Some(ClientSecret::new("not-the-secret")));
    let err = common::resend(&wrong, "jane", ResendOptions::default(), true)
        .await
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::SecretHashRejected);
    assert_eq!(err.code, "NotAuthorizedException");
    assert!(
        err.hint().contains("check the client secret"),
        "{}",
        err.hint()
    );

    let missing = session(&pool, None);
    let err = common::resend(&missing, "jane", ResendOptions::default(), true)
        .await
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::SecretHashMissing);
}

#[tokio::test]
async fn confirmed_and_unknown_users_give_their_errors() {
    let pool = TestPool::new(false).await;
    pool.sign_up("done", "done@example.com", None).await;
    pool.confirm("done").await;
    let session = session(&pool, None);
    // The guard's look finds them confirmed: nothing is sent (the service's own "User is
    // already confirmed." is mapped in tests/resend_errors.rs).
    let err = common::resend(&session, "done", ResendOptions::default(), true)
        .await
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::AlreadyConfirmed);
    assert!(
        err.message.contains("done is CONFIRMED: nothing to resend"),
        "{}",
        err.message
    );
    assert_eq!(err.hint(), "nothing to resend: this user has confirmed");
    let err = common::resend(&session, "ghost", ResendOptions::default(), true)
        .await
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::UserGone);
    assert!(
        common::recorded_requests(&pool.client_id).is_empty(),
        "no resend reached the emulator"
    );
}

#[tokio::test]
async fn the_sixth_resend_in_an_hour_hits_the_limit_and_is_sent_once() {
    let pool = TestPool::new(false).await;
    pool.sign_up("eager", "eager@example.com", None).await;
    let session = session(&pool, None);
    for _ in 0..5 {
        common::resend(&session, "eager", ResendOptions::default(), true)
            .await
            .unwrap();
    }
    let err = common::resend(&session, "eager", ResendOptions::default(), true)
        .await
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::LimitExceeded);
    assert_eq!(
        common::recorded_requests(&pool.client_id).len(),
        6,
        "no retry after the limit"
    );
}

#[tokio::test]
async fn get_user_reads_one_user_fresh() {
    let pool = TestPool::new(false).await;
    pool.sign_up("fresh", "fresh@example.com", Some("+15550001111"))
        .await;
    let user = pool.api().get_user("fresh").await.unwrap();
    assert_eq!(user.status, "UNCONFIRMED");
    assert_eq!(user.phone(), Some("+15550001111"));
    assert!(user.created.is_some());
}

#[tokio::test]
async fn a_dead_endpoint_fails_fast_with_a_hint() {
    let config = aws_sdk_cognitoidentityprovider::Config::builder()
        .behavior_version(aws_sdk_cognitoidentityprovider::config::BehaviorVersion::latest())
        .region(aws_sdk_cognitoidentityprovider::config::Region::new(
            "eu-west-1",
        ))
        // Port 9 on loopback: nothing listens there.
        .endpoint_url("http://127.0.0.1:9")
        .credentials_provider(aws_sdk_cognitoidentityprovider::config::Credentials::new(
            "a", "b", None, None, "t",
        ))
        .build();
    let api = cogtui::cognito::sdk::SdkCognito::new(
        aws_sdk_cognitoidentityprovider::Client::from_conf(config),
        "eu-west-1_dead",
    );
    let err = api
        .list_page(&ListQuery::default(), None)
        .await
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::EndpointUnreachable, "{err:?}");
    assert!(err.hint().contains("cannot reach Cognito"));
}
