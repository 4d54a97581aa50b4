//! Partitions of finite vocabularies into classes that a group of conditions cannot tell apart.
//!
//! Conditions on sets (transaction types, goods, countries, currencies, programs, categories)
//! only ever ask "is the value in this set?". Two values that belong to exactly the same sets
//! of a group of rules are therefore interchangeable for that group: every condition gives the
//! same answer for both. Evaluating one representative per class is evaluating them all; this
//! is the completeness argument for every set-valued dimension of the analysis.

/// One class: its members (in universe order); the first is the representative.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Class<T> {
    pub members: Vec<T>,
}

impl<T: Clone> Class<T> {
    pub fn rep(&self) -> Option<T> {
        self.members.first().cloned()
    }
}

/// Partition `universe` by membership in `sets`: two items share a class iff every set holds
/// both or neither. Classes come in order of their first member; empty sets are fine.
pub fn partition<T: Clone + PartialEq>(universe: &[T], sets: &[Vec<T>]) -> Vec<Class<T>> {
    let mut keys: Vec<Vec<bool>> = Vec::new();
    let mut classes: Vec<Class<T>> = Vec::new();
    for item in universe {
        let key: Vec<bool> = sets.iter().map(|s| s.contains(item)).collect();
        match keys.iter().position(|k| *k == key) {
            Some(i) => {
                if let Some(c) = classes.get_mut(i) {
                    c.members.push(item.clone());
                }
            }
            None => {
                keys.push(key);
                classes.push(Class {
                    members: vec![item.clone()],
                });
            }
        }
    }
    classes
}

/// All subsets of `0..n` as index lists, smallest first (n is kept small by the callers).
pub fn subsets(n: usize) -> Vec<Vec<usize>> {
    let n = n.min(20);
    (0u32..(1u32 << n))
        .map(|m| (0..n).filter(|i| m & (1 << i) != 0).collect())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_in_the_same_sets_share_a_class() {
        let u = ["a", "b", "c", "d"];
        let sets = vec![vec!["a", "b"], vec!["b"]];
        let p = partition(&u, &sets);
        let members: Vec<Vec<&str>> = p.iter().map(|c| c.members.clone()).collect();
        assert_eq!(members, vec![vec!["a"], vec!["b"], vec!["c", "d"]]);
        assert_eq!(subsets(2), vec![vec![], vec![0], vec![1], vec![0, 1]]);
    }
}
