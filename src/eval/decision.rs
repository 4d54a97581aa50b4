//! Decisions are plain values: what each jurisdiction requires, why, and what follows for whom.
//! They hold dense indices; [`crate::report`] turns them into named, serialisable reports.

use crate::model::calendar::SkippedDay;
use crate::model::values::{Currency, Date, Money};
use crate::model::{
    Disposition, JurisdictionIdx, NexusIdx, ObligationIdx, PartyIdx, PenaltyIdx, RuleIdx, TxTypeIdx,
};

/// What the engine decided for one transaction: each jurisdiction's disposition, the rules
/// behind it, and the obligations and exposures that follow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    /// The transaction's id.
    pub transaction: String,
    /// The day the transaction takes place.
    pub date: Date,
    /// The date the law and the lists were taken as standing on.
    pub as_of: Date,
    /// The day the evaluation is made, when given: limitation is judged on it.
    pub evaluated_on: Option<Date>,
    /// The strongest disposition across jurisdictions.
    pub overall: Disposition,
    /// One outcome per jurisdiction evaluated, in the rule set's order of jurisdictions.
    pub outcomes: Vec<Outcome>,
    /// Every rule considered and the facts it read, when a trace was asked for
    /// ([`EvalOptions::trace`](crate::EvalOptions::trace)).
    pub trace: Option<Trace>,
}

impl Decision {
    /// Whether an exposure enforceable until `until` is barred on the evaluation date: the
    /// limitation period ended before the day the evaluation is made.
    pub fn barred(&self, until: Option<Date>) -> bool {
        matches!((self.evaluated_on, until), (Some(on), Some(u)) if on > u)
    }

    /// The outcome in jurisdiction `j`, if it was evaluated.
    pub fn outcome(&self, j: JurisdictionIdx) -> Option<&Outcome> {
        self.outcomes.iter().find(|o| o.jurisdiction == j)
    }
}

/// One jurisdiction's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// The jurisdiction answering.
    pub jurisdiction: JurisdictionIdx,
    /// What it requires of the transaction (`out_of_scope` without a nexus).
    pub disposition: Disposition,
    /// Nexus tests that held (of the jurisdiction's nexus list). Empty: no nexus.
    pub nexus: Vec<NexusIdx>,
    /// The rules that fired or were defeated, sorted.
    pub reasons: Vec<Reason>,
    /// The obligations owed and the penalties risked, per actor, sorted.
    pub consequences: Vec<Consequence>,
    /// Problems met while evaluating (a missing exchange rate, a calendar too short). Each
    /// pushes the disposition to at least `review`: an error never clears a transaction.
    pub issues: Vec<Issue>,
}

/// The part a rule played in an outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ReasonKind {
    /// A prohibition that fired and set the disposition.
    Decisive,
    /// A rule that fired but did not set the disposition (weaker, or consequences only).
    Contributing,
    /// An exemption or license that defeated a prohibition.
    Exception,
    /// An override that stopped an exemption or license.
    Override,
    /// A prohibition that fired but was defeated.
    Defeated,
    /// An advisory that fired: a caution carried on the decision, which set nothing.
    Advisory,
}

impl ReasonKind {
    /// The kind's name in reports (`decisive`, `contributing`, `exception`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            ReasonKind::Decisive => "decisive",
            ReasonKind::Contributing => "contributing",
            ReasonKind::Exception => "exception",
            ReasonKind::Override => "override",
            ReasonKind::Defeated => "defeated",
            ReasonKind::Advisory => "advisory",
        }
    }
}

/// Why: a rule, who it bound, and the parties whose facts met its clauses.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Reason {
    /// The part the rule played.
    pub kind: ReasonKind,
    /// The rule.
    pub rule: RuleIdx,
    /// The party the rule binds (the U.S. person dealing, the bank holding the funds), for a
    /// rule with an actor clause.
    pub actor: Option<PartyIdx>,
    /// For each party clause of the rule, the first party that met it.
    pub matched: Vec<PartyIdx>,
    /// For a defeated prohibition: the exception that defeated it. For an exception: the
    /// prohibitions it defeated. For an override: the exception it stopped.
    pub related: Vec<RuleIdx>,
}

/// When an obligation falls due.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DueDate {
    /// A deadline counted from the transaction (in days or business days).
    On {
        /// The last day to act.
        date: Date,
        /// Days the count passed over (weekends, holidays), for the explanation.
        skipped: Vec<SkippedDay>,
    },
    /// Records kept up to and including this day.
    RetainUntil(Date),
    /// No fixed period: "promptly", "without delay"; the text says how the law puts it.
    Prompt(String),
    /// A duty for as long as the facts hold (keep funds frozen).
    Continuing,
    /// It could not be computed (the reason is among the outcome's issues).
    Unknown,
}

impl DueDate {
    /// The day it falls due or records may be discarded, when there is one.
    pub fn date(&self) -> Option<Date> {
        match self {
            DueDate::On { date, .. } | DueDate::RetainUntil(date) => Some(*date),
            _ => None,
        }
    }
}

