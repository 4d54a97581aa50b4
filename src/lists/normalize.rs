//! Name normalisation for matching (documented in docs/lists.md):
//!
//! 1. diacritics are removed (Unicode NFKD, combining marks dropped; `ß` -> `SS`, `Æ` -> `AE`,
//!    `Ø` -> `O`, `Œ` -> `OE`, `Ł` -> `L`, `Ð` -> `D`, `Þ` -> `TH`), and letters of other
//!    scripts are transliterated to Latin (`any_ascii`: `Путин` -> `PUTIN`, `Σαρρής` ->
//!    `SARRIS`; Arabic script has no written short vowels, `أسامة بن لادن` -> `SMH BN LDN`,
//!    so it meets a Latin entry only through fuzzy matching, if at all);
//! 2. letters are upper-cased;
//! 3. apostrophes and full stops are removed, joining what they separate (`S.A.` -> `SA`,
//!    `O'NEIL` -> `ONEIL`); every other character that is not a letter or digit separates
//!    words (hyphens, commas, slashes, brackets);
//! 4. common legal-form words are dropped at the end of the name (`SA DE CV`, `LLC`, `LTD`,
//!    `CO LTD`, `GMBH`, ...) and a few at its start (`OOO`, `PT`, ...), unless nothing would
//!    be left;
//! 5. the words are sorted, so word order does not matter (`GUZMAN LOERA, Joaquin` and
//!    `Joaquin Guzman Loera` meet).

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Legal-form words dropped from the end of a name, as word sequences after steps 1-3.
/// Longer sequences are tried first, and dropping repeats (`TRADING CO LTD` -> `TRADING`).
const TRAILING_FORMS: &[&[&str]] = &[
    &["S", "DE", "RL", "DE", "CV"],
    &["SAPI", "DE", "CV"],
    &["SAB", "DE", "CV"],
    &["SA", "DE", "CV"],
    &["SPR", "DE", "RL"],
    &["S", "DE", "RL"],
    &["DE", "CV"],
    &["SDN", "BHD"],
    &["SP", "Z", "OO"],
    &["FZ", "LLC"],
    &["PTY", "LTD"],
    &["PVT", "LTD"],
    &["PTE", "LTD"],
    &["CO", "LTD"],
    &["AG"],
    &["BHD"],
    &["BV"],
    &["CA"],
    &["CIA"],
    &["CJSC"],
    &["CO"],
    &["COMPANY"],
    &["CORP"],
    &["CORPORATION"],
    &["DMCC"],
    &["FZC"],
    &["FZCO"],
    &["FZE"],
    &["GMBH"],
    &["INC"],
    &["INCORPORATED"],
    &["JSC"],
    &["KG"],
    &["LIMITED"],
    &["LLC"],
    &["LLP"],
    &["LP"],
    &["LTD"],
    &["LTDA"],
    &["NV"],
    &["OJSC"],
    &["PJSC"],
    &["PLC"],
    &["PTE"],
    &["SA"],
    &["SAC"],
    &["SAL"],
    &["SARL"],
    &["SAS"],
    &["SL"],
    &["SPA"],
    &["SRL"],
];

/// Legal-form words dropped from the start of a name (Russian, Ukrainian, Indonesian forms).
const LEADING_FORMS: &[&str] = &[
    "AO", "CJSC", "JSC", "OAO", "OJSC", "OOO", "PAO", "PJSC", "PT", "TOO", "ZAO",
];

/// A name after normalisation: its words in original order and the matching keys.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NormalName {
    /// Words in the order written, legal forms dropped: `CARTEL DE JALISCO`.
    pub plain: String,
    /// The same words sorted: the key exact matching compares.
    pub sorted: String,
}

impl NormalName {
    /// Whether nothing remained after normalisation (the name had no letters or digits).
    pub fn is_empty(&self) -> bool {
        self.sorted.is_empty()
    }
}

/// Steps 1-3: fold and upper-case; words are separated by spaces.
fn fold(name: &str) -> String {
    let mut folded = String::with_capacity(name.len());
    for c in name.chars() {
        if c.is_ascii() {
            push_ascii(c, &mut folded);
        } else {
            match c {
                'ß' => folded.push_str("SS"),
                'Æ' | 'æ' => folded.push_str("AE"),
                'Œ' | 'œ' => folded.push_str("OE"),
                'Ø' | 'ø' => folded.push('O'),
                'Ł' | 'ł' => folded.push('L'),
                'Ð' | 'ð' | 'Đ' | 'đ' => folded.push('D'),
                'Þ' | 'þ' => folded.push_str("TH"),
                'ı' => folded.push('I'),
                '\u{2019}' | '\u{2018}' | '\u{02BC}' => {}
                _ => {
                    for d in std::iter::once(c).nfkd().filter(|d| !is_combining_mark(*d)) {
                        if d.is_ascii() {
                            push_ascii(d, &mut folded);
                        } else if d.is_alphanumeric() {
                            // Other scripts are transliterated (`Путин` -> `PUTIN`), so that
                            // a name written in any script meets its Latin entry.
                            // A letter with no Latin form (Arabic alif) adds nothing.
                            for l in any_ascii::any_ascii_char(d).chars() {
                                push_ascii(l, &mut folded);
                            }
                        } else {
                            folded.push(' ');
                        }
                    }
                }
            }
        }
    }
    folded
}

