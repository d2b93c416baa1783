//! A sorted sequence of user indexes that also answers "which is row i" and "which row is this",
//! so that adding a page of users to a million loaded ones costs O(page · log N) instead of
//! moving every row after the insertion point.
//!
//! The rows live in chunks of at most [`MAX_CHUNK`] indexes, in order; a Fenwick tree over the
//! chunk lengths turns a row number into a chunk and an offset (and back) in O(log N). An insert
//! finds its chunk by binary search over the chunks' last rows, then its place inside the chunk,
//! and moves at most a chunk's worth of indexes. A chunk that grows past the limit is split in
//! two, which rebuilds the tree: O(N / MAX_CHUNK), once every MAX_CHUNK / 2 inserts at the most.
//! The order itself is the caller's: each call takes `before(a, b)`, a strict total order (no two
//! indexes equal under it) that must be the one the sequence was built with.

/// The most indexes a chunk holds before it is split.
const MAX_CHUNK: usize = 1024;
/// How full [`Ranked::from_sorted`] fills its chunks: room for inserts before the first split.
const FILL: usize = MAX_CHUNK * 3 / 4;

#[derive(Debug, Default, Clone)]
pub struct Ranked {
    chunks: Vec<Vec<u32>>,
    /// Fenwick tree over `chunks[i].len()`.
    tree: Vec<usize>,
    len: usize,
}

impl Ranked {
    /// Takes indexes already in order.
    pub fn from_sorted(rows: impl IntoIterator<Item = u32>) -> Self {
        let mut chunks = Vec::new();
        let mut chunk = Vec::with_capacity(FILL);
        let mut len = 0;
        // `for_each`, not a `for` loop: a flattening or filtering source runs its own tight
        // inner loops (this is on the path of every keystroke in the filter).
        rows.into_iter().for_each(|row| {
            chunk.push(row);
            len += 1;
            if chunk.len() == FILL {
                chunks.push(std::mem::replace(&mut chunk, Vec::with_capacity(FILL)));
            }
        });
        if !chunk.is_empty() {
            chunks.push(chunk);
        }
        let mut ranked = Self {
            chunks,
            tree: Vec::new(),
            len,
        };
        ranked.rebuild_tree();
        ranked
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The index in row `row`.
    pub fn get(&self, row: usize) -> Option<u32> {
        let (chunk, offset) = self.locate(row)?;
        Some(self.chunks[chunk][offset])
    }

    /// Every index, in order.
    pub fn iter(&self) -> impl Iterator<Item = u32> + '_ {
        self.chunks.iter().flatten().copied()
    }

