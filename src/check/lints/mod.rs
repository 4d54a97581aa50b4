//! The deep-check lints, one question per file, and the helpers they share.

pub mod always_defeated;
pub mod conflict;
pub mod dead_rule;
pub mod inv_advisory;
pub mod inv_citation;
pub mod inv_defeat;
pub mod inv_obligation;
pub mod inv_program;
pub mod invariants;
pub mod overrides;
pub mod shadowed;

use crate::check::emit::sp;
use crate::model::ruleset::{Rule, RuleKind, RuleSet};
use crate::model::{JurisdictionIdx, ObligationIdx, RuleIdx};
use crate::scenario::raw::RawExpectation;

/// Rules of `kind`, with their indices.
pub fn rules_of(rs: &RuleSet, kind: RuleKind) -> impl Iterator<Item = (RuleIdx, &Rule)> {
    rs.rules
        .iter_enumerated()
        .filter(move |(_, r)| r.kind == kind)
}

/// Exemptions and licenses, with their indices.
pub fn exceptions(rs: &RuleSet) -> impl Iterator<Item = (RuleIdx, &Rule)> {
    rs.rules
        .iter_enumerated()
        .filter(|(_, r)| r.kind.is_exception())
}

/// Does exception or override `by` select prohibition `p` (same jurisdiction)?
pub fn selects_rule(rs: &RuleSet, by: RuleIdx, p: RuleIdx) -> bool {
    let (b, pr) = (&rs.rules[by], &rs.rules[p]);
    pr.kind == RuleKind::Prohibition
        && b.jurisdiction == pr.jurisdiction
        && b.defeats.selects(p, pr, rs)
}

/// A prohibition with everything that can decide whether it stands: the exceptions that select
/// it and the overrides that protect it from one of them.
pub fn closure(rs: &RuleSet, p: RuleIdx) -> Vec<RuleIdx> {
    let mut out = vec![p];
    let ex: Vec<RuleIdx> = exceptions(rs)
        .map(|(i, _)| i)
        .filter(|&e| selects_rule(rs, e, p))
        .collect();
    for (o, ov) in rules_of(rs, RuleKind::Override) {
        if ov.overrides.iter().any(|e| ex.contains(e)) && selects_rule(rs, o, p) {
            out.push(o);
        }
    }
    out.extend(ex);
    out
}

/// An expectation naming reasons that must and must not appear, and obligations no one owes.
pub fn expectation(
    rs: &RuleSet,
    reasons: &[RuleIdx],
    not_reasons: &[RuleIdx],
    no_obligations: &[ObligationIdx],
) -> RawExpectation {
    let rule = |r: &RuleIdx| rs.rules.get(*r).map(|x| sp(x.id.clone()));
    RawExpectation {
        reasons: reasons.iter().filter_map(rule).collect(),
        not_reasons: not_reasons.iter().filter_map(rule).collect(),
        no_obligations: no_obligations
            .iter()
            .filter_map(|o| rs.obligations.get(*o).map(|x| sp(x.id.clone())))
            .collect(),
        ..RawExpectation::default()
    }
}

/// A file-name stem for a counterexample.
pub fn slug(code: crate::diagnostic::Code, id: &str) -> String {
    let clean: String = id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '.' {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("{}-{clean}", code.as_str().to_lowercase().replace('_', "-"))
}

/// Is rule `r` in jurisdiction `j` (or any, if `None`)?
pub fn in_jurisdiction(rs: &RuleSet, r: RuleIdx, j: Option<JurisdictionIdx>) -> bool {
    rs.rules
        .get(r)
        .is_some_and(|x| j.is_none_or(|j| x.jurisdiction == j))
}