/// Steps 1-3: fold, upper-case and split into words.
pub fn words(name: &str) -> Vec<String> {
    fold(name)
        .split_ascii_whitespace()
        .map(str::to_string)
        .collect()
}

fn push_ascii(c: char, out: &mut String) {
    match c {
        'a'..='z' => out.push(c.to_ascii_uppercase()),
        'A'..='Z' | '0'..='9' => out.push(c),
        '\'' | '.' | '`' => {}
        _ => out.push(' '),
    }
}

/// Step 4: drop legal-form words at the end (repeatedly) and at the start, keeping at least
/// one word.
pub(crate) fn drop_legal_forms<S: AsRef<str>>(words: &mut Vec<S>) {
    loop {
        let n = words.len();
        // Most names end in no legal form: rule that out with one comparison per form.
        let last = words.last().map(|w| w.as_ref()).unwrap_or_default();
        if !TRAILING_FORMS.iter().any(|f| f.last() == Some(&last)) {
            break;
        }
        let form = TRAILING_FORMS.iter().find(|f| {
            f.len() < n
                && words
                    .get(n - f.len()..)
                    .is_some_and(|tail| tail.iter().zip(f.iter()).all(|(w, x)| w.as_ref() == *x))
        });
        match form {
            Some(f) => words.truncate(n - f.len()),
            None => break,
        }
    }
    if words.len() > 1
        && words
            .first()
            .is_some_and(|w| LEADING_FORMS.contains(&w.as_ref()))
    {
        words.remove(0);
    }
}

/// Normalise a name (steps 1-5).
pub fn normalize(name: &str) -> NormalName {
    let folded = fold(name);
    let mut w: Vec<&str> = folded.split_ascii_whitespace().collect();
    drop_legal_forms(&mut w);
    let plain = w.join(" ");
    w.sort_unstable();
    NormalName {
        plain,
        sorted: w.join(" "),
    }
}

/// Normalise a document or registry number: letters and digits only, upper-cased.
pub fn normalize_identifier(value: &str) -> String {
    value
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_diacritics_punctuation_and_order_do_not_matter() {
        let a = normalize("Cártel de Jalisco Nueva Generación");
        let b = normalize("CARTEL DE JALISCO NUEVA GENERACION");
        assert_eq!(a, b);
        assert_eq!(
            normalize("GUZMAN LOERA, Joaquin").sorted,
            normalize("Joaquin Guzmán-Loera").sorted
        );
        assert_eq!(normalize("O'Neil").sorted, "ONEIL");
        assert_eq!(normalize("Straße Øst").sorted, "OST STRASSE");
    }

    #[test]
    fn legal_forms_are_dropped_at_the_ends_only() {
        assert_eq!(
            normalize("Agroexportadora del Valle S.A. de C.V.").plain,
            "AGROEXPORTADORA DEL VALLE"
        );
        assert_eq!(
            normalize("ANGLO-CARIBBEAN CO., LTD.").plain,
            "ANGLO CARIBBEAN"
        );
        assert_eq!(normalize("OOO Romashka").plain, "ROMASHKA");
        // A form word in the middle is part of the name; a name is never emptied.
        assert_eq!(normalize("SA Trading House").plain, "SA TRADING HOUSE");
        assert_eq!(normalize("LLC").plain, "LLC");
    }

    #[test]
    fn other_scripts_are_transliterated_to_latin() {
        assert_eq!(normalize("Владимир Путин").sorted, "PUTIN VLADIMIR");
        assert_eq!(
            normalize("Путин, Владимир").sorted,
            normalize("PUTIN, Vladimir").sorted
        );
        assert_eq!(normalize("ΣΑΡΡΗΣ").plain, "SARRIS");
        // Arabic script writes no short vowels: the Latin form is consonants only.
        assert_eq!(normalize("أسامة بن لادن").plain, "SMH BN LDN");
        // A name with no letter of Latin form normalises to nothing, and so never matches.
        assert!(normalize("\u{0627}").is_empty());
    }

    #[test]
    fn identifiers_keep_letters_and_digits() {
        assert_eq!(normalize_identifier("AD-005 831"), "AD005831");
    }
}
