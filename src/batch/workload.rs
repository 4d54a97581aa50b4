//! The benchmark workload, deterministic from a seed: the real SDN snapshot as designated
//! parties, synthetic entities with ownership chains, aggregation and cycles, and transactions
//! of mixed types of which about 2% touch a blocked party.
//!
//! The same description yields the world file `interdict workload` writes (TOML, loaded like
//! any scenario) and the world the benchmark builds in memory; a test checks that the two are
//! equal. Transaction `i` depends only on the seed and `i`, so any range of the transactions can
//! be generated on its own, in any order.

use std::fmt::Write as _;
use std::path::Path;
use std::sync::Arc;

use rust_decimal::Decimal;

use super::input::TxRecord;
use crate::diagnostic::{Code, Diagnostics};
use crate::eval::Engine;
use crate::model::pack::Pack;
use crate::model::ruleset::RuleSet;
use crate::model::values::{Country, Date, Share};
use crate::model::world::{ControlEdge, OwnershipEdge, Party};
use crate::model::{Bits, ControlBasisIdx, IndexOverflow, PartyIdx, PartyKind};
use crate::scenario::Scenario;
use crate::source::{Loc, SourceFile};

/// The size of a workload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Spec {
    pub seed: u64,
    pub entities: usize,
    pub edges: usize,
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
pub const BLOCKED_PER_MILLE: u64 = 20;

/// A small, fast, deterministic generator (xorshift64*); no external crate needed.
#[derive(Debug, Clone)]
pub struct Rng(u64);

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

/// A synthetic party.
#[derive(Debug, Clone)]
pub struct SynParty {
    pub id: String,
    pub kind: PartyKind,
    pub country: &'static str,
    /// A branch of this party (by index among the synthetic parties).
    pub branch_of: Option<usize>,
}

/// An ownership or control edge between parties named by id.
#[derive(Debug, Clone)]
pub struct SynEdge {
    pub owner: String,
    pub owned: String,
    /// `None`: a control edge (board appointment).
    pub share: Option<Share>,
    pub from: Option<Date>,
    pub until: Option<Date>,
}

