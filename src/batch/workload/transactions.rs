//! The workload's transactions: pools of parties drawn from the world, and transaction `i`
//! from the seed and `i` alone.

use super::{BLOCKED_PER_MILLE, CURRENCIES, GOODS, Rng, TYPES, date};
use crate::batch::input::TxRecord;
use crate::eval::Engine;
use crate::model::PartyKind;

/// Which parties transactions draw on: those with no status in any jurisdiction on any date
/// ("clean"), and those blocked in the U.S. on every date.
#[derive(Debug, Clone, Default)]
pub struct Pools {
    /// Synthetic individuals and organizations with no status anywhere: ordinary payers and payees.
    pub customers: Vec<String>,
    /// Synthetic banks with no status anywhere, for the bank roles.
    pub banks: Vec<String>,
    /// Non-bank parties blocked in the U.S. on every date, for the transactions that touch one.
    pub blocked: Vec<String>,
    /// Banks blocked in the U.S. on every date.
    pub blocked_banks: Vec<String>,
}

impl Pools {
    /// The pools of the engine's world, classified under its rule set.
    pub fn new(engine: &Engine) -> Pools {
        let rs = engine.rules();
        let w = engine.world();
        let mut dates = vec![date("2024-01-01")];
        dates.extend(
            engine
                .change_dates()
                .iter()
                .copied()
                .filter(|d| *d > date("2024-01-01") && *d <= date("2025-12-31")),
        );
        let mut clean = vec![true; w.parties.len()];
        let mut blocked_us = vec![true; w.parties.len()];
        let us = rs.jurisdiction_by_id("us");
        for j in rs.jurisdictions.indices() {
            for &d in &dates {
                let Some(table) = engine.states(j, d) else {
                    continue;
                };
                for p in w.parties.indices() {
                    let (st, i) = (table.get(p), p.idx());
                    if !st.is_clear()
                        && let Some(c) = clean.get_mut(i)
                    {
                        *c = false;
                    }
                    if Some(j) == us
                        && !st.blocked
                        && let Some(b) = blocked_us.get_mut(i)
                    {
                        *b = false;
                    }
                }
            }
        }
        let mut pools = Pools::default();
        for (i, p) in w.parties.iter().enumerate() {
            let fuzzy = !p.fuzzy_candidates.is_empty();
            // Vessels and aircraft neither pay nor are paid: no pool of payers holds them.
            if !crate::model::Role::Originator.admits(p.kind) {
                continue;
            }
            if clean.get(i).copied().unwrap_or(false) && !fuzzy && p.id.starts_with('w') {
                match p.kind {
                    PartyKind::FinancialInstitution => pools.banks.push(p.id.clone()),
                    _ => pools.customers.push(p.id.clone()),
                }
            } else if blocked_us.get(i).copied().unwrap_or(false) {
                match p.kind {
                    PartyKind::FinancialInstitution => pools.blocked_banks.push(p.id.clone()),
                    _ => pools.blocked.push(p.id.clone()),
                }
            }
        }
        pools
    }
}

/// Transaction `i` of the workload.
pub fn transaction(seed: u64, i: u64, pools: &Pools) -> TxRecord<'static> {
    transaction_with(seed, i, pools, BLOCKED_PER_MILLE)
}

/// Transaction `i` of a workload in which `blocked_per_mille` of the transactions touch a
/// blocked party (tests raise it to exercise the paths where rules fire).
pub fn transaction_with(
    seed: u64,
    i: u64,
    pools: &Pools,
    blocked_per_mille: u64,
) -> TxRecord<'static> {
    let mut rng = Rng::new(seed.wrapping_mul(0x1000_0000_01B3) ^ i);
    let total: u32 = TYPES.iter().map(|t| t.1).sum();
    let mut roll = (rng.next_u64() % u64::from(total)) as u32;
    let mut tx_type = "wire";
    for (t, w) in TYPES {
        if roll < *w {
            tx_type = t;
            break;
        }
        roll -= w;
    }
    let day = rng.below(731) as i64; // 2024-01-01 .. 2025-12-31
    let d = date("2024-01-01") + chrono::Duration::days(day);
    let (currency, _) = CURRENCIES
        .get([0, 0, 0, 0, 0, 1, 1, 2, 3, 4][rng.below(10)])
        .copied()
        .unwrap_or(("USD", "1"));
    let magnitude = 10u64.pow(1 + rng.below(6) as u32);
    let cents = rng.next_u64() % (magnitude * 100);
    let amount = format!("{}.{:02}", cents / 100 + 1, cents % 100);
    let goods: Vec<&str> = match tx_type {
        "goods" | "donation" | "humanitarian_aid" => (0..1 + rng.below(2))
            .filter_map(|_| rng.pick(GOODS).copied())
            .collect(),
        _ => Vec::new(),
    };
    let pick = |pool: &[String], rng: &mut Rng| rng.pick(pool).cloned().unwrap_or_default();
    let mut originator = pick(&pools.customers, &mut rng);
    let originator_bank = pick(&pools.banks, &mut rng);
    let mut intermediaries: Vec<String> = if rng.chance(200) {
        (0..1 + rng.below(2))
            .map(|_| pick(&pools.banks, &mut rng))
            .collect()
    } else {
        Vec::new()
    };
    let beneficiary_bank = pick(&pools.banks, &mut rng);
    let mut beneficiary = pick(&pools.customers, &mut rng);
    if rng.chance(blocked_per_mille) {
        match rng.below(10) {
            0..=5 => beneficiary = pick(&pools.blocked, &mut rng),
            6..=8 => originator = pick(&pools.blocked, &mut rng),
            _ if !pools.blocked_banks.is_empty() => {
                intermediaries.push(pick(&pools.blocked_banks, &mut rng));
            }
            _ => beneficiary = pick(&pools.blocked, &mut rng),
        }
    }
    let personal_use = matches!(tx_type, "travel" | "personal_communication") && rng.chance(500);
    let knowing = if rng.chance(10) {
        vec![originator.clone().into()]
    } else {
        Vec::new()
    };
    TxRecord {
        id: format!("tx{i:08}").into(),
        date: d.to_string().into(),
        tx_type: tx_type.into(),
        amount: Some(amount.into()),
        currency: Some(currency.into()),
        goods: goods.into_iter().map(Into::into).collect(),
        personal_use: personal_use.then_some(true),
        originator: Some(originator.into()),
        originator_bank: Some(originator_bank.into()),
        intermediaries: intermediaries.into_iter().map(Into::into).collect(),
        beneficiary_bank: Some(beneficiary_bank.into()),
        beneficiary: Some(beneficiary.into()),
        knowing,
        ..TxRecord::default()
    }
}

/// Check that a world has what the workload needs to draw transactions from.
pub fn check_pools(pools: &Pools) -> Result<(), PoolsTooSmall> {
    if pools.customers.is_empty() || pools.banks.is_empty() || pools.blocked.is_empty() {
        return Err(PoolsTooSmall {
            customers: pools.customers.len(),
            banks: pools.banks.len(),
            blocked: pools.blocked.len(),
        });
    }
    Ok(())
}

/// A world without a clean customer, a clean bank or a blocked party to draw from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error(
    "the world is too small to draw transactions from: {customers} clean customers, {banks} clean banks, {blocked} blocked parties"
)]
pub struct PoolsTooSmall {
    /// Clean customers found.
    pub customers: usize,
    /// Clean banks found.
    pub banks: usize,
    /// Blocked parties found.
    pub blocked: usize,
}
