//! Rule packs once lowered: jurisdictions, calendars, programs, rules, obligations, penalties.

use std::collections::HashMap;

use rust_decimal::Decimal;

use super::values::{Country, Currency, Date, Money};
use super::{
    Bits, CalendarIdx, ControlBasisIdx, Disposition, IndexVec, JurisdictionIdx, NexusIdx,
    ObligationIdx, PenaltyIdx, PersonTestIdx, ProgramIdx, RuleIdx, TxTypeIdx,
};
use crate::model::calendar::Calendar;
use crate::source::Loc;

mod invariant;

pub use invariant::{Invariant, InvariantKind};

/// A term of the shared vocabulary (a transaction type, a goods category, ...).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    pub id: String,
    pub description: String,
    pub loc: Loc,
}

/// The documented fact vocabulary that rule conditions and transactions draw on.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Vocabulary {
    pub transaction_types: IndexVec<TxTypeIdx, Term>,
    pub goods: Vec<Term>,
    pub party_categories: Vec<Term>,
    pub control_bases: IndexVec<ControlBasisIdx, Term>,
}

impl Vocabulary {
    pub fn find(terms: &[Term], id: &str) -> Option<usize> {
        terms.iter().position(|t| t.id == id)
    }
}

/// A legal source: the text a conclusion rests on, optionally with a link.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Citation {
    pub text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// How holdings are compared with the threshold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Comparison {
    /// `>=`: at the threshold counts (U.S. "50 percent or more").
    AtLeast,
    /// `>`: only above the threshold counts (EU, UK "more than 50%").
    MoreThan,
}

/// Whose holdings add up toward the threshold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Aggregation {
    /// Holdings of all blocked owners add up (U.S., EU).
    All,
    /// Each blocked owner's holding counts alone, except holdings joined by a recorded joint
    /// arrangement, or held by a party one of them controls (UK, OFSI guidance 4.14).
    JointArrangementOnly,
}

/// What control (without ownership over the threshold) does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ControlEffect {
    /// Control is only a flag for review (U.S.: FAQ 398, 31 CFR 583.412).
    Flag,
    /// Control by a blocked person makes the entity blocked (EU, UK, Canada).
    Blocks,
}

/// A jurisdiction's ownership and control doctrine, entirely from the pack.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnershipDoctrine {
    /// `None`: no numeric test; any blocked ownership is a matter for review.
    pub threshold: Option<Decimal>,
    pub comparison: Comparison,
    pub aggregation: Aggregation,
    pub control: ControlEffect,
    /// Which control bases count; empty means every basis.
    pub control_bases: Bits,
    pub citations: Vec<Citation>,
    pub note: Option<String>,
}

impl OwnershipDoctrine {
    /// Does `sum` reach the threshold?
    pub fn reaches(&self, sum: Decimal) -> bool {
        match (self.threshold, self.comparison) {
            (None, _) => false,
            (Some(t), Comparison::AtLeast) => sum >= t,
            (Some(t), Comparison::MoreThan) => sum > t,
        }
    }

    pub fn comparison_str(&self) -> &'static str {
        match self.comparison {
            Comparison::AtLeast => ">=",
            Comparison::MoreThan => ">",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Jurisdiction {
    pub id: String,
    pub name: String,
    pub currency: Currency,
    pub calendar: CalendarIdx,
    /// The doctrine in force today (the last period's when it has periods).
    pub doctrine: OwnershipDoctrine,
    /// The doctrine's validity periods, in date order; empty: `doctrine` applies on every date.
    pub doctrine_periods: Vec<super::doctrine::DoctrinePeriod>,
    pub nexus: IndexVec<NexusIdx, NexusTest>,
    pub citations: Vec<Citation>,
    pub loc: Loc,
}

/// A named test a party passes or fails on its attributes alone ("U.S. person").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonTest {
    pub id: String,
    pub title: String,
    pub jurisdiction: JurisdictionIdx,
    /// The party passes if any of these predicates holds.
    pub any: Vec<PartyPredicate>,
    pub citation: Citation,
    pub note: Option<String>,
    pub loc: Loc,
}

/// One way a jurisdiction's law reaches a transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NexusTest {
    pub id: String,
    pub title: String,
    pub when: Conditions,
    pub citation: Citation,
    pub loc: Loc,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Program {
    pub id: String,
    pub title: String,
    pub jurisdiction: JurisdictionIdx,
    pub authorities: Vec<Citation>,
    pub list_tags: Vec<String>,
    pub blocking: bool,
    /// Whether exemptions and licenses may defeat its prohibitions (loaders enforce it).
    pub licensable: bool,
    /// The legal basis (`ieepa`, `kingpin`, `aedpa`, ...) that exemptions select on.
    pub basis: Option<String>,
    pub note: Option<String>,
    pub loc: Loc,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleKind {
    /// Bars or flags something; sets a disposition (or only attaches consequences).
    Prohibition,
    /// A statutory exemption: defeats matching prohibitions.
    Exemption,
    /// A general or specific license: defeats matching prohibitions.
    License,
    /// An exception to an exception: stops named exemptions or licenses from defeating the
    /// prohibitions it protects.
    Override,
}

impl RuleKind {
    pub fn as_str(self) -> &'static str {
        match self {
            RuleKind::Prohibition => "prohibition",
            RuleKind::Exemption => "exemption",
            RuleKind::License => "license",
            RuleKind::Override => "override",
        }
    }
    pub fn is_exception(self) -> bool {
        matches!(self, RuleKind::Exemption | RuleKind::License)
    }
}

/// Which prohibitions an exception defeats, or an override protects. All given parts must
/// match (each part matches any of its entries).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selector {
    pub rules: Option<Vec<RuleIdx>>,
    pub programs: Option<Bits>,
    pub basis: Option<Vec<String>>,
    pub dispositions: Option<Vec<Disposition>>,
}

