//! Lowering `[[invariant]]` tables: law-level properties that `interdict check --deep` proves.
//!
//! The table is flat (one set of optional parameters); each kind says which parameters it
//! needs and which it refuses, so a misplaced parameter is a located error rather than being
//! silently ignored.

use toml::Spanned;

use super::context::Cx;
use super::rule::lower_selector;
use crate::diagnostic::Code;
use crate::model::ruleset::{Invariant, InvariantKind, RuleSet};
use crate::model::{ObligationIdx, RuleIdx};
use crate::rules::raw::{RawInvariant, RawInvariantKind};
use crate::toml_input::Record;

/// The parameters of `[[invariant]]`, for "takes no ..." errors.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Param {
    Dispositions,
    Obligations,
    Protects,
    Exceptions,
    ContainsAny,
    Excludes,
}

impl Param {
    fn name(self) -> &'static str {
        match self {
            Param::Dispositions => "dispositions",
            Param::Obligations => "obligations",
            Param::Protects => "protects",
            Param::Exceptions => "exceptions",
            Param::ContainsAny => "contains_any",
            Param::Excludes => "excludes",
        }
    }
}

fn kind_name(k: RawInvariantKind) -> &'static str {
    match k {
        RawInvariantKind::DispositionRequiresObligation => "disposition_requires_obligation",
        RawInvariantKind::NeverDefeated => "never_defeated",
        RawInvariantKind::OverriddenExceptionNeverApplies => "overridden_exception_never_applies",
        RawInvariantKind::BlockingProgramReports => "blocking_program_reports",
        RawInvariantKind::Citation => "citation",
        RawInvariantKind::AdvisoryKeepsDisposition => "advisory_keeps_disposition",
    }
}

/// The parameters each kind accepts.
fn accepted(k: RawInvariantKind) -> &'static [Param] {
    match k {
        RawInvariantKind::DispositionRequiresObligation => {
            &[Param::Dispositions, Param::Obligations]
        }
        RawInvariantKind::NeverDefeated => &[Param::Protects],
        RawInvariantKind::OverriddenExceptionNeverApplies => &[Param::Exceptions],
        RawInvariantKind::BlockingProgramReports => &[Param::Obligations],
        RawInvariantKind::Citation => &[Param::ContainsAny, Param::Excludes],
        RawInvariantKind::AdvisoryKeepsDisposition => &[],
    }
}

/// The span of each parameter that is present.
fn present(r: &RawInvariant) -> Vec<(Param, std::ops::Range<usize>)> {
    let mut v = Vec::new();
    if let Some(d) = &r.dispositions {
        v.push((Param::Dispositions, d.span()));
    }
    if let Some(o) = &r.obligations {
        v.push((Param::Obligations, first_span(o, &r.id)));
    }
    if let Some(p) = &r.protects {
        v.push((Param::Protects, p.span()));
    }
    if let Some(e) = &r.exceptions {
        v.push((Param::Exceptions, first_span(e, &r.id)));
    }
    if let Some(c) = &r.contains_any {
        v.push((Param::ContainsAny, c.span()));
    }
    if let Some(c) = &r.excludes {
        v.push((Param::Excludes, c.span()));
    }
    v
}

fn first_span(v: &[Spanned<String>], fallback: &Spanned<String>) -> std::ops::Range<usize> {
    v.first().map_or_else(|| fallback.span(), Spanned::span)
}

pub(crate) fn lower_invariant(
    cx: &mut Cx,
    rs: &RuleSet,
    rec: &Record<RawInvariant>,
) -> Option<Invariant> {
    let r = &rec.value;
    let id = r.id.get_ref().clone();
    let kind = *r.kind.get_ref();
    check_parameters(cx, r, kind);
    let jurisdiction = r
        .jurisdiction
        .as_ref()
        .and_then(|j| cx.resolve(&rs.index.jurisdictions, j, "jurisdiction"));
    let jurisdiction_ok = r.jurisdiction.is_none() || jurisdiction.is_some();
    let citation = cx.citation(&r.citation, r.id.span(), &format!("invariant `{id}`"));

    let lowered = lower_kind(cx, rs, r, kind);
    if !jurisdiction_ok {
        return None;
    }
    Some(Invariant {
        id,
        title: r.title.clone().unwrap_or_default(),
        jurisdiction,
        kind: lowered?,
        citation: citation?,
        rationale: r.rationale.clone(),
        loc: cx.loc(r.id.span()),
    })
}

