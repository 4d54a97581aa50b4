//! Parsing the SDN `Remarks` column into facts.
//!
//! The column is a `; `-separated list of fragments ending in a period: `a.k.a. 'X'`,
//! `DOB 10 Dec 1948`, `Passport AD005831 (Zimbabwe) issued 11 Jan 2018`, `Linked To: NAME`,
//! `Additional Sanctions Information - ...`, and many registry numbers and labelled facts.
//! A fragment may start with `alt.` (another value of the same kind). OFAC cuts the column at
//! 1,000 characters, so a remarks text without its final period ends in a fragment that may
//! be cut short: it is never interpreted, only kept. Every fragment no rule recognises is
//! kept verbatim in `unparsed`.

use std::sync::OnceLock;

use super::entry::{Alias, AliasKind, Attribute, Identifier, SdnEntry};

/// Labels of document and registry numbers, as the list writes them. A fragment that starts
/// with one of these (the longest that fits) followed by a value is an identifier.
const IDENTIFIER_LABELS: &[&str] = &[
    "Afghan Money Service Provider License Number",
    "Aircraft Construction Number (also called L/N or S/N or F/N)",
    "Aircraft Manufacturer's Serial Number (MSN)",
    "Aircraft Serial Identification",
    "Aircraft Tail Number",
    "BIK (RU)",
    "Birth Certificate Number",
    "Bosnian Personal ID No.",
    "Branch Unit Number",
    "Business Number",
    "Business Registration Document",
    "Business Registration Number",
    "C.I.F.",
    "C.R. No.",
    "C.U.I.",
    "C.U.I.T.",
    "C.U.R.P.",
    "Cartilla de Servicio Militar Nacional",
    "Cedula No.",
    "Central Registration System Number",
    "Certificate of Incorporation Number",
    "Chamber of Commerce Number",
    "Chinese Commercial Code",
    "Citizen's Card Number",
    "Commercial Registry Number",
    "Company Number",
    "Credencial electoral",
    "D-U-N-S Number",
    "D.N.I.",
    "Digital Currency Address",
    "Diplomatic Passport",
    "Driver's License No.",
    "Dubai Chamber of Commerce Membership No.",
    "Economic Register Number (CBLS)",
    "Electoral Registry No.",
    "Enterprise Number",
    "File Number",
    "Folio Mercantil No.",
    "Government Gazette Number",
    "I.F.E.",
    "Identification Number",
    "Immigration No.",
    "Istanbul Chamber of Comm. No.",
    "Italian Fiscal Code",
    "Kenyan ID No.",
    "LE Number",
    "Legal Entity Number",
    "License",
    "MMSI",
    "Matricula Mercantil No",
    "Matricula Mercantil No.",
    "NIT",
    "National Foreign ID Number",
    "National ID No.",
    "Numero Unico de Identificacao Tributaria (NUIT)",
    "Numero de Identidad",
    "Organization Code",
    "Passport",
    "Passport Booklet",
    "Paraguayan tax identification number",
    "Permit Number",
    "Personal ID Card",
    "Previous Aircraft Tail Number",
    "Public Registration Number",
    "R.F.C.",
    "RIF",
    "RTN",
    "RUC",
    "Refugee ID Card",
    "Registered Charity No.",
    "Registration ID",
    "Registration Number",
    "Residency Number",
    "SRE Permit No.",
    "SSN",
    "SWIFT/BIC",
    "Stateless Person ID Card",
    "Tax ID No.",
    "Tazkira National ID Card",
    "Trade License No.",
    "Travel Document Number",
    "Turkish Identification Number",
    "UK Company Number",
    "US FEIN",
    "Unified Social Credit Code (USCC)",
    "United Social Credit Code Certificate (USCCC)",
    "V.A.T. Number",
    "Vessel Registration Identification",
    "VisaNumberID",
];

/// Labels of facts kept as attributes (`Gender Male`, `Website http://...`).
const ATTRIBUTE_LABELS: &[&str] = &[
    "Aircraft Manufacture Date",
    "Aircraft Mode S Transponder Code",
    "Aircraft Model",
    "Aircraft Operator",
    "Email Address",
    "FAX",
    "Fax",
    "Former Vessel Flag",
    "Gender",
    "Nationality of Registration",
    "Organization Established Date",
    "Organization Type",
    "Other Vessel Call Sign",
    "Other Vessel Flag",
    "Other Vessel Type",
    "PHONE",
    "Phone Number",
    "Position",
    "Target Type",
    "Telephone",
    "Telephone No.",
    "Vessel Year of Build",
    "Website",
];

