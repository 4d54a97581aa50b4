//! The audit log as a library: records round-trip on SQLite and PostgreSQL, a full queue
//! makes `submit` wait and drops nothing, two writers share one PostgreSQL log, and a corrupt,
//! foreign or newer log is refused with a clear error.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a failure should stop the test"
)]

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use interdict::audit::{
    AuditError, AuditLog, AuditOptions, AuditStore, AuditTarget, DecisionRecord, ListSnapshot,
    Origin, Sink,
};

use crate::common::external::external;

fn temp(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("audit-log");
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", p.display()));
    }
    p
}

/// A record whose fields all differ from one record to the next.
fn record(i: usize) -> DecisionRecord {
    let mut r = DecisionRecord::new(
        if i.is_multiple_of(2) {
            Origin::Batch
        } else {
            Origin::Serve
        },
        format!("{{\"id\":\"tx{i}\",\"note\":\"ünïcode ✓\"}}"),
        format!("{{\"id\":\"tx{i}\",\"overall\":\"permitted\"}}"),
        "d1gest",
    );
    r.list_snapshots = vec![ListSnapshot {
        list: "sdn.csv".into(),
        sha256: format!("{i:064x}"),
    }];
    r.state_id = i.is_multiple_of(3).then(|| format!("state-{i}"));
    r
}

/// A fresh database on the test server, so that tests running at once do not see each other.
fn fresh_database(url: &str, name: &str) -> String {
    static N: AtomicUsize = AtomicUsize::new(0);
    let db = format!(
        "audit_{}_{}_{}",
        name,
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    );
    let mut c = postgres::Client::connect(url, postgres::NoTls).unwrap();
    c.batch_execute(&format!("CREATE DATABASE {db}")).unwrap();
    match url.rsplit_once('/') {
        Some((base, _)) => format!("{base}/{db}"),
        None => panic!("no database in {url}"),
    }
}

/// Write `n` records through an `AuditLog`, wait for every receipt, then read each back
/// through a separate `AuditStore` and compare field by field.
fn round_trip(target: &AuditTarget, n: usize) {
    let log = AuditLog::open(target, AuditOptions::default()).unwrap();
    let records: Vec<DecisionRecord> = (0..n).map(record).collect();
    let receipts: Vec<_> = records
        .iter()
        .map(|r| log.submit(r.clone()).unwrap())
        .collect();
    for r in receipts {
        r.wait().unwrap();
    }
    assert_eq!(log.backlog(), 0);
    log.close().unwrap();
    let mut store = AuditStore::open(target, &AuditOptions::default()).unwrap();
    assert_eq!(store.count().unwrap(), n as u64);
    for r in &records {
        let back = store.get(&r.decision_id).unwrap().expect("recorded");
        // Stored times keep microseconds.
        let mut expected = r.clone();
        expected.recorded_at = interdict::audit::record::parse_time(&r.recorded_at_text()).unwrap();
        assert_eq!(back, expected);
        assert_eq!(
            back.input_sha256,
            interdict::source::sha256_hex(back.input.as_bytes())
        );
    }
    assert!(store.get("no-such-id").unwrap().is_none());
}

#[test]
fn records_round_trip_on_sqlite() {
    round_trip(&AuditTarget::Sqlite(temp("round-trip.sqlite")), 500);
}

#[test]
fn records_round_trip_on_postgres() {
    let Some(url) = external("INTERDICT_TEST_PG_URL", "PostgreSQL") else {
        return;
    };
    round_trip(
        &AuditTarget::Postgres(fresh_database(&url, "round_trip")),
        500,
    );
}

#[test]
fn two_writers_share_one_postgres_log() {
    let Some(url) = external("INTERDICT_TEST_PG_URL", "PostgreSQL") else {
        return;
    };
    let target = AuditTarget::Postgres(fresh_database(&url, "two_writers"));
    // Opened at once: both prepare the schema, under the advisory lock.
    let (a, b) = std::thread::scope(|s| {
        let a = s.spawn(|| AuditLog::open(&target, AuditOptions::default()).unwrap());
        let b = s.spawn(|| AuditLog::open(&target, AuditOptions::default()).unwrap());
        (a.join().unwrap(), b.join().unwrap())
    });
    let mut ids = Vec::new();
    std::thread::scope(|s| {
        let ha = s.spawn(|| write_many(&a, 2000));
        let hb = s.spawn(|| write_many(&b, 2000));
        ids.extend(ha.join().unwrap());
        ids.extend(hb.join().unwrap());
    });
    a.close().unwrap();
    b.close().unwrap();
    let mut store = AuditStore::open(&target, &AuditOptions::default()).unwrap();
    assert_eq!(store.count().unwrap(), 4000);
    for id in ids.iter().step_by(97) {
        assert!(store.get(id).unwrap().is_some(), "{id} recorded");
    }
}

