//! The score of a query against one name, token by token.
//!
//! Both are normalised (`lists::normalize`) and split into distinct words. Each query word,
//! longest first, takes the most similar unused word of the name (similarity from
//! `tokens::similarity`: 1 when equal, Jaro-Winkler within a small edit distance, at least
//! `TOKEN_MIN`). Two coverages are then measured, weighted by word length: how much of the
//! query the matched words cover, and how much of the name. A query of several words scores the
//! greater of the two, so "Usama bin Laden" meets "BIN LADIN, Usama bin Muhammad bin Awad" (the
//! whole query is found in the name) and a long query meets a short alias; at least two words
//! must match (one when the name has one word). A one-word query is scored on the name's
//! coverage only: "Muhammad" alone does not meet every name that contains it; and a one-word name
//! only a one-word query ("Hassan" is not met by "Hasan Nasrallah").

use super::tokens::TOKEN_MIN;

/// One query word and the name word it was paired with.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Pair {
    /// The query's word.
    pub query: String,
    /// The name's word.
    pub name: String,
    /// Their similarity (1 when equal).
    pub similarity: f64,
}

/// How a query meets one name.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Alignment {
    /// 0..=1.
    pub score: f64,
    /// The paired words, in query order.
    pub pairs: Vec<Pair>,
}

impl Alignment {
    /// Every pair is an equal word.
    pub fn all_equal(&self) -> bool {
        self.pairs.iter().all(|p| p.query == p.name)
    }
}

/// Align `query` with `name` (both distinct words), with `sim` giving the similarity of two
/// words (0 when they are not close).
pub fn align(query: &[&str], name: &[&str], sim: &dyn Fn(&str, &str) -> f64) -> Alignment {
    let mut order: Vec<usize> = (0..query.len()).collect();
    // Longest first, then query order: long words are the most telling.
    order.sort_by_key(|&i| (std::cmp::Reverse(query.get(i).map_or(0, |w| w.len())), i));
    let mut used = vec![false; name.len()];
    let mut paired: Vec<Option<(usize, f64)>> = vec![None; query.len()];
    for &qi in &order {
        let Some(q) = query.get(qi) else { continue };
        let mut best: Option<(usize, f64)> = None;
        for (ni, n) in name.iter().enumerate() {
            if used.get(ni).copied().unwrap_or(true) {
                continue;
            }
            let s = sim(q, n);
            if s >= TOKEN_MIN && best.is_none_or(|(_, b)| s > b) {
                best = Some((ni, s));
            }
        }
        if let Some((ni, s)) = best {
            if let Some(u) = used.get_mut(ni) {
                *u = true;
            }
            if let Some(p) = paired.get_mut(qi) {
                *p = Some((ni, s));
            }
        }
    }
    let matched = paired.iter().flatten().count();
    if matched == 0 || matched < 2.min(name.len()) {
        return Alignment::default();
    }
    let weight = |w: &str| w.chars().count() as f64;
    let mut q_cover = 0.0;
    let mut n_cover = 0.0;
    let mut pairs = Vec::new();
    for (qi, p) in paired.iter().enumerate() {
        if let (Some((ni, s)), Some(q)) = (p, query.get(qi)) {
            let n = name.get(*ni).copied().unwrap_or_default();
            q_cover += s * weight(q);
            n_cover += s * weight(n);
            pairs.push(Pair {
                query: (*q).to_string(),
                name: n.to_string(),
                similarity: *s,
            });
        }
    }
    let q_total: f64 = query.iter().map(|w| weight(w)).sum();
    let n_total: f64 = name.iter().map(|w| weight(w)).sum();
    // A one-word name meets only a one-word query: one word of a longer query ("Hasan" of
    // "Hasan Nasrallah") is not that person's name.
    let by_name = if n_total > 0.0 && (name.len() > 1 || query.len() == 1) {
        n_cover / n_total
    } else {
        0.0
    };
    let by_query = if q_total > 0.0 {
        q_cover / q_total
    } else {
        0.0
    };
    let score = if query.len() > 1 {
        by_name.max(by_query)
    } else {
        by_name
    };
    Alignment { score, pairs }
}

#[cfg(test)]
mod tests {
    use super::super::tokens::similarity;
    use super::*;

    fn words(s: &str) -> Vec<String> {
        let mut w: Vec<String> = crate::lists::normalize::normalize(s)
            .plain
            .split(' ')
            .map(str::to_string)
            .collect();
        w.sort();
        w.dedup();
        w
    }

    fn score(q: &str, n: &str) -> f64 {
        let (q, n) = (words(q), words(n));
        let q: Vec<&str> = q.iter().map(String::as_str).collect();
        let n: Vec<&str> = n.iter().map(String::as_str).collect();
        align(&q, &n, &similarity).score
    }

    #[test]
    fn a_query_found_whole_in_a_longer_name_scores_high() {
        let s = score("Usama bin Laden", "BIN LADIN, Usama bin Muhammad bin Awad");
        assert!(s > 0.95, "{s}");
    }

    #[test]
    fn one_common_word_is_not_a_match() {
        assert!(score("Muhammad", "BIN LADIN, Usama bin Muhammad bin Awad") < 0.5);
        assert!(score("Bakr bin Laden", "BIN LADIN, Usama bin Muhammad bin Awad") < 0.9);
    }

    #[test]
    fn a_one_word_alias_is_not_met_by_one_word_of_a_longer_query() {
        // Only the query's coverage counts, and one word of two covers too little.
        assert!(score("Hasan Nasrallah", "Hassan") < 0.5);
        assert!(score("Hassan", "Hasan") > 0.9);
    }

    #[test]
    fn word_order_and_case_do_not_matter() {
        assert_eq!(score("joaquin guzman loera", "GUZMAN LOERA, Joaquin"), 1.0);
    }
}
