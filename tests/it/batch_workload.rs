//! The benchmark workload: the world the benchmark builds in memory is the world
//! `interdict workload` writes to its file, and transactions depend only on the seed and
//! their number.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a failure should stop the test"
)]

use std::path::PathBuf;
use std::sync::Arc;

use interdict::batch::workload::{self, Pools, Spec};

#[test]
fn the_world_in_memory_is_the_world_file() {
    let rules = Arc::new(interdict::scenario::pack::load_embedded().unwrap().0);
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("batch-workload-world");
    std::fs::create_dir_all(&dir).unwrap();
    let sdn = dir.join("sdn.csv");
    let Some(shared) =
        interdict::lists::dir::for_test(interdict::lists::dir::SDN_SNAPSHOT, module_path!())
    else {
        return;
    };
    std::fs::copy(shared, &sdn).unwrap();
    let spec = Spec {
        seed: 3,
        entities: 4_000,
        edges: 6_000,
        transactions: 0,
    };
    let list = interdict::lists::load_cached(&sdn).unwrap();
    let syn = workload::synthetic(&spec, &rules.rules, &list);
    assert_eq!(syn.parties.len(), 4_000);
    assert_eq!(syn.edges.len(), 6_000);
    let file = dir.join("world.toml");
    std::fs::write(&file, workload::world_toml(&spec, &syn, "sdn.csv")).unwrap();
    let from_file = interdict::scenario::load_path(&file, &rules).unwrap();
    let in_memory = workload::build_world(&spec, &syn, &rules, &sdn).unwrap();
    assert!(from_file.world == in_memory.world, "the two worlds differ");

    // Chains, aggregation and cycles make some entities blocked by ownership alone.
    let engine = interdict::eval::Engine::new(in_memory.rules.clone(), in_memory.world);
    let pools = Pools::new(&engine);
    let synthetic_blocked = pools
        .blocked
        .iter()
        .filter(|id| id.starts_with('w'))
        .count();
    assert!(
        synthetic_blocked > 40,
        "{synthetic_blocked} entities blocked by ownership"
    );
    workload::check_pools(&pools).unwrap();

    // Transaction i depends on the seed and i only; about 2% touch a blocked party.
    let a = workload::transaction(3, 1234, &pools);
    let b = workload::transaction(3, 1234, &pools);
    assert_eq!(format!("{a:?}"), format!("{b:?}"));
    let blocked: std::collections::HashSet<&str> = pools
        .blocked
        .iter()
        .chain(&pools.blocked_banks)
        .map(String::as_str)
        .collect();
    let touching = (0..20_000u64)
        .filter(|&i| {
            let t = workload::transaction(3, i, &pools);
            [&t.originator, &t.beneficiary]
                .into_iter()
                .flatten()
                .chain(t.intermediaries.iter())
                .any(|p| blocked.contains(p.as_ref()))
        })
        .count();
    assert!(
        (300..500).contains(&touching),
        "{touching} of 20,000 touch a blocked party"
    );
}
