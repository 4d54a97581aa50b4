//! The EU Financial Sanctions Files XML 1.1 (`export/sanctionEntity`): the id is `logicalId`,
//! the type `subjectType@code`, the regime each `regulation@programme`, the listing date
//! `designationDate`. The file marks no primary name: the first `nameAlias` is taken as the
//! name and the others as aliases, each with its `nameLanguage` and `strong` flag. The
//! regulation behind the entry (number, type, publication and entry-into-force dates, URL) is
//! kept as an attribute. `regulationSummary` elements, which say which act brought each
//! sub-element, are provenance and are not repeated on the record.

use crate::diagnostic::Diagnostic;
use crate::lists::entry::{AliasKind, EntryType, Identifier};
use crate::lists::record::{ListImport, ListName, ListRecord, Strength};
use crate::lists::xml::Element;
use crate::source::SourceFile;

use super::element_error as err;
use super::iso_date;

/// Read a whole file. A file that is not well-formed XML is one located error.
pub fn read(file: &SourceFile) -> ListImport {
    let (mut out, root) = match super::xml_root(file, "export") {
        Ok(started) => started,
        Err(refused) => return *refused,
    };
    out.published = root.attr("generationDate").and_then(iso_date);
    for el in &root.children {
        out.seen += 1;
        if el.name != "sanctionEntity" {
            out.errors.push(err(
                file,
                el,
                format!("`<{}>` in `<export>`, expected `<sanctionEntity>`", el.name),
            ));
            continue;
        }
        match record(file, el) {
            Ok(r) => out.records.push(r),
            Err(d) => out.errors.push(d),
        }
    }
    out
}

/// A non-empty attribute.
fn attr<'a>(el: &'a Element, name: &str) -> Option<&'a str> {
    el.attr(name).map(str::trim).filter(|v| !v.is_empty())
}

/// The non-empty attributes named, joined with `sep`.
fn joined(el: &Element, names: &[&str], sep: &str) -> String {
    names
        .iter()
        .filter_map(|n| attr(el, n))
        .collect::<Vec<_>>()
        .join(sep)
}

/// The name a `nameAlias` gives: `wholeName`, or its parts.
fn alias_name(el: &Element) -> String {
    match attr(el, "wholeName") {
        Some(w) => w.to_string(),
        None => joined(el, &["firstName", "middleName", "lastName"], " "),
    }
}

fn record(file: &SourceFile, el: &Element) -> Result<ListRecord, Diagnostic> {
    let id = attr(el, "logicalId")
        .ok_or_else(|| err(file, el, "a `<sanctionEntity>` without `logicalId`".into()))?;
    let kind = subject_type(file, el, id)?;
    let mut names = el
        .all("nameAlias")
        .map(|a| (a, alias_name(a)))
        .filter(|(_, n)| !n.is_empty());
    let Some((_, name)) = names.next() else {
        return Err(err(
            file,
            el,
            format!("entity {id} has no name (`<nameAlias wholeName=...>`)"),
        ));
    };
    let regimes: Vec<&str> = el
        .all("regulation")
        .filter_map(|r| attr(r, "programme"))
        .collect();
    if regimes.is_empty() {
        return Err(err(
            file,
            el,
            format!("entity {id} has no regime (`<regulation programme=...>`)"),
        ));
    }
    let listed_on = match attr(el, "designationDate") {
        None => None,
        Some(d) => Some(iso_date(d).ok_or_else(|| {
            err(
                file,
                el,
                format!("entity {id}: `designationDate` `{d}` is not a date YYYY-MM-DD"),
            )
        })?),
    };
    let (line, _) = file.line_col(el.offset);
    let mut r = ListRecord::new(id.to_string(), kind, name, line);
    for g in regimes {
        if !r.regimes.iter().any(|x| x == g) {
            r.regimes.push(g.to_string());
        }
    }
    r.listed_on = listed_on;
    for (a, n) in names {
        r.aliases.push(ListName {
            name: n,
            kind: AliasKind::Aka,
            strength: if a.attr("strong") == Some("false") {
                Strength::Weak
            } else {
                Strength::Strong
            },
            script: attr(a, "nameLanguage").map(str::to_string),
        });
    }
    for (label, key) in [
        ("EU reference", "euReferenceNumber"),
        ("UN id", "unitedNationId"),
        ("Designation details", "designationDetails"),
    ] {
        r.attribute(label, attr(el, key).unwrap_or(""));
    }
    for ch in &el.children {
        fact(&mut r, ch);
    }
    Ok(r)
}

/// The record type `subjectType@code` gives.
fn subject_type(file: &SourceFile, el: &Element, id: &str) -> Result<EntryType, Diagnostic> {
    let code = el.child("subjectType").and_then(|s| attr(s, "code"));
    match code {
        Some("person") => Ok(EntryType::Individual),
        Some("enterprise") => Ok(EntryType::Entity),
        Some(other) => Err(err(
            file,
            el,
            format!("entity {id}: unknown `subjectType` code `{other}`"),
        )),
        None => Err(err(
            file,
            el,
            format!("entity {id} has no `<subjectType code=...>`"),
        )),
    }
}

