//! OpenSanctions FollowTheMoney JSON lines: one entity per line (`{id, caption, schema,
//! properties: {name: [values]}, ...}`), or, in a change feed, one `{op, entity}` per line
//! (`ADD`, `MOD`, `DEL`). Persons, organizations, companies, legal entities, vessels and
//! airplanes become records; the statements about them are folded into their records:
//! `Sanction` (regime: `programId`, else `program`, else `authority`; the listing date:
//! `listingDate`, else `startDate`, the earliest), `Ownership` (a link with its `percentage`),
//! `Directorship`, `Family`, `UnknownLink` and `Associate` (links), `Address`, `Passport` and
//! `Identification`. A statement about an entity the file does not hold is kept verbatim in
//! `loose`; an entity of another schema too.

use std::collections::HashMap;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde_json::{Map, Value};

use crate::diagnostic::{Code, Diagnostic};
use crate::lists::entry::{AliasKind, EntryType, Identifier};
use crate::lists::record::{
    Link, LinkKind, ListImport, ListName, ListOperation, ListRecord, Operation, Strength,
};
use crate::source::SourceFile;

use super::iso_date;

/// Properties that are identifiers (kind = the property's name).
const IDENTIFIERS: &[&str] = &[
    "passportNumber",
    "idNumber",
    "taxNumber",
    "registrationNumber",
    "innCode",
    "ogrnCode",
    "kppCode",
    "okpoCode",
    "leiCode",
    "swiftBic",
    "bikCode",
    "imoNumber",
    "mmsi",
    "vatCode",
    "dunsCode",
    "uniqueEntityId",
    "permId",
    "isin",
    "icaoCode",
    "ogrnipCode",
];

/// Keys of an entity object that are not facts of the target.
const ENVELOPE: &[&str] = &["id", "caption", "schema", "properties"];

/// One line's statement, kept for the second pass (folding into records).
struct Statement<'a> {
    line: u32,
    offset: usize,
    raw: &'a str,
    schema: String,
    id: String,
    props: Map<String, Value>,
}

/// The import being built: records and their index by id.
struct Reading<'a> {
    file: &'a SourceFile,
    out: ListImport,
    index: HashMap<String, usize>,
}

/// Read a whole file.
pub fn read(file: &SourceFile) -> ListImport {
    let mut rd = Reading {
        file,
        out: ListImport {
            file: file.name().to_string(),
            ..ListImport::default()
        },
        index: HashMap::new(),
    };
    if file.text().trim().is_empty() {
        rd.out.errors.push(Diagnostic::error(
            Code::ListRow,
            &file.loc(0..0),
            "the file is empty: no entity".to_string(),
        ));
        return rd.out;
    }
    let mut statements = Vec::new();
    let mut offset = 0;
    for (n, text) in file.text().split_inclusive('\n').enumerate() {
        let at = offset;
        offset += text.len();
        let raw = text.trim_end_matches(['\n', '\r']);
        if raw.trim().is_empty() {
            continue;
        }
        let line = u32::try_from(n + 1).unwrap_or(u32::MAX);
        if let Some(s) = rd.line(raw, line, at) {
            statements.push(s);
        }
    }
    for s in statements {
        rd.fold(s);
    }
    rd.out
}

impl<'a> Reading<'a> {
    fn error(&mut self, at: usize, msg: String) {
        self.out.seen += 1;
        self.out.errors.push(Diagnostic::error(
            Code::ListRow,
            &self.file.loc(at..at),
            msg,
        ));
    }

