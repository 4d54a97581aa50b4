//! Lowering rules, exemptions, licenses and overrides.

use toml::Spanned;

use super::context::{ClauseUse, Cx, join_citations, lower_conditions, lower_party_clause};
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::model::ruleset::{Conditions, Rule, RuleKind, RuleSet, Selector};
use crate::model::{Bits, Disposition, JurisdictionIdx, ProgramIdx};
use crate::rules::raw::{RawProgram, RawProgramOverride, RawRule, RawRuleKind, RawSelector};
use crate::toml_input::Record;

pub(crate) fn lower_rule(cx: &mut Cx, rs: &RuleSet, rec: &Record<RawRule>) -> Option<Rule> {
    let r = &rec.value;
    let id = r.id.get_ref().clone();
    let kind = rule_kind(r.kind);
    let program = r
        .program
        .as_ref()
        .and_then(|p| cx.resolve(&rs.index.programs, p, "program"));
    let jurisdiction = rule_jurisdiction(
        cx,
        rs,
        &r.id,
        program,
        r.program.is_some(),
        r.jurisdiction.as_ref(),
    );
    let (when, unless) = rule_conditions(cx, rs, r);
    let actor = r
        .actor
        .as_ref()
        .map(|a| lower_party_clause(cx, rs, a, ClauseUse::Transaction));
    let disposition = r.disposition.as_ref().map(|d| *d.get_ref());
    let defeats = r
        .defeats
        .as_ref()
        .map(|s| lower_selector(cx, rs, s))
        .unwrap_or_default();
    let overrides = resolve_all(cx, &rs.index.rules, &r.overrides, "rule");
    let obligations = resolve_all(cx, &rs.index.obligations, &r.obligations, "obligation");
    let exposures = resolve_all(cx, &rs.index.penalties, &r.exposures, "penalty");
    let citation = cx.citation(&r.citation, r.id.span(), &format!("rule `{id}`"));
    let (valid_from, valid_until) = cx.window(&r.valid_from, &r.valid_until);

    check_kind(cx, r, kind, &id, program);
    if (!obligations.is_empty() || !exposures.is_empty()) && actor.is_none() {
        consequences_without_actor(cx, r);
    }
    let defeats = if kind == RuleKind::Override && r.defeats.is_none() {
        Selector {
            programs: program.map(|p| Bits::single(p.idx())),
            ..Selector::default()
        }
    } else {
        defeats
    };
    Some(Rule {
        id,
        title: r.title.clone().unwrap_or_default(),
        kind,
        jurisdiction: jurisdiction?,
        program,
        when,
        unless,
        actor,
        disposition,
        defeats,
        overrides,
        obligations,
        exposures,
        citation: citation?,
        note: r.note.clone(),
        valid_from,
        valid_until,
        requires_claim: false,
        advisory: r.kind == Some(RawRuleKind::Advisory),
        loc: cx.loc(r.id.span()),
    })
}

/// A rule's `when` (empty: always) and `unless`; an empty `unless` is an error.
fn rule_conditions(cx: &mut Cx, rs: &RuleSet, r: &RawRule) -> (Conditions, Option<Conditions>) {
    let when = r
        .when
        .as_ref()
        .map(|w| lower_conditions(cx, rs, w))
        .unwrap_or_default();
    let unless = r.unless.as_ref().map(|w| lower_conditions(cx, rs, w));
    if unless.as_ref().is_some_and(Conditions::is_empty) {
        cx.error(
            Code::InvalidValue,
            r.id.span(),
            format!("rule `{}` has an empty `unless`; remove it", r.id.get_ref()),
        );
    }
    (when, unless)
}

/// Consequences attach to a party: a rule with obligations or exposures needs an `actor`.
fn consequences_without_actor(cx: &mut Cx, r: &RawRule) {
    cx.error_help(
        Code::MissingKey,
        r.id.span(),
        format!(
            "rule `{}` has obligations or exposures but no `actor`",
            r.id.get_ref()
        ),
        Some(
            "consequences attach to a party: add `actor = { roles = [...], tests = [...] }`".into(),
        ),
    );
}

