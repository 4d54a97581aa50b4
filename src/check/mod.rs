//! `interdict check --deep`: consistency analysis of whole rule packs over their condition
//! space, with a runnable counterexample scenario for every finding.
//!
//! The conditions of the rule language are finite and typed, so the analysis enumerates them
//! instead of sampling: for each group of rules that a question is about (one rule; a
//! prohibition with the exceptions and overrides that touch it; ...) the condition space is cut
//! into classes the group cannot tell apart (`classes.rs`, `txspace.rs`, `party.rs`,
//! `status.rs`, `slots.rs`), and the engine's semantics is evaluated on one representative of
//! each (`space.rs`). docs/consistency.md states the completeness argument and where the
//! analysis samples instead.
//!
//! Each question is a lint in `lints/`, behind the [`Lint`] trait. A finding's counterexample is
//! a point of the space turned into a scenario (`concrete.rs`, `emit.rs`) and confirmed with
//! the real evaluator before it is reported (`verify.rs`).

pub mod classes;
pub mod concrete;
pub mod emit;
pub mod lints;
pub mod party;
pub mod slots;
pub mod space;
pub mod status;
pub mod txspace;
pub mod verify;

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::diagnostic::{Code, Diagnostic, Severity};
use crate::model::ruleset::RuleSet;
use crate::model::{JurisdictionIdx, RuleIdx};
use crate::scenario::raw::RawExpectation;
use crate::source::Loc;
use space::{Assumption, Point, Space};
use verify::Observe;

/// One consistency question, asked of the whole rule set.
pub trait Lint {
    /// A short stable name (used in statistics and docs).
    fn name(&self) -> &'static str;
    fn check(&self, cx: &mut LintCx);
}

/// A counterexample: a scenario that `interdict eval` reproduces.
#[derive(Debug, Clone)]
pub struct Counterexample {
    /// A file-name stem: `<code>-<rule>`.
    pub slug: String,
    /// The scenario file's text.
    pub text: String,
    /// `Err` holds what the evaluator did not confirm (should never happen; reported).
    pub confirmed: Result<(), Vec<String>>,
}

/// One finding of the deep check.
#[derive(Debug, Clone)]
pub struct Finding {
    pub code: Code,
    pub severity: Severity,
    /// The rules involved, the one the finding is located at first.
    pub rules: Vec<RuleIdx>,
    pub loc: Loc,
    pub message: String,
    pub help: Option<String>,
    pub counterexample: Option<Counterexample>,
    /// Why there is no counterexample, when there is none.
    pub no_counterexample: Option<String>,
}

impl Finding {
    pub fn diagnostic(&self) -> Diagnostic {
        let d = match self.severity {
            Severity::Error => Diagnostic::error(self.code, &self.loc, &self.message),
            Severity::Warning => Diagnostic::warning(self.code, &self.loc, &self.message),
        };
        let mut help: Vec<String> = self.help.iter().cloned().collect();
        if let Some(why) = &self.no_counterexample {
            help.push(format!("no counterexample scenario: {why}"));
        }
        if let Some(Counterexample {
            confirmed: Err(f), ..
        }) = &self.counterexample
        {
            help.push(format!(
                "the counterexample was not confirmed by the evaluator: {}",
                f.join("; ")
            ));
        }
        if help.is_empty() {
            d
        } else {
            d.with_help(help.join("; "))
        }
    }
}

/// How much was enumerated, per lint.
#[derive(Debug, Clone, Default)]
pub struct Stats {
    /// Per lint: groups analysed, cases enumerated, groups where a dimension was sampled.
    pub per_lint: BTreeMap<&'static str, LintStats>,
}

#[derive(Debug, Clone, Copy, Default)]
pub struct LintStats {
    pub groups: usize,
    pub cases: usize,
    pub sampled: usize,
}

impl Stats {
    pub fn total(&self) -> LintStats {
        self.per_lint
            .values()
            .fold(LintStats::default(), |a, b| LintStats {
                groups: a.groups + b.groups,
                cases: a.cases + b.cases,
                sampled: a.sampled + b.sampled,
            })
    }
}