/// One child element of a `sanctionEntity`, into a typed fact, an attribute, or `unparsed`.
fn fact(r: &mut ListRecord, ch: &Element) {
    match ch.name.as_str() {
        "subjectType" => r.attribute(
            "Classification",
            attr(ch, "classificationCode").unwrap_or(""),
        ),
        "regulation" => regulation(r, ch),
        "nameAlias" => {
            for (label, key) in [
                ("Function", "function"),
                ("Title", "title"),
                ("Gender", "gender"),
            ] {
                if let Some(v) = attr(ch, key)
                    && !r
                        .attributes
                        .iter()
                        .any(|a| a.label == label && a.value == v)
                {
                    r.attribute(label, v);
                }
            }
        }
        "citizenship" => {
            let c = joined(ch, &["countryDescription", "region"], ", ");
            if !c.is_empty() {
                r.nationalities.push(c);
            }
            notes(r, ch, "Citizenship note");
        }
        "birthdate" => birthdate(r, ch),
        "address" => {
            let a = joined(
                ch,
                &[
                    "street",
                    "poBox",
                    "city",
                    "zipCode",
                    "region",
                    "place",
                    "countryDescription",
                ],
                ", ",
            );
            r.attribute("Address", a);
            notes(r, ch, "Address note");
            for c in ch.all("contactInfo") {
                if let (Some(k), Some(v)) = (attr(c, "key"), attr(c, "value")) {
                    r.attribute(k, v);
                }
            }
        }
        "identification" => identification(r, ch),
        "remark" => r.attribute("Remark", ch.text.clone()),
        _ if ch.is_empty() => {}
        _ => r.unparsed.push(ch.verbatim()),
    }
}

/// The `<remark>` children of a sub-element, under `label`.
fn notes(r: &mut ListRecord, ch: &Element, label: &str) {
    for n in ch.all("remark") {
        r.attribute(label, n.text.clone());
    }
}

/// The legal act behind the entry: `2025/206 (L 202500206), amendment by the council,
/// published 2025-01-31, in force 2025-02-01`.
fn regulation(r: &mut ListRecord, ch: &Element) {
    let mut s = attr(ch, "numberTitle").unwrap_or("(no number)").to_string();
    if let Some(t) = attr(ch, "regulationType") {
        s.push_str(&format!(", {t}"));
    }
    if let Some(o) = attr(ch, "organisationType") {
        s.push_str(&format!(" by the {o}"));
    }
    if let Some(d) = attr(ch, "publicationDate") {
        s.push_str(&format!(", published {d}"));
    }
    if let Some(d) = attr(ch, "entryIntoForceDate") {
        s.push_str(&format!(", in force {d}"));
    }
    r.attribute("Regulation", s);
    if let Some(u) = ch.text_of("publicationUrl") {
        r.attribute("Regulation URL", u);
    }
}

/// A birth date as written: a full date, a year, or a year range, marked `circa` and with its
/// calendar when not Gregorian; the place beside it.
fn birthdate(r: &mut ListRecord, ch: &Element) {
    let mut d = match (
        attr(ch, "birthdate"),
        attr(ch, "year"),
        attr(ch, "yearRangeFrom"),
        attr(ch, "yearRangeTo"),
    ) {
        (Some(d), _, _, _) => d.to_string(),
        (None, Some(y), _, _) => y.to_string(),
        (None, None, Some(a), Some(b)) => format!("between {a} and {b}"),
        (None, None, Some(a), None) => format!("from {a}"),
        (None, None, None, Some(b)) => format!("until {b}"),
        (None, None, None, None) => String::new(),
    };
    if !d.is_empty() {
        if ch.attr("circa") == Some("true") {
            d = format!("circa {d}");
        }
        if let Some(c) = attr(ch, "calendarType").filter(|c| *c != "GREGORIAN") {
            d.push_str(&format!(" ({} calendar)", c.to_lowercase()));
        }
        r.dates_of_birth.push(d);
    }
    // `-` is the file's placeholder for an unknown city.
    let place = ["city", "place", "region", "countryDescription"]
        .iter()
        .filter_map(|k| attr(ch, k))
        .filter(|v| *v != "-")
        .collect::<Vec<_>>()
        .join(", ");
    if !place.is_empty() {
        r.places_of_birth.push(place);
    }
    notes(r, ch, "Birth date note");
}

fn identification(r: &mut ListRecord, ch: &Element) {
    let Some(number) = attr(ch, "number").or(attr(ch, "latinNumber")) else {
        if !ch.is_empty() {
            r.attribute("Identification", ch.verbatim());
        }
        return;
    };
    let kind = attr(ch, "identificationTypeDescription")
        .or(attr(ch, "identificationTypeCode"))
        .unwrap_or("Document");
    r.identifiers.push(Identifier {
        kind: kind.to_string(),
        value: number.to_string(),
        // `00` / `UNKNOWN` is the file's way of saying no country.
        country: attr(ch, "countryDescription")
            .filter(|c| *c != "UNKNOWN")
            .map(str::to_string),
        issued: attr(ch, "issueDate").map(str::to_string),
        expires: attr(ch, "validTo").map(str::to_string),
    });
    let flags: Vec<&str> = [
        "diplomatic",
        "knownExpired",
        "knownFalse",
        "reportedLost",
        "revokedByIssuer",
    ]
    .into_iter()
    .filter(|f| ch.attr(f) == Some("true"))
    .collect();
    if !flags.is_empty() {
        r.attribute(
            "Identification flags",
            format!("{number}: {}", flags.join(", ")),
        );
    }
    for (label, key) in [
        ("Issued by", "issuedBy"),
        ("Name on document", "nameOnDocument"),
    ] {
        if let Some(v) = attr(ch, key) {
            r.attribute(label, format!("{number}: {v}"));
        }
    }
    notes(r, ch, "Identification note");
}