/// A program's `overrides` entry becomes an override rule protecting that program.
pub(crate) fn lower_program_override(
    cx: &mut Cx,
    rs: &RuleSet,
    p: &RawProgram,
    o: &RawProgramOverride,
) -> Option<Rule> {
    let program = rs.index.programs.get(p.id.get_ref()).copied()?;
    let jurisdiction = rs.programs.get(program).map(|x| x.jurisdiction)?;
    let exemption = cx.resolve(&rs.index.rules, &o.exemption, "exemption");
    let citation = match &o.citation {
        Some(c) => {
            let list = cx.citations(c, o.id.span());
            join_citations(list)
        }
        None => {
            cx.error(
                Code::MissingCitation,
                o.id.span(),
                format!("override `{}` has no citation", o.id.get_ref()),
            );
            None
        }
    };
    Some(Rule {
        id: o.id.get_ref().clone(),
        title: format!("{} overrides {}", p.id.get_ref(), o.exemption.get_ref()),
        kind: RuleKind::Override,
        jurisdiction,
        program: Some(program),
        when: Conditions::default(),
        unless: None,
        actor: None,
        disposition: None,
        defeats: Selector {
            programs: Some(Bits::single(program.idx())),
            ..Selector::default()
        },
        overrides: vec![exemption?],
        obligations: Vec::new(),
        exposures: Vec::new(),
        citation: citation?,
        note: o.note.clone(),
        valid_from: None,
        valid_until: None,
        requires_claim: false,
        advisory: false,
        loc: cx.loc(o.id.span()),
    })
}

fn rule_jurisdiction(
    cx: &mut Cx,
    rs: &RuleSet,
    id: &Spanned<String>,
    program: Option<ProgramIdx>,
    program_given: bool,
    explicit: Option<&Spanned<String>>,
) -> Option<JurisdictionIdx> {
    let from_program = program
        .and_then(|p| rs.programs.get(p))
        .map(|p| p.jurisdiction);
    let from_key = explicit.and_then(|j| cx.resolve(&rs.index.jurisdictions, j, "jurisdiction"));
    match (from_program, from_key, explicit) {
        (Some(a), Some(b), Some(j)) if a != b => {
            cx.error(
                Code::InvalidValue,
                j.span(),
                format!(
                    "rule `{}` says jurisdiction `{}` but its program belongs to another",
                    id.get_ref(),
                    j.get_ref()
                ),
            );
            None
        }
        (Some(a), _, _) => Some(a),
        (None, Some(b), _) => Some(b),
        (None, None, None) if !program_given => {
            cx.error_help(
                Code::MissingKey,
                id.span(),
                format!("rule `{}` has neither a `program` nor a `jurisdiction`", id.get_ref()),
                Some("rules that belong to no program (exemptions, general duties) name their `jurisdiction`".into()),
            );
            None
        }
        _ => None,
    }
}

pub(crate) fn lower_selector(cx: &mut Cx, rs: &RuleSet, raw: &Spanned<RawSelector>) -> Selector {
    let s = raw.get_ref();
    let sel = Selector {
        rules: s.rules.as_ref().map(|v| {
            v.iter()
                .filter_map(|r| cx.resolve(&rs.index.rules, r, "rule"))
                .collect()
        }),
        programs: s.programs.as_ref().map(|v| {
            v.iter()
                .filter_map(|p| cx.resolve(&rs.index.programs, p, "program"))
                .map(|p| p.idx())
                .collect()
        }),
        basis: s.basis.clone(),
        dispositions: s.dispositions.clone(),
    };
    if sel == Selector::default() {
        cx.error(
            Code::InvalidValue,
            raw.span(),
            "`defeats` selects nothing: give rules, programs, basis or dispositions",
        );
    }
    if let Some(basis) = &s.basis {
        for b in basis {
            if !rs
                .programs
                .iter()
                .any(|p| p.basis.as_deref() == Some(b.as_str()))
            {
                let help = crate::diagnostic::did_you_mean(
                    b,
                    rs.programs.iter().filter_map(|p| p.basis.as_deref()),
                );
                cx.error_help(
                    Code::UnknownReference,
                    raw.span(),
                    format!("no program has basis `{b}`"),
                    help,
                );
            }
        }
    }
    sel
}