    /// One line: a record (pushed), a statement (returned for the second pass), a deletion,
    /// or a located error.
    fn line(&mut self, raw: &'a str, line: u32, at: usize) -> Option<Statement<'a>> {
        let v: Value = match serde_json::from_str(raw) {
            Ok(v) => v,
            Err(e) => {
                let col = e.column().saturating_sub(1);
                self.error(at + col.min(raw.len()), format!("not a JSON entity: {e}"));
                return None;
            }
        };
        let Value::Object(obj) = v else {
            self.error(at, "a line that is not a JSON object".into());
            return None;
        };
        let (op, mut obj) = self.unwrap_operation(obj, at)?;
        let Some(id) = obj.get("id").and_then(Value::as_str).map(str::to_string) else {
            self.error(at, "an entity without its `id`".into());
            return None;
        };
        if let Some(op) = op {
            self.out.operations.push(ListOperation {
                op,
                id: id.clone(),
                line,
            });
            if op == Operation::Delete {
                return None;
            }
        }
        let Some(schema) = obj
            .get("schema")
            .and_then(Value::as_str)
            .map(str::to_string)
        else {
            self.error(at, format!("entity `{id}` has no `schema`"));
            return None;
        };
        let kind = target_kind(&schema);
        let props = match obj.remove("properties") {
            Some(Value::Object(p)) => p,
            None => Map::new(),
            Some(_) => {
                self.error(at, format!("entity `{id}`: `properties` is not an object"));
                return None;
            }
        };
        match kind {
            Some(kind) => {
                self.record(&id, kind, &obj, &props, line, at);
                None
            }
            None => Some(Statement {
                line,
                offset: at,
                raw,
                schema,
                id,
                props,
            }),
        }
    }

    /// A change feed's `{op, entity}` unwrapped into its operation and entity; a plain entity
    /// as it is; `None` after a located error.
    fn unwrap_operation(
        &mut self,
        mut obj: Map<String, Value>,
        at: usize,
    ) -> Option<(Option<Operation>, Map<String, Value>)> {
        let op = match obj.remove("op") {
            None => return Some((None, obj)),
            Some(Value::String(op)) => match op.as_str() {
                "ADD" => Operation::Add,
                "MOD" => Operation::Modify,
                "DEL" => Operation::Delete,
                _ => {
                    self.error(at, format!("unknown operation `{op}` (ADD, MOD or DEL)"));
                    return None;
                }
            },
            Some(other) => {
                self.error(at, format!("an operation that is not a string: `{other}`"));
                return None;
            }
        };
        match obj.remove("entity") {
            Some(Value::Object(e)) => Some((Some(op), e)),
            _ => {
                self.error(at, "an operation without its `entity` object".into());
                None
            }
        }
    }

    /// A target entity into a record (or a located error when it has no name).
    fn record(
        &mut self,
        id: &str,
        kind: EntryType,
        obj: &Map<String, Value>,
        props: &Map<String, Value>,
        line: u32,
        at: usize,
    ) {
        let name = obj
            .get("caption")
            .and_then(Value::as_str)
            .filter(|c| !c.is_empty())
            .or_else(|| strings(props, "name").next());
        let Some(name) = name else {
            self.error(at, format!("entity `{id}` has no name (`caption`, `name`)"));
            return;
        };
        let mut r = ListRecord::new(id.to_string(), kind, name.to_string(), line);
        for (key, values) in props {
            property(&mut r, key, values);
        }
        for (key, v) in obj.iter().filter(|(k, _)| !ENVELOPE.contains(&k.as_str())) {
            match (key.as_str(), v) {
                (_, Value::String(s)) => r.attribute(key, s.clone()),
                (_, Value::Bool(b)) => r.attribute(key, b.to_string()),
                ("datasets" | "referents", Value::Array(a)) => {
                    for s in a.iter().filter_map(Value::as_str) {
                        r.attribute(key, s);
                    }
                }
                _ => r.unparsed.push(format!("{key}: {v}")),
            }
        }
        match self.index.get(id) {
            // A change feed may repeat an entity: the later line replaces the earlier one, one
            // record either way, and the replacement is said (never a silent loss).
            Some(&i) => {
                let earlier = self.out.records[i].line;
                self.out.records[i] = r;
                self.out.warnings.push(Diagnostic::warning(
                    Code::ListRow,
                    &self.file.loc(at..at),
                    format!(
                        "entity `{id}` repeats the one at line {earlier}: this line replaces it"
                    ),
                ));
            }
            None => {
                self.out.seen += 1;
                self.index.insert(id.to_string(), self.out.records.len());
                self.out.records.push(r);
            }
        }
    }

    /// The record `id` names, if the file holds it.
    fn target(&mut self, id: Option<&str>) -> Option<&mut ListRecord> {
        let i = *self.index.get(id?)?;
        self.out.records.get_mut(i)
    }

    /// A statement about a record, into that record; about no record of the file, verbatim
    /// into `loose` with a warning.
    fn fold(&mut self, s: Statement<'_>) {
        let first = |k: &str| strings(&s.props, k).next().map(str::to_string);
        let (subject, object, kind) = match s.schema.as_str() {
            "Sanction" => (first("entity"), None, None),
            "Ownership" => (first("owner"), first("asset"), Some(LinkKind::Owns)),
            "Directorship" => (
                first("director"),
                first("organization"),
                Some(LinkKind::DirectorOf),
            ),
            "Family" => (first("person"), first("relative"), Some(LinkKind::FamilyOf)),
            "UnknownLink" => (first("subject"), first("object"), Some(LinkKind::Other)),
            "Associate" => (first("person"), first("associate"), Some(LinkKind::Other)),
            "Passport" | "Identification" => (first("holder"), None, None),
            "Address" => (None, None, None),
            _ => {
                self.keep_loose(
                    &s,
                    format!(
                        "an entity of schema `{}` is not a list target; kept verbatim",
                        s.schema
                    ),
                );
                return;
            }
        };
        if kind.is_some() && (subject.is_none() || object.is_none()) {
            self.error(
                s.offset,
                format!("{} `{}` lacks one of the parties it links", s.schema, s.id),
            );
            return;
        }
        let share = match first("percentage").map(|p| Decimal::from_str(&p).map_err(|_| p)) {
            None => None,
            Some(Ok(d)) => Some(d),
            Some(Err(p)) => {
                self.error(
                    s.offset,
                    format!("{} `{}`: percentage `{p}` is not a number", s.schema, s.id),
                );
                return;
            }
        };
        if s.schema == "Address" {
            self.address(&s);
            return;
        }
        let Some(r) = self.target(subject.as_deref()) else {
            let who = subject.unwrap_or_default();
            self.keep_loose(
                &s,
                format!(
                    "{} `{}` is about `{who}`, which this file does not hold; kept verbatim",
                    s.schema, s.id
                ),
            );
            return;
        };
        match (kind, s.schema.as_str()) {
            (Some(kind), _) => r.links.push(Link {
                kind,
                to_id: object,
                to_name: None,
                text: link_text(&s),
                share,
            }),
            (None, "Sanction") => sanction(r, &s.props),
            (None, _) => document(r, &s.schema, &s.props),
        }
    }

    /// An address: its text on every record that names it in `addressEntity`.
    fn address(&mut self, s: &Statement<'_>) {
        let text = strings(&s.props, "full")
            .next()
            .map(str::to_string)
            .unwrap_or_else(|| joined(&s.props));
        let mut used = false;
        for r in &mut self.out.records {
            if r.attributes
                .iter()
                .any(|a| a.label == "addressEntity" && a.value == s.id)
            {
                r.attribute("Address", text.clone());
                used = true;
            }
        }
        if !used {
            self.keep_loose(
                s,
                format!(
                    "Address `{}` belongs to no record of this file; kept verbatim",
                    s.id
                ),
            );
        }
    }

    fn keep_loose(&mut self, s: &Statement<'_>, msg: String) {
        self.out.loose.push(format!("line {}: {}", s.line, s.raw));
        self.out.warnings.push(Diagnostic::warning(
            Code::ListRow,
            &self.file.loc(s.offset..s.offset),
            msg,
        ));
    }
}

/// The record type of a schema whose entities are list targets.
fn target_kind(schema: &str) -> Option<EntryType> {
    match schema {
        "Person" => Some(EntryType::Individual),
        "Organization" | "Company" | "LegalEntity" | "PublicBody" => Some(EntryType::Entity),
        "Vessel" => Some(EntryType::Vessel),
        "Airplane" => Some(EntryType::Aircraft),
        _ => None,
    }
}

/// The string values of a property.
fn strings<'m>(props: &'m Map<String, Value>, key: &str) -> impl Iterator<Item = &'m str> {
    props
        .get(key)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
}

