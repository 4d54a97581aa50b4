//! The one-paragraph text of a witness: each step in words, an owner's or controller's proof
//! in parentheses where it is first mentioned ("B is blocked: A holds 40% (A is blocked: ...) +
//! X holds 10% = 50% >= 50%"), a proof mentioned again not repeated.
//!
//! Rendering is iterative (an explicit stack of pieces still to write): a proof a million
//! owners deep is a million nested parentheses, not a million stack frames.

use rust_decimal::Decimal;

use super::{DesignationFact, HoldingFact, Step, Witness};

pub(super) fn pct(d: Decimal) -> String {
    format!("{}%", d.normalize())
}

/// A piece of a step's text: words, or the place of another step's proof.
enum Piece {
    Text(String),
    /// The place of the proof at this index of the witness's `because`.
    Proof(u32),
}

pub(super) fn render(w: &Witness) -> String {
    let mut out = String::new();
    let mut written = vec![false; w.because.len()];
    let mut stack: Vec<Piece> = pieces(&w.head);
    stack.reverse();
    while let Some(piece) = stack.pop() {
        match piece {
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
                stack.push(Piece::Text(")".into()));
                stack.extend(pieces(step).into_iter().rev());
                stack.push(Piece::Text(" (".into()));
            }
        }
    }
    out
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
fn holdings(out: &mut Vec<Piece>, hs: &[HoldingFact]) {
    for (i, h) in hs.iter().enumerate() {
        let sep = if i == 0 { "" } else { " + " };
        out.push(Piece::Text(format!("{sep}{} holds {}", h.owner, h.share)));
        if let Some(k) = h.proof {
            out.push(Piece::Proof(k));
        }
    }
}

fn pieces(step: &Step) -> Vec<Piece> {
    let mut out = Vec::new();
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
            out.push(Piece::Text(format!("{party} is blocked: ")));
            holdings(&mut out, hs);
            let unit = counted_as
                .as_ref()
                .map(|u| format!(" [{u}]"))
                .unwrap_or_default();
            out.push(Piece::Text(format!(
                " = {sum} {comparison} {threshold}{unit}"
            )));
        }
        Step::Controlled {
            party,
            controller,
            basis,
            proof,
            ..
        } => {
            out.push(Piece::Text(format!(
                "{party} is blocked: controlled by {controller}"
            )));
            if let Some(k) = proof {
                out.push(Piece::Proof(*k));
            }
            out.push(Piece::Text(format!(" through {basis}")));
        }
        Step::NotBlocked { .. } => not_blocked(step, &mut out),
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
    out
}

fn not_blocked(step: &Step, out: &mut Vec<Piece>) {
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
