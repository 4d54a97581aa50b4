//! Dense indices and the tables they index.
//!
//! Lowering resolves every reference to a dense index of one kind (a [`super::RuleIdx`], a
//! [`super::PartyIdx`], ...) and the tables are [`IndexVec`]s typed by that kind: a party
//! index cannot index the rules, and a table is read with `table[i]`, not with a `get` whose
//! `None` would turn a lowering bug into a quietly different decision. Indices coming from
//! outside (a user's position, a record) are checked with [`IndexVec::get`] instead.
//!
//! Indices are `u32`: an index is minted only by [`Idx::try_from_usize`], which refuses
//! positions beyond [`MAX_TABLE_LEN`], or by a table that already holds the position.

use std::fmt;
use std::marker::PhantomData;
use std::ops::{Index, IndexMut};

/// The most entries a table can hold: an index is a `u32`. Loaders refuse more with a located
/// error (lowering registers ids through [`Idx::try_from_usize`]).
pub const MAX_TABLE_LEN: usize = u32::MAX as usize;

/// A position that does not fit in an index (`MAX_TABLE_LEN` or beyond).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error(
    "position {position} is beyond the largest table the engine holds ({MAX_TABLE_LEN} entries)"
)]
pub struct IndexOverflow {
    /// The position that did not fit.
    pub position: usize,
}

/// A dense index of one kind of definition.
pub trait Idx: Copy + Eq + Ord + fmt::Debug {
    /// The index at `position`, or an error when it does not fit (never truncated).
    fn try_from_usize(position: usize) -> Result<Self, IndexOverflow>;
    /// The index of a position known to fit (every `u32` below [`MAX_TABLE_LEN`] does).
    fn from_u32(position: u32) -> Self;
    /// The position this index names.
    fn idx(self) -> usize;
}

/// A vector indexed by `I` only. It never holds more than [`MAX_TABLE_LEN`] entries, so each
/// of its positions is a valid `I`.
#[derive(Clone, PartialEq, Eq)]
pub struct IndexVec<I, T> {
    raw: Vec<T>,
    _index: PhantomData<fn(&I)>,
}

impl<I: Idx, T> IndexVec<I, T> {
    /// An empty table.
    pub const fn new() -> Self {
        IndexVec {
            raw: Vec::new(),
            _index: PhantomData,
        }
    }

    /// A table of the entries of `raw`, in order; an error when it is too long to index.
    pub fn try_from_vec(raw: Vec<T>) -> Result<Self, IndexOverflow> {
        if raw.len() > MAX_TABLE_LEN {
            return Err(IndexOverflow {
                position: raw.len(),
            });
        }
        Ok(IndexVec {
            raw,
            _index: PhantomData,
        })
    }

    /// A table with one `value` for each entry of `like` (a scratch array beside a table).
    pub fn filled_like<U>(value: T, like: &IndexVec<I, U>) -> Self
    where
        T: Clone,
    {
        IndexVec {
            raw: vec![value; like.len()],
            _index: PhantomData,
        }
    }

    /// Append `value`; its index, or an error when the table is full (nothing is appended).
    pub fn push(&mut self, value: T) -> Result<I, IndexOverflow> {
        let i = I::try_from_usize(self.raw.len())?;
        self.raw.push(value);
        Ok(i)
    }

    /// The index the next pushed entry will get, if one fits.
    pub fn next_index(&self) -> Result<I, IndexOverflow> {
        I::try_from_usize(self.raw.len())
    }

    /// The entry at `i`, when `i` comes from outside and may not name one.
    #[inline]
    pub fn get(&self, i: I) -> Option<&T> {
        self.raw.get(i.idx())
    }

    /// The entry at `i`, mutably, when `i` may not name one.
    #[inline]
    pub fn get_mut(&mut self, i: I) -> Option<&mut T> {
        self.raw.get_mut(i.idx())
    }

    /// How many entries the table holds.
    #[inline]
    pub fn len(&self) -> usize {
        self.raw.len()
    }