/// Everything synthetic in the world, before it is written or built.
#[derive(Debug, Clone)]
pub struct Synthetic {
    pub parties: Vec<SynParty>,
    pub edges: Vec<SynEdge>,
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

/// Ids of the SDN parties the workload uses as owners, split by whether the U.S. packs block
/// them (a tag mapped to a blocking program).
fn sdn_owners(rs: &RuleSet, list: &crate::lists::SdnList) -> Vec<String> {
    list.entries
        .iter()
        .filter(|e| {
            e.tags.iter().any(|t| {
                rs.index.list_tags.get(t).is_some_and(|ps| {
                    ps.iter()
                        .any(|p| rs.programs.get(*p).is_some_and(|x| x.blocking))
                })
            })
        })
        .map(|e| e.id())
        .collect()
}

/// The synthetic parties and edges of a workload.
pub fn synthetic(spec: &Spec, rs: &RuleSet, list: &crate::lists::SdnList) -> Synthetic {
    let mut rng = Rng::new(spec.seed);
    let sdn = sdn_owners(rs, list);
    let n = spec.entities;
    let mut parties = Vec::with_capacity(n);
    for i in 0..n {
        let kind = match i % 50 {
            0 => PartyKind::FinancialInstitution,
            1..=5 => PartyKind::Individual,
            _ => PartyKind::Organization,
        };
        let country = COUNTRIES
            .get(rng.below(COUNTRIES.len()))
            .copied()
            .unwrap_or("US");
        parties.push(SynParty {
            id: format!("w{i:06}"),
            kind,
            country,
            branch_of: None,
        });
    }
    // A few banks are foreign branches of U.S. banks (U.S. persons wherever they sit).
    let us_banks: Vec<usize> = (0..n)
        .step_by(50)
        .filter(|&i| parties.get(i).is_some_and(|p| p.country == "US"))
        .collect();
    for i in (0..n).step_by(50 * 17) {
        if let (Some(&head), Some(p)) = (rng.pick(&us_banks), parties.get_mut(i))
            && head != i
            && p.country != "US"
        {
            p.branch_of = Some(head);
        }
    }
    let entities: Vec<usize> = (0..n)
        .filter(|&i| parties.get(i).is_some_and(|p| p.kind.is_entity()))
        .collect();
    let id = |i: usize| format!("w{i:06}");
    let mut room = vec![100u32; n];
    let mut edges: Vec<SynEdge> = Vec::with_capacity(spec.edges);
    let push = |edges: &mut Vec<SynEdge>,
                room: &mut Vec<u32>,
                owner: String,
                owned: usize,
                pct: u32,
                share: Share| {
        if let Some(r) = room.get_mut(owned) {
            *r = r.saturating_sub(pct);
        }
        edges.push(SynEdge {
            owner,
            owned: id(owned),
            share: Some(share),
            from: None,
            until: None,
        });
    };
    let exact = |pct: u32| Share::Exact(Decimal::from(pct));
    let budget = spec.edges;
    let mut k = 0usize; // position in `entities`, each used once by the structured parts
    let take = |k: &mut usize| {
        let e = entities.get(*k).copied();
        *k += 1;
        e
    };
    // Holdings between two synthetic parties: never a second one between the same two (the
    // world file would refuse it).
    let mut seen: std::collections::HashSet<(usize, usize)> = std::collections::HashSet::new();
    // 1. Owned by one SDN party at 50-100%: blocked by the U.S. doctrine (and by the EU/UK
    //    ones above 50%), then chains below them, 1 to 8 levels deep.
    let seeds = (budget / 100).max(1);
    for s in 0..seeds {
        if edges.len() >= budget {
            break;
        }
        let (Some(owner), Some(top)) = (rng.pick(&sdn).cloned(), take(&mut k)) else {
            break;
        };
        let pct = [50u32, 51, 60, 75, 100][s % 5];
        push(&mut edges, &mut room, owner, top, pct, exact(pct));
        let depth = rng.below(8);
        let mut above = top;
        for _ in 0..depth {
            let Some(next) = take(&mut k) else { break };
            let pct = [50u32, 55, 70, 100][rng.below(4)];
            push(&mut edges, &mut room, id(above), next, pct, exact(pct));
            seen.insert((above, next));
            above = next;
        }
    }
    // 2. Aggregation: two or three SDN owners of 20-30% each.
    for _ in 0..(budget / 300).max(1) {
        let Some(owned) = take(&mut k) else { break };
        for _ in 0..2 + rng.below(2) {
            if let Some(owner) = rng.pick(&sdn).cloned() {
                let pct = 20 + 5 * rng.below(3) as u32;
                push(&mut edges, &mut room, owner, owned, pct, exact(pct));
            }
        }
    }
    // 3. Cycles of two to four entities holding 10-40% of each other; some of them hang
    //    under an SDN owner that holds 50% of one member.
    for c in 0..(budget / 100).max(1) {
        let len = 2 + rng.below(3);
        let members: Vec<usize> = (0..len).filter_map(|_| take(&mut k)).collect();
        if members.len() < 2 {
            break;
        }
        for (m, &a) in members.iter().enumerate() {
            let b = members.get((m + 1) % members.len()).copied().unwrap_or(a);
            let pct = 10 + 10 * rng.below(4) as u32;
            push(&mut edges, &mut room, id(a), b, pct, exact(pct));
            seen.insert((a, b));
        }
        if c % 5 == 0
            && let (Some(owner), Some(&first)) = (rng.pick(&sdn).cloned(), members.first())
        {
            push(&mut edges, &mut room, owner, first, 50, exact(50));
        }
    }
    // 4. Control by board appointment from SDN parties.
    for _ in 0..(budget / 500).max(1) {
        if let (Some(owner), Some(&owned)) = (rng.pick(&sdn).cloned(), rng.pick(&entities)) {
            edges.push(SynEdge {
                owner,
                owned: id(owned),
                share: None,
                from: None,
                until: None,
            });
        }
    }
    // 5. Minority holdings between random parties up to the edge budget: mostly exact, some
    //    ranged or unknown, some beginning or ending on a date.
    let mut attempts = 0usize;
    while edges.len() < budget && attempts < budget * 20 {
        attempts += 1;
        let Some(&owned) = rng.pick(&entities) else {
            break;
        };
        let owner = rng.below(n);
        let free = room.get(owned).copied().unwrap_or(0);
        if owner == owned || free < 5 || !seen.insert((owner, owned)) {
            continue;
        }
        let pct = (1 + rng.below(45) as u32).min(free);
        let share = match rng.below(100) {
            0 => Share::Unknown,
            1 => Share::Range(Decimal::from(pct / 2), Decimal::from(pct)),
            _ => exact(pct),
        };
        let lower = match share {
            Share::Exact(_) => pct,
            Share::Range(..) => pct / 2,
            Share::Unknown => 0,
        };
        push(&mut edges, &mut room, id(owner), owned, lower, share);
        if rng.chance(10)
            && let Some(e) = edges.last_mut()
        {
            let d = date(
                EDGE_DATES
                    .get(rng.below(EDGE_DATES.len()))
                    .copied()
                    .unwrap_or("2025-01-01"),
            );
            if rng.chance(500) {
                e.from = Some(d);
            } else {
                e.until = Some(d);
            }
        }
    }
    Synthetic { parties, edges }
}

fn share_text(s: &Share) -> String {
    match s {
        Share::Exact(d) => d.normalize().to_string(),
        Share::Range(a, b) => format!("\"{}-{}\"", a.normalize(), b.normalize()),
        Share::Unknown => "\"unknown\"".into(),
    }
}

/// Exchange rates between every pair of the workload's currencies (6 decimal places).
fn rates() -> Vec<(&'static str, &'static str, Decimal)> {
    let mut out = Vec::new();
    for (i, (a, ua)) in CURRENCIES.iter().enumerate() {
        for (b, ub) in CURRENCIES.iter().skip(i + 1) {
            let (Ok(x), Ok(y)) = (ua.parse::<Decimal>(), ub.parse::<Decimal>()) else {
                continue;
            };
            if let Some(r) = x.checked_div(y) {
                out.push((*a, *b, r.round_dp(6)));
            }
        }
    }
    out
}

/// The head of the world file: name, list and exchange rates.
pub fn world_header(spec: &Spec, sdn_file: &str) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "# Generated by `interdict workload --seed {}`: do not edit.\n[scenario]\nname = \"batch workload, seed {}: {} entities, {} edges\"\n\n[lists]\nofac = {:?}\n",
        spec.seed, spec.seed, spec.entities, spec.edges, sdn_file
    );
    for (a, b, r) in rates() {
        let _ = writeln!(
            s,
            "[[exchange_rate]]\nfrom = \"{a}\"\nto = \"{b}\"\nrate = \"{r}\"\n"
        );
    }
    s
}

