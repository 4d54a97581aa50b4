//! Small value types shared by rule packs, worlds and transactions: countries, currencies,
//! exact money, dates and ownership shares.

use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// A calendar day (no time, no zone): the law and the lists change from one day to the next.
pub type Date = NaiveDate;

/// Why a written value (an amount, a number, a date, a share) was refused; each variant holds
/// the text as written, and its message is the one diagnostics print.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ValueError {
    /// Not `<number> <currency>` nor `<currency> <number>`.
    #[error("`{0}` is not an amount with a currency; write it like \"377700 USD\"")]
    NotMoney(String),
    /// Not an ISO 4217 code the engine knows.
    #[error("`{0}` is not a currency code")]
    NotCurrency(String),
    /// Not an optional sign, digits and at most one point.
    #[error(
        "`{text}` is not a decimal number{}",
        if *scientific { "; write the digits out (scientific notation is not accepted)" } else { "" }
    )]
    NotDecimal {
        /// The text as written.
        text: String,
        /// It looks like scientific notation (`1e3`), which is refused on purpose.
        scientific: bool,
    },
    /// Above what a `Decimal` holds exactly.
    #[error("`{0}` is larger than the largest number the engine holds exactly ({max})", max = Decimal::MAX)]
    TooLarge(String),
    /// More significant digits than a `Decimal` holds exactly.
    #[error(
        "`{0}` has more digits than the engine holds exactly (at most 28 significant digits); round it"
    )]
    TooPrecise(String),
    /// Not ten characters `YYYY-MM-DD`.
    #[error("`{0}` is not a date; write it as YYYY-MM-DD")]
    NotDate(String),
    /// Shaped like a date but not one of the calendar (2025-02-30).
    #[error("`{0}` is not a valid calendar date (YYYY-MM-DD)")]
    NoSuchDate(String),
    /// A share below 0 or above 100 percent.
    #[error("share `{0}` is outside 0..100 percent")]
    ShareOutOfRange(String),
    /// A share range whose lower bound is above its upper bound.
    #[error("share range `{0}` has its lower bound above its upper bound")]
    ShareRangeReversed(String),
    /// A share with more than [`MAX_SHARE_DECIMALS`] decimal places.
    #[error(
        "share `{0}` has more than {MAX_SHARE_DECIMALS} decimal places; round it, or write a range such as \"33.33-33.34\""
    )]
    ShareTooPrecise(String),
    /// Neither a percentage, a range nor `unknown`.
    #[error(
        "`{0}` is not a share; write a percentage like \"50\", a range like \"30-60\", or \"unknown\""
    )]
    NotShare(String),
    /// A share range whose bounds are not numbers.
    #[error("`{0}` is not a share range; write it like \"30-60\"")]
    NotShareRange(String),
}

/// Diagnostics carry messages as text; a refused value becomes its message.
impl From<ValueError> for String {
    fn from(e: ValueError) -> String {
        e.to_string()
    }
}

/// Why an id was refused; the message completes `<what> id <id> ...`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    /// The id is empty.
    #[error("is empty")]
    Empty,
    /// Longer than [`MAX_ID_CHARS`].
    #[error("is longer than {MAX_ID_CHARS} characters")]
    TooLong,
    /// Contains a space, tab or other whitespace.
    #[error("contains whitespace")]
    Whitespace,
    /// Contains a character outside the id alphabet (see [`ID_HELP`]).
    #[error("contains `{}` (U+{:04X}), which ids may not contain", .0.escape_default(), u32::from(*.0))]
    Character(char),
}

/// An ISO 3166-1 alpha-2 country code (`US`, `MX`), checked against the maintained table of
/// the `iso_country` crate: a code no country has (`UK`) would silently match nothing.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Country([u8; 2]);

impl Country {
    /// The country with this ISO 3166-1 alpha-2 code (upper case), if one has it.
    pub fn parse(s: &str) -> Option<Country> {
        let b = s.as_bytes();
        match b {
            [a, c]
                if a.is_ascii_uppercase()
                    && c.is_ascii_uppercase()
                    && iso_currency::Country::from_str(s).is_ok() =>
            {
                Some(Country([*a, *c]))
            }
            _ => None,
        }
    }

    /// The ISO code for a common non-ISO country abbreviation (`UK` -> `GB`, `EL` -> `GR`).
    pub fn iso_for(alias: &str) -> Option<Country> {
        match alias.to_ascii_uppercase().as_str() {
            "UK" => Country::parse("GB"),
            "EL" => Country::parse("GR"),
            other => Country::parse(other),
        }
    }

