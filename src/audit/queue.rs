//! The bounded queue between deciders and the one writer thread, and the receipts that say
//! when a record is committed.
//!
//! Records get a sequence number when they enter the queue; the writer takes them in that
//! order, as many as are waiting (up to `max_batch`), and commits each group in one
//! transaction. So "committed" is one number: every record below it is done (committed, or
//! in a group that failed, which is remembered). A full queue makes `submit` wait
//! (back-pressure): a record is never dropped.

use std::collections::VecDeque;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::JoinHandle;

use tokio::sync::Notify;

use super::{AuditError, DecisionRecord};

/// Where the writer puts a group of records: one call, one transaction, durable when it
/// returns `Ok`.
pub trait Sink: Send {
    /// Commit `records` in one transaction.
    fn write(&mut self, records: &[DecisionRecord]) -> Result<(), AuditError>;
}

/// The queue's state, under one lock.
struct State {
    queued: VecDeque<DecisionRecord>,
    /// The sequence number the next submitted record gets.
    next_seq: u64,
    /// Every record with a lower number is done (committed or failed).
    done_below: u64,
    /// Groups that failed: `[from, to)` and why.
    failed: Vec<(u64, u64, String)>,
    /// No more records are taken.
    closing: bool,
    /// The writer has stopped: nothing queued will be committed any more.
    stopped: bool,
}

/// What deciders, the writer and receipts share.
pub(super) struct Shared {
    state: Mutex<State>,
    /// Signalled when records are taken from the queue (room for more).
    room: Condvar,
    room_async: Notify,
    /// Signalled when records arrive or the log closes.
    work: Condvar,
    /// Signalled when a group is done.
    done: Condvar,
    done_async: Notify,
    capacity: usize,
    max_batch: usize,
}

impl Shared {
    pub(super) fn new(capacity: usize, max_batch: usize) -> Arc<Shared> {
        Arc::new(Shared {
            state: Mutex::new(State {
                queued: VecDeque::new(),
                next_seq: 0,
                done_below: 0,
                failed: Vec::new(),
                closing: false,
                stopped: false,
            }),
            room: Condvar::new(),
            room_async: Notify::new(),
            work: Condvar::new(),
            done: Condvar::new(),
            done_async: Notify::new(),
            capacity: capacity.max(1),
            max_batch: max_batch.max(1),
        })
    }

    // A poisoned lock means a thread panicked while holding it; the state is still whole
    // (every change is one assignment), so it is used as it is.
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Queue a record if there is room: `Ok(Some(receipt))`, `Ok(None)` when full.
    fn try_push(
        self: &Arc<Self>,
        st: &mut State,
        r: &mut Option<DecisionRecord>,
    ) -> Result<Option<Receipt>, AuditError> {
        if st.closing {
            return Err(AuditError::Closed);
        }
        if st.queued.len() >= self.capacity {
            return Ok(None);
        }
        let Some(record) = r.take() else {
            return Err(AuditError::Closed);
        };
        let seq = st.next_seq;
        st.next_seq += 1;
        st.queued.push_back(record);
        self.work.notify_one();
        Ok(Some(Receipt {
            seq,
            shared: Arc::clone(self),
        }))
    }

    /// Queue a record, waiting for room.
    pub(super) fn submit(self: &Arc<Self>, r: DecisionRecord) -> Result<Receipt, AuditError> {
        let mut r = Some(r);
        let mut st = self.lock();
        loop {
            if let Some(receipt) = self.try_push(&mut st, &mut r)? {
                return Ok(receipt);
            }
            st = self.room.wait(st).unwrap_or_else(|e| e.into_inner());
        }
    }

    /// Queue a record, waiting for room without blocking a runtime thread.
    pub(super) async fn submit_async(
        self: &Arc<Self>,
        r: DecisionRecord,
    ) -> Result<Receipt, AuditError> {
        let mut r = Some(r);
        loop {
            let notified = std::pin::pin!(self.room_async.notified());
            let mut notified = notified;
            // Registered before looking, so a wake-up between the look and the wait is kept.
            notified.as_mut().enable();
            {
                let mut st = self.lock();
                if let Some(receipt) = self.try_push(&mut st, &mut r)? {
                    return Ok(receipt);
                }
            }
            notified.await;
        }
    }

    /// Records submitted and not yet done.
    pub(super) fn backlog(&self) -> usize {
        let st = self.lock();
        usize::try_from(st.next_seq - st.done_below).unwrap_or(usize::MAX)
    }