fn write_many(log: &AuditLog, n: usize) -> Vec<String> {
    let mut ids = Vec::new();
    let mut last = None;
    for i in 0..n {
        let r = record(i);
        ids.push(r.decision_id.clone());
        last = Some(log.submit(r).unwrap());
    }
    // Receipts resolve in order: the last one committed means all are.
    last.unwrap().wait().unwrap();
    ids
}

/// A sink that takes `delay` per group and remembers every record it was given.
struct SlowSink {
    delay: Duration,
    seen: Arc<std::sync::Mutex<Vec<String>>>,
    groups: Arc<AtomicUsize>,
}

impl Sink for SlowSink {
    fn write(&mut self, records: &[DecisionRecord]) -> Result<(), AuditError> {
        std::thread::sleep(self.delay);
        self.groups.fetch_add(1, Ordering::SeqCst);
        let mut seen = self.seen.lock().unwrap();
        seen.extend(records.iter().map(|r| r.decision_id.clone()));
        Ok(())
    }
}

#[test]
fn a_full_queue_makes_submit_wait_and_drops_nothing() {
    let seen = Arc::new(std::sync::Mutex::new(Vec::new()));
    let groups = Arc::new(AtomicUsize::new(0));
    let (s, g) = (Arc::clone(&seen), Arc::clone(&groups));
    let opts = AuditOptions {
        capacity: 4,
        max_batch: 2,
        ..AuditOptions::default()
    };
    let log = AuditLog::with_sink("slow", opts, move || {
        Ok(Box::new(SlowSink {
            delay: Duration::from_millis(20),
            seen: s,
            groups: g,
        }) as Box<dyn Sink>)
    })
    .unwrap();
    let started = std::time::Instant::now();
    let mut ids = Vec::new();
    let mut max_backlog = 0;
    let mut receipts = Vec::new();
    for i in 0..40 {
        let r = record(i);
        ids.push(r.decision_id.clone());
        receipts.push(log.submit(r).unwrap());
        max_backlog = max_backlog.max(log.backlog());
    }
    // 40 records in groups of at most 2 at 20 ms a group: submitting 40 into a queue of 4
    // cannot return before at least (40 - 4 - 2) / 2 groups were written.
    assert!(
        started.elapsed() >= Duration::from_millis(17 * 20),
        "submit waited: {:?}",
        started.elapsed()
    );
    // Queued (at most 4) plus the group being written (at most 2), plus the one just added.
    assert!(max_backlog <= 4 + 2 + 1, "backlog {max_backlog}");
    for r in receipts {
        r.wait().unwrap();
    }
    log.close().unwrap();
    assert_eq!(*seen.lock().unwrap(), ids, "every record, once, in order");
    assert!(groups.load(Ordering::SeqCst) >= 20);
}

#[test]
fn submit_async_waits_for_room_and_receipts_resolve() {
    let seen = Arc::new(std::sync::Mutex::new(Vec::new()));
    let s = Arc::clone(&seen);
    let opts = AuditOptions {
        capacity: 2,
        max_batch: 1,
        ..AuditOptions::default()
    };
    let log = AuditLog::with_sink("slow-async", opts, move || {
        Ok(Box::new(SlowSink {
            delay: Duration::from_millis(2),
            seen: s,
            groups: Arc::new(AtomicUsize::new(0)),
        }) as Box<dyn Sink>)
    })
    .unwrap();
    // A minimal executor: the futures are driven on this thread, woken by the log's notifiers.
    let ids = block_on(async {
        let mut ids = Vec::new();
        let mut receipts = Vec::new();
        for i in 0..20 {
            let r = record(i);
            ids.push(r.decision_id.clone());
            receipts.push(log.submit_async(r).await.unwrap());
        }
        for r in receipts {
            r.committed().await.unwrap();
        }
        ids
    });
    log.close().unwrap();
    assert_eq!(*seen.lock().unwrap(), ids);
}

/// Run a future to completion on this thread.
fn block_on<F: std::future::Future>(f: F) -> F::Output {
    use std::task::{Context, Poll, Wake, Waker};
    struct ThreadWaker(std::thread::Thread);
    impl Wake for ThreadWaker {
        fn wake(self: Arc<Self>) {
            self.0.unpark();
        }
    }
    let waker = Waker::from(Arc::new(ThreadWaker(std::thread::current())));
    let mut cx = Context::from_waker(&waker);
    let mut f = std::pin::pin!(f);
    loop {
        match f.as_mut().poll(&mut cx) {
            Poll::Ready(v) => return v,
            Poll::Pending => std::thread::park(),
        }
    }
}

