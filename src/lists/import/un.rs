//! The UN Security Council Consolidated List XML (`CONSOLIDATED_LIST`): `INDIVIDUALS/INDIVIDUAL`
//! and `ENTITIES/ENTITY`, with the regime (`UN_LIST_TYPE`) and the listing date (`LISTED_ON`).

use crate::diagnostic::{Code, Diagnostic};
use crate::lists::entry::{AliasKind, EntryType, Identifier};
use crate::lists::record::{ListImport, ListName, ListRecord, Strength};
use crate::lists::xml::Element;
use crate::source::SourceFile;

use super::element_error as err;

use super::iso_date;

/// Read a whole file. A file that is not well-formed XML is one located error.
pub fn read(file: &SourceFile) -> ListImport {
    let (mut out, root) = match super::xml_root(file, "CONSOLIDATED_LIST") {
        Ok(started) => started,
        Err(refused) => return *refused,
    };
    out.published = root.attr("dateGenerated").and_then(iso_date);
    for group in &root.children {
        let (member, kind) = match group.name.as_str() {
            "INDIVIDUALS" => ("INDIVIDUAL", EntryType::Individual),
            "ENTITIES" => ("ENTITY", EntryType::Entity),
            _ => {
                out.warnings.push(Diagnostic::warning(
                    Code::ListRow,
                    &loc(file, group),
                    format!(
                        "`<{}>` is not a list section; kept out of the records",
                        group.name
                    ),
                ));
                continue;
            }
        };
        for el in &group.children {
            out.seen += 1;
            if el.name != member {
                out.errors.push(err(
                    file,
                    el,
                    format!(
                        "`<{}>` in `<{}>`, expected `<{member}>`",
                        el.name, group.name
                    ),
                ));
                continue;
            }
            match record(file, el, kind) {
                Ok(r) => out.records.push(r),
                Err(d) => out.errors.push(d),
            }
        }
    }
    out
}

fn loc(file: &SourceFile, el: &Element) -> crate::source::Loc {
    file.loc(el.offset..el.offset)
}

const NAME_PARTS: [&str; 4] = ["FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME"];

fn record(file: &SourceFile, el: &Element, kind: EntryType) -> Result<ListRecord, Diagnostic> {
    let id = el
        .text_of("DATAID")
        .ok_or_else(|| err(file, el, "a record without `<DATAID>`".into()))?;
    let name: Vec<&str> = NAME_PARTS.iter().filter_map(|p| el.text_of(p)).collect();
    if name.is_empty() {
        return Err(err(
            file,
            el,
            format!("record {id} has no name (`<FIRST_NAME>`)"),
        ));
    }
    let regime = el.text_of("UN_LIST_TYPE").ok_or_else(|| {
        err(
            file,
            el,
            format!("record {id} has no regime (`<UN_LIST_TYPE>`)"),
        )
    })?;
    let listed_on = match el.text_of("LISTED_ON") {
        None => None,
        Some(d) => Some(iso_date(d).ok_or_else(|| {
            err(
                file,
                el,
                format!("record {id}: `<LISTED_ON>` `{d}` is not a date YYYY-MM-DD"),
            )
        })?),
    };
    let (line, _) = file.line_col(el.offset);
    let mut r = ListRecord::new(id.to_string(), kind, name.join(" "), line);
    r.regimes.push(regime.to_string());
    r.listed_on = listed_on;
    for ch in &el.children {
        fact(&mut r, ch);
    }
    Ok(r)
}

/// Values of `<X><VALUE>..</VALUE></X>`.
fn values(ch: &Element) -> impl Iterator<Item = &str> {
    ch.all("VALUE")
        .map(|v| v.text.as_str())
        .filter(|t| !t.is_empty())
}

/// The non-empty texts of the named children, joined with `, `.
fn joined(ch: &Element, parts: &[&str]) -> String {
    parts
        .iter()
        .filter_map(|p| ch.text_of(p))
        .collect::<Vec<_>>()
        .join(", ")
}