    /// Take no more records and wake the writer so that it drains the queue and stops.
    pub(super) fn close(&self) {
        self.lock().closing = true;
        self.work.notify_all();
        self.room.notify_all();
        self.room_async.notify_waiters();
    }

    /// The writer thread's loop: take what is queued, commit it as one group, say so.
    pub(super) fn run_writer(&self, sink: &mut dyn Sink) {
        // Even if a database client panics, waiting receipts learn that the writer stopped.
        let _stopped = StopOnExit(self);
        loop {
            let (from, group) = {
                let mut st = self.lock();
                while st.queued.is_empty() && !st.closing {
                    st = self.work.wait(st).unwrap_or_else(|e| e.into_inner());
                }
                if st.queued.is_empty() {
                    break;
                }
                let n = st.queued.len().min(self.max_batch);
                let group: Vec<DecisionRecord> = st.queued.drain(..n).collect();
                (st.done_below, group)
            };
            self.room.notify_all();
            self.room_async.notify_waiters();
            let result = sink.write(&group);
            {
                let mut st = self.lock();
                let to = from + group.len() as u64;
                if let Err(e) = result {
                    st.failed.push((from, to, e.to_string()));
                }
                st.done_below = to;
            }
            self.done.notify_all();
            self.done_async.notify_waiters();
        }
    }

    /// Whether record `seq` is done, and how: `None` while it is not.
    fn outcome(&self, seq: u64) -> Option<Result<(), AuditError>> {
        outcome_of(&self.lock(), seq)
    }
}

/// Marks the writer stopped when its loop ends, by returning or by unwinding.
struct StopOnExit<'a>(&'a Shared);

impl Drop for StopOnExit<'_> {
    fn drop(&mut self) {
        let mut st = self.0.lock();
        st.stopped = true;
        st.closing = true;
        drop(st);
        self.0.done.notify_all();
        self.0.done_async.notify_waiters();
        self.0.room.notify_all();
        self.0.room_async.notify_waiters();
    }
}

fn outcome_of(st: &State, seq: u64) -> Option<Result<(), AuditError>> {
    if let Some((_, _, why)) = st.failed.iter().find(|(a, b, _)| (*a..*b).contains(&seq)) {
        return Some(Err(AuditError::CommitFailed(why.clone())));
    }
    if seq < st.done_below {
        return Some(Ok(()));
    }
    st.stopped.then_some(Err(AuditError::Closed))
}

/// Proof of submission: resolves when the record is durably committed (or its group failed).
#[must_use = "a receipt says when the record is committed; drop it only if that does not matter"]
pub struct Receipt {
    seq: u64,
    shared: Arc<Shared>,
}

impl std::fmt::Debug for Receipt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Receipt").field("seq", &self.seq).finish()
    }
}

impl Receipt {
    /// The record's place in the order of submission (from 0, per `AuditLog`).
    pub fn sequence(&self) -> u64 {
        self.seq
    }

    /// Block until the record is committed; `Err` when its group failed or the log stopped
    /// first.
    pub fn wait(self) -> Result<(), AuditError> {
        let mut st = self.shared.lock();
        loop {
            if let Some(outcome) = outcome_of(&st, self.seq) {
                return outcome;
            }
            st = self.shared.done.wait(st).unwrap_or_else(|e| e.into_inner());
        }
    }

    /// Wait until the record is committed, without blocking a runtime thread.
    pub async fn committed(self) -> Result<(), AuditError> {
        loop {
            let notified = std::pin::pin!(self.shared.done_async.notified());
            let mut notified = notified;
            notified.as_mut().enable();
            if let Some(outcome) = self.shared.outcome(self.seq) {
                return outcome;
            }
            notified.await;
        }
    }
}

/// The writer thread and the queue it serves.
pub(super) struct Writer {
    pub(super) shared: Arc<Shared>,
    pub(super) thread: Mutex<Option<JoinHandle<()>>>,
}

impl Writer {
    /// Close the queue, let the writer commit what is left, and wait for it to stop.
    pub(super) fn shutdown(&self) -> Result<(), AuditError> {
        self.shared.close();
        let handle = self.thread.lock().unwrap_or_else(|e| e.into_inner()).take();
        if let Some(h) = handle
            && h.join().is_err()
        {
            return Err(AuditError::Closed);
        }
        let st = self.shared.lock();
        match st.failed.first() {
            Some((_, _, why)) => Err(AuditError::CommitFailed(why.clone())),
            None => Ok(()),
        }
    }
}

impl Drop for Writer {
    fn drop(&mut self) {
        let _ = self.shutdown();
    }
}