impl Selector {
    /// Does this selector pick prohibition `r` (whose definition is `rule`, in `rs`)?
    pub fn selects(&self, r: RuleIdx, rule: &Rule, rs: &RuleSet) -> bool {
        let program = rule.program.map(|p| &rs.programs[p]);
        self.rules.as_ref().is_none_or(|rules| rules.contains(&r))
            && self
                .programs
                .is_none_or(|ps| rule.program.is_some_and(|p| ps.contains(p.idx())))
            && self.basis.as_ref().is_none_or(|b| {
                program
                    .and_then(|p| p.basis.as_ref())
                    .is_some_and(|pb| b.contains(pb))
            })
            && self
                .dispositions
                .as_ref()
                .is_none_or(|ds| rule.disposition.is_some_and(|d| ds.contains(&d)))
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    pub id: String,
    pub title: String,
    pub kind: RuleKind,
    pub jurisdiction: JurisdictionIdx,
    pub program: Option<ProgramIdx>,
    pub when: Conditions,
    pub unless: Option<Conditions>,
    /// Who the consequences attach to; the rule fires once per matching actor.
    pub actor: Option<PartyClause>,
    /// For prohibitions: the disposition it sets (`None`: consequences only).
    pub disposition: Option<Disposition>,
    /// For exemptions and licenses: what they defeat. For overrides: what they protect.
    pub defeats: Selector,
    /// For overrides: the exemptions or licenses they stop.
    pub overrides: Vec<RuleIdx>,
    pub obligations: Vec<ObligationIdx>,
    pub exposures: Vec<PenaltyIdx>,
    pub citation: Citation,
    pub note: Option<String>,
    /// In force for transactions dated on or after `valid_from` and before `valid_until`.
    pub valid_from: Option<Date>,
    pub valid_until: Option<Date>,
    /// A specific license from a scenario applies only where a transaction claims it.
    pub requires_claim: bool,
    pub loc: Loc,
}

impl Rule {
    pub fn in_force(&self, date: Date) -> bool {
        self.valid_from.is_none_or(|f| date >= f) && self.valid_until.is_none_or(|u| date < u)
    }
}

/// Conditions on a transaction and its parties; all given parts must hold.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Conditions {
    pub transaction_types: Option<Bits>,
    /// Some goods item is in the set.
    pub goods_any: Option<Bits>,
    /// The transaction carries goods and every item is in the set.
    pub goods_only: Option<Bits>,
    pub currencies: Option<Vec<Currency>>,
    pub amount_at_least: Option<Money>,
    pub amount_below: Option<Money>,
    pub date_from: Option<Date>,
    pub date_before: Option<Date>,
    pub personal_use: Option<bool>,
    pub cross_border: Option<bool>,
    /// The transaction moves something of value (an amount above zero).
    pub transfers_value: Option<bool>,
    /// Each clause must be met by some party of the transaction.
    pub parties: Vec<PartyClause>,
    /// No party may meet any of these clauses.
    pub no_party: Vec<PartyClause>,
    /// Alternatives: when not empty, at least one of them must hold.
    pub any: Vec<Conditions>,
}

impl Conditions {
    pub fn is_empty(&self) -> bool {
        *self == Conditions::default()
    }

    /// These conditions and, recursively, every alternative of their `any` lists.
    pub fn nested(&self) -> Vec<&Conditions> {
        let mut out = vec![self];
        let mut i = 0;
        while let Some(c) = out.get(i).copied() {
            out.extend(c.any.iter());
            i += 1;
        }
        out
    }
}