/// Every parameter written must be one the invariant's kind takes.
fn check_parameters(cx: &mut Cx, r: &RawInvariant, kind: RawInvariantKind) {
    let name = kind_name(kind);
    for (p, span) in present(r) {
        if !accepted(kind).contains(&p) {
            let takes: Vec<&str> = accepted(kind).iter().map(|x| x.name()).collect();
            cx.error_help(
                Code::InvalidValue,
                span,
                format!("an invariant of kind `{name}` takes no `{}`", p.name()),
                Some(if takes.is_empty() {
                    format!("`{name}` takes no parameters")
                } else {
                    format!("`{name}` takes: {}", takes.join(", "))
                }),
            );
        }
    }
}

/// The invariant's kind with its parameters lowered; `None` when one is missing or wrong.
fn lower_kind(
    cx: &mut Cx,
    rs: &RuleSet,
    r: &RawInvariant,
    kind: RawInvariantKind,
) -> Option<InvariantKind> {
    let name = kind_name(kind);
    match kind {
        RawInvariantKind::DispositionRequiresObligation => {
            let dispositions = match &r.dispositions {
                Some(d) if !d.get_ref().is_empty() => Some(d.get_ref().clone()),
                Some(d) => {
                    cx.error(Code::InvalidValue, d.span(), "`dispositions` is empty");
                    None
                }
                None => missing(cx, r, name, "dispositions", "dispositions = [\"block\"]"),
            };
            let obligations = obligations(cx, rs, r, name);
            Some(InvariantKind::DispositionRequiresObligation {
                dispositions: dispositions?,
                obligations: obligations?,
            })
        }
        RawInvariantKind::NeverDefeated => match &r.protects {
            Some(p) => Some(InvariantKind::NeverDefeated {
                protects: lower_selector(cx, rs, p),
            }),
            None => missing(
                cx,
                r,
                name,
                "protects",
                "protects = { rules = [\"...\"] } (or programs, basis, dispositions)",
            ),
        },
        RawInvariantKind::OverriddenExceptionNeverApplies => {
            Some(InvariantKind::OverriddenExceptionNeverApplies {
                exceptions: overridden_exceptions(cx, rs, r),
            })
        }
        RawInvariantKind::BlockingProgramReports => obligations(cx, rs, r, name)
            .map(|obligations| InvariantKind::BlockingProgramReports { obligations }),
        RawInvariantKind::Citation => Some(InvariantKind::Citation {
            contains_any: texts(cx, &r.contains_any, "contains_any"),
            excludes: texts(cx, &r.excludes, "excludes"),
        }),
        RawInvariantKind::AdvisoryKeepsDisposition => Some(InvariantKind::AdvisoryKeepsDisposition),
    }
}

/// The exemptions and licenses an invariant names (rules of other kinds are errors).
fn overridden_exceptions(cx: &mut Cx, rs: &RuleSet, r: &RawInvariant) -> Vec<RuleIdx> {
    let mut exceptions: Vec<RuleIdx> = Vec::new();
    for e in r.exceptions.iter().flatten() {
        let Some(x) = cx.resolve(&rs.index.rules, e, "exemption or license") else {
            continue;
        };
        match rs.rules.get(x) {
            Some(rule) if rule.kind.is_exception() => exceptions.push(x),
            Some(rule) => cx.error(
                Code::InvalidValue,
                e.span(),
                format!(
                    "`{}` is a {}, not an exemption or license",
                    rule.id,
                    rule.kind.as_str()
                ),
            ),
            None => {}
        }
    }
    exceptions
}

fn missing<T>(cx: &mut Cx, r: &RawInvariant, kind: &str, key: &str, example: &str) -> Option<T> {
    cx.error_help(
        Code::MissingKey,
        r.id.span(),
        format!(
            "invariant `{}` of kind `{kind}` needs `{key}`",
            r.id.get_ref()
        ),
        Some(format!("add `{example}`")),
    );
    None
}

fn obligations(
    cx: &mut Cx,
    rs: &RuleSet,
    r: &RawInvariant,
    kind: &str,
) -> Option<Vec<ObligationIdx>> {
    let Some(list) = &r.obligations else {
        return missing(
            cx,
            r,
            kind,
            "obligations",
            "obligations = [\"xx.report.freeze\"]",
        );
    };
    if list.is_empty() {
        cx.error(Code::InvalidValue, r.id.span(), "`obligations` is empty");
        return None;
    }
    let resolved: Vec<ObligationIdx> = list
        .iter()
        .filter_map(|o| cx.resolve(&rs.index.obligations, o, "obligation"))
        .collect();
    (resolved.len() == list.len()).then_some(resolved)
}

fn texts(cx: &mut Cx, raw: &Option<Spanned<Vec<String>>>, key: &str) -> Vec<String> {
    let Some(v) = raw else {
        return Vec::new();
    };
    if v.get_ref().iter().any(|t| t.trim().is_empty()) {
        cx.error(
            Code::InvalidValue,
            v.span(),
            format!("`{key}` must not contain empty texts"),
        );
    }
    v.get_ref().clone()
}