/// Labels of sanctions notes written `LABEL - VALUE` rather than `LABEL: VALUE`.
const DASHED_NOTE_LABELS: &[&str] = &["Executive Order", "IFCA Determination"];

/// The facts parsed from one remarks text.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Remarks {
    pub aliases: Vec<Alias>,
    pub dates_of_birth: Vec<String>,
    pub places_of_birth: Vec<String>,
    pub nationalities: Vec<String>,
    pub citizenships: Vec<String>,
    pub identifiers: Vec<Identifier>,
    pub linked_to: Vec<String>,
    pub secondary_sanctions: Vec<String>,
    pub attributes: Vec<Attribute>,
    pub unparsed: Vec<String>,
}

impl Remarks {
    /// Move the parsed facts into an entry.
    pub fn fill(self, e: &mut SdnEntry) {
        e.aliases = self.aliases;
        e.dates_of_birth = self.dates_of_birth;
        e.places_of_birth = self.places_of_birth;
        e.nationalities = self.nationalities;
        e.citizenships = self.citizenships;
        e.identifiers = self.identifiers;
        e.linked_to = self.linked_to;
        e.secondary_sanctions = self.secondary_sanctions;
        e.attributes = self.attributes;
        e.unparsed = self.unparsed;
    }
}

/// Parse a remarks text; `title` (the Title column) lets a fragment repeating it be recognised.
pub fn parse(text: &str, title: Option<&str>) -> Remarks {
    let mut r = Remarks::default();
    let (body, complete) = match text.strip_suffix('.') {
        Some(b) => (b, true),
        None => (text, false),
    };
    let fragments: Vec<&str> = body.split("; ").collect();
    let last = fragments.len().saturating_sub(1);
    for (i, frag) in fragments.into_iter().enumerate() {
        let frag = frag.trim();
        if frag.is_empty() {
            continue;
        }
        // Without the final period the column was cut short: keep its last fragment as is.
        if !complete && i == last {
            r.unparsed.push(frag.to_string());
            continue;
        }
        fragment(frag, title, &mut r);
    }
    r
}

fn fragment(frag: &str, title: Option<&str>, r: &mut Remarks) {
    for (prefix, kind) in [
        ("a.k.a. ", AliasKind::Aka),
        ("f.k.a. ", AliasKind::Fka),
        ("n.k.a. ", AliasKind::Nka),
    ] {
        if let Some(rest) = frag.strip_prefix(prefix) {
            match rest.strip_prefix('\'').and_then(|x| x.strip_suffix('\'')) {
                Some(name) if !name.trim().is_empty() => r.aliases.push(Alias {
                    kind,
                    name: name.to_string(),
                }),
                _ => r.unparsed.push(frag.to_string()),
            }
            return;
        }
    }
    // `all offices worldwide`: the designation covers every office of the entity.
    let starts = |p: &str| {
        frag.get(..p.len())
            .is_some_and(|h| h.eq_ignore_ascii_case(p))
    };
    if frag
        .get(frag.len().saturating_sub(9)..)
        .is_some_and(|t| t.eq_ignore_ascii_case("worldwide"))
        && (starts("all ") || starts("and all "))
    {
        r.attributes.push(Attribute {
            label: "Scope".into(),
            value: frag.to_string(),
        });
        return;
    }
    if title.is_some_and(|t| t == frag) {
        r.attributes.push(Attribute {
            label: "Title".into(),
            value: frag.to_string(),
        });
        return;
    }
    let f = frag
        .strip_prefix("alt. ")
        .or_else(|| frag.strip_prefix("Alt. "))
        .unwrap_or(frag);
    let simple: [(&str, &mut Vec<String>); 5] = [
        ("DOB ", &mut r.dates_of_birth),
        ("POB ", &mut r.places_of_birth),
        ("nationality ", &mut r.nationalities),
        ("citizen ", &mut r.citizenships),
        ("Linked To: ", &mut r.linked_to),
    ];
    for (prefix, into) in simple {
        if let Some(v) = f
            .strip_prefix(prefix)
            .map(str::trim)
            .filter(|v| !v.is_empty())
        {
            into.push(v.to_string());
            return;
        }
    }
    if f.starts_with("Additional Sanctions Information -")
        || f.starts_with("Secondary sanctions risk:")
    {
        r.secondary_sanctions.push(f.to_string());
        return;
    }
    if let Some(id) = identifier(f) {
        r.identifiers.push(id);
        return;
    }
    if let Some(a) = attribute(f) {
        r.attributes.push(a);
        return;
    }
    r.unparsed.push(frag.to_string());
}

