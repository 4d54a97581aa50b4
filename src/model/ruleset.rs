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
    /// The term as conditions and transactions write it (`payment`).
    pub id: String,
    /// What the term means, from its `description` key.
    pub description: String,
    /// Where the term is defined.
    pub loc: Loc,
}

/// The documented fact vocabulary that rule conditions and transactions draw on.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Vocabulary {
    /// `[[transaction_type]]` terms.
    pub transaction_types: IndexVec<TxTypeIdx, Term>,
    /// `[[goods]]` terms (goods categories).
    pub goods: Vec<Term>,
    /// `[[party_category]]` terms.
    pub party_categories: Vec<Term>,
    /// `[[control_basis]]` terms: on what ground a party controls another.
    pub control_bases: IndexVec<ControlBasisIdx, Term>,
}

impl Vocabulary {
    /// The position of the term `id` among `terms`.
    pub fn find(terms: &[Term], id: &str) -> Option<usize> {
        terms.iter().position(|t| t.id == id)
    }
}

/// A legal source: the text a conclusion rests on, optionally with a link.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Citation {
    /// The source as lawyers cite it (`31 CFR 594.201`).
    pub text: String,
    /// Where the text can be read.
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
    /// The threshold in percent (`threshold`); `None`: no numeric test, any blocked ownership
    /// is a matter for review.
    pub threshold: Option<Decimal>,
    /// How summed holdings meet the threshold (`comparison`).
    pub comparison: Comparison,
    /// Whose holdings are summed (`aggregation`).
    pub aggregation: Aggregation,
    /// What control by a blocked person does (`control`).
    pub control: ControlEffect,
    /// Which control bases count; empty means every basis.
    pub control_bases: Bits,
    /// The doctrine's sources (the `[jurisdiction.ownership]` citation).
    pub citations: Vec<Citation>,
    /// The reading chosen, caveats.
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

    /// The comparison as a pack writes it: `>=` or `>`.
    pub fn comparison_str(&self) -> &'static str {
        match self.comparison {
            Comparison::AtLeast => ">=",
            Comparison::MoreThan => ">",
        }
    }
}

/// A legal system (`[jurisdiction]`, rule-language.md "Jurisdictions and ownership
/// doctrines"): its currency, business-day calendar, ownership doctrine and nexus tests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Jurisdiction {
    /// Its id (`us`), the prefix of its definitions' ids by convention.
    pub id: String,
    /// Its name for people (`United States`).
    pub name: String,
    /// The currency its amounts and penalty caps are stated in.
    pub currency: Currency,
    /// The business-day calendar its deadlines count on.
    pub calendar: CalendarIdx,
    /// The doctrine in force today (the last period's when it has periods).
    pub doctrine: OwnershipDoctrine,
    /// The doctrine's validity periods, in date order; empty: `doctrine` applies on every date.
    pub doctrine_periods: Vec<super::doctrine::DoctrinePeriod>,
    /// Its `[[nexus]]` tests: its law reaches a transaction when any holds.
    pub nexus: IndexVec<NexusIdx, NexusTest>,
    /// The law that establishes its sanctions regime.
    pub citations: Vec<Citation>,
    /// Where it is defined.
    pub loc: Loc,
}

/// A named test a party passes or fails on its attributes alone ("U.S. person").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonTest {
    /// Its id (`us.person`), as `tests` clauses name it.
    pub id: String,
    /// What it tests, for people.
    pub title: String,
    /// The jurisdiction whose law defines it.
    pub jurisdiction: JurisdictionIdx,
    /// The party passes if any of these predicates holds.
    pub any: Vec<PartyPredicate>,
    /// The definition's source.
    pub citation: Citation,
    /// The reading chosen, caveats.
    pub note: Option<String>,
    /// Where it is defined.
    pub loc: Loc,
}

/// One way a jurisdiction's law reaches a transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NexusTest {
    /// Its id (`us.nexus.person`).
    pub id: String,
    /// How the law reaches the transaction, for people.
    pub title: String,
    /// The conditions under which it holds.
    pub when: Conditions,
    /// The source of the reach.
    pub citation: Citation,
    /// Where it is defined.
    pub loc: Loc,
}

/// A sanctions program (`[[program]]`, rule-language.md "Programs"): its designations block
/// or bar, and its prohibitions are rules that name it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Program {
    /// Its id (`us.sdgt`), as designations and rules name it.
    pub id: String,
    /// Its name for people.
    pub title: String,
    /// The jurisdiction whose law it is.
    pub jurisdiction: JurisdictionIdx,
    /// The statutes and orders it rests on.
    pub authorities: Vec<Citation>,
    /// Tags of imported sanctions lists that mean this program (`SDGT`).
    pub list_tags: Vec<String>,
    /// Whether designation under it blocks (and so seeds the ownership doctrine).
    pub blocking: bool,
    /// Whether exemptions and licenses may defeat its prohibitions (loaders enforce it).
    pub licensable: bool,
    /// The legal basis (`ieepa`, `kingpin`, `aedpa`, ...) that exemptions select on.
    pub basis: Option<String>,
    /// The reading chosen, caveats.
    pub note: Option<String>,
    /// Where it is defined.
    pub loc: Loc,
}

