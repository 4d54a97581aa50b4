//! The token vocabulary of a screening index and the search for tokens close to a query token.
//!
//! Close means: equal, or within a small edit distance (one edit for tokens of 4 to 7
//! characters, two from 8; none below 4, where one edit changes too much). Candidates come from
//! a symmetric deletion index: two tokens within `k` edits share a form obtained by deleting at
//! most `k` characters from each, so every token within reach is found by looking up the
//! query's deletion forms; each candidate is then scored with Jaro-Winkler (`strsim`). The
//! property test `screen_properties` checks this against a scan of the whole vocabulary.

use std::collections::HashMap;
use std::hash::BuildHasher as _;

/// Lowest Jaro-Winkler similarity for two different tokens to count as the same word.
pub const TOKEN_MIN: f64 = 0.85;
/// Tokens shorter than this match only exactly.
const MIN_EDIT_LEN: usize = 4;
/// From this length, two edits are allowed.
const TWO_EDIT_LEN: usize = 8;

/// Edits allowed for a token of `len` characters.
pub fn edits_for(len: usize) -> usize {
    match len {
        0..MIN_EDIT_LEN => 0,
        MIN_EDIT_LEN..TWO_EDIT_LEN => 1,
        _ => 2,
    }
}

/// Token id within a [`Vocabulary`].
pub type TokenId = u32;

/// Every distinct token of the indexed names, with its deletion forms.
#[derive(Debug, Default, Clone)]
pub struct Vocabulary {
    tokens: Vec<Box<str>>,
    ids: HashMap<Box<str>, TokenId>,
    /// (hash of a deletion form, token), sorted by hash: the forms of every token within its
    /// own edit allowance.
    forms: Vec<(u64, TokenId)>,
    hasher: std::collections::hash_map::RandomState,
}

impl Vocabulary {
    /// The id of `token`, adding it when new.
    pub fn intern(&mut self, token: &str) -> TokenId {
        if let Some(&id) = self.ids.get(token) {
            return id;
        }
        let id = TokenId::try_from(self.tokens.len()).unwrap_or(TokenId::MAX);
        self.tokens.push(token.into());
        self.ids.insert(token.into(), id);
        id
    }

    /// The id of `token` when it is known.
    pub fn get(&self, token: &str) -> Option<TokenId> {
        self.ids.get(token).copied()
    }

    /// The text of a token.
    pub fn text(&self, id: TokenId) -> &str {
        self.tokens.get(id as usize).map_or("", |t| t)
    }

    /// Number of distinct tokens.
    pub fn len(&self) -> usize {
        self.tokens.len()
    }

    /// No token at all.
    pub fn is_empty(&self) -> bool {
        self.tokens.is_empty()
    }

    /// Build the deletion index once every token is interned.
    pub fn seal(&mut self) {
        let mut forms = Vec::new();
        for (id, t) in self.tokens.iter().enumerate() {
            let id = TokenId::try_from(id).unwrap_or(TokenId::MAX);
            let chars: Vec<char> = t.chars().collect();
            let k = edits_for(chars.len());
            if k == 0 {
                continue;
            }
            for_each_form(&chars, k, &mut |form| forms.push((self.hash(form), id)));
        }
        forms.sort_unstable();
        forms.dedup();
        self.forms = forms;
    }

    fn hash(&self, form: &[char]) -> u64 {
        self.hasher.hash_one(form)
    }

    /// The tokens close to `query` (equal, or within the edit allowance of both and at least
    /// [`TOKEN_MIN`] similar), each with its similarity, best first.
    pub fn close(&self, query: &str) -> Vec<(TokenId, f64)> {
        let mut out: Vec<(TokenId, f64)> = Vec::new();
        if let Some(id) = self.get(query) {
            out.push((id, 1.0));
        }
        let chars: Vec<char> = query.chars().collect();
        let k = edits_for(chars.len());
        if k > 0 {
            let mut seen: Vec<TokenId> = Vec::new();
            for_each_form(&chars, k, &mut |form| {
                let h = self.hash(form);
                let start = self.forms.partition_point(|&(x, _)| x < h);
                for &(x, id) in self.forms.get(start..).unwrap_or_default() {
                    if x != h {
                        break;
                    }
                    seen.push(id);
                }
            });
            seen.sort_unstable();
            seen.dedup();
            for id in seen {
                let text = self.text(id);
                if text == query {
                    continue;
                }
                let sim = similarity(query, text);
                if sim >= TOKEN_MIN {
                    out.push((id, sim));
                }
            }
        }
        out.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        out
    }
}

/// The similarity of two tokens: 1 when equal; Jaro-Winkler when both may be edited and they
/// are within both tokens' edit allowance; 0 otherwise. The search above and the reference
/// scan in the tests share this definition.
pub fn similarity(a: &str, b: &str) -> f64 {
    if a == b {
        return 1.0;
    }
    let (la, lb) = (a.chars().count(), b.chars().count());
    let k = edits_for(la).min(edits_for(lb));
    if k == 0 || within_edits(a, b, k).is_none() {
        return 0.0;
    }
    strsim::jaro_winkler(a, b)
}

/// The Levenshtein distance of `a` and `b` when it is at most `k`.
fn within_edits(a: &str, b: &str, k: usize) -> Option<usize> {
    let d = strsim::levenshtein(a, b);
    (d <= k).then_some(d)
}

/// Call `f` with every form of `chars` that deletes at most `k` characters (the token itself
/// included; repeated forms may be given more than once).
fn for_each_form(chars: &[char], k: usize, f: &mut dyn FnMut(&[char])) {
    f(chars);
    if k == 0 || chars.is_empty() {
        return;
    }
    let mut buf: Vec<char> = Vec::with_capacity(chars.len());
    for i in 0..chars.len() {
        buf.clear();
        buf.extend(
            chars
                .iter()
                .enumerate()
                .filter(|&(j, _)| j != i)
                .map(|(_, c)| *c),
        );
        for_each_form(&buf.clone(), k - 1, f);
    }
}
