//! OFAC's legacy CSV set: the main file (SDN.CSV, or the non-SDN CONS_PRIM.CSV), read by
//! `lists::read`, merged with its companions when they are given: SDN_COMMENTS (`ent_num,
//! remarks_extended`: a remark cut at 1,000 characters continues there, and the joined text is
//! parsed again), ALT (`ent_num, alt_num, alt_type, alt_name, alt_remarks`: aliases, those
//! already in the remarks not repeated) and ADD (`ent_num, add_num, address, city/state/postal,
//! country, add_remarks`: addresses). `import_path` finds companions beside the main file by
//! name (`sdn_X` -> `add_X`, `alt_X`, `sdn_comments_X`; `cons_prim_X` -> `cons_add_X`, ...).
//! A companion row naming an entry the main file lacks is a located error.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::lists::decode::{decode, line_loc};
use crate::lists::entry::{AliasKind, SdnEntry};
use crate::lists::record::{Link, LinkKind, ListImport, ListName, ListRecord, Strength};

/// One companion file: its bytes and its name for locations.
pub type Companion<'a> = Option<(&'a [u8], &'a str)>;

/// The companions of a main file, each optional.
#[derive(Default)]
pub struct Companions<'a> {
    /// ADD.CSV: addresses.
    pub add: Companion<'a>,
    /// ALT.CSV: aliases.
    pub alt: Companion<'a>,
    /// SDN_COMMENTS.CSV: remarks continued.
    pub comments: Companion<'a>,
}

/// The companion files beside `main` that exist: (add, alt, comments).
pub fn companion_paths(main: &Path) -> [Option<PathBuf>; 3] {
    let name = main
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let lower = name.to_lowercase();
    let (cut, stems): (usize, [&str; 3]) = if lower.starts_with("cons_prim") {
        (9, ["cons_add", "cons_alt", "cons_comments"])
    } else if lower.starts_with("sdn") && !lower.starts_with("sdn_comments") {
        (3, ["add", "alt", "sdn_comments"])
    } else {
        return [None, None, None];
    };
    let upper = name.get(..1).is_some_and(|c| c == "S" || c == "C");
    stems.map(|stem| {
        let stem = if upper {
            stem.to_uppercase()
        } else {
            stem.to_string()
        };
        let p = main.with_file_name(format!("{stem}{}", name.get(cut..).unwrap_or("")));
        p.is_file().then_some(p)
    })
}

/// Read the main file and merge its companions.
pub fn read_set(bytes: &[u8], name: &str, companions: &Companions<'_>) -> ListImport {
    let read = crate::lists::read::read(bytes, name);
    let mut out = ListImport {
        file: name.to_string(),
        seen: read.stats.rows,
        ..ListImport::default()
    };
    let (errors, warnings): (Vec<Diagnostic>, Vec<Diagnostic>) =
        read.diagnostics.into_iter().partition(Diagnostic::is_error);
    out.errors = errors;
    out.warnings = warnings;
    let mut entries = read.entries;
    let index: HashMap<u32, usize> = entries
        .iter()
        .enumerate()
        .map(|(i, e)| (e.ent_num, i))
        .collect();
    if let Some((b, n)) = companions.comments {
        for (line, f) in rows(b, n, 2, &mut out) {
            let Some(i) = owner(&index, &f[0], n, line, &mut out) else {
                continue;
            };
            let e = &mut entries[i];
            let more = f[1].as_deref().unwrap_or("");
            let full = format!("{}{more}", e.remarks.as_deref().unwrap_or(""));
            crate::lists::remarks::parse(&full, e.title.as_deref()).fill(e);
            e.remarks = Some(full);
        }
    }
    out.records = entries.into_iter().map(record).collect();
    if let Some((b, n)) = companions.alt {
        for (line, f) in rows(b, n, 5, &mut out) {
            if let Some(i) = owner(&index, &f[0], n, line, &mut out) {
                alias(&mut out.records[i], &f);
            }
        }
    }
    if let Some((b, n)) = companions.add {
        for (line, f) in rows(b, n, 6, &mut out) {
            if let Some(i) = owner(&index, &f[0], n, line, &mut out) {
                let parts: Vec<&str> = f[2..5].iter().flatten().map(String::as_str).collect();
                out.records[i].attribute("Address", parts.join(", "));
                if let Some(rem) = &f[5] {
                    out.records[i].attribute("Address remarks", rem.clone());
                }
            }
        }
    }
    out
}

