//! What else than a name says a hit is, or is not, the listed target: identifiers and the date
//! of birth.
//!
//! Identifiers are compared within a class (passport, national id, tax id, company
//! registration, IMO number, BIC, LEI). The class comes from the list's label by the words
//! publishers use for it; a label of no known class is compared only with the same label.
//! The same class and the same value (letters and digits, upper case) confirms; the same class
//! and only other values contradicts. A date of birth contradicts when the record gives years of
//! birth and none is the query's year (a range `1955 to 1957` holds each year in it).

use serde::Serialize;

use crate::lists::normalize::normalize_identifier;
use crate::lists::record::ListRecord;

/// What an identifier or a date of birth says of a hit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Evidence {
    /// The record holds the query's identifier.
    IdentifierConfirms {
        /// The class compared.
        class: String,
        /// The record's identifier as the list writes it.
        listed: String,
    },
    /// The record holds identifiers of the query's class, none equal to it.
    IdentifierContradicts {
        /// The class compared.
        class: String,
        /// The query's value.
        given: String,
        /// The record's values of that class.
        listed: Vec<String>,
    },
    /// The record's years of birth include the query's.
    BirthYearAgrees {
        /// The year.
        year: i32,
    },
    /// The record gives years of birth, and the query's is not one of them.
    BirthYearContradicts {
        /// The query's year.
        given: i32,
        /// The record's dates of birth as written.
        listed: Vec<String>,
    },
}

impl Evidence {
    /// The evidence says the hit is not the listed target.
    pub fn contradicts(&self) -> bool {
        matches!(
            self,
            Evidence::IdentifierContradicts { .. } | Evidence::BirthYearContradicts { .. }
        )
    }

    /// The evidence supports the hit.
    pub fn supports(&self) -> bool {
        !self.contradicts()
    }
}

/// A query's identifier: a class or label, and a value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GivenIdentifier {
    /// The class (`passport`, `bic`...) or, for no known class, the label in lower case.
    pub class: String,
    /// Letters and digits, upper case.
    pub value: String,
    /// The value as given.
    pub raw: String,
}

impl GivenIdentifier {
    /// `TYPE:VALUE` as a user writes it (`passport:AB123456`, `BIC:BANKMXMM`).
    pub fn parse(text: &str) -> Option<GivenIdentifier> {
        let (kind, value) = text.split_once(':')?;
        let v = normalize_identifier(value);
        (!v.is_empty() && !kind.trim().is_empty()).then(|| GivenIdentifier {
            class: class_of(kind),
            value: v,
            raw: value.trim().to_string(),
        })
    }
}

/// The class of an identifier label. Publishers' own words, lower-cased, are searched in the
/// order below (most specific first).
pub fn class_of(label: &str) -> String {
    let l = label.to_lowercase();
    const CLASSES: &[(&str, &[&str])] = &[
        ("imo", &["imo", "vessel registration"]),
        ("bic", &["swift", "bic"]),
        ("lei", &["lei", "legal entity identifier"]),
        ("passport", &["passport"]),
        ("tax", &["tax", "rfc", "nit", "inn", "vat", "cuit", "ruc"]),
        (
            "national_id",
            &[
                "national id",
                "cedula",
                "cédula",
                "curp",
                "identification number",
                "id card",
                "national identification",
            ],
        ),
        (
            "registration",
            &[
                "registration",
                "registry",
                "company number",
                "business number",
                "ogrn",
                "kpp",
                "reg.",
            ],
        ),
    ];
    for (class, words) in CLASSES {
        if words.iter().any(|w| contains_word(&l, w)) {
            return (*class).to_string();
        }
    }
    l.trim().to_string()
}

/// `word` appears in `text` on word boundaries (so `inn` is not found in `vinnytsia`).
fn contains_word(text: &str, word: &str) -> bool {
    text.match_indices(word).any(|(i, _)| {
        let before = text.get(..i).and_then(|s| s.chars().last());
        let after = text.get(i + word.len()..).and_then(|s| s.chars().next());
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

/// The evidence the query's identifiers and year of birth give about `record`.
pub fn weigh(
    record: &ListRecord,
    given: &[GivenIdentifier],
    birth_year: Option<i32>,
) -> Vec<Evidence> {
    let mut out = Vec::new();
    for g in given {
        let same_class: Vec<_> = record
            .identifiers
            .iter()
            .filter(|i| class_of(&i.kind) == g.class)
            .collect();
        if same_class.is_empty() {
            continue;
        }
        match same_class
            .iter()
            .find(|i| normalize_identifier(&i.value) == g.value)
        {
            Some(i) => out.push(Evidence::IdentifierConfirms {
                class: g.class.clone(),
                listed: i.value.clone(),
            }),
            None => out.push(Evidence::IdentifierContradicts {
                class: g.class.clone(),
                given: g.raw.clone(),
                listed: same_class.iter().map(|i| i.value.clone()).collect(),
            }),
        }
    }
    if let Some(year) = birth_year {
        let years = birth_years(&record.dates_of_birth);
        if !years.is_empty() {
            out.push(if years.contains(&year) {
                Evidence::BirthYearAgrees { year }
            } else {
                Evidence::BirthYearContradicts {
                    given: year,
                    listed: record.dates_of_birth.clone(),
                }
            });
        }
    }
    out
}

/// Years of birth in dates as lists write them (`30 Jul 1957`, `1958`, `1955 to 1957`,
/// `circa 1960`).
pub fn birth_years(dates: &[String]) -> Vec<i32> {
    let mut years = Vec::new();
    for d in dates {
        let found: Vec<i32> = d
            .split(|c: char| !c.is_ascii_digit())
            .filter(|t| t.len() == 4)
            .filter_map(|t| t.parse::<i32>().ok())
            .filter(|y| (1800..=2100).contains(y))
            .collect();
        match found.as_slice() {
            [a, b] if d.to_lowercase().contains(" to ") && a <= b && b - a <= 30 => {
                years.extend(*a..=*b);
            }
            _ => years.extend(found),
        }
    }
    years.sort_unstable();
    years.dedup();
    years
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_fall_into_classes_on_word_boundaries() {
        assert_eq!(class_of("Passport"), "passport");
        assert_eq!(class_of("SWIFT/BIC"), "bic");
        assert_eq!(class_of("Vessel Registration Identification IMO"), "imo");
        assert_eq!(class_of("NIT #"), "tax");
        assert_eq!(class_of("Citizen of Vinnytsia"), "citizen of vinnytsia");
    }

    #[test]
    fn ranges_hold_each_year() {
        let y = birth_years(&["1955 to 1957".into(), "30 Jul 1960".into()]);
        assert_eq!(y, vec![1955, 1956, 1957, 1960]);
    }
}