/// Options of a deep check.
#[derive(Debug, Clone, Default)]
pub struct DeepOptions {
    /// The command that reproduces a counterexample, written into its header
    /// (e.g. `interdict eval --rules my-pack`).
    pub reproduce: String,
}

/// The result of a deep check.
#[derive(Debug, Clone, Default)]
pub struct DeepReport {
    pub findings: Vec<Finding>,
    pub stats: Stats,
}

impl DeepReport {
    pub fn has_errors(&self) -> bool {
        self.findings.iter().any(|f| f.severity == Severity::Error)
    }
}

/// What lints work with.
pub struct LintCx<'a> {
    pub rs: &'a RuleSet,
    arc: &'a Arc<RuleSet>,
    opts: &'a DeepOptions,
    current: &'static str,
    pub findings: Vec<Finding>,
    pub stats: Stats,
}

impl<'a> LintCx<'a> {
    /// The space of a group of rules (recorded in the statistics of the running lint).
    pub fn space(
        &mut self,
        j: JurisdictionIdx,
        rules: &[RuleIdx],
        assumptions: &[Assumption],
    ) -> Space<'a> {
        let s = Space::new(self.rs, j, rules, assumptions);
        let e = self.stats.per_lint.entry(self.current).or_default();
        e.groups += 1;
        e.cases += s.cases();
        if s.sampled {
            e.sampled += 1;
        }
        s
    }

    pub fn rule_id(&self, r: RuleIdx) -> &str {
        self.rs.rules.get(r.idx()).map_or("?", |x| x.id.as_str())
    }

    pub fn rule_loc(&self, r: RuleIdx) -> Loc {
        self.rs
            .rules
            .get(r.idx())
            .map(|x| x.loc.clone())
            .unwrap_or_default()
    }

    /// Turn `point` into a confirmed counterexample scenario.
    pub fn counterexample(
        &self,
        point: &Point,
        slug: &str,
        title: &str,
        explanation: &str,
        expect: RawExpectation,
        observe: &[Observe],
    ) -> Result<Counterexample, String> {
        let file = concrete::scenario(point, title, explanation, expect)?;
        let mut comment = format!("Counterexample: {title}\n\n{explanation}\n");
        if !self.opts.reproduce.is_empty() {
            comment.push_str(&format!(
                "\nReproduce: {} <this file>\n",
                self.opts.reproduce
            ));
        }
        let text = emit::render(&comment, &file)?;
        let confirmed = verify::verify(self.arc, point.space.j, &text, observe);
        Ok(Counterexample {
            slug: slug.to_string(),
            text,
            confirmed,
        })
    }

    pub fn push(&mut self, f: Finding) {
        self.findings.push(f);
    }

    pub fn jurisdiction_of(&self, r: RuleIdx) -> Option<JurisdictionIdx> {
        self.rs.rules.get(r.idx()).map(|x| x.jurisdiction)
    }
}

/// Every lint, in the order they run.
pub fn lints() -> Vec<Box<dyn Lint>> {
    vec![
        Box::new(lints::dead_rule::DeadRule),
        Box::new(lints::always_defeated::AlwaysDefeated),
        Box::new(lints::shadowed::ShadowedException),
        Box::new(lints::overrides::IneffectiveOverride),
        Box::new(lints::conflict::Conflict),
        Box::new(lints::invariants::Invariants),
    ]
}

/// Analyse the rule set. Findings are sorted by location, then code.
pub fn deep(rs: &Arc<RuleSet>, opts: &DeepOptions) -> DeepReport {
    let mut cx = LintCx {
        rs,
        arc: rs,
        opts,
        current: "",
        findings: Vec::new(),
        stats: Stats::default(),
    };
    for lint in lints() {
        cx.current = lint.name();
        cx.stats.per_lint.entry(lint.name()).or_default();
        lint.check(&mut cx);
    }
    let mut findings = cx.findings;
    findings.sort_by(|a, b| {
        (
            a.loc.file.as_ref(),
            a.loc.line,
            a.loc.column,
            a.code,
            &a.message,
        )
            .cmp(&(
                b.loc.file.as_ref(),
                b.loc.line,
                b.loc.column,
                b.code,
                &b.message,
            ))
    });
    DeepReport {
        findings,
        stats: cx.stats,
    }
}
