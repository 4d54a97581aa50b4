//! Counts kept while a batch runs, and the summary of a run ([`crate::render::batch`] prints
//! it at its end).

use std::time::Duration;

use crate::eval::decision::Decision;
use crate::model::Disposition;

const DISPOSITIONS: usize = Disposition::ALL.len();

/// Counts of one part of the input (a chunk), added up into the run's.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tally {
    /// Records read (decided + skipped); blank lines are not records.
    pub records: u64,
    /// Records evaluated and written.
    pub decided: u64,
    /// Malformed records (reported with their line).
    pub skipped: u64,
    /// Lines holding only white space.
    pub blank_lines: u64,
    /// Decisions with an evaluation issue (a missing exchange rate, a calendar too short).
    pub with_issues: u64,
    /// Decisions by overall disposition.
    pub overall: [u64; DISPOSITIONS],
    /// Decisions by jurisdiction (index) and disposition.
    pub by_jurisdiction: Vec<[u64; DISPOSITIONS]>,
}

impl Tally {
    pub(crate) fn new(jurisdictions: usize) -> Tally {
        Tally {
            by_jurisdiction: vec![[0; DISPOSITIONS]; jurisdictions],
            ..Tally::default()
        }
    }

    pub(crate) fn count(&mut self, d: &Decision) {
        self.records += 1;
        self.decided += 1;
        if let Some(n) = self.overall.get_mut(d.overall as usize) {
            *n += 1;
        }
        let mut issues = false;
        for o in &d.outcomes {
            if let Some(n) = self
                .by_jurisdiction
                .get_mut(o.jurisdiction.idx())
                .and_then(|row| row.get_mut(o.disposition as usize))
            {
                *n += 1;
            }
            issues |= !o.issues.is_empty();
        }
        self.with_issues += u64::from(issues);
    }

    pub(crate) fn add(&mut self, other: &Tally) {
        self.records += other.records;
        self.decided += other.decided;
        self.skipped += other.skipped;
        self.blank_lines += other.blank_lines;
        self.with_issues += other.with_issues;
        for (a, b) in self.overall.iter_mut().zip(other.overall) {
            *a += b;
        }
        if self.by_jurisdiction.len() < other.by_jurisdiction.len() {
            self.by_jurisdiction
                .resize(other.by_jurisdiction.len(), [0; DISPOSITIONS]);
        }
        for (row, orow) in self.by_jurisdiction.iter_mut().zip(&other.by_jurisdiction) {
            for (a, b) in row.iter_mut().zip(orow) {
                *a += b;
            }
        }
    }
}

/// What a run did, for the summary.
#[derive(Debug, Clone)]
pub struct Summary {
    /// Counts over the whole input.
    pub tally: Tally,
    /// Time spent reading, evaluating and writing (the world load is apart).
    pub elapsed: Duration,
    /// Worker threads used.
    pub jobs: usize,
    /// Set when `--on-error stop` ended the run at a malformed record (its line).
    pub stopped_at: Option<u64>,
    /// Malformed records whose message was not printed (only the first ones are).
    pub errors_not_shown: u64,
}

impl Summary {
    /// Decisions written per second of `elapsed` (0 when no time was measured).
    pub fn decisions_per_second(&self) -> f64 {
        let s = self.elapsed.as_secs_f64();
        if s > 0.0 {
            self.tally.decided as f64 / s
        } else {
            0.0
        }
    }
}