/// The rows of a companion file with `width` fields each (the null marker read as `None`),
/// with their lines; a row of another width is a located error.
fn rows(
    bytes: &[u8],
    name: &str,
    width: usize,
    out: &mut ListImport,
) -> Vec<(u64, Vec<Option<String>>)> {
    let mut diags = Diagnostics::new();
    let decoded = decode(bytes, name, &mut diags);
    for d in diags {
        if d.is_error() {
            out.errors.push(d);
        } else {
            out.warnings.push(d);
        }
    }
    let Some(decoded) = decoded else {
        return Vec::new();
    };
    let text = decoded.text.as_bytes();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text);
    let mut got = Vec::new();
    let mut lines = crate::lists::decode::RecordLines::new(text);
    for rec in reader.records() {
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                out.errors.push(Diagnostic::error(
                    Code::ListRow,
                    &line_loc(name, line),
                    format!("the CSV reader stopped: {e}"),
                ));
                break;
            }
        };
        let line = lines.at(rec.position());
        if rec.len() == 1 && rec.get(0) == Some("\u{1a}") {
            continue;
        }
        if rec.len() != width {
            out.errors.push(Diagnostic::error(
                Code::ListRow,
                &line_loc(name, line),
                format!("a row of {} field(s), expected {width}", rec.len()),
            ));
            continue;
        }
        let fields = rec
            .iter()
            // Kept as written: a continued remark may begin with a space.
            .map(|f| (f.trim() != "-0-").then(|| f.to_string()))
            .collect();
        got.push((line, fields));
    }
    got
}

/// The position of the entry a companion row names, or a located error.
fn owner(
    index: &HashMap<u32, usize>,
    ent_num: &Option<String>,
    name: &str,
    line: u64,
    out: &mut ListImport,
) -> Option<usize> {
    let text = ent_num.as_deref().unwrap_or("");
    let found = text
        .parse::<u32>()
        .ok()
        .and_then(|n| index.get(&n).copied());
    if found.is_none() {
        out.errors.push(Diagnostic::error(
            Code::ListRow,
            &line_loc(name, line),
            format!("entry `{text}` is not in the main file"),
        ));
    }
    found
}

/// An ALT row: an alias, unless the remarks already gave the same name.
fn alias(r: &mut ListRecord, f: &[Option<String>]) {
    let Some(name) = f[3].clone() else {
        return;
    };
    let kind = match f[2].as_deref().map(str::to_lowercase).as_deref() {
        Some("fka") => AliasKind::Fka,
        Some("nka") => AliasKind::Nka,
        _ => AliasKind::Aka,
    };
    if !r.aliases.iter().any(|a| a.name == name) {
        r.aliases.push(ListName {
            name: name.clone(),
            kind,
            strength: Strength::Strong,
            script: None,
        });
    }
    if let Some(rem) = &f[4] {
        r.attribute("Alias remarks", format!("{name}: {rem}"));
    }
}

/// An SDN entry as a list record: programs as regimes, `Linked To:` as links by name.
pub(crate) fn record(e: SdnEntry) -> ListRecord {
    let mut r = ListRecord::new(e.ent_num.to_string(), e.entry_type, e.name, e.line);
    r.regimes = e.tags;
    r.aliases = e
        .aliases
        .into_iter()
        .map(|a| ListName {
            name: a.name,
            kind: a.kind,
            strength: Strength::Strong,
            script: None,
        })
        .collect();
    r.dates_of_birth = e.dates_of_birth;
    r.places_of_birth = e.places_of_birth;
    r.nationalities = e.nationalities;
    r.nationalities.extend(e.citizenships);
    r.identifiers = e.identifiers;
    r.links = e
        .linked_to
        .into_iter()
        .map(|n| Link {
            kind: LinkKind::Other,
            to_id: None,
            to_name: Some(n),
            text: "Linked To".into(),
            share: None,
        })
        .collect();
    for (label, v) in [
        ("Title", e.title),
        ("Call sign", e.call_sign),
        ("Vessel type", e.vessel_type),
        ("Tonnage", e.tonnage),
        ("GRT", e.grt),
        ("Vessel flag", e.vessel_flag),
        ("Vessel owner", e.vessel_owner),
        ("Remarks", e.remarks),
    ] {
        r.attribute(label, v.unwrap_or_default());
    }
    for s in e.secondary_sanctions {
        r.attribute("Secondary sanctions", s);
    }
    r.attributes.extend(e.attributes);
    r.unparsed = e.unparsed;
    r
}
