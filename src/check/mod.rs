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

pub(crate) mod cache;
pub(crate) mod classes;
pub mod concrete;
pub mod emit;
pub(crate) mod interact;
pub(crate) mod lints;
mod no_counterexample;
pub mod party;
pub(crate) mod slots;
pub(crate) mod space;
pub mod status;
pub(crate) mod txspace;
pub(crate) mod verify;

pub use no_counterexample::NoCounterexample;

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use crate::diagnostic::{Code, Diagnostic, Severity};
use crate::model::pack::Pack;
use crate::model::ruleset::RuleSet;
use crate::model::{JurisdictionIdx, RuleIdx};
use crate::scenario::raw::RawExpectation;
use crate::source::Loc;
use cache::Shared;
use interact::Interactions;
use space::{Assumption, Point, Space};
use verify::Observe;

/// One consistency question, asked of the whole rule set.
pub trait Lint {
    /// A short stable name (used in statistics and docs).
    fn name(&self) -> &'static str;
    /// Ask the question of the rule set through `cx`, pushing a finding for each answer that is a
    /// defect.
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
    /// The finding's stable code (as in `interdict check`'s diagnostics).
    pub code: Code,
    /// Error (the packs contradict themselves or cannot do what they say) or warning.
    pub severity: Severity,
    /// The rules involved, the one the finding is located at first.
    pub rules: Vec<RuleIdx>,
    /// Where the first rule involved is written.
    pub loc: Loc,
    /// What is wrong, naming the rules.
    pub message: String,
    /// How to fix it, when there is a usual fix.
    pub help: Option<String>,
    /// A scenario that shows the defect, confirmed with the evaluator.
    pub counterexample: Option<Counterexample>,
    /// Why there is no counterexample, when there is none.
    pub no_counterexample: Option<NoCounterexample>,
}