/// `label` followed by a space, a colon or `#`, and a non-empty rest.
fn after_label<'a>(f: &'a str, label: &str) -> Option<&'a str> {
    let rest = f.strip_prefix(label)?;
    if !(rest.starts_with(' ') || rest.starts_with(':') || rest.starts_with('#')) {
        return None;
    }
    let rest = rest.trim_start_matches([' ', ':', '#']);
    (!rest.is_empty()).then_some(rest)
}

/// The longest label of `labels` that `f` starts with (followed by a value). Labels are
/// grouped by their first character once, so a fragment is compared with a few labels only.
/// Labels by their first byte.
type Groups = Vec<Vec<&'static str>>;

fn longest_label(
    f: &str,
    labels: &'static [&'static str],
    groups: &'static OnceLock<Groups>,
) -> Option<&'static str> {
    let groups = groups.get_or_init(|| {
        let mut m: Groups = vec![Vec::new(); 256];
        for l in labels {
            if let Some(slot) = l
                .as_bytes()
                .first()
                .and_then(|b| m.get_mut(usize::from(*b)))
            {
                slot.push(l);
            }
        }
        m
    });
    groups
        .get(usize::from(*f.as_bytes().first()?))?
        .iter()
        .filter(|l| after_label(f, l).is_some())
        .max_by_key(|l| l.len())
        .copied()
}

fn identifier(f: &str) -> Option<Identifier> {
    static GROUPS: OnceLock<Groups> = OnceLock::new();
    let label = longest_label(f, IDENTIFIER_LABELS, &GROUPS)?;
    let mut rest = after_label(f, label)?;
    let mut kind = label.to_string();
    // `Digital Currency Address - XBT 1Kuf...`: the currency belongs to the label.
    if let Some(r) = rest.strip_prefix("- ") {
        let (cur, addr) = r.split_once(' ')?;
        kind = format!("{label} - {cur}");
        rest = addr.trim();
    }
    let (rest, expires) = split_tail(rest, " expires ");
    let (rest, issued) = split_tail(rest, " issued ");
    let (value, country) = match rest.strip_suffix(')').and_then(|r| r.rsplit_once(" (")) {
        Some((v, c)) if !v.trim().is_empty() && !c.contains('(') => (v.trim(), Some(c.to_string())),
        _ => (rest.trim(), None),
    };
    if value.is_empty() {
        return None;
    }
    Some(Identifier {
        kind,
        value: value.to_string(),
        country,
        issued,
        expires,
    })
}

/// Split `text` at the last `sep`: (before, Some(after)) or (text, None).
fn split_tail<'a>(text: &'a str, sep: &str) -> (&'a str, Option<String>) {
    match text.rsplit_once(sep) {
        Some((a, b)) if !b.trim().is_empty() => (a, Some(b.trim().to_string())),
        _ => (text, None),
    }
}

