//! Rule packs once lowered: jurisdictions, calendars, programs, rules, obligations, penalties.

use std::collections::HashMap;

use rust_decimal::Decimal;

use super::values::{Currency, Date};
use super::{
    Bits, CalendarIdx, ControlBasisIdx, Disposition, IndexVec, JurisdictionIdx, NexusIdx,
    ObligationIdx, PenaltyIdx, PersonTestIdx, ProgramIdx, RuleIdx, TxTypeIdx,
};
use crate::model::calendar::Calendar;
use crate::source::Loc;

mod conditions;
mod consequence;
mod invariant;

pub use conditions::{Conditions, PartyClause, PartyPredicate};
pub(crate) use consequence::in_force_on;
pub use consequence::{
    Dated, DatedBy, Due, Limitation, ObligationDef, PenaltyDef, PenaltyKind, PenaltyTerms,
};
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
    pub(crate) fn comparison_str(&self) -> &'static str {
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
    /// Does this selector pick prohibition `r` (whose definition is `rule`, in `rs`)? Never an
    /// advisory: a caution is not a prohibition anything defeats or protects.
    pub fn selects(&self, r: RuleIdx, rule: &Rule, rs: &RuleSet) -> bool {
        let program = rule.program.map(|p| &rs.programs[p]);
        !rule.advisory
            && self.rules.as_ref().is_none_or(|rules| rules.contains(&r))
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
    /// An advisory (`kind = "advisory"`): a prohibition-shaped rule that only cautions. It is
    /// cited on the decision as `advisory`, is never defeated, and sets no disposition.
    pub advisory: bool,
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
    pub(crate) fn program_names(&self, set: Bits) -> Vec<&str> {
        set.members()
            .filter_map(|i| self.programs.get(i).map(|p| p.id.as_str()))
            .collect()
    }

    /// The ids of the terms of `terms` (one kind of the vocabulary) in `set`.
    pub(crate) fn term_names<'a>(&self, terms: &'a [Term], set: Bits) -> Vec<&'a str> {
        set.iter()
            .filter_map(|i| terms.get(i).map(|t| t.id.as_str()))
            .collect()
    }
}