/// One child element of a record, into a typed fact, an attribute, or `unparsed`.
fn fact(r: &mut ListRecord, ch: &Element) {
    match ch.name.as_str() {
        "DATAID" | "UN_LIST_TYPE" | "LISTED_ON" | "FIRST_NAME" | "SECOND_NAME" | "THIRD_NAME"
        | "FOURTH_NAME" => {}
        "INDIVIDUAL_ALIAS" | "ENTITY_ALIAS" => alias(r, ch),
        "NAME_ORIGINAL_SCRIPT" => r.aliases.push(ListName {
            name: ch.text.clone(),
            kind: AliasKind::Aka,
            strength: Strength::Strong,
            script: Some("original script".into()),
        }),
        "NATIONALITY" => r.nationalities.extend(values(ch).map(str::to_string)),
        "INDIVIDUAL_DATE_OF_BIRTH" => {
            let d = joined(ch, &["DATE", "YEAR", "FROM_YEAR", "TO_YEAR"]);
            let t = ch.text_of("TYPE_OF_DATE").unwrap_or("EXACT");
            let note = ch
                .text_of("NOTE")
                .map(|n| format!(" ({n})"))
                .unwrap_or_default();
            if !d.is_empty() {
                r.dates_of_birth.push(match t {
                    "EXACT" => format!("{d}{note}"),
                    "BETWEEN" => format!("between {}{note}", d.replace(", ", " and ")),
                    other => format!("{} {d}{note}", other.to_lowercase()),
                });
            }
        }
        "INDIVIDUAL_PLACE_OF_BIRTH" => {
            let p = joined(ch, &["STREET", "CITY", "STATE_PROVINCE", "COUNTRY", "NOTE"]);
            if !p.is_empty() {
                r.places_of_birth.push(p);
            }
        }
        "INDIVIDUAL_DOCUMENT" => document(r, ch),
        "INDIVIDUAL_ADDRESS" | "ENTITY_ADDRESS" => {
            r.attribute(
                "Address",
                joined(
                    ch,
                    &[
                        "STREET",
                        "CITY",
                        "STATE_PROVINCE",
                        "ZIP_CODE",
                        "COUNTRY",
                        "NOTE",
                    ],
                ),
            );
        }
        "REFERENCE_NUMBER" => r.attribute("UN reference", ch.text.clone()),
        "COMMENTS1" => r.attribute("Comments", ch.text.clone()),
        "GENDER" => r.attribute("Gender", ch.text.clone()),
        "VERSIONNUM" => r.attribute("Version", ch.text.clone()),
        "TITLE" | "DESIGNATION" | "LIST_TYPE" | "LAST_DAY_UPDATED" => {
            let label = match ch.name.as_str() {
                "TITLE" => "Title",
                "DESIGNATION" => "Designation",
                "LIST_TYPE" => "List type",
                _ => "Last updated",
            };
            for v in values(ch) {
                r.attribute(label, v.to_string());
            }
        }
        "SORT_KEY" | "SORT_KEY_LAST_MOD" if ch.is_empty() => {}
        _ if ch.is_empty() => {}
        _ => r.unparsed.push(ch.verbatim()),
    }
}

fn alias(r: &mut ListRecord, ch: &Element) {
    let Some(name) = ch.text_of("ALIAS_NAME") else {
        return;
    };
    let quality = ch.text_of("QUALITY").unwrap_or("");
    let (kind, strength) = match quality {
        "Low" => (AliasKind::Aka, Strength::Weak),
        "f.k.a." => (AliasKind::Fka, Strength::Strong),
        _ => (AliasKind::Aka, Strength::Strong),
    };
    r.aliases.push(ListName {
        name: name.to_string(),
        kind,
        strength,
        script: None,
    });
    // Birth details some aliases carry are facts of the alias, kept as written.
    let extra = joined(
        ch,
        &["DATE_OF_BIRTH", "CITY_OF_BIRTH", "COUNTRY_OF_BIRTH", "NOTE"],
    );
    if !extra.is_empty() {
        r.attribute("Alias details", format!("{name}: {extra}"));
    }
}

fn document(r: &mut ListRecord, ch: &Element) {
    let kind = joined(ch, &["TYPE_OF_DOCUMENT", "TYPE_OF_DOCUMENT2"]);
    match ch.text_of("NUMBER") {
        Some(n) => r.identifiers.push(Identifier {
            kind: if kind.is_empty() {
                "Document".into()
            } else {
                kind
            },
            value: n.to_string(),
            country: ch
                .text_of("ISSUING_COUNTRY")
                .or(ch.text_of("COUNTRY_OF_ISSUE"))
                .map(str::to_string),
            issued: ch.text_of("DATE_OF_ISSUE").map(str::to_string),
            expires: None,
        }),
        None if ch.is_empty() => {}
        None => r.attribute("Document", ch.verbatim()),
    }
    // Details beside the number (notes, city of issue) are kept as written.
    let notes = joined(ch, &["NOTE", "CITY_OF_ISSUE", "COUNTRY_OF_ISSUE"]);
    if !notes.is_empty() && ch.text_of("NUMBER").is_some() {
        r.attribute("Document note", notes);
    }
}
