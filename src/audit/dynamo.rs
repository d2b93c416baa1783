//! The shared audit store on DynamoDB, for a desk: every agent's records in one table.
//!
//! Key design (every read the app needs is one `Query`):
//! - a record: `pk = U#<user pool id>#<username, lowercased>`, `sk = <time, RFC 3339 with
//!   nanoseconds>#<id>#<event>` — a user's records by time (the hourly guard, History, LAST
//!   RESEND); the exact case is compared after the read when the pool is case-sensitive;
//! - the index `by_day`: `gsi1pk = D#<YYYY-MM-DD>`, `gsi1sk = sk` — the desk's records by time
//!   (`history --since`, across users and pools), a query per day;
//! - `record`: the JSON line, exactly as the file store writes it; `expires_at` (epoch seconds)
//!   when `retain_days` is set (the table's TTL attribute);
//! - a claim: `pk = C#<user pool id>#<username, lowercased>`, `sk = CLAIM`.
//!
//! Writes are conditional on the item not being there: an id is never written twice, and an
//! import run twice adds nothing.
//!
//! The store keeps the audit log's synchronous interface: its calls run on a thread of their
//! own with its own runtime, and the caller waits for the answer (one round trip, two for a
//! claim), as it waits for a file lock.

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::mpsc;

use aws_sdk_dynamodb as ddb;
use aws_sdk_dynamodb::types::AttributeValue;
use chrono::{DateTime, Duration, Utc};

use super::Record;
use crate::config::AuditTable;

/// The GSI that holds the desk's records by day.
pub const BY_DAY: &str = "by_day";
/// How many items one BatchWriteItem takes.
pub const BATCH: usize = 25;

type Job = Box<dyn FnOnce(&tokio::runtime::Runtime, &ddb::Client) + Send>;
type Call<T> = Pin<Box<dyn Future<Output = T> + Send>>;

/// One table, reached through its own I/O thread.
#[derive(Debug)]
pub struct Table {
    pub name: String,
    pub region: String,
    /// `dynamodb:REGION/TABLE`, for messages.
    location: std::path::PathBuf,
    retain_days: Option<u32>,
    jobs: std::sync::Mutex<mpsc::Sender<Job>>,
}

/// An answer from the table that is not a record: the message says what and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreError(pub String);

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

fn error<E, R>(action: &str, e: ddb::error::SdkError<E, R>) -> StoreError
where
    E: ddb::error::ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    R: std::fmt::Debug,
{
    let what = match &e {
        ddb::error::SdkError::ServiceError(service) => {
            let err = service.err();
            format!(
                "{}: {}",
                err.code().unwrap_or("error"),
                err.message().unwrap_or_default()
            )
        }
        other => aws_smithy_types::error::display::DisplayErrorContext(other).to_string(),
    };
    StoreError(format!("{action}: {what} (needs dynamodb:{action})"))
}

/// A conditional write whose condition did not hold (the record is already there, the claim
/// is someone else's) changed nothing, and that is what was wanted.
fn unless_condition_failed<T, E, R>(
    action: &str,
    answer: Result<T, ddb::error::SdkError<E, R>>,
) -> Result<(), StoreError>
where
    E: ddb::error::ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    R: std::fmt::Debug,
{
    match answer {
        Ok(_) => Ok(()),
        Err(e)
            if e.as_service_error()
                .and_then(ddb::error::ProvideErrorMetadata::code)
                == Some("ConditionalCheckFailedException") =>
        {
            Ok(())
        }
        Err(e) => Err(error(action, e)),
    }
}

/// The sort key: times in one fixed format sort as text in time order.
pub fn sort_key(record: &Record) -> String {
    format!(
        "{}#{}#{}",
        time_key(record.time),
        record.id,
        match record.event {
            super::Event::Intent => "intent",
            super::Event::Outcome => "outcome",
        }
    )
}

fn time_key(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M:%S%.9fZ").to_string()
}

fn user_key(user_pool_id: &str, username: &str) -> String {
    format!("U#{user_pool_id}#{}", username.to_lowercase())
}

fn day_key(day: chrono::NaiveDate) -> String {
    format!("D#{}", day.format("%Y-%m-%d"))
}

