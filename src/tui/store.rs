//! The loaded users, held so that a background task (an export, the stats count) can take a
//! snapshot in O(1) and read it while the UI goes on loading, filtering and replacing users.
//!
//! Users live in chunks of [`CHUNK`] behind reference counts. A snapshot copies the chunk
//! pointers (245 of them at a million users), never a user; a chunk that changes while a
//! snapshot still holds it is copied once ([`Arc::make_mut`]), so the snapshot keeps the users
//! as they were when it was taken.

use std::sync::Arc;

use super::ranked::Ranked;
use crate::cognito::User;

/// Users a chunk holds.
const CHUNK: usize = 4096;

#[derive(Debug, Default)]
pub struct Store {
    chunks: Vec<Arc<Vec<User>>>,
    len: usize,
}

impl Store {
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub fn push(&mut self, user: User) {
        match self.chunks.last_mut() {
            Some(last) if last.len() < CHUNK => Arc::make_mut(last).push(user),
            _ => {
                let mut chunk = Vec::with_capacity(CHUNK);
                chunk.push(user);
                self.chunks.push(Arc::new(chunk));
            }
        }
        self.len += 1;
    }

    /// Puts `user` at `at` and returns the one that was there.
    pub fn replace(&mut self, at: u32, user: User) -> User {
        let (chunk, i) = split(at);
        std::mem::replace(&mut Arc::make_mut(&mut self.chunks[chunk])[i], user)
    }

    pub fn iter(&self) -> impl Iterator<Item = &User> {
        self.chunks.iter().flat_map(|c| c.iter())
    }

    /// The users, a chunk at a time, for [`free_slowly`].
    pub fn into_users(self) -> impl Iterator<Item = User> + Send {
        self.chunks
            .into_iter()
            // A chunk a snapshot still holds is only let go of: the snapshot frees it.
            .flat_map(|c| Arc::try_unwrap(c).unwrap_or_default())
    }

    /// The users and the rows to read them in, for another thread.
    pub fn snapshot(&self, rows: &Arc<Ranked>) -> Snapshot {
        Snapshot {
            chunks: self.chunks.clone(),
            rows: rows.clone(),
        }
    }
}

fn split(at: u32) -> (usize, usize) {
    (at as usize / CHUNK, at as usize % CHUNK)
}

impl std::ops::Index<u32> for Store {
    type Output = User;

    fn index(&self, at: u32) -> &User {
        let (chunk, i) = split(at);
        &self.chunks[chunk][i]
    }
}

/// Some rows of the loaded users (those the table showed), as they were when it was taken:
/// read by a background task while the UI goes on.
#[derive(Clone)]
pub struct Snapshot {
    chunks: Vec<Arc<Vec<User>>>,
    rows: Arc<Ranked>,
}

impl Snapshot {
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The rows, in table order.
    pub fn iter(&self) -> impl Iterator<Item = &User> {
        self.rows.iter().map(|at| {
            let (chunk, i) = split(at);
            &self.chunks[chunk][i]
        })
    }
}

impl std::fmt::Debug for Snapshot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Snapshot({} rows)", self.len())
    }
}

/// The same snapshot (effects are compared in tests).
impl PartialEq for Snapshot {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.rows, &other.rows)
            && self.chunks.len() == other.chunks.len()
            && self
                .chunks
                .iter()
                .zip(&other.chunks)
                .all(|(a, b)| Arc::ptr_eq(a, b))
    }
}

impl Eq for Snapshot {}

/// Frees many values on another thread, a batch at a time with a pause between batches:
/// freeing a million users takes tens of milliseconds, more than a frame, and with glibc's
/// malloc the chunks another thread frees are consolidated by the UI thread's next allocation,
/// so a million freed at once would stall it anyway (13 ms measured on `t`); a batch at a time,
/// each frame pays for one batch at most.
pub fn free_slowly<T: Send + 'static>(values: impl IntoIterator<Item = T> + Send + 'static) {
    const BATCH: usize = 16_384;
    // A thread that cannot start leaves the work here, as before.
    let _ = std::thread::Builder::new()
        .name("cogtui-free".into())
        .spawn(move || {
            let mut values = values.into_iter();
            loop {
                let batch: Vec<T> = values.by_ref().take(BATCH).collect();
                if batch.is_empty() {
                    break;
                }
                drop(batch);
                std::thread::sleep(std::time::Duration::from_millis(4));
            }
        });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(name: &str) -> User {
        User {
            username: name.into(),
            status: "UNCONFIRMED".into(),
            enabled: true,
            created: None,
            modified: None,
            attributes: Default::default(),
        }
    }

    #[test]
    fn a_snapshot_keeps_the_users_as_they_were_while_the_store_changes() {
        let mut store = Store::default();
        for i in 0..(CHUNK as u32 + 10) {
            store.push(user(&format!("u{i}")));
        }
        let rows = Arc::new(Ranked::from_sorted([0, 5, CHUNK as u32 + 3]));
        let snapshot = store.snapshot(&rows);
        store.replace(5, user("changed"));
        store.push(user("later"));
        let seen: Vec<&str> = snapshot.iter().map(|u| u.username.as_str()).collect();
        assert_eq!(seen, ["u0", "u5", &format!("u{}", CHUNK + 3)]);
        assert_eq!(store[5].username, "changed");
        assert_eq!(store.len(), CHUNK + 11);
        assert_eq!(store[CHUNK as u32 + 10].username, "later");
    }
}