/// What a rule does (its `kind` key; rule-language.md "Rules").
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
    /// The kind as a pack writes it (`prohibition`).
    pub fn as_str(self) -> &'static str {
        match self {
            RuleKind::Prohibition => "prohibition",
            RuleKind::Exemption => "exemption",
            RuleKind::License => "license",
            RuleKind::Override => "override",
        }
    }
    /// Whether it defeats prohibitions (an exemption or a license).
    pub fn is_exception(self) -> bool {
        matches!(self, RuleKind::Exemption | RuleKind::License)
    }
}

/// Which prohibitions an exception defeats, or an override protects. All given parts must
/// match (each part matches any of its entries).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selector {
    /// Only these prohibitions (`rules`).
    pub rules: Option<Vec<RuleIdx>>,
    /// Only prohibitions of these programs (`programs`).
    pub programs: Option<Bits>,
    /// Only prohibitions of programs with one of these legal bases (`basis`).
    pub basis: Option<Vec<String>>,
    /// Only prohibitions that set one of these dispositions (`dispositions`).
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

/// A `[[rule]]` (rule-language.md "Rules"): one row of a decision table, with its conditions,
/// whom it binds and its effect.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    /// Its id (`us.sdgt.block`).
    pub id: String,
    /// What it says, in one line.
    pub title: String,
    /// Prohibition, exemption, license or override.
    pub kind: RuleKind,
    /// Its jurisdiction (its program's, when it has one).
    pub jurisdiction: JurisdictionIdx,
    /// The program it belongs to; `None` for statutory exemptions and general duties.
    pub program: Option<ProgramIdx>,
    /// What must hold for it to fire (`when`).
    pub when: Conditions,
    /// A carve-out: when all of these hold, it does not fire (`unless`).
    pub unless: Option<Conditions>,
    /// Who the consequences attach to; the rule fires once per matching actor.
    pub actor: Option<PartyClause>,
    /// For prohibitions: the disposition it sets (`None`: consequences only).
    pub disposition: Option<Disposition>,
    /// For exemptions and licenses: what they defeat. For overrides: what they protect.
    pub defeats: Selector,
    /// For overrides: the exemptions or licenses they stop.
    pub overrides: Vec<RuleIdx>,
    /// Duties attached to the actor when it fires undefeated.
    pub obligations: Vec<ObligationIdx>,
    /// Penalties and other exposures attached to the actor when it fires undefeated.
    pub exposures: Vec<PenaltyIdx>,
    /// The statute, regulation or order it rests on.
    pub citation: Citation,
    /// The reading chosen, caveats, unconfirmed facts.
    pub note: Option<String>,
    /// In force for transactions dated on or after `valid_from` and before `valid_until`.
    pub valid_from: Option<Date>,
    /// The first date it is no longer in force (exclusive).
    pub valid_until: Option<Date>,
    /// A specific license from a scenario applies only where a transaction claims it.
    pub requires_claim: bool,
    /// Where it is defined.
    pub loc: Loc,
}

impl Rule {
    /// Whether it is in force for a transaction dated `date` (`valid_from` inclusive,
    /// `valid_until` exclusive).
    pub fn in_force(&self, date: Date) -> bool {
        self.valid_from.is_none_or(|f| date >= f) && self.valid_until.is_none_or(|u| date < u)
    }
}

/// Conditions on a transaction and its parties; all given parts must hold.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Conditions {
    /// The transaction's type is one of these (`transaction_type`).
    pub transaction_types: Option<Bits>,
    /// Some goods item is in the set.
    pub goods_any: Option<Bits>,
    /// The transaction carries goods and every item is in the set.
    pub goods_only: Option<Bits>,
    /// The amount is in one of these currencies (`currency`).
    pub currencies: Option<Vec<Currency>>,
    /// The amount, converted at the scenario's rates, is at least this.
    pub amount_at_least: Option<Money>,
    /// The amount, converted at the scenario's rates, is below this.
    pub amount_below: Option<Money>,
    /// The transaction is dated on or after this.
    pub date_from: Option<Date>,
    /// The transaction is dated before this.
    pub date_before: Option<Date>,
    /// The transaction is (not) marked for personal, non-commercial use.
    pub personal_use: Option<bool>,
    /// Originator and beneficiary sit in different countries (or not).
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
    /// Whether no condition is given (such conditions always hold).
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
    /// The roles the party may play ([`crate::model::Role::bit`]); empty: any role.
    pub roles: Bits,
    /// What the party must be.
    pub pred: PartyPredicate,
    /// Where the clause is written.
    pub loc: Loc,
}