    /// The indexes from row `row` on.
    pub fn iter_from(&self, row: usize) -> impl Iterator<Item = u32> + '_ {
        let (chunk, offset) = self.locate(row).unwrap_or((self.chunks.len(), 0));
        self.chunks
            .get(chunk)
            .map(|c| &c[offset..])
            .unwrap_or_default()
            .iter()
            .chain(self.chunks.iter().skip(chunk + 1).flatten())
            .copied()
    }

    /// Puts `index` in its place. It must not be in the sequence already.
    pub fn insert_by(&mut self, index: u32, before: impl Fn(u32, u32) -> bool) {
        if self.chunks.is_empty() {
            self.chunks.push(vec![index]);
            self.len = 1;
            self.rebuild_tree();
            return;
        }
        // The first chunk whose last index comes after `index`; past the end, the last chunk.
        let chunk = self.chunk_for(index, &before).min(self.chunks.len() - 1);
        let rows = &mut self.chunks[chunk];
        let at = rows.partition_point(|r| before(*r, index));
        if rows.len() == rows.capacity() {
            // Grow to at most one past a full chunk (the split follows), not to twice that.
            rows.reserve_exact((rows.len() * 2).clamp(4, MAX_CHUNK + 1) - rows.len());
        }
        rows.insert(at, index);
        self.len += 1;
        if rows.len() > MAX_CHUNK {
            let tail = rows.split_off(rows.len() / 2);
            self.chunks.insert(chunk + 1, tail);
            self.rebuild_tree();
        } else {
            self.add(chunk, 1);
        }
    }

    /// The row `index` is in, if it is there.
    pub fn rank_by(&self, index: u32, before: impl Fn(u32, u32) -> bool) -> Option<usize> {
        let chunk = self.chunk_for(index, &before);
        let rows = self.chunks.get(chunk)?;
        let at = rows.partition_point(|r| before(*r, index));
        (rows.get(at) == Some(&index)).then(|| self.prefix(chunk) + at)
    }

    /// Takes `index` out; `false` when it was not there.
    pub fn remove_by(&mut self, index: u32, before: impl Fn(u32, u32) -> bool) -> bool {
        let chunk = self.chunk_for(index, &before);
        let Some(rows) = self.chunks.get_mut(chunk) else {
            return false;
        };
        let at = rows.partition_point(|r| before(*r, index));
        if rows.get(at) != Some(&index) {
            return false;
        }
        rows.remove(at);
        self.len -= 1;
        if rows.is_empty() {
            self.chunks.remove(chunk);
            self.rebuild_tree();
        } else {
            self.add(chunk, -1);
        }
        true
    }

    /// The first chunk whose last index does not come before `index`.
    fn chunk_for(&self, index: u32, before: &impl Fn(u32, u32) -> bool) -> usize {
        self.chunks
            .partition_point(|c| c.last().is_some_and(|last| before(*last, index)))
    }

    /// The chunk and offset of row `row`: a descent of the Fenwick tree.
    fn locate(&self, row: usize) -> Option<(usize, usize)> {
        if row >= self.len {
            return None;
        }
        let mut pos = 0;
        let mut rest = row;
        let mut step = self.tree.len().next_power_of_two();
        while step > 0 {
            let next = pos + step;
            if next <= self.tree.len() && self.tree[next - 1] <= rest {
                pos = next;
                rest -= self.tree[next - 1];
            }
            step /= 2;
        }
        Some((pos, rest))
    }

    /// How many rows the chunks before `chunk` hold.
    fn prefix(&self, chunk: usize) -> usize {
        let mut sum = 0;
        let mut i = chunk;
        while i > 0 {
            sum += self.tree[i - 1];
            i &= i - 1;
        }
        sum
    }

    fn add(&mut self, chunk: usize, delta: isize) {
        let mut i = chunk + 1;
        while i <= self.tree.len() {
            self.tree[i - 1] = self.tree[i - 1].wrapping_add_signed(delta);
            i += i & i.wrapping_neg();
        }
    }

    fn rebuild_tree(&mut self) {
        let n = self.chunks.len();
        self.tree.clear();
        self.tree.extend(self.chunks.iter().map(Vec::len));
        for i in 1..=n {
            let parent = i + (i & i.wrapping_neg());
            if parent <= n {
                self.tree[parent - 1] += self.tree[i - 1];
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    /// A small deterministic generator, so failures repeat.
    struct Lcg(u64);
    impl Lcg {
        fn next(&mut self, n: u64) -> u64 {
            self.0 = self
                .0
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (self.0 >> 33) % n
        }
    }

    #[test]
    fn inserts_removals_and_row_lookups_agree_with_a_sorted_vector() {
        // Keys with many ties, ordered by (key descending, index ascending) as the user list does.
        let mut rng = Lcg(7);
        let keys: Vec<u64> = (0..20_000).map(|_| rng.next(500)).collect();
        let before = |a: u32, b: u32| {
            let (ka, kb) = (keys[a as usize], keys[b as usize]);
            ka > kb || (ka == kb && a < b)
        };
        let mut ranked = Ranked::from_sorted({
            let mut first: Vec<u32> = (0..3_000).collect();
            first.sort_by(|a, b| keys[*b as usize].cmp(&keys[*a as usize]).then(a.cmp(b)));
            first
        });
        let mut model: Vec<u32> = ranked.iter().collect();
        for i in 3_000..20_000u32 {
            ranked.insert_by(i, before);
            let at = model.partition_point(|r| before(*r, i));
            model.insert(at, i);
            // Now and then take one out again.
            if rng.next(4) == 0 {
                let gone = model.remove(rng.next(model.len() as u64) as usize);
                assert!(ranked.remove_by(gone, before));
                assert!(!ranked.remove_by(gone, before), "already gone");
            }
        }
        assert_eq!(ranked.len(), model.len());
        assert_eq!(ranked.iter().collect::<Vec<_>>(), model);
        for row in (0..model.len()).step_by(97) {
            assert_eq!(ranked.get(row), Some(model[row]), "row {row}");
            assert_eq!(ranked.rank_by(model[row], before), Some(row));
            assert_eq!(
                ranked.iter_from(row).take(5).collect::<Vec<_>>(),
                model[row..(row + 5).min(model.len())]
            );
        }
        assert_eq!(ranked.get(model.len()), None);
        assert_eq!(ranked.iter_from(model.len()).count(), 0);
        // Empty it completely, chunk by chunk.
        for index in model {
            assert!(ranked.remove_by(index, before));
        }
        assert!(ranked.is_empty());
        assert_eq!(ranked.get(0), None);
    }

    /// What "O(page · log N)" means here: adding a page to a million rows compares about
    /// log2(N) + log2(chunk) times per user, not once per row it passes.
    #[test]
    fn an_insert_into_a_million_rows_compares_logarithmically_often() {
        let n = 1_000_000u32;
        let compared = Cell::new(0u64);
        // Ascending indexes; the page lands all over the order.
        let before = |a: u32, b: u32| {
            compared.set(compared.get() + 1);
            a < b
        };
        let mut ranked = Ranked::from_sorted((0..n).map(|i| i * 2));
        let page: Vec<u32> = (0..60u32).map(|i| (i * 33_331 % n) * 2 + 1).collect();
        for index in &page {
            ranked.insert_by(*index, before);
        }
        let per_user = compared.get() / page.len() as u64;
        // log2(1,000,000 / 768 chunks) + log2(1024) ≈ 11 + 10.
        assert!(per_user <= 24, "{per_user} comparisons per inserted user");
        for index in &page {
            let row = ranked.rank_by(*index, before).expect("inserted");
            assert_eq!(ranked.get(row), Some(*index));
        }
        assert_eq!(ranked.len(), n as usize + page.len());
    }
}