    /// The two-letter code.
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).unwrap_or("??")
    }
}

impl fmt::Display for Country {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
impl fmt::Debug for Country {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
impl Serialize for Country {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// An ISO 4217 currency code (`USD`, `EUR`), checked against the maintained table of the
/// `iso_currency` crate.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Currency([u8; 3]);

impl Currency {
    /// The currency with this ISO 4217 code (upper case), if one has it.
    pub fn parse(s: &str) -> Option<Currency> {
        match s.as_bytes() {
            [a, b, c]
                if [a, b, c].iter().all(|x| x.is_ascii_uppercase())
                    && iso_currency::Currency::from_code(s).is_some() =>
            {
                Some(Currency([*a, *b, *c]))
            }
            _ => None,
        }
    }

    /// The three-letter code.
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).unwrap_or("???")
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
impl fmt::Debug for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
impl Serialize for Currency {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// An exact amount in a currency.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Money {
    /// The amount, exact (never a float).
    pub amount: Decimal,
    /// Its currency.
    pub currency: Currency,
}

impl Money {
    /// `amount` in `currency`.
    pub fn new(amount: Decimal, currency: Currency) -> Self {
        Money { amount, currency }
    }

    /// Parse `"377700 USD"` or `"GBP 1000000"`.
    pub fn parse(s: &str) -> Result<Money, ValueError> {
        let parts: Vec<&str> = s.split_whitespace().collect();
        let (num, cur) = match parts.as_slice() {
            [a, b] if Currency::parse(b).is_some() => (*a, *b),
            [a, b] if Currency::parse(a).is_some() => (*b, *a),
            _ => {
                return Err(ValueError::NotMoney(s.to_string()));
            }
        };
        let amount = parse_decimal(num)?;
        let currency =
            Currency::parse(cur).ok_or_else(|| ValueError::NotCurrency(cur.to_string()))?;
        Ok(Money { amount, currency })
    }
}

impl PartialOrd for Money {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
/// Orders by currency, then amount: a total order for sorting, not a comparison of value.
impl Ord for Money {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (self.currency, self.amount).cmp(&(other.currency, other.amount))
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {}",
            group_thousands(&self.amount.normalize().to_string()),
            self.currency
        )
    }
}
impl fmt::Debug for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{self}")
    }
}
impl Serialize for Money {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("Money", 2)?;
        st.serialize_field("amount", &self.amount.normalize().to_string())?;
        st.serialize_field("currency", &self.currency)?;
        st.end()
    }
}

/// `1234567.5` -> `1,234,567.5`, for reports only.
pub fn group_thousands(s: &str) -> String {
    let (sign, rest) = s.strip_prefix('-').map_or(("", s), |r| ("-", r));
    let (int, frac) = rest
        .split_once('.')
        .map_or((rest, None), |(i, f)| (i, Some(f)));
    let mut out = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    match frac {
        Some(f) => format!("{sign}{out}.{f}"),
        None => format!("{sign}{out}"),
    }
}

/// Parse an exact decimal: an optional sign, digits, at most one point. Scientific notation
/// (`1e3`), `nan` and `inf` never enter, and a number that a `Decimal` cannot hold exactly
/// (above 79,228,162,514,264,337,593,543,950,335, or more than 28 significant digits) is
/// refused rather than rounded: `0.00000000000000000000000000001` must not become 0.
pub fn parse_decimal(s: &str) -> Result<Decimal, ValueError> {
    let t = s.trim().replace('_', "");
    let digits = t.strip_prefix(['-', '+']).unwrap_or(&t);
    let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
    let well_formed = !int.is_empty()
        && int.bytes().all(|b| b.is_ascii_digit())
        && frac.bytes().all(|b| b.is_ascii_digit())
        && !(digits.contains('.') && frac.is_empty());
    if !well_formed {
        let scientific = t.contains(['e', 'E']) && !t.contains(char::is_whitespace);
        return Err(ValueError::NotDecimal {
            text: s.to_string(),
            scientific,
        });
    }
    Decimal::from_str_exact(&t).map_err(|_| {
        let int_digits = int.trim_start_matches('0').len();
        if int_digits > 28 || Decimal::from_str(&t).is_err() {
            ValueError::TooLarge(s.to_string())
        } else {
            ValueError::TooPrecise(s.to_string())
        }
    })
}

