//! The domain model: what rule packs and worlds mean once loaded and checked.
//!
//! Everything here is plain data. References between definitions are resolved to dense
//! indices during lowering, so the evaluator never looks a name up.

pub mod calendar;
pub mod doctrine;
pub mod index;
pub mod pack;
pub mod ruleset;
pub mod values;
pub mod world;

use serde::Serialize;

pub use index::{Idx, IndexOverflow, IndexVec, MAX_TABLE_LEN};

macro_rules! index_type {
    ($(#[$m:meta])* $name:ident) => {
        $(#[$m])*
        #[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug, Serialize)]
        #[serde(transparent)]
        pub struct $name(pub u32);
        impl $name {
            /// The position it indexes.
            #[inline]
            pub fn idx(self) -> usize {
                self.0 as usize
            }
            /// The index at `position`; an error, never a truncation, beyond [`MAX_TABLE_LEN`].
            #[inline]
            pub fn try_from_usize(position: usize) -> Result<Self, IndexOverflow> {
                match u32::try_from(position) {
                    Ok(i) if position < MAX_TABLE_LEN => Ok($name(i)),
                    _ => Err(IndexOverflow { position }),
                }
            }
        }
        impl Idx for $name {
            #[inline]
            fn try_from_usize(position: usize) -> Result<Self, IndexOverflow> {
                $name::try_from_usize(position)
            }
            #[inline]
            fn from_u32(position: u32) -> Self {
                $name(position)
            }
            #[inline]
            fn idx(self) -> usize {
                self.0 as usize
            }
        }
    };
}

index_type!(
    /// A jurisdiction (`us`, `eu`, ...).
    JurisdictionIdx
);
index_type!(
    /// A program (`us.sdgt`).
    ProgramIdx
);
index_type!(
    /// A rule, exemption, license or override.
    RuleIdx
);
index_type!(
    /// An obligation definition.
    ObligationIdx
);
index_type!(
    /// A penalty or exposure definition.
    PenaltyIdx
);
index_type!(
    /// A business-day calendar.
    CalendarIdx
);
index_type!(
    /// A person test (`us.person`).
    PersonTestIdx
);
index_type!(
    /// A party in a world.
    PartyIdx
);
index_type!(
    /// A transaction type of the vocabulary (`payment`, `export`, ...).
    TxTypeIdx
);
index_type!(
    /// A control basis of the vocabulary (`board`, `voting_agreement`, ...).
    ControlBasisIdx
);
index_type!(
    /// One of a jurisdiction's nexus tests, in the order the packs define them.
    NexusIdx
);

/// A compact set of up to 128 small indices (transaction types, goods, programs, roles...).
/// Lowering refuses vocabularies larger than this, with a located error.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
pub struct Bits(pub u128);

/// How many indices a [`Bits`] holds (0 to 127).
pub const BITS_CAPACITY: usize = 128;

impl Bits {
    /// The empty set.
    pub const EMPTY: Bits = Bits(0);

    /// The set of `i` alone (empty when `i` is beyond [`BITS_CAPACITY`]).
    #[inline]
    pub fn single(i: usize) -> Bits {
        if i < BITS_CAPACITY {
            Bits(1u128 << i)
        } else {
            Bits(0)
        }
    }
    /// Add `i` (ignored beyond [`BITS_CAPACITY`], which lowering never mints).
    #[inline]
    pub fn insert(&mut self, i: usize) {
        if i < BITS_CAPACITY {
            self.0 |= 1u128 << i;
        }
    }
    /// Whether `i` is in the set.
    #[inline]
    pub fn contains(self, i: usize) -> bool {
        i < BITS_CAPACITY && self.0 & (1u128 << i) != 0
    }
    /// Whether the sets share an index.
    #[inline]
    pub fn intersects(self, other: Bits) -> bool {
        self.0 & other.0 != 0
    }
    /// Whether every index of this set is in `other`.
    #[inline]
    pub fn is_subset(self, other: Bits) -> bool {
        self.0 & !other.0 == 0
    }
    /// Whether the set is empty.
    #[inline]
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }
    /// The indices in either set.
    #[inline]
    pub fn union(self, other: Bits) -> Bits {
        Bits(self.0 | other.0)
    }
    /// The indices in both sets.
    #[inline]
    pub fn intersection(self, other: Bits) -> Bits {
        Bits(self.0 & other.0)
    }
    /// How many indices the set holds.
    pub fn len(self) -> usize {
        self.0.count_ones() as usize
    }
    /// The members as indices of one kind (a set of programs, of person tests, ...). Members
    /// are below [`BITS_CAPACITY`], so each fits.
    pub fn members<I: Idx>(self) -> impl Iterator<Item = I> {
        self.iter().map(|i| I::from_u32(i as u32))
    }

    /// The indices, in increasing order.
    pub fn iter(self) -> impl Iterator<Item = usize> {
        let mut v = self.0;
        std::iter::from_fn(move || {
            if v == 0 {
                None
            } else {
                let i = v.trailing_zeros() as usize;
                v &= v - 1;
                Some(i)
            }
        })
    }
}

impl std::fmt::Debug for Bits {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_set().entries(self.iter()).finish()
    }
}