/// Cross-rule checks that need every rule lowered: overrides must name exceptions, selectors
/// must name prohibitions.
pub(crate) fn check_rule_references(rs: &RuleSet, diags: &mut Diagnostics) {
    for r in &rs.rules {
        for o in &r.overrides {
            if let Some(t) = rs.rules.get(*o)
                && !t.kind.is_exception()
            {
                diags.push(Diagnostic::error(
                    Code::InvalidValue,
                    &r.loc,
                    format!(
                        "override `{}` names `{}`, which is a {}, not an exemption or license",
                        r.id,
                        t.id,
                        t.kind.as_str()
                    ),
                ));
            }
        }
        for s in r.defeats.rules.iter().flatten() {
            if let Some(t) = rs.rules.get(*s)
                && t.kind != RuleKind::Prohibition
            {
                diags.push(Diagnostic::error(
                    Code::InvalidValue,
                    &r.loc,
                    format!(
                        "`{}` selects `{}`, which is a {}, not a prohibition",
                        r.id,
                        t.id,
                        t.kind.as_str()
                    ),
                ));
            }
        }
        if r.kind.is_exception() {
            check_licensable(rs, r, diags);
        }
    }
}

/// An exemption or license must not be able to defeat a prohibition of a program that no
/// exemption or license may touch (for example the material-support offence).
pub(crate) fn check_licensable(rs: &RuleSet, exception: &Rule, diags: &mut Diagnostics) {
    for (i, t) in rs.rules.iter_enumerated() {
        let unlicensable = t
            .program
            .and_then(|p| rs.programs.get(p))
            .filter(|p| !p.licensable);
        if let Some(p) = unlicensable
            && t.kind == RuleKind::Prohibition
            && exception.defeats.selects(i, t, rs)
        {
            diags.push(
                Diagnostic::error(
                    Code::InvalidValue,
                    &exception.loc,
                    format!(
                        "{} `{}` would defeat `{}` of program `{}`, which no exemption or license may defeat",
                        exception.kind.as_str(),
                        exception.id,
                        t.id,
                        p.id
                    ),
                )
                .with_help("narrow `defeats` to the programs or rules it may authorize"),
            );
        }
    }
}

/// The kind a rule declares (a prohibition unless it says otherwise).
fn rule_kind(raw: Option<RawRuleKind>) -> RuleKind {
    match raw {
        None | Some(RawRuleKind::Prohibition) => RuleKind::Prohibition,
        Some(RawRuleKind::Exemption) => RuleKind::Exemption,
        Some(RawRuleKind::License) => RuleKind::License,
        Some(RawRuleKind::Override) => RuleKind::Override,
        // An advisory fires like a prohibition (once per actor) but only cautions.
        Some(RawRuleKind::Advisory) => RuleKind::Prohibition,
    }
}

/// Every name of `names` resolved; the unknown ones are reported and left out.
fn resolve_all<T: Copy>(
    cx: &mut Cx,
    index: &std::collections::HashMap<String, T>,
    names: &[Spanned<String>],
    what: &str,
) -> Vec<T> {
    names
        .iter()
        .filter_map(|n| cx.resolve(index, n, what))
        .collect()
}

/// What each kind of rule must and must not say.
fn check_kind(cx: &mut Cx, r: &RawRule, kind: RuleKind, id: &str, program: Option<ProgramIdx>) {
    match kind {
        RuleKind::Prohibition if r.kind == Some(RawRuleKind::Advisory) => check_advisory(cx, r),
        RuleKind::Prohibition => check_prohibition(cx, r, id),
        RuleKind::Exemption | RuleKind::License => check_permission(cx, r, kind, id),
        RuleKind::Override => check_override(cx, r, id, program),
    }
}

