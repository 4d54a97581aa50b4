//! Lists benchmark: `cargo bench --bench lists`.
//!
//! In one run, against naive baselines measured in the same run:
//! - reading and indexing the whole SDN snapshot, against a naive reader (split lines, split
//!   fields at commas outside quotes, no decoding, no remarks, no index);
//! - an exact name lookup, against a linear scan comparing the query's normalised key with
//!   every name's precomputed key;
//! - a fuzzy lookup over every name and alias, against scoring every name (no pre-filter);
//! - reading a snapshot's records from the list store, against importing the file again.
//!
//! Each figure is the median of several timed batches.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test and benchmark helpers fail loudly"
)]

use std::hint::black_box;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use interdict::lists::SdnList;
use interdict::lists::index::DEFAULT_THRESHOLD;
use interdict::lists::normalize::normalize;

/// Median time per iteration over `batches` batches of `iters` iterations. What `f` returns
/// is dropped after the clock stops.
fn measure<T>(batches: usize, iters: usize, mut f: impl FnMut() -> T) -> Duration {
    let mut per: Vec<Duration> = (0..batches)
        .map(|_| {
            let mut keep = Vec::with_capacity(iters);
            let t = Instant::now();
            for _ in 0..iters {
                keep.push(f());
            }
            let d = t.elapsed() / iters as u32;
            drop(black_box(keep));
            d
        })
        .collect();
    per.sort();
    per[per.len() / 2]
}

/// CPU time this thread has used (Linux `/proc/thread-self/stat`, 100 ticks a second), to
/// tell the work itself from time spent waiting for a shared, busy machine.
fn thread_cpu() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/thread-self/stat").ok()?;
    let rest = stat.rsplit_once(')')?.1;
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks: u64 = f.get(11)?.parse::<u64>().ok()? + f.get(12)?.parse::<u64>().ok()?;
    Some(Duration::from_millis(ticks * 10))
}

/// Mean CPU time per iteration over `iters` iterations (results dropped outside).
fn cpu_per_iter<T>(iters: usize, mut f: impl FnMut() -> T) -> Option<Duration> {
    let mut keep = Vec::with_capacity(iters);
    let start = thread_cpu()?;
    for _ in 0..iters {
        keep.push(f());
    }
    let used = thread_cpu()? - start;
    drop(black_box(keep));
    Some(used / iters as u32)
}

fn naive_read(bytes: &[u8]) -> Vec<Vec<String>> {
    let text = String::from_utf8_lossy(bytes);
    text.lines()
        .filter(|l| !l.is_empty() && *l != "\u{1a}")
        .map(|l| {
            let mut fields = vec![String::new()];
            let mut quoted = false;
            for c in l.chars() {
                match c {
                    '"' => quoted = !quoted,
                    ',' if !quoted => fields.push(String::new()),
                    _ => fields.last_mut().unwrap().push(c),
                }
            }
            fields
        })
        .collect()
}

fn show(d: Duration) -> String {
    let ns = d.as_nanos();
    if ns >= 1_000_000 {
        format!("{:.2} ms", ns as f64 / 1e6)
    } else if ns >= 1_000 {
        format!("{:.2} us", ns as f64 / 1e3)
    } else {
        format!("{ns} ns")
    }
}

fn row(what: &str, ours: Duration, naive: Duration, target: &str) {
    let ratio = naive.as_secs_f64() / ours.as_secs_f64().max(1e-12);
    println!(
        "| {what} | {} | {} | {ratio:.1}x | {target} |",
        show(ours),
        show(naive)
    );
}