/// What a party must be. Attribute parts are static; status parts are evaluated per
/// jurisdiction and date.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PartyPredicate {
    /// Is of one of these kinds ([`crate::model::PartyKind::bit`]; `kind`).
    pub kinds: Option<Bits>,
    /// Has one of these party categories (`category`).
    pub categories: Option<Bits>,
    /// Is a citizen of one of these countries.
    pub citizenship: Option<Vec<Country>>,
    /// Is a permanent resident of one of these countries.
    pub permanent_residence: Option<Vec<Country>>,
    /// Resides in one of these countries.
    pub residence: Option<Vec<Country>>,
    /// Is incorporated in one of these countries.
    pub incorporated_in: Option<Vec<Country>>,
    /// Is located in one of these countries.
    pub located_in: Option<Vec<Country>>,
    /// A branch (`branch_of` set) whose head office passes this test.
    pub branch_of: Option<PersonTestIdx>,
    /// Is (not) a branch of another party.
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
        /// The month of the due date (1 to 12).
        month: u32,
        /// The day of the due date.
        day: u32,
        /// The month and day of the snapshot the report covers (`as_of = "MM-DD"`).
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
    /// The first date of the period (`from`); `None`: since always.
    pub from: Option<Date>,
    /// What holds during the period.
    pub value: T,
    /// The source of this period's terms, when it differs from the definition's.
    pub citation: Option<Citation>,
}

/// Pick the period in force on `date`: the latest `from` not after it.
pub fn in_force_on<T>(periods: &[Dated<T>], date: Date) -> Option<&Dated<T>> {
    periods
        .iter()
        .filter(|p| p.from.is_none_or(|f| f <= date))
        .max_by_key(|p| p.from)
}

/// An `[[obligation]]` (rule-language.md "Obligations"): a duty with a deadline, attached to
/// the actor of the rules that name it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObligationDef {
    /// Its id (`us.report.blocked`).
    pub id: String,
    /// The duty, in one line.
    pub title: String,
    /// The jurisdiction whose law imposes it (its calendar counts business days).
    pub jurisdiction: JurisdictionIdx,
    /// To whom it is owed (a report's addressee).
    pub recipient: Option<String>,
    /// When it falls due, period by period (`due` or `[[obligation.period]]`).
    pub due: Vec<Dated<Due>>,
    /// The duty exists only when the jurisdiction's disposition is one of these (a reject
    /// report is owed for a rejected transaction, not for one that is blocked instead).
    pub for_dispositions: Option<Vec<Disposition>>,
    /// The source of the duty.
    pub citation: Citation,
    /// The reading chosen, caveats.
    pub note: Option<String>,
    /// Where it is defined.
    pub loc: Loc,
}

/// What kind of exposure a penalty is (its `kind` key).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PenaltyKind {
    /// A civil monetary penalty.
    Civil,
    /// A criminal penalty (fines, prison).
    Criminal,
    /// Secondary sanctions on a non-national.
    Secondary,
    /// Civil liability to others.
    Liability,
    /// A visa or entry ban.
    Visa,
    /// Any other consequence.
    Other,
}

impl PenaltyKind {
    /// The kind as a pack writes it (`civil`).
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
    /// The maximum prison term, in years.
    pub prison_years: Option<u32>,
    /// Life imprisonment where a death results.
    pub life_if_death: bool,
    /// The reading chosen, caveats.
    pub note: Option<String>,
}

/// A limitation period: an action must be brought within `years` of the violation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limitation {
    /// Years from the violation within which an action must be brought.
    pub years: u32,
    /// The reading chosen, caveats.
    pub note: Option<String>,
}

/// A `[[penalty]]` (rule-language.md "Penalties and other exposures"): a penalty schedule or
/// another consequence, attached to the actor of the rules that name it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PenaltyDef {
    /// Its id (`us.ieepa.civil`).
    pub id: String,
    /// The exposure, in one line.
    pub title: String,
    /// Civil, criminal, secondary, ...
    pub kind: PenaltyKind,
    /// The jurisdiction whose law imposes it.
    pub jurisdiction: JurisdictionIdx,
    /// Which date picks the period in force.
    pub dated_by: DatedBy,
    /// Party kinds it applies to; empty means all.
    pub applies_to: Bits,
    /// The amounts, period by period (`[[penalty.period]]`); empty: a non-monetary exposure.
    pub periods: Vec<Dated<PenaltyTerms>>,
    /// Limitation periods in years, selected by the violation date (not by `dated_by`).
    pub limitation: Vec<Dated<Limitation>>,
    /// The source of the penalty.
    pub citation: Citation,
    /// The reading chosen, caveats.
    pub note: Option<String>,
    /// Where it is defined.
    pub loc: Loc,
}