impl FromIterator<usize> for Bits {
    fn from_iter<T: IntoIterator<Item = usize>>(iter: T) -> Self {
        let mut b = Bits::EMPTY;
        for i in iter {
            b.insert(i);
        }
        b
    }
}

/// The parts a party can play in a transaction. Structural, so fixed in the engine.
#[derive(
    Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug, Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Who orders the payment or sends the goods.
    Originator,
    /// The originator's bank.
    OriginatorBank,
    /// A bank the payment passes through (in route order).
    Intermediary,
    /// The beneficiary's bank.
    BeneficiaryBank,
    /// Who receives the payment or the goods.
    Beneficiary,
    /// Who signs for a party (a contract, an account).
    Signatory,
    /// Who acts on a party's behalf.
    Agent,
    /// Who carries the goods.
    Shipper,
    /// The ship that carries them.
    Vessel,
    /// The aircraft that carries them.
    Aircraft,
    /// Any other part in the transaction.
    Other,
}

impl Role {
    /// Every role, in the order a transaction lists them.
    pub const ALL: [Role; 11] = [
        Role::Originator,
        Role::OriginatorBank,
        Role::Intermediary,
        Role::BeneficiaryBank,
        Role::Beneficiary,
        Role::Signatory,
        Role::Agent,
        Role::Shipper,
        Role::Vessel,
        Role::Aircraft,
        Role::Other,
    ];

    /// The role's name, as files and reports write it.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Originator => "originator",
            Role::OriginatorBank => "originator_bank",
            Role::Intermediary => "intermediary",
            Role::BeneficiaryBank => "beneficiary_bank",
            Role::Beneficiary => "beneficiary",
            Role::Signatory => "signatory",
            Role::Agent => "agent",
            Role::Shipper => "shipper",
            Role::Vessel => "vessel",
            Role::Aircraft => "aircraft",
            Role::Other => "other",
        }
    }

    /// The role's position in a [`Bits`] set of roles.
    pub fn bit(self) -> usize {
        self as usize
    }

    /// The role named `s` (`originator_bank`), as files write it.
    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// Whether a party of `kind` can play this role. A vessel or an aircraft is carried, it
    /// neither pays nor signs; the banks of a payment are financial institutions. A party of
    /// the wrong kind would make the rules that test the role (or the kind) silently miss it.
    pub fn admits(self, kind: PartyKind) -> bool {
        match self {
            Role::Vessel => kind == PartyKind::Vessel,
            Role::Aircraft => kind == PartyKind::Aircraft,
            Role::OriginatorBank | Role::BeneficiaryBank | Role::Intermediary => {
                kind == PartyKind::FinancialInstitution
            }
            Role::Other => true,
            Role::Originator
            | Role::Beneficiary
            | Role::Signatory
            | Role::Agent
            | Role::Shipper => !matches!(kind, PartyKind::Vessel | PartyKind::Aircraft),
        }
    }

    /// The message for a party of `kind` in a role that does not admit it.
    pub fn misfit(self, party: &str, kind: PartyKind) -> String {
        let needs = match self {
            Role::Vessel => "a vessel",
            Role::Aircraft => "an aircraft",
            Role::OriginatorBank | Role::BeneficiaryBank | Role::Intermediary => {
                "a financial_institution"
            }
            _ => "a person or an organization (not a vessel or an aircraft)",
        };
        format!(
            "party `{party}` is of kind {} and cannot be the {}: the {} must be {needs}",
            kind.as_str(),
            self.as_str(),
            self.as_str()
        )
    }
}