/// A party in one of `roles` (any role if empty) meeting `pred`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartyClause {
    pub roles: Bits,
    pub pred: PartyPredicate,
    pub loc: Loc,
}

/// What a party must be. Attribute parts are static; status parts are evaluated per
/// jurisdiction and date.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PartyPredicate {
    pub kinds: Option<Bits>,
    pub categories: Option<Bits>,
    pub citizenship: Option<Vec<Country>>,
    pub permanent_residence: Option<Vec<Country>>,
    pub residence: Option<Vec<Country>>,
    pub incorporated_in: Option<Vec<Country>>,
    pub located_in: Option<Vec<Country>>,
    /// A branch (`branch_of` set) whose head office passes this test.
    pub branch_of: Option<PersonTestIdx>,
    pub is_branch: Option<bool>,
    /// Passes at least one of these person tests.
    pub tests: Option<Bits>,
    /// Passes none of these person tests.
    pub not_tests: Option<Bits>,
    /// Directly designated, in force, under one of these programs.
    pub designated: Option<Bits>,
    /// Blocked in the rule's jurisdiction (by designation or ownership/control).
    pub blocked: Option<bool>,
    /// Blocked, and one of these programs is among the grounds.
    pub blocked_under: Option<Bits>,
    /// Blocked status cannot be decided because ownership shares are unknown or ranged.
    pub ownership_undetermined: Option<bool>,
    /// Not blocked, but blocked persons hold a share below the threshold.
    pub blocked_minority_owner: Option<bool>,
    /// Controlled by a blocked person (without ownership reaching the threshold).
    pub controlled_by_blocked: Option<bool>,
    /// The transaction records that this party knows the relevant facts.
    pub knowing: Option<bool>,
    /// The party was resolved against a list only by a fuzzy name match.
    pub fuzzy_list_match: Option<bool>,
}

impl PartyPredicate {
    /// Does the predicate read any status that depends on designations or dates?
    pub fn reads_status(&self) -> bool {
        self.designated.is_some()
            || self.blocked.is_some()
            || self.blocked_under.is_some()
            || self.ownership_undetermined.is_some()
            || self.blocked_minority_owner.is_some()
            || self.controlled_by_blocked.is_some()
            || self.fuzzy_list_match.is_some()
    }
}

/// When an obligation falls due.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Due {
    /// N business days after the event, on the jurisdiction's calendar.
    BusinessDays(u32),
    /// N calendar days after the event.
    CalendarDays(u32),
    /// Every year on `month`/`day`, covering what stands on the `as_of` day that year.
    Annual {
        month: u32,
        day: u32,
        as_of: Option<(u32, u32)>,
    },
    /// Keep for N years after the event.
    RetainYears(u32),
    /// No fixed date: "immediately", "as soon as practicable", "without delay".
    Prompt(String),
    /// A continuing duty with no date (hold in an interest-bearing blocked account).
    Continuing,
}

/// A period of an obligation's or penalty's schedule: in force from `from` (inclusive).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dated<T> {
    pub from: Option<Date>,
    pub value: T,
    pub citation: Option<Citation>,
}

/// Pick the period in force on `date`: the latest `from` not after it.
pub fn in_force_on<T>(periods: &[Dated<T>], date: Date) -> Option<&Dated<T>> {
    periods
        .iter()
        .filter(|p| p.from.is_none_or(|f| f <= date))
        .max_by_key(|p| p.from)
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObligationDef {
    pub id: String,
    pub title: String,
    pub jurisdiction: JurisdictionIdx,
    pub recipient: Option<String>,
    pub due: Vec<Dated<Due>>,
    /// The duty exists only when the jurisdiction's disposition is one of these (a reject
    /// report is owed for a rejected transaction, not for one that is blocked instead).
    pub for_dispositions: Option<Vec<Disposition>>,
    pub citation: Citation,
    pub note: Option<String>,
    pub loc: Loc,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PenaltyKind {
    Civil,
    Criminal,
    Secondary,
    Liability,
    Visa,
    Other,
}

impl PenaltyKind {
    pub fn as_str(self) -> &'static str {
        match self {
            PenaltyKind::Civil => "civil",
            PenaltyKind::Criminal => "criminal",
            PenaltyKind::Secondary => "secondary",
            PenaltyKind::Liability => "liability",
            PenaltyKind::Visa => "visa",
            PenaltyKind::Other => "other",
        }
    }
}

/// Which date selects a penalty period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DatedBy {
    /// The date of the violation (the transaction date).
    Violation,
    /// The date a penalty is assessed (the evaluation's as-of date).
    Assessment,
}

