//! `interdict log replay ID`: decide a recorded decision again, from its recorded input, under
//! the packs that made it (found by digest: the embedded packs or `--rules DIR`) and under
//! today's (the embedded packs), and show what differs from the recorded result, field by
//! field.

use std::collections::BTreeMap;
use std::path::Path;

use super::log::{ReplayArgs, fetch, replayable, world_state_id};
use super::{CliError, CliResult};
use interdict::audit::{DecisionRecord, Origin};
use interdict::batch::InputFormat;
use interdict::eval::EvalOptions;
use interdict::model::pack::Pack;
use interdict::source::SourceFile;

pub fn replay(a: ReplayArgs) -> CliResult {
    let r = fetch(&a.target, &a.id)?;
    if !replayable(&r) {
        eprintln!(
            "error: decision `{}` was made by `interdict {}`; replay decides again records of `batch` and `eval`",
            r.decision_id,
            r.origin.as_str()
        );
        return Err(CliError::Usage);
    }
    let today = match interdict::scenario::pack::load_embedded() {
        Ok((p, _)) => p,
        Err(d) => {
            eprintln!(
                "error: the embedded packs have {} error(s)",
                d.error_count()
            );
            return Err(CliError::InvalidInput);
        }
    };
    let mut candidates = vec![("the embedded packs".to_string(), today.clone())];
    if !a.rules.is_empty() {
        match interdict::scenario::pack::load_dirs(&a.rules, false) {
            Ok((p, _)) => candidates.push((format!("--rules {}", dirs(&a.rules)), p)),
            Err(d) => {
                super::print_diagnostics(&d, a.error_format);
                eprintln!("error: the rule packs have {} error(s)", d.error_count());
                return Err(super::exit_for(&d));
            }
        }
    }
    let mut out = format!(
        "decision {} ({}, recorded {}, packs {})\n",
        r.decision_id,
        r.origin.as_str(),
        r.recorded_at_text(),
        r.pack_digest
    );
    let world = world_bytes(&a, &r, &mut out)?;
    let mut code = Ok(());
    match candidates.iter().find(|(_, p)| *p.digest == r.pack_digest) {
        Some((name, pack)) => {
            out.push_str(&format!("under the recorded packs ({name}):"));
            code = both(code, compare(&r, pack, world.as_ref(), &mut out));
        }
        None => {
            let have: Vec<String> = candidates
                .iter()
                .map(|(n, p)| format!("{n} have digest {}", p.digest))
                .collect();
            out.push_str(&format!(
                "under the recorded packs: NOT AVAILABLE: the decision was made under packs with digest {}, and {}; give --rules DIR with the packs of that version\n",
                r.pack_digest,
                have.join(", ")
            ));
            code = Err(CliError::Operational);
        }
    }
    out.push_str(&format!("under today's packs ({}):", today.digest));
    code = both(code, compare(&r, &today, world.as_ref(), &mut out));
    super::emit(&out);
    code
}

fn both(a: CliResult, b: CliResult) -> CliResult {
    match b {
        Ok(()) => a,
        Err(e) => super::combine(a, e),
    }
}

