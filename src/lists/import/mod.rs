//! Importers of published list files into [`ListRecord`](crate::lists::record::ListRecord)s, one module per format. Each
//! accounts for every record (imported, or refused with a located error) and keeps what it
//! does not understand verbatim.
//!
//! | module | format |
//! |---|---|
//! | `un` | UN Security Council Consolidated List XML |
//! | `ca_sema` | Canada Consolidated Autonomous Sanctions List XML (SEMA, JVCFOA) |
//! | `ofac_xml` | OFAC `sdnList` XML (`sdn.xml`, the non-SDN `consolidated.xml`) |
//! | `ofsi` | UK OFSI ConList CSV (one target per `Group ID`) |
//! | `ofsi_xlsx` | UK OFSI ConList.xlsx: its first sheet read as ConList.csv |
//! | `eu_fsf` | EU Financial Sanctions Files XML 1.1 (`export/sanctionEntity`) |
//! | `uksl` | FCDO UK Sanctions List XML (`Designations/Designation`, parent and subsidiary links) |
//! | `ca_justice` | Canada Justice Laws XML of a list regulation (SOR/2002-284 listed entities, the SOR/2017-233 JVCFOA schedule) |
//! | `ofac_csv` | OFAC legacy CSV set: SDN.CSV or CONS_PRIM.CSV with its ADD, ALT and comments companions |
//! | `ftm` | OpenSanctions FollowTheMoney JSON lines and its change feed (`{op, entity}`) |

pub mod ca_justice;
pub mod ca_sema;
pub mod eu_fsf;
pub mod ftm;
pub mod ofac_csv;
pub mod ofac_xml;
pub mod ofsi;
pub mod ofsi_xlsx;
pub mod uksl;
pub mod un;

use std::path::Path;

use chrono::NaiveDate;

use super::config::ListConfig;
use super::record::ListImport;
use crate::diagnostic::{Code, Diagnostic};
use crate::source::{Loc, SourceFile};

/// Read `path` with the importer its configuration names, then map regimes to tags.
pub fn import_path(path: &Path, config: &ListConfig) -> ListImport {
    let name = path.display().to_string();
    let bytes = match crate::source::read_bytes(path, "the list file") {
        Ok(b) => b,
        Err(e) => {
            return ListImport {
                list: config.id.clone(),
                file: name,
                errors: vec![e],
                ..ListImport::default()
            };
        }
    };
    if config.format == "ofac-csv" {
        return import_ofac_set(path, &bytes, &name, config);
    }
    import_bytes(&bytes, &name, config)
}

/// An OFAC legacy CSV file with the companions found beside it; an unreadable companion is
/// one error and the rest is still read.
fn import_ofac_set(path: &Path, bytes: &[u8], name: &str, config: &ListConfig) -> ListImport {
    let mut errors = Vec::new();
    let files: Vec<Option<(Vec<u8>, String)>> = ofac_csv::companion_paths(path)
        .into_iter()
        .map(|p| {
            let p = p?;
            match crate::source::read_bytes(&p, "a companion list file") {
                Ok(b) => Some((b, p.display().to_string())),
                Err(e) => {
                    errors.push(e);
                    None
                }
            }
        })
        .collect();
    let pick = |i: usize| {
        files
            .get(i)
            .and_then(Option::as_ref)
            .map(|(b, n)| (b.as_slice(), n.as_str()))
    };
    let companions = ofac_csv::Companions {
        add: pick(0),
        alt: pick(1),
        comments: pick(2),
    };
    let mut out = ofac_csv::read_set(bytes, name, &companions);
    out.errors.extend(errors);
    out.list = config.id.clone();
    config.apply(&mut out);
    out
}

/// Read a file's bytes with the importer its configuration names.
pub fn import_bytes(bytes: &[u8], name: &str, config: &ListConfig) -> ListImport {
    let mut out = match config.format.as_str() {
        "un-xml" => with_text(bytes, name, un::read),
        "ofsi-csv" if ofsi_xlsx::looks_like_xlsx(bytes) => ofsi_xlsx::read(bytes, name),
        "ofsi-csv" => with_text(bytes, name, ofsi::read),
        "ca-sema-xml" => with_text(bytes, name, ca_sema::read),
        "ofac-xml" => with_text(bytes, name, ofac_xml::read),
        "eu-fsf-xml" => with_text(bytes, name, eu_fsf::read),
        "ftm-json" => with_text(bytes, name, ftm::read),
        "uksl-xml" => with_text(bytes, name, uksl::read),
        "ca-justice-xml" => with_text(bytes, name, ca_justice::read),
        "ofac-csv" => ofac_csv::read_set(bytes, name, &ofac_csv::Companions::default()),
        other => ListImport {
            file: name.to_string(),
            errors: vec![
                Diagnostic::error(
                    Code::InvalidValue,
                    &Loc::file(name.to_string()),
                    format!("list `{}` names an unknown format `{other}`", config.id),
                )
                .with_help(
                    "known formats: un-xml, ofsi-csv, ca-sema-xml, ofac-xml, eu-fsf-xml, ftm-json, uksl-xml, ca-justice-xml, ofac-csv",
                ),
            ],
            ..ListImport::default()
        },
    };
    out.list = config.id.clone();
    config.apply(&mut out);
    out
}

/// Decode UTF-8 text (a byte-order mark is dropped); other bytes are a located error.
fn with_text(bytes: &[u8], name: &str, read: fn(&SourceFile) -> ListImport) -> ListImport {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => read(&SourceFile::new(name.to_string(), text)),
        Err(e) => {
            let at = e.valid_up_to();
            let line = bytes[..at].iter().filter(|&&b| b == b'\n').count() + 1;
            ListImport {
                file: name.to_string(),
                errors: vec![Diagnostic::error(
                    Code::ListRow,
                    &super::decode::line_loc(name, line as u64),
                    format!("the file is not UTF-8 text (invalid byte at offset {at})"),
                )],
                ..ListImport::default()
            }
        }
    }
}

/// A date written `YYYY-MM-DD` (possibly followed by a time).
pub(crate) fn iso_date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s.get(..10)?, "%Y-%m-%d").ok()
}

/// A date written `dd/mm/yyyy`.
pub(crate) fn dmy_date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s.trim(), "%d/%m/%Y").ok()
}

/// Start the import of an XML list: the import and the file's root element when the file is
/// well-formed XML whose root is `<root>`; otherwise the import holding its one located error.
fn xml_root(
    file: &SourceFile,
    root: &str,
) -> Result<(ListImport, super::xml::Element), Box<ListImport>> {
    let mut out = ListImport {
        file: file.name().to_string(),
        ..ListImport::default()
    };
    match super::xml::parse(file) {
        Ok(el) if el.name == root => Ok((out, el)),
        Ok(el) => {
            out.errors.push(element_error(
                file,
                &el,
                format!("the root element is `<{}>`, not `<{root}>`", el.name),
            ));
            Err(Box::new(out))
        }
        Err(d) => {
            out.errors.push(d);
            Err(Box::new(out))
        }
    }
}

/// A problem of one element of a list file, located at its start.
fn element_error(file: &SourceFile, el: &super::xml::Element, msg: String) -> Diagnostic {
    Diagnostic::error(Code::ListRow, &file.loc(el.offset..el.offset), msg)
}
