//! OFAC's `sdnList` XML (`sdn.xml`, and the non-SDN `consolidated.xml`): one `sdnEntry` per
//! target; program tags in `programList`, aliases with their `strong`/`weak` category,
//! documents in `idList`. The header's `Record_Count` is checked against the entries read.

use crate::diagnostic::{Code, Diagnostic};
use crate::lists::entry::{AliasKind, EntryType, Identifier};
use crate::lists::record::{ListImport, ListName, ListRecord, Strength};
use crate::lists::xml::Element;
use crate::source::SourceFile;

use super::element_error as err;

/// Read a whole file. A file that is not well-formed XML is one located error.
pub fn read(file: &SourceFile) -> ListImport {
    let (mut out, root) = match super::xml_root(file, "sdnList") {
        Ok(started) => started,
        Err(refused) => return *refused,
    };
    let mut declared = None;
    for el in &root.children {
        if el.name == "publshInformation" {
            out.published = el
                .text_of("Publish_Date")
                .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%m/%d/%Y").ok());
            declared = el
                .text_of("Record_Count")
                .and_then(|n| n.parse::<usize>().ok());
            continue;
        }
        out.seen += 1;
        if el.name != "sdnEntry" {
            out.errors.push(err(
                file,
                el,
                format!("`<{}>` in `<sdnList>`, expected `<sdnEntry>`", el.name),
            ));
            continue;
        }
        match record(file, el) {
            Ok(r) => out.records.push(r),
            Err(d) => out.errors.push(d),
        }
    }
    if let Some(n) = declared.filter(|n| *n != out.seen) {
        out.warnings.push(Diagnostic::warning(
            Code::ListRow,
            &file.loc(root.offset..root.offset),
            format!(
                "the header declares {n} records, the file has {} (cut short or edited?)",
                out.seen
            ),
        ));
    }
    out
}

/// `firstName lastName`, as OFAC's own tools print it.
fn full_name(el: &Element) -> String {
    [el.text_of("firstName"), el.text_of("lastName")]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ")
}

fn record(file: &SourceFile, el: &Element) -> Result<ListRecord, Diagnostic> {
    let uid = el
        .text_of("uid")
        .ok_or_else(|| err(file, el, "an entry without `<uid>`".into()))?;
    let name = full_name(el);
    if el.text_of("lastName").is_none() {
        return Err(err(file, el, format!("entry {uid} has no `<lastName>`")));
    }
    let kind = match el.text_of("sdnType").unwrap_or("") {
        "Individual" => EntryType::Individual,
        "Entity" => EntryType::Entity,
        "Vessel" => EntryType::Vessel,
        "Aircraft" => EntryType::Aircraft,
        other => {
            return Err(err(
                file,
                el,
                format!("entry {uid}: unknown `<sdnType>` `{other}`"),
            )
            .with_help_opt(Some(
                "expected Individual, Entity, Vessel or Aircraft".into(),
            )));
        }
    };
    let (line, _) = file.line_col(el.offset);
    let mut r = ListRecord::new(uid.to_string(), kind, name, line);
    for ch in &el.children {
        fact(&mut r, ch);
    }
    if r.regimes.is_empty() {
        return Err(err(file, el, format!("entry {uid} has no program")));
    }
    Ok(r)
}

fn fact(r: &mut ListRecord, ch: &Element) {
    match ch.name.as_str() {
        "uid" | "firstName" | "lastName" | "sdnType" => {}
        "programList" => r.regimes.extend(
            ch.all("program")
                .map(|p| p.text.clone())
                .filter(|p| !p.is_empty()),
        ),
        "akaList" => {
            for a in ch.all("aka") {
                let kind = match a.text_of("type") {
                    Some("f.k.a.") => AliasKind::Fka,
                    Some("n.k.a.") => AliasKind::Nka,
                    _ => AliasKind::Aka,
                };
                let strength = match a.text_of("category") {
                    Some("weak") => Strength::Weak,
                    _ => Strength::Strong,
                };
                r.aliases.push(ListName {
                    name: full_name(a),
                    kind,
                    strength,
                    script: None,
                });
            }
        }
        "idList" => {
            for i in ch.all("id") {
                r.identifiers.push(Identifier {
                    kind: i.text_of("idType").unwrap_or("Document").to_string(),
                    value: i.text_of("idNumber").unwrap_or("").to_string(),
                    country: i.text_of("idCountry").map(str::to_string),
                    issued: i.text_of("issueDate").map(str::to_string),
                    expires: i.text_of("expirationDate").map(str::to_string),
                });
            }
        }
        "addressList" => {
            for a in ch.all("address") {
                let parts: Vec<&str> = a
                    .children
                    .iter()
                    .filter(|c| c.name != "uid" && !c.text.is_empty())
                    .map(|c| c.text.as_str())
                    .collect();
                r.attribute("Address", parts.join(", "));
            }
        }
        "nationalityList" | "citizenshipList" => {
            for n in ch.children.iter().filter_map(|c| c.text_of("country")) {
                r.nationalities.push(n.to_string());
            }
        }
        "dateOfBirthList" => r.dates_of_birth.extend(
            ch.all("dateOfBirthItem")
                .filter_map(|d| d.text_of("dateOfBirth"))
                .map(str::to_string),
        ),
        "placeOfBirthList" => r.places_of_birth.extend(
            ch.all("placeOfBirthItem")
                .filter_map(|d| d.text_of("placeOfBirth"))
                .map(str::to_string),
        ),
        "title" => r.attribute("Title", ch.text.clone()),
        "remarks" => r.attribute("Remarks", ch.text.clone()),
        "vesselInfo" => {
            for v in ch.children.iter().filter(|c| !c.text.is_empty()) {
                r.attribute(&v.name, v.text.clone());
            }
        }
        _ if ch.is_empty() => {}
        _ => r.unparsed.push(ch.verbatim()),
    }
}