/// The longest id accepted.
pub const MAX_ID_CHARS: usize = 200;
/// What an id may contain (docs/scenario-format.md and docs/rule-language.md say the same).
pub const ID_HELP: &str =
    "ids use the letters A-Z and a-z, the digits 0-9 and `.` `_` `-` `:` `/`, at most 200 of them";

/// Ids of parties, transactions, rules and every other record: printable ASCII letters,
/// digits and `. _ - : /`, so an id reads the same everywhere it is printed (no control,
/// bidirectional or zero-width characters, no look-alike letters).
pub fn check_id(id: &str) -> Result<(), IdError> {
    if id.is_empty() {
        return Err(IdError::Empty);
    }
    if id.chars().count() > MAX_ID_CHARS {
        return Err(IdError::TooLong);
    }
    match id
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | ':' | '/')))
    {
        Some(c) if c.is_whitespace() => Err(IdError::Whitespace),
        Some(c) => Err(IdError::Character(c)),
        None => Ok(()),
    }
}

/// Parse `YYYY-MM-DD`, rejecting impossible dates such as 2025-02-30.
pub fn parse_date(s: &str) -> Result<Date, ValueError> {
    let t = s.trim();
    if t.len() != 10 {
        return Err(ValueError::NotDate(s.to_string()));
    }
    NaiveDate::parse_from_str(t, "%Y-%m-%d").map_err(|_| ValueError::NoSuchDate(s.to_string()))
}

/// An ownership share: exact, a closed range, or unknown.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub enum Share {
    /// Exactly this percentage.
    Exact(Decimal),
    /// Somewhere between these percentages (inclusive): what a record that is not sure says.
    Range(Decimal, Decimal),
    /// Held, but how much is not known (anything from 0 to 100 percent).
    Unknown,
}

impl Share {
    /// Lower and upper bound in percent.
    pub fn bounds(&self) -> (Decimal, Decimal) {
        match *self {
            Share::Exact(d) => (d, d),
            Share::Range(lo, hi) => (lo, hi),
            Share::Unknown => (Decimal::ZERO, Decimal::ONE_HUNDRED),
        }
    }

    /// Parse `"50"`, `"12.5"`, `"30-60"` or `"unknown"`; values must lie in 0..=100.
    pub fn parse(s: &str) -> Result<Share, ValueError> {
        let t = s.trim().trim_end_matches('%').trim();
        if t.eq_ignore_ascii_case("unknown") || t == "?" {
            return Ok(Share::Unknown);
        }
        let check = |d: Decimal| -> Result<Decimal, ValueError> {
            if d < Decimal::ZERO || d > Decimal::ONE_HUNDRED {
                Err(ValueError::ShareOutOfRange(s.to_string()))
            } else {
                Ok(d)
            }
        };
        // A range uses a hyphen between two non-negative numbers: "30-60".
        if let Some((a, b)) = t.split_once('-').filter(|(a, _)| !a.trim().is_empty()) {
            let lo = check(share_number(a, s, bad_range)?)?;
            let hi = check(share_number(b, s, bad_range)?)?;
            if lo > hi {
                return Err(ValueError::ShareRangeReversed(s.to_string()));
            }
            return Ok(if lo == hi {
                Share::Exact(lo)
            } else {
                Share::Range(lo, hi)
            });
        }
        let d = share_number(t, s, |s| ValueError::NotShare(s.to_string()))?;
        Ok(Share::Exact(check(d)?))
    }
}

/// Shares carry at most this many decimal places. With at most 12 digits before the point
/// (a sum of up to 10^10 shares of at most 100), every sum of shares then fits the 28
/// significant digits of a `Decimal` exactly: no sum is ever rounded.
pub const MAX_SHARE_DECIMALS: usize = 16;

/// One number of a share (`whole` is the share as written, for messages).
fn share_number(
    raw: &str,
    whole: &str,
    malformed: fn(&str) -> ValueError,
) -> Result<Decimal, ValueError> {
    let t = raw.trim().replace('_', "");
    let decimals = t
        .split_once('.')
        .map_or("", |(_, f)| f)
        .trim_end_matches('0');
    if decimals.len() > MAX_SHARE_DECIMALS && decimals.chars().all(|c| c.is_ascii_digit()) {
        return Err(ValueError::ShareTooPrecise(whole.to_string()));
    }
    parse_decimal(&t).map_err(|_| malformed(whole))
}

fn bad_range(s: &str) -> ValueError {
    ValueError::NotShareRange(s.to_string())
}