/// Every property as `key: v1, v2`, joined with `; `, in key order.
fn joined(props: &Map<String, Value>) -> String {
    props
        .iter()
        .map(|(k, v)| match v.as_array() {
            Some(a) => format!(
                "{k}: {}",
                a.iter()
                    .map(|x| x.as_str().map_or_else(|| x.to_string(), str::to_string))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            None => format!("{k}: {v}"),
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// The words of a link: its role or relationship, else its schema.
fn link_text(s: &Statement<'_>) -> String {
    let words: Vec<&str> = ["role", "relationship"]
        .iter()
        .flat_map(|k| strings(&s.props, k))
        .collect();
    let mut t = if words.is_empty() {
        s.schema.clone()
    } else {
        words.join(", ")
    };
    let rest: Vec<String> = ["sharesCount", "startDate", "endDate", "summary"]
        .iter()
        .filter_map(|k| strings(&s.props, k).next().map(|v| format!("{k} {v}")))
        .collect();
    if !rest.is_empty() {
        t.push_str(&format!(" ({})", rest.join(", ")));
    }
    t
}

/// One property of a target into typed facts, or an attribute under its FtM name.
fn property(r: &mut ListRecord, key: &str, values: &Value) {
    let Some(values) = values.as_array() else {
        r.unparsed.push(format!("{key}: {values}"));
        return;
    };
    for v in values {
        let Some(v) = v.as_str() else {
            r.unparsed.push(format!("{key}: {v}"));
            continue;
        };
        let alias = |kind, strength| ListName {
            name: v.to_string(),
            kind,
            strength,
            script: None,
        };
        match key {
            "name" if v == r.name => {}
            "name" | "alias" => r.aliases.push(alias(AliasKind::Aka, Strength::Strong)),
            "weakAlias" => r.aliases.push(alias(AliasKind::Aka, Strength::Weak)),
            "previousName" => r.aliases.push(alias(AliasKind::Fka, Strength::Strong)),
            "birthDate" => r.dates_of_birth.push(v.to_string()),
            "birthPlace" => r.places_of_birth.push(v.to_string()),
            "nationality" | "citizenship" => r.nationalities.push(v.to_string()),
            _ if IDENTIFIERS.contains(&key) => r.identifiers.push(Identifier {
                kind: key.to_string(),
                value: v.to_string(),
                country: None,
                issued: None,
                expires: None,
            }),
            _ => r.attribute(key, v),
        }
    }
}

/// A sanction of the record: its regime, its listing date (the earliest of the record's), and
/// all its properties as one attribute.
fn sanction(r: &mut ListRecord, props: &Map<String, Value>) {
    let regime = ["programId", "program", "authority"]
        .iter()
        .find_map(|k| strings(props, k).next());
    if let Some(g) = regime
        && !r.regimes.iter().any(|x| x == g)
    {
        r.regimes.push(g.to_string());
    }
    let listed = strings(props, "listingDate")
        .next()
        .or_else(|| strings(props, "startDate").next())
        .and_then(iso_date);
    if let Some(d) = listed {
        r.listed_on = Some(r.listed_on.map_or(d, |e| e.min(d)));
    }
    let mut p = props.clone();
    p.remove("entity");
    r.attribute("Sanction", joined(&p));
}

/// A passport or an identification document of the record.
fn document(r: &mut ListRecord, schema: &str, props: &Map<String, Value>) {
    let first = |k: &str| strings(props, k).next().map(str::to_string);
    match first("number") {
        Some(n) => r.identifiers.push(Identifier {
            kind: first("type").unwrap_or_else(|| schema.to_string()),
            value: n,
            country: first("country"),
            issued: first("startDate"),
            expires: first("endDate"),
        }),
        None => {
            let mut p = props.clone();
            p.remove("holder");
            let rest = joined(&p);
            r.attribute(
                schema,
                if rest.is_empty() {
                    "no number given".to_string()
                } else {
                    rest
                },
            );
        }
    }
}