/// The item of a record.
pub fn item(record: &Record, retain_days: Option<u32>) -> HashMap<String, AttributeValue> {
    let sk = sort_key(record);
    let mut item = HashMap::from([
        (
            "pk".to_string(),
            AttributeValue::S(user_key(&record.user_pool_id, &record.username)),
        ),
        ("sk".to_string(), AttributeValue::S(sk.clone())),
        (
            "gsi1pk".to_string(),
            AttributeValue::S(day_key(record.time.date_naive())),
        ),
        ("gsi1sk".to_string(), AttributeValue::S(sk)),
        (
            "record".to_string(),
            AttributeValue::S(serde_json::to_string(record).unwrap_or_default()),
        ),
    ]);
    if let Some(days) = retain_days {
        let expires = record.time + Duration::days(i64::from(days));
        item.insert(
            "expires_at".to_string(),
            AttributeValue::N(expires.timestamp().to_string()),
        );
    }
    item
}

fn records_of(items: &[HashMap<String, AttributeValue>]) -> Vec<Record> {
    items
        .iter()
        .filter_map(|item| match item.get("record") {
            Some(AttributeValue::S(json)) => serde_json::from_str(json).ok(),
            _ => None,
        })
        .collect()
}

/// A claim: who has a user open, since when, for which ticket, until when.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Claim {
    /// Who, as the store compares them: the AWS principal's ARN, else the OS user.
    pub operator: String,
    /// Who, as a colleague reads it: the role session name (an SSO user's name), else the OS
    /// user.
    pub name: String,
    pub ticket: Option<String>,
    pub since: DateTime<Utc>,
    pub until: DateTime<Utc>,
}

impl Table {
    /// The table as `[audit]` names it; nothing is asked until the first call.
    pub fn open(config: &AuditTable) -> Self {
        let (tx, rx) = mpsc::channel::<Job>();
        let endpoint = crate::cognito::sdk::Endpoint {
            region: config.region.clone(),
            profile: config.profile.clone(),
            endpoint_url: config.endpoint_url.clone(),
            attempt_timeout: None,
        };
        let spawned = std::thread::Builder::new()
            .name("cogtui-audit".into())
            .spawn(move || {
                let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                else {
                    return;
                };
                let sdk = runtime.block_on(crate::cognito::sdk::load_sdk_config(&endpoint));
                let client = ddb::Client::new(&sdk);
                for job in rx {
                    job(&runtime, &client);
                }
            });
        if let Err(e) = spawned {
            tracing::error!(error = %e, "the audit store's thread could not start");
        }
        Self {
            name: config.table.clone(),
            region: config.region.clone(),
            location: std::path::PathBuf::from(format!(
                "dynamodb:{}/{}",
                config.region, config.table
            )),
            retain_days: config.retain_days,
            jobs: std::sync::Mutex::new(tx),
        }
    }

