//! Lowering the definitions rules refer to: jurisdictions (with their ownership doctrine),
//! programs, person tests and nexus tests.

use super::context::{ClauseUse, Cx, join_citations, lower_conditions, lower_party_clause};
use super::doctrine::{current, lower_doctrine, lower_doctrine_periods};
use crate::diagnostic::Code;
use crate::model::IndexVec;
use crate::model::ruleset::*;
use crate::rules::raw::*;
use crate::toml_input::Record;

pub(crate) fn lower_nexus(cx: &mut Cx, rs: &RuleSet, r: &Record<RawNexus>) -> NexusTest {
    let n = &r.value;
    let when = lower_conditions(cx, rs, &n.when);
    let citation = n
        .citation
        .as_ref()
        .map(|c| cx.citations(c, r.span.clone()))
        .and_then(join_citations);
    if citation.is_none() {
        cx.error(
            Code::MissingCitation,
            n.id.span(),
            format!("nexus test `{}` has no citation", n.id.get_ref()),
        );
    }
    NexusTest {
        id: n.id.get_ref().clone(),
        title: n.title.clone(),
        when,
        citation: citation.unwrap_or_else(|| Citation {
            text: String::new(),
            url: None,
        }),
        loc: cx.loc(n.id.span()),
    }
}

pub(crate) fn lower_jurisdiction(
    cx: &mut Cx,
    rs: &RuleSet,
    r: &Record<RawJurisdiction>,
) -> Option<Jurisdiction> {
    let j = &r.value;
    let currency = cx.currency(&j.currency);
    let calendar = cx.resolve(&rs.index.calendars, &j.calendar, "calendar");
    let o = &j.ownership;
    let doctrine = lower_doctrine(cx, rs, o, r.span.clone());
    if doctrine.citations.is_empty() {
        cx.error(
            Code::MissingCitation,
            j.id.span(),
            format!(
                "the ownership doctrine of `{}` has no citation",
                j.id.get_ref()
            ),
        );
    }
    let doctrine_periods = lower_doctrine_periods(cx, rs, o, r.span.clone(), j.id.span());
    let doctrine = current(doctrine, &doctrine_periods);
    Some(Jurisdiction {
        id: j.id.get_ref().clone(),
        name: j.name.clone(),
        currency: currency?,
        calendar: calendar?,
        doctrine,
        doctrine_periods,
        nexus: IndexVec::new(),
        citations: j
            .citation
            .as_ref()
            .map(|c| cx.citations(c, r.span.clone()))
            .unwrap_or_default(),
        loc: cx.loc(j.id.span()),
    })
}

pub(crate) fn lower_program(cx: &mut Cx, rs: &RuleSet, r: &Record<RawProgram>) -> Option<Program> {
    let p = &r.value;
    let j = cx.resolve(&rs.index.jurisdictions, &p.jurisdiction, "jurisdiction");
    let authorities = cx.citations(&p.authorities, r.span.clone());
    if authorities.is_empty() {
        cx.error(
            Code::MissingCitation,
            p.id.span(),
            format!("program `{}` names no authority", p.id.get_ref()),
        );
    }
    let mut tags = Vec::new();
    for t in &p.list_tags {
        if t.get_ref().trim().is_empty() {
            cx.error(Code::InvalidValue, t.span(), "a list tag must not be empty");
        } else {
            tags.push(t.get_ref().clone());
        }
    }
    Some(Program {
        id: p.id.get_ref().clone(),
        title: p.title.clone(),
        jurisdiction: j?,
        authorities,
        list_tags: tags,
        blocking: p.blocking,
        licensable: p.licensable.unwrap_or(true),
        basis: p.basis.clone(),
        note: p.note.clone(),
        loc: cx.loc(p.id.span()),
    })
}

pub(crate) fn lower_person_test(
    cx: &mut Cx,
    rs: &RuleSet,
    r: &Record<RawPersonTest>,
) -> Option<PersonTest> {
    let t = &r.value;
    let j = cx.resolve(&rs.index.jurisdictions, &t.jurisdiction, "jurisdiction");
    if t.any.is_empty() {
        cx.error(
            Code::InvalidValue,
            t.id.span(),
            format!(
                "person test `{}` has no alternatives in `any`",
                t.id.get_ref()
            ),
        );
    }
    let any = t
        .any
        .iter()
        .map(|c| lower_party_clause(cx, rs, c, ClauseUse::PersonTest).pred)
        .collect();
    let citation = t
        .citation
        .as_ref()
        .map(|c| cx.citations(c, r.span.clone()))
        .and_then(join_citations);
    if citation.is_none() {
        cx.error(
            Code::MissingCitation,
            t.id.span(),
            format!("person test `{}` has no citation", t.id.get_ref()),
        );
    }
    Some(PersonTest {
        id: t.id.get_ref().clone(),
        title: t.title.clone(),
        jurisdiction: j?,
        any,
        citation: citation?,
        note: t.note.clone(),
        loc: cx.loc(t.id.span()),
    })
}