fn attribute(f: &str) -> Option<Attribute> {
    static GROUPS: OnceLock<Groups> = OnceLock::new();
    if let Some(label) = longest_label(f, ATTRIBUTE_LABELS, &GROUPS) {
        let value = after_label(f, label)?;
        return Some(Attribute {
            label: label.to_string(),
            value: value.to_string(),
        });
    }
    // `LABEL: VALUE` with a short label: directive notes, listing dates, telephone numbers.
    if let Some((label, value)) = f.split_once(": ")
        && !label.is_empty()
        && label.len() <= 120
        && !value.trim().is_empty()
    {
        return Some(Attribute {
            label: label.to_string(),
            value: value.trim().to_string(),
        });
    }
    for label in DASHED_NOTE_LABELS {
        if f.starts_with(label)
            && let Some((l, v)) = f.split_once(" - ")
            && !v.trim().is_empty()
        {
            return Some(Attribute {
                label: l.to_string(),
                value: v.trim().to_string(),
            });
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_dates_places_and_identifiers() {
        let r = parse(
            "DOB 15 Sep 1946; alt. DOB 15 Sep 1942; POB Zvishavane, Zimbabwe; nationality Zimbabwe; Gender Male; \
             Passport AD005831 (Zimbabwe) issued 11 Jan 2018 expires 10 Jan 2028; National ID No. 63450183P67 (Zimbabwe); \
             President of Zimbabwe; a.k.a. 'CROCODILE'.",
            Some("President of Zimbabwe"),
        );
        assert_eq!(r.dates_of_birth, vec!["15 Sep 1946", "15 Sep 1942"]);
        assert_eq!(r.places_of_birth, vec!["Zvishavane, Zimbabwe"]);
        assert_eq!(r.nationalities, vec!["Zimbabwe"]);
        assert_eq!(
            r.aliases,
            vec![Alias {
                kind: AliasKind::Aka,
                name: "CROCODILE".into()
            }]
        );
        assert_eq!(r.identifiers.len(), 2);
        assert_eq!(r.identifiers[0].kind, "Passport");
        assert_eq!(r.identifiers[0].value, "AD005831");
        assert_eq!(r.identifiers[0].country.as_deref(), Some("Zimbabwe"));
        assert_eq!(r.identifiers[0].issued.as_deref(), Some("11 Jan 2018"));
        assert_eq!(r.identifiers[0].expires.as_deref(), Some("10 Jan 2028"));
        assert_eq!(r.identifiers[1].kind, "National ID No.");
        assert!(
            r.attributes
                .iter()
                .any(|a| a.label == "Title" && a.value == "President of Zimbabwe")
        );
        assert!(
            r.attributes
                .iter()
                .any(|a| a.label == "Gender" && a.value == "Male")
        );
        assert!(r.unparsed.is_empty(), "{:?}", r.unparsed);
    }

    #[test]
    fn secondary_sanctions_links_and_kinds_of_alias() {
        let r = parse(
            "Additional Sanctions Information - Subject to Secondary Sanctions Pursuant to the Hizballah Financial Sanctions Regulations; \
             f.k.a. 'MEXICAN FEDERATION'; n.k.a. 'NEW NAME'; Linked To: HIZBALLAH; Registration Number HRA 738077 (Stuttgart) (Germany); \
             Digital Currency Address - XBT 12QtD5BFwRsdNsAZY76UVE1xyCGNTojH9h; NIT # 800018928-0 (Colombia).",
            None,
        );
        assert_eq!(r.secondary_sanctions.len(), 1);
        assert_eq!(r.linked_to, vec!["HIZBALLAH"]);
        assert_eq!(r.aliases[0].kind, AliasKind::Fka);
        assert_eq!(r.aliases[1].kind, AliasKind::Nka);
        assert_eq!(r.identifiers[0].value, "HRA 738077 (Stuttgart)");
        assert_eq!(r.identifiers[0].country.as_deref(), Some("Germany"));
        assert_eq!(r.identifiers[1].kind, "Digital Currency Address - XBT");
        assert_eq!(r.identifiers[1].value, "12QtD5BFwRsdNsAZY76UVE1xyCGNTojH9h");
        assert_eq!(r.identifiers[2].kind, "NIT");
        assert_eq!(r.identifiers[2].value, "800018928-0");
    }

    #[test]
    fn a_cut_remarks_text_keeps_its_last_fragment_uninterpreted() {
        let r = parse("a.k.a. 'ONE'; a.k.a. 'WHOIS HACKIN", None);
        assert_eq!(r.aliases.len(), 1);
        assert_eq!(r.unparsed, vec!["a.k.a. 'WHOIS HACKIN"]);
    }

    #[test]
    fn unknown_fragments_are_kept_verbatim() {
        let r = parse(
            "Member ETA; all offices worldwide; ICTY indictee; a.k.a. 'unclosed.",
            None,
        );
        assert_eq!(
            r.unparsed,
            vec!["Member ETA", "ICTY indictee", "a.k.a. 'unclosed"]
        );
        assert_eq!(
            r.attributes,
            vec![Attribute {
                label: "Scope".into(),
                value: "all offices worldwide".into()
            }]
        );
    }
}
