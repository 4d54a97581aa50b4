//! The one-paragraph text of an ownership witness (the witness is data, built by
//! `ownership::witness`; putting it into words is the explanation's): each step in words, an
//! owner's or controller's proof in parentheses where it is first mentioned ("B is blocked: A
//! holds 40% (A is blocked: ...) + X holds 10% = 50% >= 50%"), a proof mentioned again not
//! repeated.
//!
//! Rendering is iterative (an explicit stack of pieces still to write): a proof a million
//! owners deep is a million nested parentheses, not a million stack frames.

use serde::Serialize;

use crate::model::ruleset::Citation;
use crate::model::values::Date;
use crate::ownership::witness::{DesignationFact, DoctrineBasis, HoldingFact, Step, Witness};

/// A piece of a step's text: words (borrowed from the witness where they can be), or the
/// place of another step's proof.
enum Piece<'w> {
    Str(&'w str),
    Text(String),
    /// The place of the proof at this index of the witness's `because`.
    Proof(u32),
}

/// One-paragraph text: "B is blocked: A holds 40% (A is blocked: ...) + X holds 10% = 50% >=
/// 50%".
pub fn text(w: &Witness) -> String {
    let mut out = String::new();
    let mut written = vec![false; w.because.len()];
    // Pieces still to write, the next on top; a step's pieces are laid out in `scratch` (one
    // buffer for the whole witness) and pushed in reverse.
    let mut stack: Vec<Piece> = Vec::new();
    let mut scratch: Vec<Piece> = Vec::new();
    pieces(&w.head, &mut scratch);
    stack.extend(scratch.drain(..).rev());
    while let Some(piece) = stack.pop() {
        match piece {
            Piece::Str(t) => out.push_str(t),
            Piece::Text(t) => out.push_str(&t),
            Piece::Proof(k) => {
                let Some(seen) = written.get_mut(k as usize) else {
                    continue;
                };
                if *seen {
                    continue;
                }
                *seen = true;
                let Some(step) = w.because.get(k as usize) else {
                    continue;
                };
                out.push_str(" (");
                stack.push(Piece::Str(")"));
                pieces(step, &mut scratch);
                stack.extend(scratch.drain(..).rev());
            }
        }
    }
    out
}

/// One jurisdiction's answer to "why is this party (not) blocked?" (`interdict explain party`).
#[derive(Debug, Clone, Serialize)]
pub struct PartyExplanation {
    /// The party's id.
    pub party: String,
    /// The jurisdiction's id.
    pub jurisdiction: String,
    /// The day the status was decided on.
    pub date: Date,
    /// `blocked`, `not_blocked` or `undetermined`.
    pub status: &'static str,
    /// The proof in one paragraph ([`text`]).
    pub text: String,
    /// The proof as data.
    pub witness: Witness,
}

/// One line of a proof laid out as a tree: a step's own words at its depth (the party
/// explained is at depth 0; each owner's or controller's proof one level below the step that
/// first names it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProofLine {
    /// How many levels below the party explained.
    pub depth: usize,
    /// The step in words, without the proofs it names (they are the lines below it).
    pub text: String,
}

/// Indentation stops deepening here: a proof a million owners deep stays a million lines, not
/// a terabyte of spaces; deeper lines say their level instead.
pub const MAX_INDENT: usize = 8;

impl ProofLine {
    /// The indentation level to draw: the depth, up to [`MAX_INDENT`].
    pub fn indent(&self) -> usize {
        self.depth.min(MAX_INDENT)
    }

    /// The line indented two spaces per level (up to [`MAX_INDENT`]; deeper ones start with
    /// `(level N)`).
    pub fn indented(&self) -> String {
        let mut s = "  ".repeat(self.indent());
        if self.depth > MAX_INDENT {
            s.push_str(&format!("(level {}) ", self.depth));
        }
        s.push_str(&self.text);
        s
    }
}