/// What follows for an actor: a duty to act, or a penalty risked.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ConsequenceKind {
    /// A duty (report, block, reject, keep records) and when it falls due.
    Obligation {
        /// The obligation of the rule set.
        id: ObligationIdx,
        /// When it falls due.
        due: DueDate,
    },
    /// A penalty the actor risks by going ahead.
    Exposure {
        /// The penalty of the rule set.
        id: PenaltyIdx,
        /// The largest fine: the greater of the fixed maximum and the multiple of the
        /// transaction's value the penalty allows, in the maximum's currency (else the
        /// transaction's); `None` when it cannot be computed (see the outcome's issues) or the
        /// penalty sets no fine.
        max_amount: Option<Money>,
        /// The longest prison term, in years.
        prison_years: Option<u32>,
        /// Imprisonment for life if a death results.
        life_if_death: bool,
        /// The day the maxima in force were set (the penalty period the transaction falls in).
        period_from: Option<Date>,
        /// The last day an action may be brought (violation date plus the limitation period
        /// in force for it); `None` when the pack gives no limitation.
        enforceable_until: Option<Date>,
    },
}

/// A duty or a risk for one actor, with the rules that produced it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Consequence {
    /// Who owes the duty or risks the penalty.
    pub actor: PartyIdx,
    /// The duty or the penalty.
    pub kind: ConsequenceKind,
    /// The rules it follows from.
    pub rules: Vec<RuleIdx>,
}

/// A problem met while evaluating: something the inputs did not give, so a fact or a figure
/// stays unknown. Never silent, and never a reason to permit.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Issue {
    /// An amount in one currency had to be compared or converted in another, and the world
    /// gives no rate between them.
    MissingExchangeRate {
        /// The amount's currency.
        from: Currency,
        /// The currency it was needed in.
        to: Currency,
        /// What it was needed for ([`NEEDED_FOR_THRESHOLD`], a penalty's maximum, ...).
        needed_for: String,
    },
    /// A due date counted in business days falls outside the years a calendar covers.
    CalendarOutOfRange {
        /// The calendar's id.
        calendar: String,
        /// The day the count reached.
        needed: Date,
    },
    /// An amount the arithmetic cannot hold exactly: it exceeds the largest number a
    /// `Decimal` holds, so no figure is given rather than a wrong one.
    AmountOverflow {
        /// The amount, as the computation stood (`3 times 1000000`).
        what: String,
        /// What it was needed for.
        needed_for: String,
    },
    /// A computed date after 9999-12-31, which no input or output can write.
    DateBeyondRange {
        /// The obligation whose due date it was.
        needed_for: String,
    },
    /// A license claimed in words without an id: it cannot be applied, and a claim is not a
    /// license, so the transaction is held for review.
    UnidentifiedLicense {
        /// The claim as written.
        claim: String,
    },
}

/// What a missing exchange rate was needed for when a condition (an amount threshold) could
/// not be read.
pub const NEEDED_FOR_THRESHOLD: &str = "an amount threshold";

impl Issue {
    /// Whether the issue leaves the disposition itself undecided (a condition could not be
    /// read). The others leave only a consequence's detail unknown (an exposure's amount, an
    /// obligation's due date): the decision is complete and shows the issue.
    pub fn leaves_disposition_open(&self) -> bool {
        match self {
            Issue::MissingExchangeRate { needed_for, .. }
            | Issue::AmountOverflow { needed_for, .. } => needed_for == NEEDED_FOR_THRESHOLD,
            Issue::UnidentifiedLicense { .. } => true,
            _ => false,
        }
    }

    /// The diagnostic code the issue is reported under.
    pub fn code(&self) -> crate::diagnostic::Code {
        match self {
            Issue::MissingExchangeRate { .. } => crate::diagnostic::Code::MissingExchangeRate,
            Issue::CalendarOutOfRange { .. } => crate::diagnostic::Code::CalendarOutOfRange,
            Issue::AmountOverflow { .. } => crate::diagnostic::Code::AmountOverflow,
            Issue::DateBeyondRange { .. } => crate::diagnostic::Code::CalendarOutOfRange,
            Issue::UnidentifiedLicense { .. } => crate::diagnostic::Code::LicenseUnidentified,
        }
    }