    /// Runs one call on the store's thread and waits for its answer.
    fn run<T: Send + 'static>(
        &self,
        call: impl FnOnce(ddb::Client) -> Call<Result<T, StoreError>> + Send + 'static,
    ) -> Result<T, StoreError> {
        let (tx, rx) = mpsc::sync_channel(1);
        let job: Job = Box::new(move |runtime, client| {
            let _ = tx.send(runtime.block_on(call(client.clone())));
        });
        let gone = || StoreError("the audit store's thread has stopped".into());
        self.jobs
            .lock()
            .map_err(|_| gone())?
            .send(job)
            .map_err(|_| gone())?;
        rx.recv().map_err(|_| gone())?
    }

    /// Writes a record once: a record already there (the same id and event) is left as it is.
    pub fn append(&self, record: &Record) -> Result<(), StoreError> {
        let table = self.name.clone();
        let item = item(record, self.retain_days);
        self.run(move |client| {
            Box::pin(async move {
                let put = client
                    .put_item()
                    .table_name(table)
                    .set_item(Some(item))
                    .condition_expression("attribute_not_exists(pk)")
                    .send()
                    .await;
                unless_condition_failed("PutItem", put)
            })
        })
    }

    /// One user's records from `since` on, oldest first: one query (paged), read consistently
    /// (the rules read them right after a claim, and must see what a colleague just wrote).
    pub fn user_records(
        &self,
        user_pool_id: &str,
        username: &str,
        since: Option<DateTime<Utc>>,
    ) -> Result<Vec<Record>, StoreError> {
        let table = self.name.clone();
        let pk = user_key(user_pool_id, username);
        let from = since.map_or_else(|| "0".to_string(), time_key);
        self.run(move |client| {
            Box::pin(async move {
                all_pages(|start| {
                    let ask = client
                        .query()
                        .table_name(&table)
                        .consistent_read(true)
                        .key_condition_expression("pk = :p AND sk >= :s")
                        .expression_attribute_values(":p", AttributeValue::S(pk.clone()))
                        .expression_attribute_values(":s", AttributeValue::S(from.clone()))
                        .set_exclusive_start_key(start);
                    async move {
                        let out = ask.send().await.map_err(|e| error("Query", e))?;
                        Ok((out.items().to_vec(), out.last_evaluated_key().cloned()))
                    }
                })
                .await
            })
        })
    }

    /// The desk's records from `since` on (every record without it), oldest first: a query a
    /// day on the `by_day` index, the days asked at once; all of them by a scan.
    pub fn records_since(&self, since: Option<DateTime<Utc>>) -> Result<Vec<Record>, StoreError> {
        let table = self.name.clone();
        self.run(move |client| {
            Box::pin(async move {
                let mut records = match since {
                    Some(since) => {
                        let today = Utc::now().date_naive();
                        let mut days = Vec::new();
                        let mut day = since.date_naive();
                        while day <= today {
                            days.push(day);
                            day = day.succ_opt().unwrap_or(today + chrono::Days::new(1));
                        }
                        let from = time_key(since);
                        let asks = days.into_iter().map(|day| {
                            let client = client.clone();
                            let table = table.clone();
                            let from = from.clone();
                            async move { query_day(&client, &table, day, &from).await }
                        });
                        let mut records = Vec::new();
                        for answer in futures::future::join_all(asks).await {
                            records.extend(answer?);
                        }
                        records
                    }
                    None => scan(&client, &table).await?,
                };
                records.sort_by_key(sort_key);
                Ok(records)
            })
        })
    }

    /// Writes records in batches of 25 (unprocessed items sent again); `progress` hears how
    /// many are in. A record already there is written over with itself: an import run twice
    /// adds nothing.
    pub fn import(
        &self,
        records: Vec<Record>,
        progress: impl Fn(usize) + Send + 'static,
    ) -> Result<usize, StoreError> {
        let table = self.name.clone();
        let retain_days = self.retain_days;
        self.run(move |client| {
            Box::pin(async move {
                let mut written = 0;
                for chunk in records.chunks(BATCH) {
                    let mut requests: Vec<ddb::types::WriteRequest> = Vec::new();
                    let mut seen = std::collections::HashSet::new();
                    for record in chunk {
                        // One batch may not hold the same key twice.
                        if !seen.insert(sort_key(record) + &record.user_pool_id + &record.username)
                        {
                            continue;
                        }
                        let put = ddb::types::PutRequest::builder()
                            .set_item(Some(item(record, retain_days)))
                            .build()
                            .map_err(|e| StoreError(format!("BatchWriteItem: {e}")))?;
                        requests.push(ddb::types::WriteRequest::builder().put_request(put).build());
                    }
                    let mut pending = HashMap::from([(table.clone(), requests)]);
                    let mut wait = std::time::Duration::from_millis(50);
                    while pending.values().any(|r| !r.is_empty()) {
                        let out = client
                            .batch_write_item()
                            .set_request_items(Some(pending))
                            .send()
                            .await
                            .map_err(|e| error("BatchWriteItem", e))?;
                        pending = out.unprocessed_items().cloned().unwrap_or_default();
                        if pending.values().any(|r| !r.is_empty()) {
                            tokio::time::sleep(wait).await;
                            wait = (wait * 2).min(std::time::Duration::from_secs(5));
                        }
                    }
                    written += chunk.len();
                    progress(written);
                }
                Ok(written)
            })
        })
    }

    /// Creates the table: on-demand capacity, the `by_day` index, and TTL on `expires_at`
    /// when `retain_days` is set.
    pub fn create(&self) -> Result<(), StoreError> {
        let table = self.name.clone();
        let ttl = self.retain_days.is_some();
        self.run(move |client| Box::pin(async move { create(&client, &table, ttl).await }))
    }

    /// Claims a user for `minutes`: written when nobody holds it, when the holder's claim has
    /// run out, or when the holder is `operator` (a renewal). `Ok(None)`: ours; `Ok(Some)`:
    /// someone else's, as it stands.
    pub fn claim(
        &self,
        user_pool_id: &str,
        username: &str,
        claim: Claim,
    ) -> Result<Option<Claim>, StoreError> {
        let table = self.name.clone();
        let pk = format!("C#{user_pool_id}#{}", username.to_lowercase());
        self.run(move |client| {
            Box::pin(async move {
                let now = Utc::now().timestamp();
                let mut item = HashMap::from([
                    ("pk".to_string(), AttributeValue::S(pk.clone())),
                    ("sk".to_string(), AttributeValue::S("CLAIM".into())),
                    (
                        "operator".to_string(),
                        AttributeValue::S(claim.operator.clone()),
                    ),
                    ("name".to_string(), AttributeValue::S(claim.name.clone())),
                    (
                        "since".to_string(),
                        AttributeValue::N(claim.since.timestamp().to_string()),
                    ),
                    (
                        "until".to_string(),
                        AttributeValue::N(claim.until.timestamp().to_string()),
                    ),
                    // The table's TTL removes claims nobody released.
                    (
                        "expires_at".to_string(),
                        AttributeValue::N((claim.until.timestamp() + 86_400).to_string()),
                    ),
                ]);
                if let Some(ticket) = &claim.ticket {
                    item.insert("ticket".into(), AttributeValue::S(ticket.clone()));
                }
                let put = client
                    .put_item()
                    .table_name(&table)
                    .set_item(Some(item))
                    .condition_expression("attribute_not_exists(pk) OR #u < :now OR #o = :me")
                    .expression_attribute_names("#u", "until")
                    .expression_attribute_names("#o", "operator")
                    .expression_attribute_values(":now", AttributeValue::N(now.to_string()))
                    .expression_attribute_values(":me", AttributeValue::S(claim.operator.clone()))
                    .send()
                    .await;
                match put {
                    Ok(_) => Ok(None),
                    Err(e)
                        if e.as_service_error()
                            .is_some_and(|s| s.is_conditional_check_failed_exception()) =>
                    {
                        let out = client
                            .get_item()
                            .table_name(&table)
                            .key("pk", AttributeValue::S(pk))
                            .key("sk", AttributeValue::S("CLAIM".into()))
                            .consistent_read(true)
                            .send()
                            .await
                            .map_err(|e| error("GetItem", e))?;
                        Ok(out.item().map(claim_of))
                    }
                    Err(e) => Err(error("PutItem", e)),
                }
            })
        })
    }

    /// Lets go of a claim of `operator`'s (someone else's is left alone).
    pub fn release(
        &self,
        user_pool_id: &str,
        username: &str,
        operator: &str,
    ) -> Result<(), StoreError> {
        let table = self.name.clone();
        let pk = format!("C#{user_pool_id}#{}", username.to_lowercase());
        let operator = operator.to_string();
        self.run(move |client| {
            Box::pin(async move {
                let delete = client
                    .delete_item()
                    .table_name(table)
                    .key("pk", AttributeValue::S(pk))
                    .key("sk", AttributeValue::S("CLAIM".into()))
                    .condition_expression("#o = :me")
                    .expression_attribute_names("#o", "operator")
                    .expression_attribute_values(":me", AttributeValue::S(operator))
                    .send()
                    .await;
                unless_condition_failed("DeleteItem", delete)
            })
        })
    }
}