impl fmt::Display for Share {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Share::Exact(d) => write!(f, "{}%", d.normalize()),
            Share::Range(a, b) => write!(f, "{}-{}%", a.normalize(), b.normalize()),
            Share::Unknown => write!(f, "unknown share"),
        }
    }
}
impl fmt::Debug for Share {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{self}")
    }
}

/// A date or date-time written in TOML, kept as text until lowering validates it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawDate(pub String);

impl<'de> Deserialize<'de> for RawDate {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = RawDate;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a date like 2025-02-20")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<RawDate, E> {
                Ok(RawDate(v.to_string()))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<RawDate, A::Error> {
                let dt = toml::value::Datetime::deserialize(
                    serde::de::value::MapAccessDeserializer::new(map),
                )?;
                Ok(RawDate(dt.to_string()))
            }
        }
        d.deserialize_any(V)
    }
}

impl Serialize for RawDate {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match toml::value::Datetime::from_str(&self.0) {
            Ok(dt) => dt.serialize(s),
            Err(_) => s.serialize_str(&self.0),
        }
    }
}

/// The key under which the TOML reader passes a float's exact text (see `toml_input`).
pub const EXACT_NUMBER_KEY: &str = "$interdict::exact-number";

/// A number written as a TOML integer, float or string, kept as its exact text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawNumber(pub String);

impl<'de> Deserialize<'de> for RawNumber {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = RawNumber;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a number like 50 or \"12.5\"")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<RawNumber, E> {
                Ok(RawNumber(v.to_string()))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<RawNumber, E> {
                Ok(RawNumber(v.to_string()))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<RawNumber, E> {
                Ok(RawNumber(v.to_string()))
            }
            fn visit_i128<E: serde::de::Error>(self, v: i128) -> Result<RawNumber, E> {
                Ok(RawNumber(v.to_string()))
            }
            fn visit_u128<E: serde::de::Error>(self, v: u128) -> Result<RawNumber, E> {
                Ok(RawNumber(v.to_string()))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<RawNumber, A::Error> {
                match map.next_key::<String>()? {
                    Some(k) if k == EXACT_NUMBER_KEY => Ok(RawNumber(map.next_value()?)),
                    _ => Err(serde::de::Error::invalid_type(
                        serde::de::Unexpected::Map,
                        &self,
                    )),
                }
            }
        }
        d.deserialize_any(V)
    }
}

impl Serialize for RawNumber {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros_free::dec;

    mod rust_decimal_macros_free {
        pub fn dec(s: &str) -> rust_decimal::Decimal {
            s.parse().unwrap()
        }
    }

    #[test]
    fn shares_parse_exact_ranges_and_unknowns() {
        assert_eq!(Share::parse("50").unwrap(), Share::Exact(dec("50")));
        assert_eq!(
            Share::parse("33.3333").unwrap(),
            Share::Exact(dec("33.3333"))
        );
        assert_eq!(
            Share::parse("30-60").unwrap(),
            Share::Range(dec("30"), dec("60"))
        );
        assert_eq!(Share::parse("unknown").unwrap(), Share::Unknown);
        assert!(Share::parse("101").is_err());
        assert!(Share::parse("-5").is_err());
        assert!(Share::parse("60-30").is_err());
        assert!(Share::parse("30-").is_err());
        assert!(Share::parse("abc").is_err());
        assert_eq!(
            Share::parse("12.1234567890123456").unwrap(),
            Share::Exact(dec("12.1234567890123456"))
        );
        assert_eq!(
            Share::parse("12.50000000000000000000").unwrap(),
            Share::Exact(dec("12.5"))
        );
        assert!(
            Share::parse("12.12345678901234567")
                .unwrap_err()
                .to_string()
                .contains("more than 16 decimal places")
        );
        assert!(Share::parse("0.99999999999999999999999999999").is_err());
    }

    #[test]
    fn money_and_dates_parse_strictly() {
        let m = Money::parse("377700 USD").unwrap();
        assert_eq!(m.amount, dec("377700"));
        assert_eq!(m.to_string(), "377,700 USD");
        assert_eq!(
            Money::parse("GBP 1000000").unwrap().currency.as_str(),
            "GBP"
        );
        assert!(Money::parse("100").is_err());
        assert!(parse_date("2025-02-30").is_err());
        assert!(parse_date("2025-2-3").is_err());
        assert_eq!(parse_date("2024-02-29").unwrap().to_string(), "2024-02-29");
    }
}