/// The proof as an indented tree, one line per step (`joint-co is blocked: person-a holds
/// 30% + person-b holds 25% = 55% >= 50%`), then each owner's proof one level deeper. A proof
/// named again is not repeated. Iterative, like [`text`].
pub fn tree(w: &Witness) -> Vec<ProofLine> {
    let mut lines = Vec::new();
    // A proof is claimed by the first step that names it, so it is written once.
    let mut claimed = vec![false; w.because.len()];
    // Steps still to write, the next on top: their depth, and `None` for the head.
    let mut stack: Vec<(usize, Option<u32>)> = vec![(0, None)];
    let mut scratch: Vec<Piece> = Vec::new();
    let mut children: Vec<u32> = Vec::new();
    while let Some((depth, k)) = stack.pop() {
        let step = match k {
            None => &w.head,
            Some(k) => match w.because.get(k as usize) {
                Some(s) => s,
                None => continue,
            },
        };
        pieces(step, &mut scratch);
        let mut text = String::new();
        for piece in scratch.drain(..) {
            match piece {
                Piece::Str(t) => text.push_str(t),
                Piece::Text(t) => text.push_str(&t),
                Piece::Proof(c) => {
                    if let Some(seen) = claimed.get_mut(c as usize)
                        && !*seen
                    {
                        *seen = true;
                        children.push(c);
                    }
                }
            }
        }
        lines.push(ProofLine { depth, text });
        stack.extend(children.drain(..).rev().map(|c| (depth + 1, Some(c))));
    }
    lines
}

fn designation_text(d: &DesignationFact) -> String {
    let mut s = format!("designated {}", d.program);
    match (d.listed, d.date_assumed) {
        (Some(l), true) => s.push_str(&format!(" {l} (date assumed)")),
        (Some(l), false) => s.push_str(&format!(" {l}")),
        (None, _) => s.push_str(" (listing date not given)"),
    }
    if let Some(x) = d.delisted {
        s.push_str(&format!(", delisted {x}"));
    }
    s
}

/// "A holds 40%" and the place of A's proof, each holding separated by " + ".
fn holdings<'w>(out: &mut Vec<Piece<'w>>, hs: &'w [HoldingFact]) {
    for (i, h) in hs.iter().enumerate() {
        if i > 0 {
            out.push(Piece::Str(" + "));
        }
        out.extend([
            Piece::Str(&h.owner),
            Piece::Str(" holds "),
            Piece::Str(&h.share),
        ]);
        if let Some(k) = h.proof {
            out.push(Piece::Proof(k));
        }
    }
}

/// `step`'s pieces, in order, appended to `out`.
fn pieces<'w>(step: &'w Step, out: &mut Vec<Piece<'w>>) {
    match step {
        Step::Designated {
            party,
            designations,
        } => {
            let ds: Vec<String> = designations
                .iter()
                .filter(|d| d.blocking)
                .map(designation_text)
                .collect();
            out.push(Piece::Text(format!("{party} is {}", ds.join(" and "))));
        }
        Step::Owned {
            party,
            holdings: hs,
            sum,
            comparison,
            threshold,
            counted_as,
        } => {
            out.extend([Piece::Str(party), Piece::Str(" is blocked: ")]);
            holdings(out, hs);
            out.extend([
                Piece::Str(" = "),
                Piece::Str(sum),
                Piece::Str(" "),
                Piece::Str(comparison),
                Piece::Str(" "),
                Piece::Str(threshold),
            ]);
            if let Some(u) = counted_as {
                out.extend([Piece::Str(" ["), Piece::Str(u), Piece::Str("]")]);
            }
        }
        Step::Controlled {
            party,
            controller,
            basis,
            proof,
            ..
        } => {
            out.extend([
                Piece::Str(party),
                Piece::Str(" is blocked: controlled by "),
                Piece::Str(controller),
            ]);
            if let Some(k) = proof {
                out.push(Piece::Proof(*k));
            }
            out.extend([Piece::Str(" through "), Piece::Str(basis)]);
        }
        Step::NotBlocked { .. } => not_blocked(step, out),
        Step::Undetermined {
            party,
            known_sum,
            possible_sum,
            comparison,
            threshold,
            deciding,
            ..
        } => out.push(Piece::Text(format!(
            "{party} is undetermined: blocked holdings are at least {known_sum} and at most {possible_sum} against {comparison} {threshold}; decided by {}",
            deciding.join(", ")
        ))),
    }
}

