//! A client-side rate limit for ListUsers, one per pool per process: ListUsers has a fixed quota
//! of 30 calls a second for the whole account, shared with the production application, so a
//! support desk listing flat out could throttle the product's own calls.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use tokio::time::Instant;

#[derive(Debug)]
pub struct RateLimit {
    interval: Duration,
    next: tokio::sync::Mutex<Option<Instant>>,
}

impl RateLimit {
    pub fn new(per_second: f64) -> Self {
        Self {
            interval: Duration::from_secs_f64(1.0 / per_second.max(0.01)),
            next: tokio::sync::Mutex::new(None),
        }
    }

    /// Waits until the next call may go; callers queue in turn.
    pub async fn wait(&self) {
        let mut next = self.next.lock().await;
        let now = Instant::now();
        if let Some(at) = *next
            && at > now
        {
            tokio::time::sleep_until(at).await;
        }
        *next = Some(Instant::now().max(next.unwrap_or(now)) + self.interval);
    }
}

/// The limit shared by everything this process lists from `pool_id`.
pub fn for_pool(pool_id: &str, per_second: f64) -> Arc<RateLimit> {
    static LIMITS: OnceLock<Mutex<HashMap<String, Arc<RateLimit>>>> = OnceLock::new();
    let limits = LIMITS.get_or_init(|| Mutex::new(HashMap::new()));
    let mut limits = match limits.lock() {
        Ok(guard) => guard,
        Err(poisoned) => poisoned.into_inner(),
    };
    limits
        .entry(pool_id.to_string())
        .or_insert_with(|| Arc::new(RateLimit::new(per_second)))
        .clone()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn calls_are_spaced_by_the_interval_and_shared_per_pool() {
        let a = for_pool("eu-west-1_rate", 4.0);
        let b = for_pool("eu-west-1_rate", 4.0);
        let start = Instant::now();
        a.wait().await;
        b.wait().await;
        a.wait().await;
        assert_eq!(Instant::now() - start, Duration::from_millis(500));
        // Another pool has its own budget.
        let other = for_pool("eu-west-1_other", 4.0);
        let before = Instant::now();
        other.wait().await;
        assert_eq!(Instant::now(), before);
    }
}
