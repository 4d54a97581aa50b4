//! What the text and the HTML renderings of an outcome both show, computed once: its first
//! due date, its largest civil maximum, and each penalty's notes.

use crate::report::{DueReport, ExposureReport, LimitationReport, OutcomeReport};

/// The first dated duty of an outcome, else how the first prompt one is put, else `-`.
pub(crate) fn first_due(o: &OutcomeReport) -> String {
    let dated = o
        .obligations
        .iter()
        .filter_map(|ob| match &ob.due {
            DueReport::On { date, .. } => Some(*date),
            _ => None,
        })
        .min();
    let prompt = o.obligations.iter().find_map(|ob| match &ob.due {
        DueReport::Prompt { when } => Some(when.split(',').next().unwrap_or(when).to_string()),
        _ => None,
    });
    match (dated, prompt) {
        (Some(d), _) => d.to_string(),
        (None, Some(p)) => p,
        (None, None) => "-".to_string(),
    }
}

/// The largest civil maximum of an outcome's exposures, or `-`.
pub(crate) fn largest_civil(o: &OutcomeReport) -> String {
    o.exposures
        .iter()
        .filter(|e| e.kind == "civil")
        .filter_map(|e| e.max_amount)
        .max_by(|a, b| a.amount.cmp(&b.amount))
        .map_or_else(|| "-".to_string(), |m| m.to_string())
}

/// Each penalty's notes once, however many actors it concerns: the penalty's id, `Title (id)`
/// and the notes.
pub(crate) fn exposure_notes(exposures: &[ExposureReport]) -> Vec<(String, String, String)> {
    let mut seen: Vec<&str> = Vec::new();
    let mut notes = Vec::new();
    for e in exposures {
        if seen.contains(&e.penalty.as_str()) {
            continue;
        }
        seen.push(&e.penalty);
        let mut parts: Vec<&str> = Vec::new();
        if let Some(n) = &e.note {
            parts.push(n);
        }
        if let Some(n) = &e.schedule_note {
            parts.push(n);
        }
        let limitation = e.limitation.as_ref().map(limitation_text);
        if let Some(l) = &limitation {
            parts.push(l);
        }
        if !parts.is_empty() {
            notes.push((
                e.penalty.clone(),
                format!("{} ({})", e.title, e.penalty),
                parts.join(" "),
            ));
        }
    }
    notes
}

/// `Limitation: 5 years after the violation [28 U.S.C. 2462]: note.`
fn limitation_text(l: &LimitationReport) -> String {
    let mut text = format!("Limitation: {} years after the violation", l.years);
    if let Some(c) = &l.citation {
        text.push_str(&format!(" [{}]", c.text));
    }
    if let Some(n) = &l.note {
        text.push_str(&format!(": {n}"));
    }
    text.push('.');
    text
}