fn main() {
    let Some(path) =
        interdict::lists::dir::for_test(interdict::lists::dir::SDN_SNAPSHOT, "bench lists")
    else {
        return;
    };
    let bytes = std::fs::read(&path).expect("the SDN snapshot in the lists folder");

    let read = measure(7, 3, || {
        black_box(SdnList::from_csv(black_box(&bytes), "sdn.csv").ok())
    });
    let naive_read_t = measure(7, 3, || black_box(naive_read(black_box(&bytes))));

    let read_cpu = cpu_per_iter(30, || {
        black_box(SdnList::from_csv(black_box(&bytes), "sdn.csv").ok())
    });
    let naive_cpu = cpu_per_iter(30, || black_box(naive_read(black_box(&bytes))));

    // Where the reading time goes.
    let decode = measure(7, 3, || {
        let mut d = interdict::diagnostic::Diagnostics::new();
        black_box(interdict::lists::decode::decode(
            black_box(&bytes),
            "sdn.csv",
            &mut d,
        ))
    });
    let parse = measure(7, 3, || {
        black_box(interdict::lists::read::read(black_box(&bytes), "sdn.csv"))
    });
    let entries = interdict::lists::read::read(&bytes, "sdn.csv").entries;
    let index = measure(7, 3, || {
        black_box(interdict::lists::index::NameIndex::build(black_box(
            &entries,
        )))
    });

    let list = SdnList::from_csv(&bytes, "sdn.csv").expect("the snapshot reads");
    // The naive exact baseline gets its keys precomputed, so it measures only the scan.
    let keys: Vec<(usize, String)> = list
        .entries
        .iter()
        .enumerate()
        .flat_map(|(i, e)| {
            e.names()
                .map(move |n| (i, normalize(n).sorted))
                .collect::<Vec<_>>()
        })
        .collect();

    let exact_queries = [
        "HIZBALLAH",
        "Joaquin Guzman Loera",
        "CARTEL DE JALISCO NUEVA GENERACION",
        "Foreign Relations Department",
        "No Such Company Ltd",
    ];
    let mut qi = 0;
    let exact = measure(9, 20_000, || {
        qi = (qi + 1) % exact_queries.len();
        black_box(list.exact(black_box(exact_queries[qi])))
    });
    let naive_exact = measure(9, 50, || {
        qi = (qi + 1) % exact_queries.len();
        let q = normalize(black_box(exact_queries[qi])).sorted;
        black_box(
            keys.iter()
                .filter(|(_, k)| *k == q)
                .map(|(i, _)| *i)
                .collect::<Vec<_>>(),
        )
    });

    let fuzzy_queries = [
        "Cartel de Jalisco Nueva Generation",
        "Hizbalah",
        "Joaquin Gusman Loera",
        "Sinaloa Cartell",
        "Banco Nacional de Kuba",
    ];
    let fuzzy = measure(9, 200, || {
        qi = (qi + 1) % fuzzy_queries.len();
        black_box(list.fuzzy(black_box(fuzzy_queries[qi]), DEFAULT_THRESHOLD, 10))
    });
    let naive_fuzzy = measure(5, 5, || {
        qi = (qi + 1) % fuzzy_queries.len();
        black_box(list.index.fuzzy_full_scan(
            &list.entries,
            black_box(fuzzy_queries[qi]),
            DEFAULT_THRESHOLD,
            10,
        ))
    });
    for q in fuzzy_queries {
        assert_eq!(
            list.fuzzy(q, DEFAULT_THRESHOLD, 10),
            list.index
                .fuzzy_full_scan(&list.entries, q, DEFAULT_THRESHOLD, 10),
            "the pre-filter must not change results ({q})"
        );
    }

    println!(
        "SDN snapshot: {} entries, {} names and aliases",
        list.entries.len(),
        list.index.len()
    );
    // A scenario that names the list: the list is read once per process and file, so later
    // loads only build the world (15,000 parties and their designations).
    let rules = std::sync::Arc::new(
        interdict::scenario::pack::load_embedded()
            .expect("embedded packs")
            .0,
    );
    let scenario_path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios/lists/hizballah.toml");
    let scenario_load = measure(7, 5, || {
        black_box(interdict::scenario::load_path(&scenario_path, &rules).ok())
    });

    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!(
        "load average during the run: {} (2 cores shared with other work: wall times include waiting)",
        load.split_whitespace()
            .take(3)
            .collect::<Vec<_>>()
            .join(" ")
    );
    println!();
    println!("| operation | interdict | naive baseline | speed-up | target |");
    println!("|---|---|---|---|---|");
    row(
        "read, decode, parse remarks and index the whole file (vs split lines only)",
        read,
        naive_read_t,
        "< 50 ms",
    );
    println!(
        "|   of which: decode {}, read rows and remarks (with decode) {}, build the name index {} | | | | |",
        show(decode),
        show(parse),
        show(index)
    );
    if let (Some(ours), Some(naive)) = (read_cpu, naive_cpu) {
        row(
            "the same read and index, CPU time of this thread (mean of 30, 10 ms ticks)",
            ours,
            naive,
            "< 50 ms",
        );
    }
    row(
        "load a scenario naming the list, list cached (vs reading the list again each time)",
        scenario_load,
        scenario_load + read,
        "fast",
    );
    row(
        "exact lookup, normalising the query (vs scan of precomputed keys)",
        exact,
        naive_exact,
        "< 1 us",
    );
    row(
        "fuzzy lookup over all names and aliases (vs scoring every name)",
        fuzzy,
        naive_fuzzy,
        "< 1 ms",
    );
    store_row(&bytes);
    screen_rows();
}