fn dirs(d: &[std::path::PathBuf]) -> String {
    d.iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The world file of a batch record (its path and bytes), checked against the recorded digest.
fn world_bytes(
    a: &ReplayArgs,
    r: &DecisionRecord,
    out: &mut String,
) -> Result<Option<std::path::PathBuf>, CliError> {
    if r.origin != Origin::Batch {
        return Ok(None);
    }
    let Some(path) = &a.world else {
        eprintln!(
            "error: a batch decision is decided in its world: give --world with the world file of the run ({})",
            r.state_id.as_deref().unwrap_or("no world recorded")
        );
        return Err(CliError::Usage);
    };
    let bytes = std::fs::read(path).map_err(|e| {
        eprintln!("error: cannot read {}: {e}", path.display());
        CliError::Operational
    })?;
    let id = world_state_id(&bytes);
    if r.state_id.as_deref() != Some(id.as_str()) {
        out.push_str(&format!(
            "note: {} ({id}) is not the recorded world ({}): the replay decides in another world\n",
            path.display(),
            r.state_id.as_deref().unwrap_or("none recorded")
        ));
    }
    Ok(Some(path.clone()))
}

/// Decide the record again under `pack` and add the outcome to `out`: the same, or the fields
/// that differ. `Err(Changed)` when they differ.
fn compare(
    r: &DecisionRecord,
    pack: &Pack,
    world: Option<&std::path::PathBuf>,
    out: &mut String,
) -> CliResult {
    let again = match r.origin {
        Origin::Batch => world.map_or(Err("no world".to_string()), |w| decide_batch(r, pack, w)),
        _ => decide_eval(r, pack),
    };
    match again {
        Ok(text) if text == r.result => {
            out.push_str(" the same decision\n");
            Ok(())
        }
        Ok(text) => {
            out.push_str(" a different decision\n");
            out.push_str(&json_diff(&r.result, &text));
            Err(CliError::Changed)
        }
        Err(m) => {
            out.push_str(&format!(" cannot be decided: {m}\n"));
            Err(CliError::InvalidInput)
        }
    }
}

/// A batch record decided again: its line read as the batch read it, in the world file.
fn decide_batch(r: &DecisionRecord, pack: &Pack, world: &Path) -> Result<String, String> {
    let w = interdict::batch::load_world(world, pack)
        .map_err(|d| format!("{} has {} error(s)", world.display(), d.error_count()))?;
    // A CSV row is recorded after its header line.
    let format = if r.input.contains('\n') {
        InputFormat::Csv
    } else {
        InputFormat::Ndjson
    };
    let (txs, errors) = interdict::batch::read_transactions(
        r.input.as_bytes(),
        "<recorded input>",
        format,
        &w.scenario.rules,
        &w.scenario.world,
    );
    if let Some(e) = errors.first() {
        let m: Vec<String> = e
            .diagnostics("<recorded input>")
            .iter()
            .map(|d| d.message.clone())
            .collect();
        return Err(format!(
            "the recorded input is not a record here: {}",
            m.join("; ")
        ));
    }
    let Some(tx) = txs.first() else {
        return Err("the recorded input holds no record".into());
    };
    let recorded = recorded_json(r);
    let opts = EvalOptions {
        trace: false,
        as_of: date_field(&recorded, "as_of").or(w.scenario.as_of),
        evaluated_on: w.scenario.evaluated_on,
        jurisdictions: None,
    };
    let d = w.engine.evaluate(tx, &opts);
    let mut buf = Vec::new();
    interdict::batch::record::write_record(&mut buf, w.engine.rules(), w.engine.world(), &d);
    while buf.last() == Some(&b'\n') {
        buf.pop();
    }
    String::from_utf8(buf).map_err(|e| e.to_string())
}

/// An `eval` record decided again: its scenario file loaded from the recorded text, the
/// recorded transaction decided and reported.
fn decide_eval(r: &DecisionRecord, pack: &Pack) -> Result<String, String> {
    let file = SourceFile::new("<recorded scenario>", r.input.as_str());
    let s = interdict::scenario::load(file, Path::new("<recorded scenario>"), pack)
        .map_err(|d| format!("the recorded scenario has {} error(s)", d.error_count()))?;
    let recorded = recorded_json(r);
    let id = recorded
        .get("transaction")
        .and_then(|v| v.as_str())
        .unwrap_or_default();
    let Some(tx) = s.transactions.iter().find(|t| t.id == id) else {
        return Err(format!("the recorded scenario has no transaction `{id}`"));
    };
    let opts = EvalOptions {
        trace: recorded.get("trace").is_some(),
        as_of: date_field(&recorded, "as_of").or(s.as_of),
        evaluated_on: date_field(&recorded, "evaluated_on").or(s.evaluated_on),
        jurisdictions: None,
    };
    let engine = interdict::Engine::new(s.rules.clone(), s.world.clone());
    let d = engine.evaluate(tx, &opts);
    let report = interdict::report::build(&engine, tx, &d);
    serde_json::to_string(&report).map_err(|e| e.to_string())
}

fn recorded_json(r: &DecisionRecord) -> serde_json::Value {
    serde_json::from_str(&r.result).unwrap_or(serde_json::Value::Null)
}

fn date_field(v: &serde_json::Value, key: &str) -> Option<interdict::model::values::Date> {
    v.get(key)
        .and_then(|d| d.as_str())
        .and_then(|d| interdict::model::values::parse_date(d).ok())
}

/// The fields of two JSON documents that differ, one line each: `- path: old`, `+ path: new`.
pub fn json_diff(old: &str, new: &str) -> String {
    let flat = |s: &str| {
        let mut m = BTreeMap::new();
        if let Ok(v) = serde_json::from_str::<serde_json::Value>(s) {
            flatten(&v, String::new(), &mut m);
        }
        m
    };
    let (a, b) = (flat(old), flat(new));
    let mut out = String::new();
    let keys: std::collections::BTreeSet<&String> = a.keys().chain(b.keys()).collect();
    for k in keys {
        match (a.get(k), b.get(k)) {
            (Some(x), Some(y)) if x == y => {}
            (x, y) => {
                if let Some(x) = x {
                    out.push_str(&format!("  - {k}: {x}\n"));
                }
                if let Some(y) = y {
                    out.push_str(&format!("  + {k}: {y}\n"));
                }
            }
        }
    }
    out
}

fn flatten(v: &serde_json::Value, path: String, out: &mut BTreeMap<String, String>) {
    // Iterative, so a deep document cannot exhaust the stack.
    let mut stack = vec![(v, path)];
    while let Some((v, path)) = stack.pop() {
        match v {
            serde_json::Value::Object(m) if !m.is_empty() => {
                for (k, v) in m {
                    let p = if path.is_empty() {
                        k.clone()
                    } else {
                        format!("{path}.{k}")
                    };
                    stack.push((v, p));
                }
            }
            serde_json::Value::Array(a) if !a.is_empty() => {
                for (i, v) in a.iter().enumerate() {
                    stack.push((v, format!("{path}[{i}]")));
                }
            }
            other => {
                out.insert(path, other.to_string());
            }
        }
    }
}
