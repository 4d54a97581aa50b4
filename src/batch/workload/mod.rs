//! The benchmark workload, deterministic from a seed: the real SDN snapshot as designated
//! parties, synthetic entities with ownership chains, aggregation and cycles, and transactions
//! of mixed types of which about 2% touch a blocked party.
//!
//! The same description yields the world file `interdict workload` writes (TOML, loaded like
//! any scenario) and the world the benchmark builds in memory; a test checks that the two are
//! equal. Transaction `i` depends only on the seed and `i`, so any range of the transactions can
//! be generated on its own, in any order.
//!
//! The parts: the synthetic parties and holdings (`synthetic.rs`), the world file and the world
//! in memory (`world.rs`), and the transactions drawn from the world's pools
//! (`transactions.rs`).

mod synthetic;
mod transactions;
mod world;

pub use synthetic::{SynEdge, SynParty, Synthetic, synthetic};
pub use transactions::{Pools, PoolsTooSmall, check_pools, transaction, transaction_with};
pub use world::{build_world, world_toml};

use crate::model::values::Date;

/// The size of a workload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Spec {
    /// The seed every random choice follows: one seed, one workload.
    pub seed: u64,
    /// Synthetic parties (banks, individuals, organizations) added to the SDN snapshot's.
    pub entities: usize,
    /// Ownership and control edges between them.
    pub edges: usize,
    /// Transactions to generate.
    pub transactions: usize,
}

impl Default for Spec {
    fn default() -> Spec {
        Spec {
            seed: 1,
            entities: 100_000,
            edges: 150_000,
            transactions: 1_000_000,
        }
    }
}

/// Transactions that touch a blocked party, per thousand.
pub(crate) const BLOCKED_PER_MILLE: u64 = 20;

/// A small, fast, deterministic generator (xorshift64*); no external crate needed.
#[derive(Debug, Clone)]
pub(crate) struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        // splitmix64 of the seed, so that nearby seeds give unrelated streams (never zero).
        let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        Rng((z ^ (z >> 31)) | 1)
    }
    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next_u64() % n as u64) as usize
        }
    }
    pub fn chance(&mut self, per_mille: u64) -> bool {
        self.next_u64() % 1000 < per_mille
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        items.get(self.below(items.len()))
    }
}

/// Countries, weighted: the U.S., its neighbours, Europe, and places sanctions cases involve.
const COUNTRIES: &[&str] = &[
    "US", "US", "US", "US", "US", "US", "MX", "MX", "MX", "CA", "CA", "GB", "GB", "DE", "FR", "NL",
    "ES", "IT", "CO", "VE", "BR", "CN", "AE", "TR", "IN", "CH", "PA", "RU",
];

/// Currencies of transactions (the exchange rates of the world link every pair).
const CURRENCIES: &[(&str, &str)] = &[
    ("USD", "1"),
    ("EUR", "1.08"),
    ("GBP", "1.27"),
    ("CAD", "0.74"),
    ("MXN", "0.058"),
];

/// Transaction types by weight, with the goods they may carry.
const TYPES: &[(&str, u32)] = &[
    ("wire", 330),
    ("payment", 300),
    ("goods", 80),
    ("services", 70),
    ("dividend", 30),
    ("loan", 30),
    ("investment", 30),
    ("contract", 30),
    ("donation", 20),
    ("travel", 15),
    ("humanitarian_aid", 15),
    ("personal_communication", 10),
    ("account_maintenance", 10),
    ("informational_materials", 10),
    ("extortion_payment", 5),
    ("official_business", 5),
];

const GOODS: &[&str] = &[
    "medicine",
    "medical_devices",
    "food",
    "agricultural_commodities",
    "clothing",
    "publications",
    "software",
    "communications_equipment",
    "vehicles",
    "fuel",
];

/// Dates on which some holdings begin or end, so the world has several epochs.
const EDGE_DATES: &[&str] = &["2024-07-01", "2025-01-01", "2025-07-01"];

fn date(s: &str) -> Date {
    crate::model::values::parse_date(s).unwrap_or(chrono::NaiveDate::MIN)
}
