//! Canada's Justice Laws XML of a regulation that is a list: the Criminal Code listed
//! entities (SOR/2002-284, `Body/Section/List/Item`) and the JVCFOA schedule (SOR/2017-233,
//! `Schedule/List/Item`). One record per `Item`; the regime is the instrument number
//! (`SOR/2002-284`); the id is the instrument number and the item's label, or its LIMS id when
//! unlabelled; the listing date is the item's `lims:inforce-start-date`, which is the date the
//! item came into force in its current form (many items show a 2018 re-enactment, not the
//! original listing). Aliases are written inside the item's text (`X (also known among other
//! names as A, B and C)`); the text is kept whole as well. Items are entities unless the list
//! configuration says otherwise (`record_type`).

use chrono::NaiveDate;

use crate::diagnostic::Diagnostic;
use crate::lists::entry::{AliasKind, EntryType};
use crate::lists::record::{ListImport, ListName, ListRecord, Strength};
use crate::lists::xml::{Element, deep_text};
use crate::source::SourceFile;

use super::element_error as err;
use super::iso_date;

/// The words that open an item's aliases.
const ALIAS_OPENERS: [&str; 2] = [" (also known among other names as ", " (also known as "];

/// Read a whole file. A file that is not well-formed XML is one located error.
pub fn read(file: &SourceFile) -> ListImport {
    let (mut out, root) = match super::xml_root(file, "Regulation") {
        Ok(started) => started,
        Err(refused) => return *refused,
    };
    let ident = root.child("Identification");
    out.published = ident
        .and_then(|i| i.child("ConsolidationDate"))
        .and_then(|c| c.child("Date"))
        .and_then(ymd);
    let Some(instrument) = ident.and_then(|i| i.text_of("InstrumentNumber")) else {
        out.errors.push(err(
            file,
            &root,
            "no `<Identification><InstrumentNumber>`: which regulation is this?".into(),
        ));
        return out;
    };
    let mut items = Vec::new();
    for part in root
        .children
        .iter()
        .filter(|c| matches!(c.name.as_str(), "Body" | "Schedule"))
    {
        collect_items(part, &mut items);
    }
    for el in items {
        out.seen += 1;
        match record(file, el, instrument) {
            Ok(r) => out.records.push(r),
            Err(d) => out.errors.push(d),
        }
    }
    if out.seen == 0 {
        out.errors.push(err(
            file,
            &root,
            format!("{instrument}: no `<Item>` in its body or schedules"),
        ));
    }
    out
}

/// The list items under `el`, in document order (an item's own sub-lists are not entries).
fn collect_items<'a>(el: &'a Element, items: &mut Vec<&'a Element>) {
    for c in &el.children {
        if c.name == "Item" {
            items.push(c);
        } else {
            collect_items(c, items);
        }
    }
}

/// `<Date><YYYY>2026</YYYY><MM>6</MM><DD>15</DD></Date>`.
fn ymd(d: &Element) -> Option<NaiveDate> {
    let n = |k: &str| d.text_of(k).and_then(|v| v.parse::<u32>().ok());
    NaiveDate::from_ymd_opt(i32::try_from(n("YYYY")?).ok()?, n("MM")?, n("DD")?)
}

fn record(file: &SourceFile, el: &Element, instrument: &str) -> Result<ListRecord, Diagnostic> {
    let Some(text_el) = el.child("Text") else {
        return Err(err(
            file,
            el,
            format!("{instrument}: an `<Item>` without `<Text>`"),
        ));
    };
    let text = deep_text(file, text_el);
    if text.is_empty() {
        return Err(err(
            file,
            el,
            format!("{instrument}: an `<Item>` with an empty text"),
        ));
    }
    let key = el.text_of("Label").or(el.attr("id")).ok_or_else(|| {
        err(
            file,
            el,
            format!("{instrument}: an `<Item>` without a label or `lims:id`"),
        )
    })?;
    let listed_on = match el.attr("inforce-start-date") {
        None => None,
        Some(d) => Some(iso_date(d).ok_or_else(|| {
            err(
                file,
                el,
                format!("{instrument} item {key}: `lims:inforce-start-date` `{d}` is not a date YYYY-MM-DD"),
            )
        })?),
    };
    let (name, aliases) = split_aliases(&text);
    let (line, _) = file.line_col(el.offset);
    let mut r = ListRecord::new(
        format!("{instrument}/{key}"),
        EntryType::Entity,
        name.to_string(),
        line,
    );
    r.regimes.push(instrument.to_string());
    r.listed_on = listed_on;
    for a in aliases {
        r.aliases.push(ListName {
            name: a,
            kind: AliasKind::Aka,
            strength: Strength::Strong,
            script: None,
        });
    }
    r.attribute("Text", text.clone());
    if let Some(d) = el.attr("enacted-date") {
        r.attribute("Enacted", d);
    }
    if let Some(id) = el.attr("id") {
        r.attribute("LIMS id", id);
    }
    for ch in el
        .children
        .iter()
        .filter(|c| !matches!(c.name.as_str(), "Text" | "Label"))
    {
        if !ch.is_empty() {
            r.unparsed.push(ch.verbatim());
        }
    }
    Ok(r)
}

/// `Name (also known among other names as A, B and C)` -> the name and `[A, B, C]`. A text
/// without the words is the name alone. Commas inside a name cannot be told from separators:
/// the text is kept whole beside the split.
fn split_aliases(text: &str) -> (&str, Vec<String>) {
    for opener in ALIAS_OPENERS {
        if let Some((name, rest)) = text.split_once(opener) {
            let inner = rest.strip_suffix(')').unwrap_or(rest);
            let pieces: Vec<&str> = inner.split(", ").collect();
            let mut parts: Vec<String> = Vec::new();
            for (i, p) in pieces.iter().enumerate() {
                let last = i + 1 == pieces.len();
                match (last, p.strip_prefix("and "), p.rsplit_once(" and ")) {
                    // `A, B, and C`: the last name follows `and`.
                    (true, Some(c), _) => parts.push(c.to_string()),
                    // `A, B and C`: the last separator is ` and `.
                    (true, None, Some((b, c))) if pieces.len() > 1 => {
                        parts.push(b.to_string());
                        parts.push(c.to_string());
                    }
                    _ => parts.push((*p).to_string()),
                }
            }
            parts.retain(|p| !p.is_empty());
            return (name, parts);
        }
    }
    (text, Vec::new())
}

#[cfg(test)]
mod tests {
    use super::split_aliases;

    #[test]
    fn aliases_are_split_at_commas_and_the_last_and() {
        let (n, a) = split_aliases("X (also known among other names as A, B (BB) and C)");
        assert_eq!((n, a), ("X", vec!["A".into(), "B (BB)".into(), "C".into()]));
        let (n, a) = split_aliases("Y (also known as Z)");
        assert_eq!((n, a), ("Y", vec!["Z".into()]));
        let (n, a) = split_aliases("Plain Name (PN)");
        assert_eq!((n, a), ("Plain Name (PN)", Vec::<String>::new()));
    }
}