impl super::AuditStore for Table {
    fn append(&self, record: &Record) -> Result<(), super::AuditError> {
        Table::append(self, record).map_err(|e| self.error(e))
    }

    fn read_since(
        &self,
        since: Option<DateTime<Utc>>,
        keep: &dyn Fn(&Record) -> bool,
    ) -> Result<(Vec<Record>, Vec<super::Skipped>), super::AuditError> {
        let records = self.records_since(since).map_err(|e| self.error(e))?;
        Ok((
            records.into_iter().filter(|r| keep(r)).collect(),
            Vec::new(),
        ))
    }

    fn attempts_of(
        &self,
        user_pool_id: &str,
        username: &str,
        case_sensitive: bool,
        since: Option<DateTime<Utc>>,
    ) -> Result<Vec<super::Attempt>, super::AuditError> {
        // One query: the user's partition holds every case of the name.
        let records = self
            .user_records(user_pool_id, username, since)
            .map_err(|e| self.error(e))?;
        Ok(super::attempts(
            records
                .into_iter()
                .filter(|r| r.user_pool_id == user_pool_id)
                .filter(|r| !case_sensitive || r.username == username)
                .collect(),
        ))
    }

    fn claim(
        &self,
        user_pool_id: &str,
        username: &str,
        claim: Claim,
    ) -> Result<Option<Claim>, super::AuditError> {
        Table::claim(self, user_pool_id, username, claim).map_err(|e| self.error(e))
    }

