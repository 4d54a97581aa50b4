//! The FCDO UK Sanctions List XML (`Designations/Designation`): the id is `UniqueID`
//! (`RUS0001`), the regime `RegimeName` (the regulations' title), the listing date
//! `DateDesignated` (dd/mm/yyyy). Individual, entity and ship details sit in nested lists
//! (`IndividualDetails/Individual/DOBs/DOB`, ...); parent companies and subsidiaries, given by
//! name, become links.

use crate::diagnostic::Diagnostic;
use crate::lists::entry::{AliasKind, EntryType, Identifier};
use crate::lists::record::{Link, LinkKind, ListImport, ListName, ListRecord, Strength};
use crate::lists::xml::Element;
use crate::source::SourceFile;

use super::dmy_date;
use super::element_error as err;

/// Read a whole file. A file that is not well-formed XML is one located error.
pub fn read(file: &SourceFile) -> ListImport {
    let (mut out, root) = match super::xml_root(file, "Designations") {
        Ok(started) => started,
        Err(refused) => return *refused,
    };
    out.published = root.text_of("DateGenerated").and_then(dmy_date);
    for el in root.children.iter().filter(|c| c.name != "DateGenerated") {
        out.seen += 1;
        if el.name != "Designation" {
            out.errors.push(err(
                file,
                el,
                format!(
                    "`<{}>` in `<Designations>`, expected `<Designation>`",
                    el.name
                ),
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

/// `Name1 ... Name5 Name6`, as the list prints a name.
fn full_name(n: &Element) -> String {
    ["Name1", "Name2", "Name3", "Name4", "Name5", "Name6"]
        .iter()
        .filter_map(|p| n.text_of(p))
        .collect::<Vec<_>>()
        .join(" ")
}

fn record(file: &SourceFile, el: &Element) -> Result<ListRecord, Diagnostic> {
    let id = el
        .text_of("UniqueID")
        .ok_or_else(|| err(file, el, "a designation without `<UniqueID>`".into()))?;
    let kind = match el.text_of("IndividualEntityShip") {
        Some("Individual") => EntryType::Individual,
        Some("Entity") => EntryType::Entity,
        Some("Ship") => EntryType::Vessel,
        other => {
            return Err(err(
                file,
                el,
                format!(
                    "designation {id}: unknown `<IndividualEntityShip>` `{}`",
                    other.unwrap_or("")
                ),
            ));
        }
    };
    let names: Vec<&Element> = el
        .child("Names")
        .map(|n| n.all("Name").collect())
        .unwrap_or_default();
    let primary = names
        .iter()
        .position(|n| n.text_of("NameType") == Some("Primary Name"))
        .unwrap_or(0);
    let name = names.get(primary).map(|n| full_name(n)).unwrap_or_default();
    if name.is_empty() {
        return Err(err(
            file,
            el,
            format!("designation {id} has no name (`<Names>`)"),
        ));
    }
    let regime = el.text_of("RegimeName").ok_or_else(|| {
        err(
            file,
            el,
            format!("designation {id} has no regime (`<RegimeName>`)"),
        )
    })?;
    let listed_on = match el.text_of("DateDesignated") {
        None => None,
        Some(d) => Some(dmy_date(d).ok_or_else(|| {
            err(
                file,
                el,
                format!("designation {id}: `<DateDesignated>` `{d}` is not a date dd/mm/yyyy"),
            )
        })?),
    };
    let (line, _) = file.line_col(el.offset);
    let mut r = ListRecord::new(id.to_string(), kind, name, line);
    r.regimes.push(regime.to_string());
    r.listed_on = listed_on;
    for (_, n) in names.iter().enumerate().filter(|(i, _)| *i != primary) {
        alias(&mut r, n);
    }
    for ch in &el.children {
        match ch.name.as_str() {
            "UniqueID" | "IndividualEntityShip" | "Names" | "RegimeName" | "DateDesignated" => {}
            _ => walk(&mut r, ch),
        }
    }
    Ok(r)
}

fn alias(r: &mut ListRecord, n: &Element) {
    let name = full_name(n);
    if name.is_empty() {
        if !n.is_empty() {
            r.unparsed.push(n.verbatim());
        }
        return;
    }
    let weak = n
        .text_of("AliasStrength")
        .is_some_and(|s| s.starts_with("Low"));
    r.aliases.push(ListName {
        name,
        kind: AliasKind::Aka,
        strength: if weak {
            Strength::Weak
        } else {
            Strength::Strong
        },
        script: None,
    });
}

/// A child of a designation, or of one of its nested lists: groups are read as a whole,
/// leaves by their name, other containers walked.
fn walk(r: &mut ListRecord, ch: &Element) {
    match ch.name.as_str() {
        "NonLatinName" => match ch.text_of("NameNonLatinScript") {
            Some(n) => r.aliases.push(ListName {
                name: n.to_string(),
                kind: AliasKind::Aka,
                strength: Strength::Strong,
                script: Some(
                    ch.text_of("NonLatinScriptLanguage")
                        .or(ch.text_of("NonLatinScriptType"))
                        .unwrap_or("non-Latin script")
                        .to_string(),
                ),
            }),
            None if ch.is_empty() => {}
            None => r.unparsed.push(ch.verbatim()),
        },
        "Address" => r.attribute(
            "Address",
            ch.children
                .iter()
                .filter(|c| !c.text.is_empty())
                .map(|c| c.text.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        ),
        "Passport" | "NationalIdentifier" => document(r, ch),
        "Location" => {
            let p = ["TownOfBirth", "CountryOfBirth"]
                .iter()
                .filter_map(|k| ch.text_of(k))
                .collect::<Vec<_>>()
                .join(", ");
            if !p.is_empty() {
                r.places_of_birth.push(p);
            }
        }
        "SanctionsImposedIndicators" => {
            for i in ch.children.iter().filter(|i| i.text == "true") {
                r.attribute("Sanction imposed", i.name.clone());
            }
        }
        _ if ch.children.is_empty() => leaf(r, ch),
        _ => {
            for c in &ch.children {
                walk(r, c);
            }
        }
    }
}

/// A leaf element: a typed fact, an attribute under a label, or `unparsed`.
fn leaf(r: &mut ListRecord, ch: &Element) {
    let v = ch.text.clone();
    if v.is_empty() {
        return;
    }
    let link = |kind| Link {
        kind,
        to_id: None,
        to_name: Some(v.clone()),
        text: ch.name.clone(),
        share: None,
    };
    let id = |kind: &str| Identifier {
        kind: kind.to_string(),
        value: v.clone(),
        country: None,
        issued: None,
        expires: None,
    };
    match ch.name.as_str() {
        "DOB" => r.dates_of_birth.push(v),
        "Nationality" => r.nationalities.push(v),
        "ParentCompany" => r.links.push(link(LinkKind::SubsidiaryOf)),
        "Subsidiary" => r.links.push(link(LinkKind::ParentOf)),
        "BusinessRegistrationNumber" => r.identifiers.push(id("Business registration number")),
        "IMONumber" => r.identifiers.push(id("IMO")),
        _ => match label(&ch.name) {
            Some(l) => r.attribute(l, v),
            None => r.unparsed.push(ch.verbatim()),
        },
    }
}

/// The label of a leaf kept as an attribute.
fn label(name: &str) -> Option<&'static str> {
    Some(match name {
        "LastUpdated" => "Last updated",
        "OFSIGroupID" => "OFSI Group ID",
        "UNReferenceNumber" => "UN reference",
        "DesignationSource" => "Designation source",
        "SanctionsImposed" => "Sanctions imposed",
        "OtherInformation" => "Other information",
        "UKStatementofReasons" => "Statement of reasons",
        "Title" => "Title",
        "PhoneNumber" => "Phone",
        "EmailAddress" => "Email",
        "Website" => "Website",
        "Gender" => "Gender",
        "Position" => "Position",
        "TypeOfEntity" => "Type of entity",
        "CurrentOwnerOperator" => "Owner or operator",
        "CurrentBelievedFlagOfShip" => "Flag",
        "PreviousFlag" => "Previous flag",
        "TypeOfShip" => "Type of ship",
        "TonnageOfShip" => "Tonnage",
        "LengthOfShip" => "Length",
        "YearBuilt" => "Year built",
        "HullIdentificationNumber" => "Hull identification number",
        _ => return None,
    })
}

/// A passport or a national identifier, with its additional information kept as written.
fn document(r: &mut ListRecord, ch: &Element) {
    let (kind, number, info) = if ch.name == "Passport" {
        (
            "Passport",
            "PassportNumber",
            "PassportAdditionalInformation",
        )
    } else {
        (
            "National identifier",
            "NationalIdentifierNumber",
            "NationalIdentifierAdditionalInformation",
        )
    };
    match ch.text_of(number) {
        Some(n) => r.identifiers.push(Identifier {
            kind: kind.to_string(),
            value: n.to_string(),
            country: None,
            issued: None,
            expires: None,
        }),
        None if ch.is_empty() => {}
        None => r.attribute(kind, ch.verbatim()),
    }
    if let Some(i) = ch.text_of(info) {
        r.attribute(&format!("{kind} details"), i);
    }
}