/// A sink whose every group fails.
struct FailingSink;

impl Sink for FailingSink {
    fn write(&mut self, _: &[DecisionRecord]) -> Result<(), AuditError> {
        Err(AuditError::CommitFailed("disk full".into()))
    }
}

#[test]
fn a_failed_commit_is_told_to_the_receipt() {
    let log = AuditLog::with_sink("failing", AuditOptions::default(), || {
        Ok(Box::new(FailingSink) as Box<dyn Sink>)
    })
    .unwrap();
    let receipt = log.submit(record(0)).unwrap();
    let err = receipt.wait().unwrap_err();
    assert!(err.to_string().contains("disk full"), "{err}");
    assert!(log.close().is_err());
}

#[test]
fn a_closed_log_refuses_records() {
    let log = AuditLog::open(
        &AuditTarget::Sqlite(temp("closed.sqlite")),
        AuditOptions::default(),
    )
    .unwrap();
    let other = log.clone();
    let receipt = log.submit(record(1)).unwrap();
    log.close().unwrap();
    receipt.wait().unwrap();
    assert!(matches!(other.submit(record(2)), Err(AuditError::Closed)));
}

#[test]
fn a_corrupt_or_foreign_or_newer_file_is_refused() {
    let opts = AuditOptions::default();
    // Not SQLite at all.
    let garbage = temp("garbage.sqlite");
    std::fs::write(&garbage, vec![0x5a; 8192]).unwrap();
    let err = AuditLog::open(&AuditTarget::Sqlite(garbage.clone()), opts.clone()).unwrap_err();
    assert!(matches!(err, AuditError::NotALog { .. }), "{err}");
    assert!(err.to_string().contains(&garbage.display().to_string()));

    // SQLite, but another program's.
    let foreign = temp("foreign.sqlite");
    rusqlite::Connection::open(&foreign)
        .unwrap()
        .execute_batch("CREATE TABLE t (x INTEGER)")
        .unwrap();
    let err = AuditStore::open(&AuditTarget::Sqlite(foreign), &opts).unwrap_err();
    assert!(matches!(err, AuditError::NotALog { .. }), "{err}");

    // A log from a newer interdict.
    let newer = temp("newer.sqlite");
    AuditStore::open(&AuditTarget::Sqlite(newer.clone()), &opts).unwrap();
    rusqlite::Connection::open(&newer)
        .unwrap()
        .execute_batch("UPDATE meta SET value = '99' WHERE key = 'audit_schema'")
        .unwrap();
    let err = AuditStore::open(&AuditTarget::Sqlite(newer), &opts).unwrap_err();
    assert!(
        matches!(err, AuditError::NewerSchema { found: 99, .. }),
        "{err}"
    );
    assert!(err.to_string().contains("use a newer interdict"));

    // A file cut in the middle of its pages.
    let cut = temp("cut.sqlite");
    {
        let log = AuditLog::open(&AuditTarget::Sqlite(cut.clone()), opts.clone()).unwrap();
        for i in 0..200 {
            let _ = log.submit(record(i)).unwrap();
        }
        log.close().unwrap();
    }
    let bytes = std::fs::read(&cut).unwrap();
    let mut broken = bytes.clone();
    for b in broken.iter_mut().skip(100).take(4000) {
        *b = 0xff;
    }
    std::fs::write(&cut, &broken).unwrap();
    let outcome = AuditStore::open(&AuditTarget::Sqlite(cut), &opts).and_then(|mut s| s.count());
    assert!(outcome.is_err(), "a damaged file is an error, not a panic");
}

#[test]
fn a_postgres_url_is_shown_without_its_password() {
    let t = AuditTarget::parse("postgres://audit:s3cret@db.example:5432/log");
    assert_eq!(t.to_string(), "postgres://audit:***@db.example:5432/log");
    assert_eq!(
        AuditTarget::parse("audit.sqlite"),
        AuditTarget::Sqlite("audit.sqlite".into())
    );
}

/// A sink that panics, as a database client might.
struct PanickingSink;

impl Sink for PanickingSink {
    fn write(&mut self, _: &[DecisionRecord]) -> Result<(), AuditError> {
        panic!("the client panicked");
    }
}

#[test]
fn a_writer_that_panics_fails_receipts_instead_of_hanging() {
    let log = AuditLog::with_sink("panicking", AuditOptions::default(), || {
        Ok(Box::new(PanickingSink) as Box<dyn Sink>)
    })
    .unwrap();
    let receipt = log.submit(record(0)).unwrap();
    assert!(matches!(receipt.wait(), Err(AuditError::Closed)));
    assert!(matches!(log.submit(record(1)), Err(AuditError::Closed)));
    assert!(log.close().is_err());
}