fn not_blocked<'w>(step: &'w Step, out: &mut Vec<Piece<'w>>) {
    let Step::NotBlocked {
        party,
        designations,
        blocked_holdings,
        sum,
        possible_sum,
        comparison,
        threshold,
        per_person,
        controlled_by,
    } = step
    else {
        return;
    };
    let mut s = format!("{party} is not blocked");
    let non_blocking: Vec<String> = designations.iter().map(designation_text).collect();
    if !non_blocking.is_empty() {
        s.push_str(&format!(
            " (it is {}, under no blocking program of this jurisdiction)",
            non_blocking.join(" and ")
        ));
    }
    let mut tail = String::new();
    if !blocked_holdings.is_empty() {
        s.push_str(": blocked holdings ");
        let range = match possible_sum {
            Some(hi) => format!("between {sum} and {hi}"),
            None => sum.clone(),
        };
        tail = match (threshold, per_person.is_empty()) {
            (None, _) => " (this jurisdiction has no numeric ownership test)".to_string(),
            (Some(t), true) => format!(" = {range}, not {comparison} {t}"),
            (Some(t), false) => {
                let units: Vec<String> = per_person
                    .iter()
                    .map(|u| format!("{} {}", u.counted_as, u.sum))
                    .collect();
                format!(
                    "; holdings of different designated persons are not aggregated: {}; the largest, {range}, is not {comparison} {t}",
                    units.join(", ")
                )
            }
        };
    }
    if !controlled_by.is_empty() {
        tail.push_str(&format!(
            "; controlled by blocked {}, which does not block under this doctrine",
            controlled_by.join(", ")
        ));
    }
    out.push(Piece::Text(s));
    holdings(out, blocked_holdings);
    out.push(Piece::Text(tail));
}

/// The sources a text report cites, numbered in the order first cited: lines cite them in a
/// compact form (`[1]`), the full references are listed once at the end.
#[derive(Debug, Default)]
pub struct Sources {
    cited: Vec<Citation>,
}

impl Sources {
    /// The number of `c`, numbering it on first mention.
    pub fn cite(&mut self, c: &Citation) -> usize {
        match self.cited.iter().position(|x| x == c) {
            Some(i) => i + 1,
            None => {
                self.cited.push(c.clone());
                self.cited.len()
            }
        }
    }

    /// `doctrine (us): 50% or more, ...; control ... (from 2024-07-03) [1][2]`.
    pub fn doctrine_line(&mut self, d: &DoctrineBasis) -> String {
        let mut s = format!("doctrine ({}): {}", d.jurisdiction, d.test);
        if let Some(p) = &d.period {
            s.push_str(&format!(" ({p})"));
        }
        if !d.citations.is_empty() {
            s.push(' ');
        }
        for c in &d.citations {
            let n = self.cite(c);
            s.push_str(&format!("[{n}]"));
        }
        s
    }

    /// The full references, one per line (`[1] 31 CFR 510.411 <url>`), or nothing when none
    /// was cited.
    pub fn text(&self) -> String {
        if self.cited.is_empty() {
            return String::new();
        }
        let mut s = String::from("Sources:\n");
        for (i, c) in self.cited.iter().enumerate() {
            s.push_str(&format!("  [{}] {}", i + 1, c.text));
            if let Some(u) = &c.url {
                s.push_str(&format!(" <{u}>"));
            }
            s.push('\n');
        }
        s
    }
}
