//! Decisions are plain values: what each jurisdiction requires, why, and what follows for whom.
//! They hold dense indices; [`crate::report`] turns them into named, serialisable reports.

use crate::model::calendar::SkippedDay;
use crate::model::values::{Currency, Date, Money};
use crate::model::{
    Disposition, JurisdictionIdx, NexusIdx, ObligationIdx, PartyIdx, PenaltyIdx, RuleIdx, TxTypeIdx,
};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub transaction: String,
    pub date: Date,
    /// The date the law and the lists were taken as standing on.
    pub as_of: Date,
    /// The strongest disposition across jurisdictions.
    pub overall: Disposition,
    pub outcomes: Vec<Outcome>,
    pub trace: Option<Trace>,
}

impl Decision {
    pub fn outcome(&self, j: JurisdictionIdx) -> Option<&Outcome> {
        self.outcomes.iter().find(|o| o.jurisdiction == j)
    }
}

/// One jurisdiction's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub jurisdiction: JurisdictionIdx,
    pub disposition: Disposition,
    /// Nexus tests that held (of the jurisdiction's nexus list). Empty: no nexus.
    pub nexus: Vec<NexusIdx>,
    pub reasons: Vec<Reason>,
    pub consequences: Vec<Consequence>,
    /// Problems met while evaluating (a missing exchange rate, a calendar too short). Each
    /// pushes the disposition to at least `review`: an error never clears a transaction.
    pub issues: Vec<Issue>,
}

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
}

impl ReasonKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ReasonKind::Decisive => "decisive",
            ReasonKind::Contributing => "contributing",
            ReasonKind::Exception => "exception",
            ReasonKind::Override => "override",
            ReasonKind::Defeated => "defeated",
        }
    }
}

/// Why: a rule, who it bound, and the parties whose facts met its clauses.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Reason {
    pub kind: ReasonKind,
    pub rule: RuleIdx,
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
    On {
        date: Date,
        skipped: Vec<SkippedDay>,
    },
    RetainUntil(Date),
    Prompt(String),
    Continuing,
    /// It could not be computed (the reason is among the outcome's issues).
    Unknown,
}

impl DueDate {
    pub fn date(&self) -> Option<Date> {
        match self {
            DueDate::On { date, .. } | DueDate::RetainUntil(date) => Some(*date),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ConsequenceKind {
    Obligation {
        id: ObligationIdx,
        due: DueDate,
    },
    Exposure {
        id: PenaltyIdx,
        max_amount: Option<Money>,
        prison_years: Option<u32>,
        life_if_death: bool,
        period_from: Option<Date>,
        /// The last day an action may be brought (violation date plus the limitation period
        /// in force for it); `None` when the pack gives no limitation.
        enforceable_until: Option<Date>,
    },
}

/// A duty or a risk for one actor, with the rules that produced it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Consequence {
    pub actor: PartyIdx,
    pub kind: ConsequenceKind,
    pub rules: Vec<RuleIdx>,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Issue {
    MissingExchangeRate {
        from: Currency,
        to: Currency,
        needed_for: String,
    },
    CalendarOutOfRange {
        calendar: String,
        needed: Date,
    },
    /// An amount the arithmetic cannot hold exactly: it exceeds the largest number a
    /// `Decimal` holds, so no figure is given rather than a wrong one.
    AmountOverflow {
        what: String,
        needed_for: String,
    },
    /// A computed date after 9999-12-31, which no input or output can write.
    DateBeyondRange {
        needed_for: String,
    },
}

/// What a missing exchange rate was needed for when a condition (an amount threshold) could
/// not be read.
pub const NEEDED_FOR_THRESHOLD: &str = "an amount threshold";

/// Whether an issue's message (as [`Issue::message`] writes it) is one that leaves the
/// disposition open; see [`Issue::leaves_disposition_open`].
pub fn message_leaves_disposition_open(message: &str) -> bool {
    message.contains(&format!("(needed for {NEEDED_FOR_THRESHOLD})"))
}

impl Issue {
    /// Whether the issue leaves the disposition itself undecided (a condition could not be
    /// read). The others leave only a consequence's detail unknown (an exposure's amount, an
    /// obligation's due date): the decision is complete and shows the issue.
    pub fn leaves_disposition_open(&self) -> bool {
        match self {
            Issue::MissingExchangeRate { needed_for, .. }
            | Issue::AmountOverflow { needed_for, .. } => needed_for == NEEDED_FOR_THRESHOLD,
            _ => false,
        }
    }

    pub fn code(&self) -> crate::diagnostic::Code {
        match self {
            Issue::MissingExchangeRate { .. } => crate::diagnostic::Code::MissingExchangeRate,
            Issue::CalendarOutOfRange { .. } => crate::diagnostic::Code::CalendarOutOfRange,
            Issue::AmountOverflow { .. } => crate::diagnostic::Code::AmountOverflow,
            Issue::DateBeyondRange { .. } => crate::diagnostic::Code::CalendarOutOfRange,
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
    pub jurisdictions: Vec<JurisdictionTrace>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JurisdictionTrace {
    pub jurisdiction: JurisdictionIdx,
    pub nexus: Vec<NexusTrace>,
    pub rules: Vec<RuleTrace>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NexusTrace {
    pub test: NexusIdx,
    pub held: bool,
    pub conditions: Vec<CondTrace>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleTrace {
    pub rule: RuleIdx,
    pub in_force: bool,
    /// Whether the transaction claims the rule (always true for a rule that needs no claim).
    pub claimed: bool,
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
    pub part: CondPart,
    pub held: bool,
    pub facts: CondFacts,
}

/// A part of a [`crate::model::ruleset::Conditions`], by kind and, for the party clauses,
/// by index into the clause list it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CondPart {
    TransactionTypes,
    GoodsAny,
    GoodsOnly,
    Currencies,
    AmountAtLeast,
    AmountBelow,
    DateFrom,
    DateBefore,
    PersonalUse,
    CrossBorder,
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
    pub party: PartyIdx,
    pub roles: crate::model::Bits,
    pub state: crate::ownership::status::PartyState,
    /// Whether the party meets the whole clause.
    pub meets: bool,
}