impl Finding {
    /// The finding as a diagnostic, with the reason for a missing or unconfirmed counterexample in
    /// its help.
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

/// How much was examined, per lint.
#[derive(Debug, Clone, Default)]
pub struct Stats {
    /// Per lint: groups analysed, cases enumerated, groups where a dimension was sampled, and
    /// the findings it reported.
    pub per_lint: BTreeMap<&'static str, LintStats>,
}

/// How much one lint (or all of them) examined and found.
#[derive(Debug, Clone, Copy, Default)]
pub struct LintStats {
    /// Rule groups analysed.
    pub groups: usize,
    /// Cases (classes of the condition space) enumerated over all groups.
    pub cases: usize,
    /// Groups where a dimension of the space was sampled instead of enumerated.
    pub sampled: usize,
    /// Findings reported.
    pub findings: usize,
}

impl Stats {
    /// The sums over every lint.
    pub fn total(&self) -> LintStats {
        self.per_lint
            .values()
            .fold(LintStats::default(), |a, b| LintStats {
                groups: a.groups + b.groups,
                cases: a.cases + b.cases,
                sampled: a.sampled + b.sampled,
                findings: a.findings + b.findings,
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
    /// Every finding, in the order the lints ran.
    pub findings: Vec<Finding>,
    /// How much each lint examined.
    pub stats: Stats,
}

impl DeepReport {
    /// Whether a finding is an error, not only a warning.
    pub fn has_errors(&self) -> bool {
        self.findings.iter().any(|f| f.severity == Severity::Error)
    }
}

/// How far a deep check has got, for a progress display.
#[derive(Debug, Clone, Copy)]
pub struct Progress {
    /// The running analysis (a lint's name), its number (from 1) and how many there are.
    pub analysis: &'static str,
    /// The running analysis' number, from 1.
    pub index: usize,
    /// How many analyses there are.
    pub analyses: usize,
    /// Rule groups examined and cases enumerated so far, by every analysis.
    pub groups: usize,
    /// Cases enumerated so far.
    pub cases: usize,
    /// Time since the check started.
    pub elapsed: Duration,
    /// The check has finished.
    pub done: bool,
}

/// What lints work with.
pub struct LintCx<'a> {
    /// The rule set analysed.
    pub rs: &'a RuleSet,
    /// The packs analysed: the rule set and the reference world counterexamples extend.
    pub pack: &'a Pack,
    opts: &'a DeepOptions,
    current: &'static str,
    /// The findings so far.
    pub findings: Vec<Finding>,
    /// What each lint has examined so far.
    pub stats: Stats,
    /// Which rules can interact (closures, the programs a rule needs).
    pub ix: Interactions,
    shared: Shared,
    index: usize,
    analyses: usize,
    started: Instant,
    progress: &'a mut dyn FnMut(&Progress),
}

impl<'a> LintCx<'a> {
    /// The space of a group of rules (recorded in the statistics of the running lint).
    pub fn space(
        &mut self,
        j: JurisdictionIdx,
        rules: &[RuleIdx],
        assumptions: &[Assumption],
    ) -> Space<'a> {
        let s = Space::build(self.rs, j, rules, assumptions, &self.shared);
        let e = self.stats.per_lint.entry(self.current).or_default();
        e.groups += 1;
        e.cases += s.cases();
        if s.sampled {
            e.sampled += 1;
        }
        self.report_progress(false);
        s
    }

    fn report_progress(&mut self, done: bool) {
        let t = self.stats.total();
        (self.progress)(&Progress {
            analysis: self.current,
            index: self.index,
            analyses: self.analyses,
            groups: t.groups,
            cases: t.cases,
            elapsed: self.started.elapsed(),
            done,
        });
    }

    /// Prohibition `p` with every rule that decides whether it stands.
    pub fn closure(&self, p: RuleIdx) -> Vec<RuleIdx> {
        self.ix.closure(self.rs, p)
    }

    /// The union of the closures of `ps`, without repeats.
    pub fn closures(&self, ps: &[RuleIdx]) -> Vec<RuleIdx> {
        self.ix.closures(self.rs, ps)
    }

    /// The rule's id, for messages.
    pub fn rule_id(&self, r: RuleIdx) -> &str {
        self.rs.rules[r].id.as_str()
    }

    /// Where the rule is written.
    pub fn rule_loc(&self, r: RuleIdx) -> Loc {
        self.rs.rules[r].loc.clone()
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
    ) -> Result<Counterexample, NoCounterexample> {
        let file = concrete::scenario(point, &self.pack.reference, title, explanation, expect)?;
        let mut comment = format!("Counterexample: {title}\n\n{explanation}\n");
        if !self.opts.reproduce.is_empty() {
            comment.push_str(&format!(
                "\nReproduce: {} <this file>\n",
                self.opts.reproduce
            ));
        }
        let text = emit::render(&comment, &file)?;
        let confirmed = verify::verify(self.pack, point.space.j, &text, observe);
        Ok(Counterexample {
            slug: slug.to_string(),
            text,
            confirmed,
        })
    }

    /// Record a finding.
    pub fn push(&mut self, f: Finding) {
        self.findings.push(f);
    }

    /// The jurisdiction rule `r` belongs to (`None` for an index out of the rule set).
    pub fn jurisdiction_of(&self, r: RuleIdx) -> Option<JurisdictionIdx> {
        self.rs.rules.get(r).map(|x| x.jurisdiction)
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
pub fn deep(pack: &Pack, opts: &DeepOptions) -> DeepReport {
    deep_with_progress(pack, opts, &mut |_| {})
}

/// [`deep`], telling `progress` when each analysis starts, after each group, and at the end.
pub fn deep_with_progress(
    pack: &Pack,
    opts: &DeepOptions,
    progress: &mut dyn FnMut(&Progress),
) -> DeepReport {
    let rs = &pack.rules;
    let shared = Shared::new(rs, &pack.reference);
    run(pack, opts, Interactions::new(rs), shared, progress)
}

/// [`deep`] as it was before rules were grouped by interaction and groups shared their tables:
/// every question scans the whole rule set, the blocking-program invariant tries every rule
/// that attaches a report, and every group evaluates its person tests afresh. Same findings;
/// kept as the baseline of `benches/deep.rs`.
pub fn deep_unpartitioned(pack: &Pack, opts: &DeepOptions) -> DeepReport {
    run(
        pack,
        opts,
        Interactions::naive(),
        Shared::unmemoized(&pack.rules, &pack.reference),
        &mut |_| {},
    )
}

fn run(
    pack: &Pack,
    opts: &DeepOptions,
    ix: Interactions,
    shared: Shared,
    progress: &mut dyn FnMut(&Progress),
) -> DeepReport {
    let all = lints();
    let rs = &*pack.rules;
    let mut cx = LintCx {
        rs,
        pack,
        opts,
        current: "",
        findings: Vec::new(),
        stats: Stats::default(),
        ix,
        shared,
        index: 0,
        analyses: all.len(),
        started: Instant::now(),
        progress,
    };
    for (i, lint) in all.iter().enumerate() {
        cx.current = lint.name();
        cx.index = i + 1;
        cx.stats.per_lint.entry(lint.name()).or_default();
        cx.report_progress(false);
        let before = cx.findings.len();
        lint.check(&mut cx);
        let found = cx.findings.len().saturating_sub(before);
        cx.stats.per_lint.entry(lint.name()).or_default().findings = found;
    }
    cx.report_progress(true);
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