/// The whole world file.
pub fn world_toml(spec: &Spec, syn: &Synthetic, sdn_file: &str) -> String {
    let mut s = world_header(spec, sdn_file);
    s.reserve(syn.parties.len() * 80 + syn.edges.len() * 70);
    for p in &syn.parties {
        let _ = write!(
            s,
            "[[party]]\nid = \"{}\"\nkind = \"{}\"\n",
            p.id,
            p.kind.as_str()
        );
        match p.kind {
            PartyKind::Individual => {
                let _ = writeln!(s, "citizenship = [\"{}\"]", p.country);
            }
            PartyKind::FinancialInstitution => {
                let _ = writeln!(
                    s,
                    "incorporated_in = \"{0}\"\nlocated_in = \"{0}\"",
                    p.country
                );
            }
            _ => {
                let _ = writeln!(s, "incorporated_in = \"{}\"", p.country);
            }
        }
        if let Some(h) = p.branch_of.and_then(|h| syn.parties.get(h)) {
            let _ = writeln!(s, "branch_of = \"{}\"", h.id);
        }
        s.push('\n');
    }
    for e in &syn.edges {
        match &e.share {
            Some(share) => {
                let _ = write!(
                    s,
                    "[[ownership]]\nowner = \"{}\"\nowned = \"{}\"\nshare = {}\n",
                    e.owner,
                    e.owned,
                    share_text(share)
                );
            }
            None => {
                let _ = write!(
                    s,
                    "[[control]]\ncontroller = \"{}\"\ncontrolled = \"{}\"\nbasis = \"board_appointment\"\n",
                    e.owner, e.owned
                );
            }
        }
        if let Some(d) = e.from {
            let _ = writeln!(s, "from = {d}");
        }
        if let Some(d) = e.until {
            let _ = writeln!(s, "until = {d}");
        }
        s.push('\n');
    }
    s
}