/// A prohibition sets a strong disposition or consequences, and defeats nothing.
fn check_prohibition(cx: &mut Cx, r: &RawRule, id: &str) {
    if let Some(d) = &r.disposition
        && !matches!(
            d.get_ref(),
            Disposition::Block
                | Disposition::Reject
                | Disposition::Prohibited
                | Disposition::Review
        )
    {
        cx.error_help(
            Code::InvalidValue,
            d.span(),
            format!("a prohibition cannot set disposition `{}`", d.get_ref()),
            Some("prohibitions set block, reject, prohibited or review; permissions come from exemptions and licenses".into()),
        );
    }
    if r.disposition.is_none() && r.obligations.is_empty() && r.exposures.is_empty() {
        cx.error_help(
            Code::MissingKey,
            r.id.span(),
            format!("rule `{id}` has no effect"),
            Some("give it a `disposition`, `obligations` or `exposures`".into()),
        );
    }
    if let Some(s) = &r.defeats {
        cx.error(
            Code::InvalidValue,
            s.span(),
            "only exemptions, licenses and overrides take `defeats`",
        );
    }
    if let Some(o) = r.overrides.first() {
        cx.error(
            Code::InvalidValue,
            o.span(),
            "only overrides take `overrides`",
        );
    }
}

/// An advisory cautions and nothing else: no disposition, no duty, no exposure, nothing to
/// defeat or override (so it can never change what the law decides).
fn check_advisory(cx: &mut Cx, r: &RawRule) {
    if let Some(d) = &r.disposition {
        cx.error_help(
            Code::InvalidValue,
            d.span(),
            "an advisory sets no disposition",
            Some("make it a prohibition with `disposition = \"review\"` if the law holds the transaction; an institution escalates advisories in its policy".into()),
        );
    }
    let consequence = r.obligations.first().or(r.exposures.first());
    if let Some(o) = consequence {
        cx.error(
            Code::InvalidValue,
            o.span(),
            "an advisory attaches no obligations or exposures",
        );
    }
    if let Some(s) = &r.defeats {
        cx.error(
            Code::InvalidValue,
            s.span(),
            "only exemptions, licenses and overrides take `defeats`",
        );
    }
    if let Some(o) = r.overrides.first() {
        cx.error(
            Code::InvalidValue,
            o.span(),
            "only overrides take `overrides`",
        );
    }
}

/// An exemption or license says what it defeats and sets no disposition of its own.
fn check_permission(cx: &mut Cx, r: &RawRule, kind: RuleKind, id: &str) {
    if let Some(d) = &r.disposition {
        cx.error_help(
            Code::InvalidValue,
            d.span(),
            format!("an {} sets no disposition of its own", kind.as_str()),
            Some("it defeats the prohibitions named in `defeats`; the result is permitted_exempt or permitted_licensed".into()),
        );
    }
    if r.defeats.is_none() {
        cx.error_help(
            Code::MissingKey,
            r.id.span(),
            format!("{} `{id}` does not say what it defeats", kind.as_str()),
            Some("add `defeats = { basis = [\"ieepa\"] }`, `{ programs = [...] }` or `{ rules = [...] }`".into()),
        );
    }
    if let Some(o) = r.overrides.first() {
        cx.error(
            Code::InvalidValue,
            o.span(),
            "only overrides take `overrides`",
        );
    }
}

/// An override names what it overrides and what it protects.
fn check_override(cx: &mut Cx, r: &RawRule, id: &str, program: Option<ProgramIdx>) {
    if let Some(d) = &r.disposition {
        cx.error(
            Code::InvalidValue,
            d.span(),
            "an override sets no disposition",
        );
    }
    if r.overrides.is_empty() {
        cx.error_help(
            Code::MissingKey,
            r.id.span(),
            format!("override `{id}` names no exemption or license to override"),
            Some("add `overrides = [\"us.ieepa.exempt.donations\"]`".into()),
        );
    }
    if r.defeats.is_none() && program.is_none() {
        cx.error_help(
            Code::MissingKey,
            r.id.span(),
            format!("override `{id}` protects nothing"),
            Some("give it a `program` (it protects that program's prohibitions) or `defeats = { ... }`".into()),
        );
    }
}