/// Everything the rule packs define as law, resolved and indexed (the parties they declare are
/// a world beside it: [`super::pack::Pack`]).
#[derive(Debug, Clone, Default)]
pub struct RuleSet {
    /// The fact vocabulary conditions and transactions use.
    pub vocabulary: Vocabulary,
    /// Every jurisdiction, in pack order.
    pub jurisdictions: IndexVec<JurisdictionIdx, Jurisdiction>,
    /// Every business-day calendar.
    pub calendars: IndexVec<CalendarIdx, Calendar>,
    /// Every person test.
    pub person_tests: IndexVec<PersonTestIdx, PersonTest>,
    /// Every program.
    pub programs: IndexVec<ProgramIdx, Program>,
    /// Every rule: prohibitions, exemptions, licenses and overrides.
    pub rules: IndexVec<RuleIdx, Rule>,
    /// Every obligation definition.
    pub obligations: IndexVec<ObligationIdx, ObligationDef>,
    /// Every penalty or exposure definition.
    pub penalties: IndexVec<PenaltyIdx, PenaltyDef>,
    /// Law-level invariants the packs declare for `check --deep`.
    pub invariants: Vec<Invariant>,
    /// Rules of each jurisdiction, in pack order.
    pub rules_by_jurisdiction: IndexVec<JurisdictionIdx, Vec<RuleIdx>>,
    /// Ids to indices, for loaders and reports (the evaluator never looks a name up).
    pub index: Index,
}

/// Name -> index lookups for everything with an id.
#[derive(Debug, Clone, Default)]
pub struct Index {
    /// Jurisdictions by id.
    pub jurisdictions: HashMap<String, JurisdictionIdx>,
    /// Programs by id.
    pub programs: HashMap<String, ProgramIdx>,
    /// Rules by id.
    pub rules: HashMap<String, RuleIdx>,
    /// Obligations by id.
    pub obligations: HashMap<String, ObligationIdx>,
    /// Penalties by id.
    pub penalties: HashMap<String, PenaltyIdx>,
    /// Calendars by id.
    pub calendars: HashMap<String, CalendarIdx>,
    /// Person tests by id.
    pub person_tests: HashMap<String, PersonTestIdx>,
    /// List tag (e.g. `SDGT`) -> programs it maps to.
    pub list_tags: HashMap<String, Vec<ProgramIdx>>,
}

impl RuleSet {
    /// The jurisdiction `j`.
    pub fn jurisdiction(&self, j: JurisdictionIdx) -> &Jurisdiction {
        &self.jurisdictions[j]
    }
    /// The program `p`.
    pub fn program(&self, p: ProgramIdx) -> &Program {
        &self.programs[p]
    }
    /// The rule `r`.
    pub fn rule(&self, r: RuleIdx) -> &Rule {
        &self.rules[r]
    }
    /// The obligation `o`.
    pub fn obligation(&self, o: ObligationIdx) -> &ObligationDef {
        &self.obligations[o]
    }
    /// The penalty `p`.
    pub fn penalty(&self, p: PenaltyIdx) -> &PenaltyDef {
        &self.penalties[p]
    }
    /// The calendar `c`.
    pub fn calendar(&self, c: CalendarIdx) -> &Calendar {
        &self.calendars[c]
    }
    /// The person test `t`.
    pub fn person_test(&self, t: PersonTestIdx) -> &PersonTest {
        &self.person_tests[t]
    }

    /// The jurisdiction with this id (`us`).
    pub fn jurisdiction_by_id(&self, id: &str) -> Option<JurisdictionIdx> {
        self.index.jurisdictions.get(id).copied()
    }
    /// The program with this id (`us.sdgt`).
    pub fn program_by_id(&self, id: &str) -> Option<ProgramIdx> {
        self.index.programs.get(id).copied()
    }
    /// The rule with this id.
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

    /// The ids of the programs in `set`, in index order.
    pub fn program_names(&self, set: Bits) -> Vec<&str> {
        set.members()
            .filter_map(|i| self.programs.get(i).map(|p| p.id.as_str()))
            .collect()
    }

    /// The ids of the terms of `terms` (one kind of the vocabulary) in `set`.
    pub fn term_names<'a>(&self, terms: &'a [Term], set: Bits) -> Vec<&'a str> {
        set.iter()
            .filter_map(|i| terms.get(i).map(|t| t.id.as_str()))
            .collect()
    }
}
