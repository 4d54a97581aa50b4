//! Canada's Consolidated Autonomous Sanctions List XML (`data-set/record`): the regime is the
//! `Country` field, the listing date `DateOfListing` (absent from the 2020 layout, which names
//! `Entity`, `DateOfBirth` and `Title` instead). Records have no id beyond
//! (regime, schedule, item), which becomes the record id.

use crate::diagnostic::Diagnostic;
use crate::lists::entry::{AliasKind, EntryType, Identifier};
use crate::lists::record::{ListImport, ListName, ListRecord, Strength};
use crate::lists::xml::Element;
use crate::source::SourceFile;

use super::element_error as err;

use super::iso_date;

/// Read a whole file. A file that is not well-formed XML is one located error.
pub fn read(file: &SourceFile) -> ListImport {
    let (mut out, root) = match super::xml_root(file, "data-set") {
        Ok(started) => started,
        Err(refused) => return *refused,
    };
    for el in &root.children {
        out.seen += 1;
        if el.name != "record" {
            out.errors.push(err(
                file,
                el,
                format!("`<{}>` in `<data-set>`, expected `<record>`", el.name),
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

fn record(file: &SourceFile, el: &Element) -> Result<ListRecord, Diagnostic> {
    let regime = el
        .text_of("Country")
        .ok_or_else(|| err(file, el, "a record without its regime (`<Country>`)".into()))?;
    let item = el
        .text_of("Item")
        .ok_or_else(|| err(file, el, "a record without `<Item>`".into()))?;
    let schedule = el.text_of("Schedule").unwrap_or("");
    let person = [el.text_of("GivenName"), el.text_of("LastName")]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    let entity = el.text_of("EntityOrShip").or(el.text_of("Entity"));
    let (name, kind) = match (person.is_empty(), entity) {
        (false, _) => (person, EntryType::Individual),
        (true, Some(e)) if el.text_of("ShipIMONumber").is_some() => {
            (e.to_string(), EntryType::Vessel)
        }
        (true, Some(e)) => (e.to_string(), EntryType::Entity),
        (true, None) => {
            return Err(err(
                file,
                el,
                format!("record {regime} item {item} has no name"),
            ));
        }
    };
    let listed_on = match el.text_of("DateOfListing") {
        None => None,
        Some(d) => Some(iso_date(d).ok_or_else(|| {
            err(
                file,
                el,
                format!("`<DateOfListing>` `{d}` is not a date YYYY-MM-DD"),
            )
        })?),
    };
    let (line, _) = file.line_col(el.offset);
    let id = format!("{regime}/{schedule}/{item}");
    let mut r = ListRecord::new(id, kind, name, line);
    r.regimes.push(regime.to_string());
    r.listed_on = listed_on;
    for ch in el.children.iter().filter(|c| !c.text.is_empty()) {
        let v = ch.text.clone();
        match ch.name.as_str() {
            "Country" | "Item" | "GivenName" | "LastName" | "EntityOrShip" | "Entity"
            | "DateOfListing" => {}
            "Aliases" => {
                for a in v.split(',').map(str::trim).filter(|a| !a.is_empty()) {
                    r.aliases.push(ListName {
                        name: a.to_string(),
                        kind: AliasKind::Aka,
                        strength: Strength::Strong,
                        script: None,
                    });
                }
                // The field as written, since a comma may also sit inside one name.
                r.attribute("Aliases", v);
            }
            "DateOfBirthOrShipBuildDate" if kind == EntryType::Vessel => {
                r.attribute("Build date", v)
            }
            "DateOfBirthOrShipBuildDate" | "DateOfBirth" => r.dates_of_birth.push(v),
            "ShipIMONumber" => r.identifiers.push(Identifier {
                kind: "IMO".into(),
                value: v,
                country: None,
                issued: None,
                expires: None,
            }),
            "Schedule" => r.attribute("Schedule", v),
            "TitleOrShip" | "Title" => r.attribute("Title or ship type", v),
            _ => r.unparsed.push(ch.verbatim()),
        }
    }
    Ok(r)
}
