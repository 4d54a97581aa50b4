//! Defeat, the one copy of the law's rule: a firing exception (an exemption or a license)
//! defeats a firing prohibition it selects unless a firing override that names the exception
//! protects that prohibition from it. Nothing here depends on the order of the packs.
//!
//! The evaluator asks it about one transaction's firings, `check` about each point of a group's
//! condition space; both describe what fired through [`Firings`].

use crate::model::ruleset::{RuleKind, RuleSet};
use crate::model::{Disposition, RuleIdx};

/// Which exceptions and overrides fired: all that defeat reads of an evaluation.
pub trait Firings {
    /// The firing exceptions (exemptions and licenses), in the order defeaters are reported.
    fn exceptions(&self) -> impl Iterator<Item = RuleIdx>;
    /// The firing overrides.
    fn overrides(&self) -> impl Iterator<Item = RuleIdx>;
}

/// Firing exceptions and overrides listed apart (the evaluator's form).
#[derive(Debug, Clone, Copy)]
pub struct FiringLists<'a> {
    /// Firing exemptions and licenses.
    pub exceptions: &'a [RuleIdx],
    /// Firing overrides.
    pub overrides: &'a [RuleIdx],
}

impl Firings for FiringLists<'_> {
    fn exceptions(&self) -> impl Iterator<Item = RuleIdx> {
        self.exceptions.iter().copied()
    }

    fn overrides(&self) -> impl Iterator<Item = RuleIdx> {
        self.overrides.iter().copied()
    }
}

/// Does exception `e` select prohibition `p`?
pub fn selects_prohibition(rs: &RuleSet, e: RuleIdx, p: RuleIdx) -> bool {
    let ex = &rs.rules[e];
    ex.kind.is_exception() && ex.defeats.selects(p, &rs.rules[p], rs)
}

/// Does override `o` protect prohibition `p` from exception `e`?
pub fn protects(rs: &RuleSet, o: RuleIdx, e: RuleIdx, p: RuleIdx) -> bool {
    let ov = &rs.rules[o];
    ov.kind == RuleKind::Override
        && ov.overrides.contains(&e)
        && ov.defeats.selects(p, &rs.rules[p], rs)
}

/// Firing overrides that protect prohibition `p` from exception `e`.
pub fn protectors<'a>(
    rs: &'a RuleSet,
    fired: &'a impl Firings,
    p: RuleIdx,
    e: RuleIdx,
) -> impl Iterator<Item = RuleIdx> + 'a {
    fired.overrides().filter(move |&o| protects(rs, o, e, p))
}

/// Firing exceptions that select prohibition `p` (defeating it or not).
pub fn selecting<'a>(
    rs: &'a RuleSet,
    fired: &'a impl Firings,
    p: RuleIdx,
) -> impl Iterator<Item = RuleIdx> + 'a {
    fired
        .exceptions()
        .filter(move |&e| selects_prohibition(rs, e, p))
}

/// Defeat of firing prohibition `p`: pushes onto `defeaters` every firing exception that
/// defeats it (selects it and nothing protects it from), in the order of
/// [`Firings::exceptions`], and onto `protections` every `(override, exception)` where a firing
/// override protects `p` from a selecting exception (each protecting override is cited).
pub fn defeat(
    rs: &RuleSet,
    fired: &impl Firings,
    p: RuleIdx,
    defeaters: &mut Vec<RuleIdx>,
    protections: &mut Vec<(RuleIdx, RuleIdx)>,
) {
    for e in selecting(rs, fired, p) {
        let before = protections.len();
        protections.extend(protectors(rs, fired, p, e).map(|o| (o, e)));
        if protections.len() == before {
            defeaters.push(e);
        }
    }
}

/// The firing exceptions that defeat firing prohibition `p`, in the order of
/// [`Firings::exceptions`] (empty: `p` stands).
pub fn defeaters(rs: &RuleSet, fired: &impl Firings, p: RuleIdx) -> Vec<RuleIdx> {
    let mut out = Vec::new();
    let mut protections = Vec::new();
    defeat(rs, fired, p, &mut out, &mut protections);
    out
}