    fn release(
        &self,
        user_pool_id: &str,
        username: &str,
        operator: &str,
    ) -> Result<(), super::AuditError> {
        Table::release(self, user_pool_id, username, operator).map_err(|e| self.error(e))
    }

    fn location(&self) -> &std::path::Path {
        &self.location
    }

    fn table(&self) -> Option<&Table> {
        Some(self)
    }
}

impl Table {
    fn error(&self, e: StoreError) -> super::AuditError {
        super::AuditError {
            path: self.location.clone(),
            source: std::io::Error::other(e.0),
        }
    }
}

fn claim_of(item: &HashMap<String, AttributeValue>) -> Claim {
    let text = |k: &str| match item.get(k) {
        Some(AttributeValue::S(s)) => Some(s.clone()),
        _ => None,
    };
    let time = |k: &str| match item.get(k) {
        Some(AttributeValue::N(n)) => n
            .parse::<i64>()
            .ok()
            .and_then(|t| DateTime::<Utc>::from_timestamp(t, 0))
            .unwrap_or_else(Utc::now),
        _ => Utc::now(),
    };
    Claim {
        operator: text("operator").unwrap_or_default(),
        name: text("name").unwrap_or_default(),
        ticket: text("ticket"),
        since: time("since"),
        until: time("until"),
    }
}

type Item = HashMap<String, AttributeValue>;

/// Follows a paged read to its end: `page(start)` asks for one page from `start` and answers its
/// items and the key to go on from.
async fn all_pages<F, Fut>(mut page: F) -> Result<Vec<Record>, StoreError>
where
    F: FnMut(Option<Item>) -> Fut,
    Fut: Future<Output = Result<(Vec<Item>, Option<Item>), StoreError>>,
{
    let mut items = Vec::new();
    let mut start = None;
    loop {
        let (got, next) = page(start.take()).await?;
        items.extend(got);
        match next {
            Some(key) if !key.is_empty() => start = Some(key),
            _ => return Ok(records_of(&items)),
        }
    }
}

async fn query_day(
    client: &ddb::Client,
    table: &str,
    day: chrono::NaiveDate,
    from: &str,
) -> Result<Vec<Record>, StoreError> {
    all_pages(|start| {
        let ask = client
            .query()
            .table_name(table)
            .index_name(BY_DAY)
            .key_condition_expression("gsi1pk = :d AND gsi1sk >= :s")
            .expression_attribute_values(":d", AttributeValue::S(day_key(day)))
            .expression_attribute_values(":s", AttributeValue::S(from.to_string()))
            .set_exclusive_start_key(start);
        async move {
            let out = ask.send().await.map_err(|e| error("Query", e))?;
            Ok((out.items().to_vec(), out.last_evaluated_key().cloned()))
        }
    })
    .await
}