    /// Whether the table holds no entry.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.raw.is_empty()
    }

    /// The entries, in index order.
    pub fn iter(&self) -> std::slice::Iter<'_, T> {
        self.raw.iter()
    }

    /// The entries, mutably, in index order.
    pub fn iter_mut(&mut self) -> std::slice::IterMut<'_, T> {
        self.raw.iter_mut()
    }

    /// Every index of the table, in order.
    pub fn indices(&self) -> impl DoubleEndedIterator<Item = I> + ExactSizeIterator + use<I, T> {
        // Every position below the length fits: the constructors keep the length in bounds.
        let len = u32::try_from(self.raw.len()).unwrap_or(u32::MAX);
        (0..len).map(I::from_u32)
    }

    /// Every entry with its index, in order.
    pub fn iter_enumerated(&self) -> impl DoubleEndedIterator<Item = (I, &T)> + '_ {
        self.indices().zip(self.raw.iter())
    }

    /// Every entry, mutably, with its index, in order.
    pub fn iter_enumerated_mut(&mut self) -> impl Iterator<Item = (I, &mut T)> + '_ {
        self.indices().zip(self.raw.iter_mut())
    }

    /// A table of the same indices with `f` applied to each entry.
    pub fn map<U>(&self, f: impl FnMut(&T) -> U) -> IndexVec<I, U> {
        IndexVec {
            raw: self.raw.iter().map(f).collect(),
            _index: PhantomData,
        }
    }

    /// A table of the same indices with `f` applied to each entry and its index.
    pub fn map_enumerated<U>(&self, mut f: impl FnMut(I, &T) -> U) -> IndexVec<I, U> {
        IndexVec {
            raw: self.iter_enumerated().map(|(i, t)| f(i, t)).collect(),
            _index: PhantomData,
        }
    }

    /// The entries as a plain slice, for code that does not index (sorting, searching).
    pub fn as_slice(&self) -> &[T] {
        &self.raw
    }

    /// Make room for `additional` more entries.
    pub fn reserve(&mut self, additional: usize) {
        self.raw.reserve(additional);
    }

    /// Remove every entry.
    pub fn clear(&mut self) {
        self.raw.clear();
    }

    /// Keep the first `len` entries.
    pub fn truncate(&mut self, len: usize) {
        self.raw.truncate(len);
    }

    /// The last entry.
    pub fn last(&self) -> Option<&T> {
        self.raw.last()
    }
}

impl<I: Idx, T> Default for IndexVec<I, T> {
    fn default() -> Self {
        IndexVec::new()
    }
}

impl<I, T: fmt::Debug> fmt::Debug for IndexVec<I, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.raw.fmt(f)
    }
}

impl<I: Idx, T> Index<I> for IndexVec<I, T> {
    type Output = T;
    /// Panics when `i` names no entry: an index minted by lowering always does, so a panic is
    /// a lowering bug, which must fail a test rather than change a decision.
    #[inline]
    fn index(&self, i: I) -> &T {
        &self.raw[i.idx()]
    }
}

impl<I: Idx, T> Index<&I> for IndexVec<I, T> {
    type Output = T;
    #[inline]
    fn index(&self, i: &I) -> &T {
        &self.raw[i.idx()]
    }
}

impl<I: Idx, T> IndexMut<I> for IndexVec<I, T> {
    #[inline]
    fn index_mut(&mut self, i: I) -> &mut T {
        &mut self.raw[i.idx()]
    }
}

impl<'a, I: Idx, T> IntoIterator for &'a IndexVec<I, T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.raw.iter()
    }
}

impl<'a, I: Idx, T> IntoIterator for &'a mut IndexVec<I, T> {
    type Item = &'a mut T;
    type IntoIter = std::slice::IterMut<'a, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.raw.iter_mut()
    }
}

impl<I: Idx, T> IntoIterator for IndexVec<I, T> {
    type Item = T;
    type IntoIter = std::vec::IntoIter<T>;
    fn into_iter(self) -> Self::IntoIter {
        self.raw.into_iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{PartyIdx, RuleIdx};

    #[test]
    fn positions_beyond_u32_are_refused_not_truncated() {
        assert_eq!(RuleIdx::try_from_usize(7), Ok(RuleIdx(7)));
        assert_eq!(
            RuleIdx::try_from_usize(MAX_TABLE_LEN - 1),
            Ok(RuleIdx(u32::MAX - 1))
        );
        assert_eq!(
            RuleIdx::try_from_usize(MAX_TABLE_LEN),
            Err(IndexOverflow {
                position: MAX_TABLE_LEN
            })
        );
        #[cfg(target_pointer_width = "64")]
        assert!(PartyIdx::try_from_usize(u32::MAX as usize + 1).is_err());
    }

    #[test]
    fn push_hands_out_the_indices_in_order() {
        let mut v: IndexVec<PartyIdx, &str> = IndexVec::new();
        assert_eq!(v.push("a"), Ok(PartyIdx(0)));
        assert_eq!(v.push("b"), Ok(PartyIdx(1)));
        assert_eq!(v[PartyIdx(1)], "b");
        assert_eq!(v.get(PartyIdx(2)), None);
        let all: Vec<_> = v.iter_enumerated().map(|(i, s)| (i, *s)).collect();
        assert_eq!(all, vec![(PartyIdx(0), "a"), (PartyIdx(1), "b")]);
    }

    #[test]
    fn an_index_no_lowering_minted_fails_loudly() {
        let v: IndexVec<PartyIdx, u8> = IndexVec::new();
        let read = std::panic::catch_unwind(|| v[PartyIdx(3)]);
        assert!(
            read.is_err(),
            "an out-of-range index must not read a default"
        );
    }
}