/// What a defeat by `defeaters` permits: where a statutory exemption applies the license is
/// not needed, so the weaker permission (adding a license never strengthens a disposition).
pub fn permission(rs: &RuleSet, defeaters: &[RuleIdx]) -> Disposition {
    let exempt = defeaters
        .iter()
        .any(|&e| rs.rules[e].kind == RuleKind::Exemption);
    if exempt {
        Disposition::PermittedExempt
    } else {
        Disposition::PermittedLicensed
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ruleset::{Citation, Conditions, Rule, Selector};
    use crate::model::{Bits, IndexVec, JurisdictionIdx, ProgramIdx};

    fn rule(id: &str, kind: RuleKind) -> Rule {
        Rule {
            id: id.into(),
            title: String::new(),
            kind,
            jurisdiction: JurisdictionIdx::try_from_usize(0).unwrap(),
            program: None,
            when: Conditions::default(),
            unless: None,
            actor: None,
            disposition: (kind == RuleKind::Prohibition).then_some(Disposition::Prohibited),
            defeats: Selector::default(),
            overrides: Vec::new(),
            obligations: Vec::new(),
            exposures: Vec::new(),
            citation: Citation {
                text: String::new(),
                url: None,
            },
            note: None,
            valid_from: None,
            valid_until: None,
            requires_claim: false,
            advisory: false,
            loc: Default::default(),
        }
    }

    fn idx(i: usize) -> RuleIdx {
        RuleIdx::try_from_usize(i).unwrap()
    }

    fn only(rules: &[usize]) -> Selector {
        Selector {
            rules: Some(rules.iter().map(|&i| idx(i)).collect()),
            ..Selector::default()
        }
    }

    /// 0: a prohibition; 1: an exemption of it; 2: an override protecting 0 from 1;
    /// 3: a license selecting prohibitions of program 0; 4: a prohibition of program 1.
    fn rule_set() -> RuleSet {
        let mut p = rule("p", RuleKind::Prohibition);
        p.program = Some(ProgramIdx::try_from_usize(0).unwrap());
        let mut e = rule("e", RuleKind::Exemption);
        e.defeats = only(&[0]);
        let mut o = rule("o", RuleKind::Override);
        o.defeats = only(&[0]);
        o.overrides = vec![idx(1)];
        let mut l = rule("l", RuleKind::License);
        l.defeats = Selector {
            programs: Some(Bits::single(0)),
            ..Selector::default()
        };
        let mut q = rule("q", RuleKind::Prohibition);
        q.program = Some(ProgramIdx::try_from_usize(1).unwrap());
        let program = |id: &str| crate::model::ruleset::Program {
            id: id.into(),
            title: String::new(),
            jurisdiction: JurisdictionIdx(0),
            authorities: Vec::new(),
            list_tags: Vec::new(),
            blocking: true,
            licensable: true,
            basis: None,
            note: None,
            loc: Default::default(),
        };
        RuleSet {
            rules: IndexVec::try_from_vec(vec![p, e, o, l, q]).unwrap(),
            programs: IndexVec::try_from_vec(vec![program("a"), program("b")]).unwrap(),
            ..RuleSet::default()
        }
    }

    /// What fired, by rule number (owned, unlike the evaluator's `FiringLists`).
    struct Fired(Vec<RuleIdx>, Vec<RuleIdx>);

    impl Firings for Fired {
        fn exceptions(&self) -> impl Iterator<Item = RuleIdx> {
            self.0.iter().copied()
        }

        fn overrides(&self) -> impl Iterator<Item = RuleIdx> {
            self.1.iter().copied()
        }
    }

    fn fired(exceptions: &[usize], overrides: &[usize]) -> Fired {
        Fired(
            exceptions.iter().map(|&i| idx(i)).collect(),
            overrides.iter().map(|&i| idx(i)).collect(),
        )
    }

    #[test]
    fn an_exemption_defeats_the_prohibition_it_selects() {
        let rs = rule_set();
        let f = fired(&[1], &[]);
        assert_eq!(defeaters(&rs, &f, idx(0)), vec![idx(1)]);
        assert_eq!(permission(&rs, &[idx(1)]), Disposition::PermittedExempt);
        // It does not select the other prohibition.
        assert!(defeaters(&rs, &f, idx(4)).is_empty());
    }

    #[test]
    fn an_override_suspends_the_exemption_it_names() {
        let rs = rule_set();
        let f = fired(&[1], &[2]);
        let (mut by, mut protections) = (Vec::new(), Vec::new());
        defeat(&rs, &f, idx(0), &mut by, &mut protections);
        assert!(by.is_empty());
        assert_eq!(protections, vec![(idx(2), idx(1))]);
        assert_eq!(selecting(&rs, &f, idx(0)).collect::<Vec<_>>(), vec![idx(1)]);
        assert_eq!(
            protectors(&rs, &f, idx(0), idx(1)).collect::<Vec<_>>(),
            vec![idx(2)]
        );
    }

    #[test]
    fn an_override_leaves_an_exception_it_does_not_name() {
        let rs = rule_set();
        // The license is not named by the override: it still defeats.
        let f = fired(&[1, 3], &[2]);
        assert_eq!(defeaters(&rs, &f, idx(0)), vec![idx(3)]);
        assert_eq!(permission(&rs, &[idx(3)]), Disposition::PermittedLicensed);
    }

    #[test]
    fn a_license_selected_by_program_defeats() {
        let rs = rule_set();
        let f = fired(&[3], &[]);
        assert_eq!(defeaters(&rs, &f, idx(0)), vec![idx(3)]);
        // Program 1 is not selected.
        assert!(defeaters(&rs, &f, idx(4)).is_empty());
        // With an exemption too, the weaker permission.
        let both = fired(&[3, 1], &[]);
        let by = defeaters(&rs, &both, idx(0));
        assert_eq!(by, vec![idx(3), idx(1)]);
        assert_eq!(permission(&rs, &by), Disposition::PermittedExempt);
    }

    #[test]
    fn nothing_fired_defeats_nothing() {
        let rs = rule_set();
        let f = fired(&[], &[]);
        for p in [0, 4] {
            let (mut by, mut protections) = (Vec::new(), Vec::new());
            defeat(&rs, &f, idx(p), &mut by, &mut protections);
            assert!(by.is_empty() && protections.is_empty());
        }
        // The evaluator's form of the same.
        let lists = FiringLists {
            exceptions: &[],
            overrides: &[],
        };
        assert!(defeaters(&rs, &lists, idx(0)).is_empty());
    }

    #[test]
    fn the_evaluators_lists_give_the_same_defeat() {
        let rs = rule_set();
        let (exceptions, overrides) = ([idx(1), idx(3)], [idx(2)]);
        let lists = FiringLists {
            exceptions: &exceptions,
            overrides: &overrides,
        };
        let (mut by, mut protections) = (Vec::new(), Vec::new());
        defeat(&rs, &lists, idx(0), &mut by, &mut protections);
        assert_eq!(by, vec![idx(3)]);
        assert_eq!(protections, vec![(idx(2), idx(1))]);
    }

    #[test]
    fn an_override_alone_protects_nothing() {
        let rs = rule_set();
        let f = fired(&[], &[2]);
        let (mut by, mut protections) = (Vec::new(), Vec::new());
        defeat(&rs, &f, idx(0), &mut by, &mut protections);
        assert!(by.is_empty() && protections.is_empty());
    }
}