    /// The issue in words, without advice on any input format.
    pub fn message(&self) -> String {
        match self {
            Issue::MissingExchangeRate {
                from,
                to,
                needed_for,
            } => {
                // Where to add the rate depends on where the world came from (a scenario file,
                // a batch world): the presentation of each run gives that advice.
                format!("no exchange rate {from}->{to} (needed for {needed_for})")
            }
            Issue::CalendarOutOfRange { calendar, needed } => {
                format!(
                    "calendar `{calendar}` does not cover {needed}, so the due date cannot be counted; extend the years its rules cover"
                )
            }
            Issue::UnidentifiedLicense { claim } => format!(
                "a license is claimed without an id (`{claim}`): a claim is not a license, so it is not applied; name the license by its id, or review the transaction"
            ),
            Issue::DateBeyondRange { needed_for } => format!(
                "the due date of {needed_for} falls after 9999-12-31, the last date the engine reads or writes; it is left unknown"
            ),
            Issue::AmountOverflow { what, needed_for } => {
                format!(
                    "{what} exceeds {} (the largest amount the engine holds exactly) (needed for {needed_for}); the amount is left unknown rather than wrong",
                    crate::model::values::group_thousands(&rust_decimal::Decimal::MAX.to_string())
                )
            }
        }
    }
}

/// The full record of evaluation, produced only when tracing is on.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Trace {
    /// One per jurisdiction evaluated.
    pub jurisdictions: Vec<JurisdictionTrace>,
}

/// How one jurisdiction was evaluated: its nexus tests, then every rule considered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JurisdictionTrace {
    /// The jurisdiction.
    pub jurisdiction: JurisdictionIdx,
    /// Each nexus test, in the jurisdiction's order.
    pub nexus: Vec<NexusTrace>,
    /// Each rule considered, in the order evaluated.
    pub rules: Vec<RuleTrace>,
}

/// One nexus test (what brings a transaction within a jurisdiction's reach) and its reading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NexusTrace {
    /// The test's position in the jurisdiction's nexus list.
    pub test: NexusIdx,
    /// Whether it held.
    pub held: bool,
    /// The parts of its conditions, in the order tested.
    pub conditions: Vec<CondTrace>,
}

/// One rule considered, and why it fired or did not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleTrace {
    /// The rule.
    pub rule: RuleIdx,
    /// Whether it was in force on the date evaluated.
    pub in_force: bool,
    /// Whether the transaction claims the rule (always true for a rule that needs no claim).
    pub claimed: bool,
    /// Whether it fired for some actor.
    pub fired: bool,
    /// Actors it fired for.
    pub actors: Vec<PartyIdx>,
    /// The parts of the rule's `when`, in the order they were tested.
    pub conditions: Vec<CondTrace>,
    /// The parts of its `unless`, when they were read.
    pub unless: Option<Vec<CondTrace>>,
}

/// One condition part: which part of the conditions it was, whether it held, and the facts
/// it read, as data ([`crate::report`] puts them into words).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CondTrace {
    /// Which part.
    pub part: CondPart,
    /// Whether it held.
    pub held: bool,
    /// What it read.
    pub facts: CondFacts,
}

/// A part of a [`crate::model::ruleset::Conditions`], by kind and, for the party clauses,
/// by index into the clause list it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CondPart {
    /// `transaction_types`: the transaction is of one of these types.
    TransactionTypes,
    /// `goods_any`: some of its goods are in these categories.
    GoodsAny,
    /// `goods_only`: all of its goods are in these categories.
    GoodsOnly,
    /// `currencies`: its amount is in one of these currencies.
    Currencies,
    /// `amount_at_least`: its value reaches a threshold (converted when need be).
    AmountAtLeast,
    /// `amount_below`: its value stays below a threshold.
    AmountBelow,
    /// `date_from`: it takes place on or after a day.
    DateFrom,
    /// `date_before`: it takes place before a day.
    DateBefore,
    /// `personal_use`: it is (or is not) for personal use.
    PersonalUse,
    /// `cross_border`: originator and beneficiary are in different countries.
    CrossBorder,
    /// `transfers_value`: the transaction moves something of value (an amount above zero).
    TransfersValue,
    /// `parties[i]`: some party meets the clause.
    Party(usize),
    /// `no_party[i]`: no party meets the clause.
    NoParty(usize),
    /// `any`: each alternative's parts, in order (alternative `i` is `any[i]`).
    Any(Vec<Vec<CondTrace>>),
}

/// The facts a condition part read, as typed values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CondFacts {
    /// The transaction's type.
    TransactionType(TxTypeIdx),
    /// The transaction's goods.
    Goods(crate::model::Bits),
    /// The transaction's amount, if it has one.
    Amount(Option<Money>),
    /// The transaction's date.
    Date(Date),
    /// A yes-or-no fact of the transaction (personal use, cross-border).
    Flag(bool),
    /// The parties in the clause's roles, each with its status and whether it meets the clause.
    Parties(Vec<PartyReading>),
    /// For `any`: the first alternative that holds (an index into `any`), if one does.
    Alternative(Option<usize>),
}

/// One party as a party clause read it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PartyReading {
    /// The party.
    pub party: PartyIdx,
    /// The roles it holds in the transaction (bits by [`Role::bit`](crate::model::Role::bit)).
    pub roles: crate::model::Bits,
    /// Its status in the jurisdiction on the date (designated, blocked by ownership, ...).
    pub state: crate::ownership::status::PartyState,
    /// Whether the party meets the whole clause.
    pub meets: bool,
}