/// Build the same world in memory: load the header (list and rates) as a scenario, then add
/// the synthetic parties and edges directly, without writing or parsing them.
pub fn build_world(
    spec: &Spec,
    syn: &Synthetic,
    pack: &Pack,
    sdn_path: &Path,
) -> Result<Scenario, Diagnostics> {
    let dir = sdn_path.parent().unwrap_or(Path::new(""));
    let name = sdn_path
        .file_name()
        .map_or_else(String::new, |f| f.to_string_lossy().into_owned());
    let text = world_header(spec, &name);
    let scenario_path = dir.join("workload-world.toml");
    let file = SourceFile::new(scenario_path.display().to_string(), text);
    let mut s = crate::scenario::load(file, &scenario_path, pack)?;
    // The scenario was just loaded: its world is not shared yet, so this does not copy it.
    let w = Arc::make_mut(&mut s.world);
    let loc = Loc::builtin("workload");
    let first = w.parties.len();
    w.parties.reserve(syn.parties.len());
    let at = |h: usize| PartyIdx::try_from_usize(first + h).map_err(|e| too_many(&loc, e));
    for p in &syn.parties {
        let c = Country::parse(p.country);
        let (citizenship, incorporated_in, located_in) = match p.kind {
            PartyKind::Individual => (c.into_iter().collect(), None, None),
            PartyKind::FinancialInstitution => (Vec::new(), c, c),
            _ => (Vec::new(), c, None),
        };
        w.add_party(Party {
            id: p.id.clone(),
            name: p.id.clone(),
            kind: p.kind,
            citizenship,
            permanent_residence: Vec::new(),
            residence: Vec::new(),
            incorporated_in,
            located_in,
            branch_of: p.branch_of.map(at).transpose()?,
            categories: Bits::EMPTY,
            aliases: Vec::new(),
            list_entry: None,
            fuzzy_candidates: Vec::new(),
            loc: loc.clone(),
        })
        .map_err(|e| too_many(&loc, e))?;
    }
    let board = pack
        .rules
        .vocabulary
        .control_bases
        .iter_enumerated()
        .find(|(_, b)| b.id == "board_appointment")
        .map_or(ControlBasisIdx(0), |(i, _)| i);
    for e in &syn.edges {
        let (Some(a), Some(b)) = (w.party_by_id(&e.owner), w.party_by_id(&e.owned)) else {
            continue;
        };
        match e.share {
            Some(share) => w.ownership.push(OwnershipEdge {
                owner: a,
                owned: b,
                share,
                from: e.from,
                until: e.until,
                loc: loc.clone(),
            }),
            None => w.control.push(ControlEdge {
                controller: a,
                controlled: b,
                basis: board,
                from: e.from,
                until: e.until,
                loc: loc.clone(),
            }),
        }
    }
    Ok(s)
}

/// A world too large for a party index.
fn too_many(loc: &Loc, e: IndexOverflow) -> Diagnostics {
    let mut d = Diagnostics::new();
    d.error(Code::LimitExceeded, loc, e.to_string());
    d
}

/// Which parties transactions draw on: those with no status in any jurisdiction on any date
/// ("clean"), and those blocked in the U.S. on every date.
#[derive(Debug, Clone, Default)]
pub struct Pools {
    pub customers: Vec<String>,
    pub banks: Vec<String>,
    pub blocked: Vec<String>,
    pub blocked_banks: Vec<String>,
}

impl Pools {
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