/// Screening across every list of the folder at once (`lists::screen`): building the index,
/// an exact and a token/fuzzy screen, each against scoring every name (the reference search).
fn screen_rows() {
    use interdict::lists::screen::{Query, Screen, sources};
    const FILES: &[(&str, &str)] = &[
        ("us-ofac-sdn-csv", "us_ofac/sdn_2024-05-03.csv"),
        ("un", "un/un_consolidated_2026-02-27.xml"),
        ("uk-ofsi", "uk/ofsi_conlist_2025-04-14.from-xlsx.csv"),
        ("eu-fsf", "eu/fsf_xml_sample_2026-08-05.xml"),
        ("uk-sl", "uk/uksl_xml_sample_2026-09-10.xml"),
        ("ca-sema", "ca/sema-lmes_2025-05.xml"),
        ("opensanctions", "opensanctions/t1_eu_fsf_entities.ftm.json"),
    ];
    let mut all = Vec::new();
    for (list, rel) in FILES {
        let Some(path) = interdict::lists::dir::for_test(rel, "bench screen") else {
            return;
        };
        let bytes = std::fs::read(&path).unwrap();
        let config = interdict::lists::config::embedded_list(list).unwrap();
        all.push(sources::from_file(&bytes, rel, &config).0);
    }
    let records: usize = all.iter().map(|s| s.records.len()).sum();
    let mut screen = None;
    let build = measure(3, 1, || {
        screen = Some(Screen::build(all.clone()));
    });
    let Some(screen) = screen else { return };
    let q = |name: &str| Query {
        name: Some(name.into()),
        threshold: 0.9,
        limit: 20,
        ..Query::default()
    };
    let exact = q("NASRALLAH, Hasan");
    let fuzzy = q("Usama bin Laden");
    let t_exact = measure(7, 200, || black_box(screen.search(black_box(&exact))));
    let n_exact = measure(3, 2, || {
        black_box(screen.search_full_scan(black_box(&exact)))
    });
    let t_fuzzy = measure(7, 50, || black_box(screen.search(black_box(&fuzzy))));
    let n_fuzzy = measure(3, 2, || {
        black_box(screen.search_full_scan(black_box(&fuzzy)))
    });
    println!(
        "| screening index over {} lists: {records} records, {} names, {} distinct words; built in {} | | | | |",
        FILES.len(),
        screen.names(),
        screen.tokens(),
        show(build)
    );
    row(
        "screen an exact name across all lists (vs scoring every name)",
        t_exact,
        n_exact,
        "< 1 ms",
    );
    row(
        "screen \"Usama bin Laden\" (tokens, spelling variants) across all lists (vs scoring every name)",
        t_fuzzy,
        n_fuzzy,
        "< 1 ms",
    );
}

/// Reading a snapshot's records back from the list store, against importing the file again
/// (decode, read rows and remarks, make records), in the same run. The store is a temporary
/// file; the records are the common model's (`ListRecord`), not yet the name index.
fn store_row(bytes: &[u8]) {
    use interdict::lists::store::{AddOutcome, Store, import_any};
    let config = interdict::lists::config::embedded_list("us-ofac-sdn-csv").unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("lists.sqlite")).unwrap();
    let published = chrono::NaiveDate::from_ymd_opt(2024, 5, 3);
    let snapshot = match store
        .add_bytes(bytes, "sdn.csv", &config, published)
        .unwrap()
    {
        AddOutcome::Added(s) | AddOutcome::AlreadyStored(s) => s,
    };
    let from_store = measure(5, 2, || black_box(store.records(snapshot.id).unwrap()));
    let import = measure(5, 2, || {
        black_box(import_any(black_box(bytes), "sdn.csv", &config))
    });
    row(
        "load a snapshot's records from the list store (vs importing the file again)",
        from_store,
        import,
        "faster than importing",
    );
}