async fn scan(client: &ddb::Client, table: &str) -> Result<Vec<Record>, StoreError> {
    all_pages(|start| {
        let ask = client
            .scan()
            .table_name(table)
            .filter_expression("begins_with(pk, :u)")
            .expression_attribute_values(":u", AttributeValue::S("U#".into()))
            .set_exclusive_start_key(start);
        async move {
            let out = ask.send().await.map_err(|e| error("Scan", e))?;
            Ok((out.items().to_vec(), out.last_evaluated_key().cloned()))
        }
    })
    .await
}

async fn create(client: &ddb::Client, table: &str, ttl: bool) -> Result<(), StoreError> {
    use ddb::types::{
        AttributeDefinition, BillingMode, GlobalSecondaryIndex, KeySchemaElement, KeyType,
        Projection, ProjectionType, ScalarAttributeType,
    };
    let attribute = |name: &str| {
        AttributeDefinition::builder()
            .attribute_name(name)
            .attribute_type(ScalarAttributeType::S)
            .build()
            .map_err(|e| StoreError(format!("CreateTable: {e}")))
    };
    let key = |name: &str, kind: KeyType| {
        KeySchemaElement::builder()
            .attribute_name(name)
            .key_type(kind)
            .build()
            .map_err(|e| StoreError(format!("CreateTable: {e}")))
    };
    let index = GlobalSecondaryIndex::builder()
        .index_name(BY_DAY)
        .key_schema(key("gsi1pk", KeyType::Hash)?)
        .key_schema(key("gsi1sk", KeyType::Range)?)
        .projection(
            Projection::builder()
                .projection_type(ProjectionType::All)
                .build(),
        )
        .build()
        .map_err(|e| StoreError(format!("CreateTable: {e}")))?;
    client
        .create_table()
        .table_name(table)
        .billing_mode(BillingMode::PayPerRequest)
        .attribute_definitions(attribute("pk")?)
        .attribute_definitions(attribute("sk")?)
        .attribute_definitions(attribute("gsi1pk")?)
        .attribute_definitions(attribute("gsi1sk")?)
        .key_schema(key("pk", KeyType::Hash)?)
        .key_schema(key("sk", KeyType::Range)?)
        .global_secondary_indexes(index)
        .send()
        .await
        .map_err(|e| error("CreateTable", e))?;
    if ttl {
        client
            .update_time_to_live()
            .table_name(table)
            .time_to_live_specification(
                ddb::types::TimeToLiveSpecification::builder()
                    .enabled(true)
                    .attribute_name("expires_at")
                    .build()
                    .map_err(|e| StoreError(format!("UpdateTimeToLive: {e}")))?,
            )
            .send()
            .await
            .map_err(|e| error("UpdateTimeToLive", e))?;
    }
    Ok(())
}

/// What `cogtui audit init --print` prints: the AWS CLI commands that make the same table.
pub fn create_commands(config: &AuditTable) -> String {
    let mut out = format!(
        "aws dynamodb create-table --region {region} --table-name {table} \\\n  \
         --billing-mode PAY_PER_REQUEST \\\n  \
         --attribute-definitions AttributeName=pk,AttributeType=S AttributeName=sk,AttributeType=S \
         AttributeName=gsi1pk,AttributeType=S AttributeName=gsi1sk,AttributeType=S \\\n  \
         --key-schema AttributeName=pk,KeyType=HASH AttributeName=sk,KeyType=RANGE \\\n  \
         --global-secondary-indexes '[{{\"IndexName\":\"{BY_DAY}\",\"KeySchema\":[{{\"AttributeName\":\"gsi1pk\",\"KeyType\":\"HASH\"}},{{\"AttributeName\":\"gsi1sk\",\"KeyType\":\"RANGE\"}}],\"Projection\":{{\"ProjectionType\":\"ALL\"}}}}]'\n",
        region = config.region,
        table = config.table,
    );
    if config.retain_days.is_some() {
        out.push_str(&format!(
            "aws dynamodb update-time-to-live --region {} --table-name {} \\\n  \
             --time-to-live-specification Enabled=true,AttributeName=expires_at\n",
            config.region, config.table
        ));
    }
    out
}
