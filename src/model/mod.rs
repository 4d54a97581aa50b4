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

pub const BITS_CAPACITY: usize = 128;

impl Bits {
    pub const EMPTY: Bits = Bits(0);

    #[inline]
    pub fn single(i: usize) -> Bits {
        if i < BITS_CAPACITY {
            Bits(1u128 << i)
        } else {
            Bits(0)
        }
    }
    #[inline]
    pub fn insert(&mut self, i: usize) {
        if i < BITS_CAPACITY {
            self.0 |= 1u128 << i;
        }
    }
    #[inline]
    pub fn contains(self, i: usize) -> bool {
        i < BITS_CAPACITY && self.0 & (1u128 << i) != 0
    }
    #[inline]
    pub fn intersects(self, other: Bits) -> bool {
        self.0 & other.0 != 0
    }
    #[inline]
    pub fn is_subset(self, other: Bits) -> bool {
        self.0 & !other.0 == 0
    }
    #[inline]
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }
    #[inline]
    pub fn union(self, other: Bits) -> Bits {
        Bits(self.0 | other.0)
    }
    #[inline]
    pub fn intersection(self, other: Bits) -> Bits {
        Bits(self.0 & other.0)
    }
    pub fn len(self) -> usize {
        self.0.count_ones() as usize
    }
    /// The members as indices of one kind (a set of programs, of person tests, ...). Members
    /// are below [`BITS_CAPACITY`], so each fits.
    pub fn members<I: Idx>(self) -> impl Iterator<Item = I> {
        self.iter().map(|i| I::from_u32(i as u32))
    }

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
    Originator,
    OriginatorBank,
    Intermediary,
    BeneficiaryBank,
    Beneficiary,
    Signatory,
    Agent,
    Shipper,
    Vessel,
    Aircraft,
    Other,
}

impl Role {
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

    pub fn bit(self) -> usize {
        self as usize
    }

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
    Individual,
    Organization,
    FinancialInstitution,
    Vessel,
    Aircraft,
}

impl PartyKind {
    pub const ALL: [PartyKind; 5] = [
        PartyKind::Individual,
        PartyKind::Organization,
        PartyKind::FinancialInstitution,
        PartyKind::Vessel,
        PartyKind::Aircraft,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PartyKind::Individual => "individual",
            PartyKind::Organization => "organization",
            PartyKind::FinancialInstitution => "financial_institution",
            PartyKind::Vessel => "vessel",
            PartyKind::Aircraft => "aircraft",
        }
    }

    pub fn bit(self) -> usize {
        self as usize
    }

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
    OutOfScope,
    Permitted,
    PermittedExempt,
    PermittedLicensed,
    Review,
    Prohibited,
    Reject,
    Block,
}

impl Disposition {
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
