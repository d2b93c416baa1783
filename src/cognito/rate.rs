//! A client-side rate limit for ListUsers, one per pool per process: ListUsers has a fixed quota
//! of 30 calls a second for the whole account, shared with the production application, so a
//! support desk listing flat out could throttle the product's own calls.
//!
//! The limit adapts: a throttled call halves the rate (and holds the next call back by the new
//! interval), each call that gets through raises it again by a tenth of the configured rate, so
//! a desk that meets a busy account slows down at once and returns to `max_list_rps` within a
//! few seconds once Cognito stops refusing. (The SDK's own "adaptive" retry mode was tried
//! first: after two throttled pages it held the next call back for over 20 s.)

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};
use std::time::Duration;

use tokio::time::Instant;

/// The slowest throttling takes the limit: one call every two seconds (or the configured rate,
/// when that is slower).
const FLOOR_PER_SECOND: f64 = 0.5;

#[derive(Debug)]
pub struct RateLimit {
    max: f64,
    floor: f64,
    state: Mutex<State>,
}

#[derive(Debug)]
struct State {
    /// Calls a second allowed now: `max` until Cognito throttles.
    rate: f64,
    /// When the next call may go.
    next: Option<Instant>,
}

impl RateLimit {
    pub fn new(per_second: f64) -> Self {
        let max = per_second.max(0.01);
        Self {
            max,
            floor: FLOOR_PER_SECOND.min(max),
            state: Mutex::new(State {
                rate: max,
                next: None,
            }),
        }
    }

    fn state(&self) -> MutexGuard<'_, State> {
        match self.state.lock() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        }
    }

    /// Waits until the next call may go; callers queue in turn (each reserves its own slot).
    pub async fn wait(&self) {
        let at = {
            let mut state = self.state();
            let now = Instant::now();
            let at = state.next.map_or(now, |next| next.max(now));
            state.next = Some(at + interval(state.rate));
            at
        };
        tokio::time::sleep_until(at).await;
    }

    /// Cognito throttled a call: halve the rate, and the next call waits a whole new interval.
    pub fn throttled(&self) {
        let mut state = self.state();
        state.rate = (state.rate / 2.0).max(self.floor);
        let pause = Instant::now() + interval(state.rate);
        state.next = Some(state.next.map_or(pause, |next| next.max(pause)));
        tracing::info!(
            per_second = state.rate,
            "ListUsers throttled: listing slowed"
        );
    }

    /// A call got through: climb back towards the configured rate.
    pub fn succeeded(&self) {
        let mut state = self.state();
        state.rate = (state.rate + self.max / 10.0).min(self.max);
    }

    /// Calls a second allowed now.
    pub fn current(&self) -> f64 {
        self.state().rate
    }

    /// Calls a second allowed now, while throttling holds it below the configured rate.
    pub fn slowed_to(&self) -> Option<f64> {
        Some(self.current()).filter(|rate| *rate < self.max)
    }
}

/// What [`RateLimit::slowed_to`] says for `pool_id`'s limit, if this process has one.
pub fn slowed(pool_id: &str) -> Option<f64> {
    limits().get(pool_id).and_then(|limit| limit.slowed_to())
}

fn interval(per_second: f64) -> Duration {
    Duration::from_secs_f64(1.0 / per_second)
}

fn limits() -> MutexGuard<'static, HashMap<String, Arc<RateLimit>>> {
    static LIMITS: OnceLock<Mutex<HashMap<String, Arc<RateLimit>>>> = OnceLock::new();
    let limits = LIMITS.get_or_init(|| Mutex::new(HashMap::new()));
    match limits.lock() {
        Ok(guard) => guard,
        Err(poisoned) => poisoned.into_inner(),
    }
}

/// The limit shared by everything this process lists from `pool_id`.
pub fn for_pool(pool_id: &str, per_second: f64) -> Arc<RateLimit> {
    limits()
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

    #[tokio::test(start_paused = true)]
    async fn throttling_halves_the_rate_and_successes_bring_it_back() {
        let limit = RateLimit::new(10.0);
        limit.wait().await;
        let start = Instant::now();
        limit.throttled();
        limit.throttled();
        assert_eq!(limit.current(), 2.5);
        // The next call waits the new interval, not the old 100 ms.
        limit.wait().await;
        assert_eq!(Instant::now() - start, Duration::from_millis(400));
        for _ in 0..3 {
            limit.succeeded();
        }
        assert_eq!(limit.current(), 5.5);
        for _ in 0..10 {
            limit.succeeded();
        }
        assert_eq!(limit.current(), 10.0, "never above max_list_rps");
        for _ in 0..10 {
            limit.throttled();
        }
        assert_eq!(limit.current(), FLOOR_PER_SECOND, "never stops listing");
        // A pool configured slower than the floor keeps its own rate.
        let slow = RateLimit::new(0.2);
        slow.throttled();
        assert_eq!(slow.current(), 0.2);
        assert_eq!(slow.slowed_to(), None);
    }
}