/// The amounts of one penalty period.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PenaltyTerms {
    /// A fixed maximum; with `multiple`, the maximum is the greater of the two.
    pub cap: Option<Money>,
    /// A multiple of the transaction value (2 for "twice the value", 0.5 for "50%").
    pub multiple: Option<Decimal>,
    pub prison_years: Option<u32>,
    pub life_if_death: bool,
    pub note: Option<String>,
}

/// A limitation period: an action must be brought within `years` of the violation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limitation {
    pub years: u32,
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PenaltyDef {
    pub id: String,
    pub title: String,
    pub kind: PenaltyKind,
    pub jurisdiction: JurisdictionIdx,
    pub dated_by: DatedBy,
    /// Party kinds it applies to; empty means all.
    pub applies_to: Bits,
    pub periods: Vec<Dated<PenaltyTerms>>,
    /// Limitation periods in years, selected by the violation date (not by `dated_by`).
    pub limitation: Vec<Dated<Limitation>>,
    pub citation: Citation,
    pub note: Option<String>,
    pub loc: Loc,
}

/// Everything the rule packs define as law, resolved and indexed (the parties they declare are
/// a world beside it: [`super::pack::Pack`]).
#[derive(Debug, Clone, Default)]
pub struct RuleSet {
    pub vocabulary: Vocabulary,
    pub jurisdictions: IndexVec<JurisdictionIdx, Jurisdiction>,
    pub calendars: IndexVec<CalendarIdx, Calendar>,
    pub person_tests: IndexVec<PersonTestIdx, PersonTest>,
    pub programs: IndexVec<ProgramIdx, Program>,
    pub rules: IndexVec<RuleIdx, Rule>,
    pub obligations: IndexVec<ObligationIdx, ObligationDef>,
    pub penalties: IndexVec<PenaltyIdx, PenaltyDef>,
    /// Law-level invariants the packs declare for `check --deep`.
    pub invariants: Vec<Invariant>,
    /// Rules of each jurisdiction, in pack order.
    pub rules_by_jurisdiction: IndexVec<JurisdictionIdx, Vec<RuleIdx>>,
    pub index: Index,
}

/// Name -> index lookups for everything with an id.
#[derive(Debug, Clone, Default)]
pub struct Index {
    pub jurisdictions: HashMap<String, JurisdictionIdx>,
    pub programs: HashMap<String, ProgramIdx>,
    pub rules: HashMap<String, RuleIdx>,
    pub obligations: HashMap<String, ObligationIdx>,
    pub penalties: HashMap<String, PenaltyIdx>,
    pub calendars: HashMap<String, CalendarIdx>,
    pub person_tests: HashMap<String, PersonTestIdx>,
    /// List tag (e.g. `SDGT`) -> programs it maps to.
    pub list_tags: HashMap<String, Vec<ProgramIdx>>,
}

impl RuleSet {
    pub fn jurisdiction(&self, j: JurisdictionIdx) -> &Jurisdiction {
        &self.jurisdictions[j]
    }
    pub fn program(&self, p: ProgramIdx) -> &Program {
        &self.programs[p]
    }
    pub fn rule(&self, r: RuleIdx) -> &Rule {
        &self.rules[r]
    }
    pub fn obligation(&self, o: ObligationIdx) -> &ObligationDef {
        &self.obligations[o]
    }
    pub fn penalty(&self, p: PenaltyIdx) -> &PenaltyDef {
        &self.penalties[p]
    }
    pub fn calendar(&self, c: CalendarIdx) -> &Calendar {
        &self.calendars[c]
    }
    pub fn person_test(&self, t: PersonTestIdx) -> &PersonTest {
        &self.person_tests[t]
    }

    pub fn jurisdiction_by_id(&self, id: &str) -> Option<JurisdictionIdx> {
        self.index.jurisdictions.get(id).copied()
    }
    pub fn program_by_id(&self, id: &str) -> Option<ProgramIdx> {
        self.index.programs.get(id).copied()
    }
    pub fn rule_by_id(&self, id: &str) -> Option<RuleIdx> {
        self.index.rules.get(id).copied()
    }

    /// Programs of a jurisdiction that block, as a set.
    pub fn blocking_programs(&self, j: JurisdictionIdx) -> Bits {
        self.programs
            .iter_enumerated()
            .filter(|(_, p)| p.jurisdiction == j && p.blocking)
            .map(|(i, _)| i.idx())
            .collect()
    }

    pub fn program_names(&self, set: Bits) -> Vec<&str> {
        set.members()
            .filter_map(|i| self.programs.get(i).map(|p| p.id.as_str()))
            .collect()
    }

    pub fn term_names<'a>(&self, terms: &'a [Term], set: Bits) -> Vec<&'a str> {
        set.iter()
            .filter_map(|i| terms.get(i).map(|t| t.id.as_str()))
            .collect()
    }
}