/// What kind of person or thing a party is (SPEC section 2).
#[derive(
    Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug, Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum PartyKind {
    /// A natural person.
    Individual,
    /// A company, partnership, association or other entity.
    Organization,
    /// A bank or other financial institution (an entity that can hold accounts and
    /// process payments).
    FinancialInstitution,
    /// A ship.
    Vessel,
    /// An aircraft.
    Aircraft,
}

impl PartyKind {
    /// Every kind.
    pub const ALL: [PartyKind; 5] = [
        PartyKind::Individual,
        PartyKind::Organization,
        PartyKind::FinancialInstitution,
        PartyKind::Vessel,
        PartyKind::Aircraft,
    ];

    /// The kind's name, as files and reports write it.
    pub fn as_str(self) -> &'static str {
        match self {
            PartyKind::Individual => "individual",
            PartyKind::Organization => "organization",
            PartyKind::FinancialInstitution => "financial_institution",
            PartyKind::Vessel => "vessel",
            PartyKind::Aircraft => "aircraft",
        }
    }

    /// The kind's position in a [`Bits`] set of kinds.
    pub fn bit(self) -> usize {
        self as usize
    }

    /// The kind named `s` (`financial_institution`), as files write it.
    pub fn parse(s: &str) -> Option<PartyKind> {
        PartyKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Entities (not individuals, vessels or aircraft) can be owned and controlled.
    pub fn is_entity(self) -> bool {
        matches!(
            self,
            PartyKind::Organization | PartyKind::FinancialInstitution
        )
    }
}

/// What a jurisdiction requires of a transaction, strongest first (SPEC section 2).
#[derive(
    Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug, Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Disposition {
    /// No nexus: the jurisdiction's law does not reach the transaction.
    OutOfScope,
    /// Nothing prohibits it.
    Permitted,
    /// It would be prohibited, but an exemption applies (cited).
    PermittedExempt,
    /// It would be prohibited, but a general or specific license the
    /// transaction claims applies (cited).
    PermittedLicensed,
    /// Not prohibited, but flagged for a person to look at (a blocked minority owner, control
    /// by a blocked person, missing ownership data, an evaluation problem).
    Review,
    /// An actor's conduct is barred (material support...), even if no institution processes
    /// the transaction.
    Prohibited,
    /// Prohibited with no blocked interest: do not process (the U.S. category of 31 CFR
    /// 501.604).
    Reject,
    /// A blocked person has an interest: freeze the funds into a blocked account.
    Block,
}

impl Disposition {
    /// Every disposition, weakest first.
    pub const ALL: [Disposition; 8] = [
        Disposition::OutOfScope,
        Disposition::Permitted,
        Disposition::PermittedExempt,
        Disposition::PermittedLicensed,
        Disposition::Review,
        Disposition::Prohibited,
        Disposition::Reject,
        Disposition::Block,
    ];

    /// The disposition's name, as files and reports write it.
    pub fn as_str(self) -> &'static str {
        match self {
            Disposition::OutOfScope => "out_of_scope",
            Disposition::Permitted => "permitted",
            Disposition::PermittedExempt => "permitted_exempt",
            Disposition::PermittedLicensed => "permitted_licensed",
            Disposition::Review => "review",
            Disposition::Prohibited => "prohibited",
            Disposition::Reject => "reject",
            Disposition::Block => "block",
        }
    }

    /// The disposition named `s` (`permitted_exempt`), as files write it.
    pub fn parse(s: &str) -> Option<Disposition> {
        Disposition::ALL.into_iter().find(|d| d.as_str() == s)
    }

    /// Would the transaction be stopped or barred (not merely flagged)?
    pub fn is_prohibitive(self) -> bool {
        self >= Disposition::Prohibited
    }
}

impl std::fmt::Display for Disposition {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bits_behave_like_sets() {
        let a: Bits = [1, 5, 127].into_iter().collect();
        assert!(a.contains(5) && !a.contains(4));
        assert_eq!(a.iter().collect::<Vec<_>>(), vec![1, 5, 127]);
        assert!(Bits::single(5).is_subset(a));
        assert!(!a.is_subset(Bits::single(5)));
        assert_eq!(a.len(), 3);
        assert!(!Bits::single(200).contains(200));
    }

    #[test]
    fn dispositions_are_ordered_strongest_last() {
        assert!(Disposition::Block > Disposition::Reject);
        assert!(Disposition::Reject > Disposition::Prohibited);
        assert!(Disposition::Prohibited > Disposition::Review);
        assert!(Disposition::Review > Disposition::PermittedLicensed);
        assert!(Disposition::Permitted > Disposition::OutOfScope);
    }
}
