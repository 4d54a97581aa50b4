//! What went wrong in a record, as data: the kind of fault serde's derived code reported
//! (unknown key, missing key, unknown value, wrong type, ...), its names, and its span.
//!
//! The TOML deserializer keeps only a message and a span; the derived `Deserialize` impls call
//! `Error::unknown_field`, `missing_field`, `invalid_type` and so on, and those calls are where
//! the kind is known. [`deserialize`] therefore runs the record's deserialization through a
//! wrapper whose error type is [`Fault`]: the derived code's calls land in `Fault`'s
//! constructors, so diagnostic codes come from the error value itself, never from reading
//! serde's English. Between the wrapper's layers the TOML deserializer still sits in the middle
//! (it owns the spans), so a fault crossing it travels as a TOML error while its kind waits in
//! a side slot, and the innermost span it picked up is kept.

use std::cell::RefCell;
use std::fmt;
use std::ops::Range;

use serde::de::{
    self, DeserializeSeed, Deserializer, EnumAccess, Expected, MapAccess, SeqAccess, Unexpected,
    VariantAccess, Visitor,
};

/// The kind of a record's fault.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FaultKind {
    /// A key the record does not know; `expected` are the keys it does.
    UnknownKey {
        name: String,
        expected: Vec<&'static str>,
    },
    /// A required key is absent.
    MissingKey(&'static str),
    /// A key given twice.
    DuplicateKey(&'static str),
    /// A value that is not one of the allowed names.
    UnknownValue {
        name: String,
        expected: Vec<&'static str>,
    },
    /// A value of the wrong type: what was found and what was expected, in serde's words.
    WrongType { found: String, expected: String },
    /// An array or tuple of the wrong length.
    WrongLength { len: usize, expected: String },
    /// A value of the right type that is not acceptable.
    BadValue { found: String, expected: String },
    /// Anything else (a message from a hand-written `Deserialize` or from the TOML layer).
    Other(String),
}

/// A record's fault and the byte span of the value or key it concerns, when known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fault {
    pub kind: FaultKind,
    pub span: Option<Range<usize>>,
}

impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            FaultKind::UnknownKey { name, .. } => write!(f, "unknown key `{name}`"),
            FaultKind::MissingKey(name) => write!(f, "missing key `{name}`"),
            FaultKind::DuplicateKey(name) => write!(f, "duplicate key `{name}`"),
            FaultKind::UnknownValue { name, .. } => write!(f, "unknown value `{name}`"),
            FaultKind::WrongType { found, expected } => {
                write!(f, "wrong type: found {found}, expected {expected}")
            }
            FaultKind::WrongLength { len, expected } => {
                write!(f, "wrong length {len}, expected {expected}")
            }
            FaultKind::BadValue { found, expected } => {
                write!(f, "invalid value: {found}, expected {expected}")
            }
            FaultKind::Other(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for Fault {}

/// The error type inside the wrapper: the inner deserializer's own error, kept whole (the TOML
/// layer has put its span on it), or a fault reported by derived code, as data.
#[derive(Debug)]
enum Caught<E> {
    Inner(E),
    Fault(FaultKind),
}

impl<E: fmt::Display> fmt::Display for Caught<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Caught::Inner(e) => e.fmt(f),
            Caught::Fault(kind) => fmt::Display::fmt(&message(kind), f),
        }
    }
}

impl<E: fmt::Debug + fmt::Display> std::error::Error for Caught<E> {}

impl<E: de::Error> de::Error for Caught<E> {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Caught::Fault(FaultKind::Other(msg.to_string()))
    }
    fn invalid_type(found: Unexpected<'_>, expected: &dyn Expected) -> Self {
        Caught::Fault(FaultKind::WrongType {
            found: found.to_string(),
            expected: expected.to_string(),
        })
    }
    fn invalid_value(found: Unexpected<'_>, expected: &dyn Expected) -> Self {
        Caught::Fault(FaultKind::BadValue {
            found: found.to_string(),
            expected: expected.to_string(),
        })
    }
    fn invalid_length(len: usize, expected: &dyn Expected) -> Self {
        Caught::Fault(FaultKind::WrongLength {
            len,
            expected: expected.to_string(),
        })
    }
    fn unknown_variant(name: &str, expected: &'static [&'static str]) -> Self {
        Caught::Fault(FaultKind::UnknownValue {
            name: name.to_string(),
            expected: expected.to_vec(),
        })
    }
    fn unknown_field(name: &str, expected: &'static [&'static str]) -> Self {
        Caught::Fault(FaultKind::UnknownKey {
            name: name.to_string(),
            expected: expected.to_vec(),
        })
    }
    fn missing_field(name: &'static str) -> Self {
        Caught::Fault(FaultKind::MissingKey(name))
    }
    fn duplicate_field(name: &'static str) -> Self {
        Caught::Fault(FaultKind::DuplicateKey(name))
    }
}

fn message(kind: &FaultKind) -> String {
    Fault {
        kind: kind.clone(),
        span: None,
    }
    .to_string()
}

/// The fault waiting while it crosses the TOML layer as a plain TOML error, with that error's
/// message (to recognise it when it comes out).
type Slot = RefCell<Option<(FaultKind, String)>>;

impl<E: de::Error> Caught<E> {
    /// Back into the inner layer's error type: its own error unchanged (span and all), or the
    /// fault parked in the slot behind a fresh error on which the TOML layer puts its span.
    fn into_inner(self, slot: &Slot) -> E {
        match self {
            Caught::Inner(e) => e,
            Caught::Fault(kind) => {
                let text = message(&kind);
                let mut waiting = slot.borrow_mut();
                if waiting.is_none() {
                    *waiting = Some((kind, text.clone()));
                }
                E::custom(text)
            }
        }
    }
}

/// Deserialize `T` from a TOML deserializer, with faults as data.
pub fn deserialize<'de, T, D>(deserializer: D) -> Result<T, Fault>
where
    T: de::Deserialize<'de>,
    D: Deserializer<'de, Error = toml::de::Error>,
{
    let slot = RefCell::new(None);
    let result = T::deserialize(Wrap {
        inner: deserializer,
        slot: &slot,
    });
    let parked = slot.borrow_mut().take();
    result.map_err(|caught| match caught {
        Caught::Inner(e) => {
            let kind = match parked {
                Some((kind, text)) if text == e.message() => kind,
                _ => FaultKind::Other(e.message().to_string()),
            };
            Fault {
                kind,
                span: e.span(),
            }
        }
        Caught::Fault(kind) => Fault { kind, span: None },
    })
}

struct Wrap<'s, D> {
    inner: D,
    slot: &'s Slot,
}

struct WrapVisitor<'s, V> {
    inner: V,
    slot: &'s Slot,
}

struct WrapSeed<'s, S> {
    inner: S,
    slot: &'s Slot,
}

struct WrapAccess<'s, A> {
    inner: A,
    slot: &'s Slot,
}

macro_rules! forward_deserialize {
    ($($method:ident),*) => {
        $(
            fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
                let slot = self.slot;
                self.inner
                    .$method(WrapVisitor { inner: visitor, slot })
                    .map_err(Caught::Inner)
            }
        )*
    };
}

impl<'de, 's, D: Deserializer<'de>> Deserializer<'de> for Wrap<'s, D> {
    type Error = Caught<D::Error>;

    forward_deserialize!(
        deserialize_any,
        deserialize_bool,
        deserialize_i8,
        deserialize_i16,
        deserialize_i32,
        deserialize_i64,
        deserialize_i128,
        deserialize_u8,
        deserialize_u16,
        deserialize_u32,
        deserialize_u64,
        deserialize_u128,
        deserialize_f32,
        deserialize_f64,
        deserialize_char,
        deserialize_str,
        deserialize_string,
        deserialize_bytes,
        deserialize_byte_buf,
        deserialize_option,
        deserialize_unit,
        deserialize_seq,
        deserialize_map,
        deserialize_identifier,
        deserialize_ignored_any
    );

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        let slot = self.slot;
        self.inner
            .deserialize_unit_struct(
                name,
                WrapVisitor {
                    inner: visitor,
                    slot,
                },
            )
            .map_err(Caught::Inner)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        let slot = self.slot;
        self.inner
            .deserialize_newtype_struct(
                name,
                WrapVisitor {
                    inner: visitor,
                    slot,
                },
            )
            .map_err(Caught::Inner)
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        let slot = self.slot;
        self.inner
            .deserialize_tuple(
                len,
                WrapVisitor {
                    inner: visitor,
                    slot,
                },
            )
            .map_err(Caught::Inner)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        let slot = self.slot;
        self.inner
            .deserialize_tuple_struct(
                name,
                len,
                WrapVisitor {
                    inner: visitor,
                    slot,
                },
            )
            .map_err(Caught::Inner)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        let slot = self.slot;
        self.inner
            .deserialize_struct(
                name,
                fields,
                WrapVisitor {
                    inner: visitor,
                    slot,
                },
            )
            .map_err(Caught::Inner)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        let slot = self.slot;
        self.inner
            .deserialize_enum(
                name,
                variants,
                WrapVisitor {
                    inner: visitor,
                    slot,
                },
            )
            .map_err(Caught::Inner)
    }

    fn is_human_readable(&self) -> bool {
        self.inner.is_human_readable()
    }
}

macro_rules! forward_visit {
    ($($method:ident: $ty:ty),*) => {
        $(
            fn $method<E: de::Error>(self, v: $ty) -> Result<V::Value, E> {
                let slot = self.slot;
                self.inner.$method::<Caught<E>>(v).map_err(|c| c.into_inner(slot))
            }
        )*
    };
}

impl<'de, 's, V: Visitor<'de>> Visitor<'de> for WrapVisitor<'s, V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.inner.expecting(f)
    }

    forward_visit!(
        visit_bool: bool,
        visit_i8: i8,
        visit_i16: i16,
        visit_i32: i32,
        visit_i64: i64,
        visit_i128: i128,
        visit_u8: u8,
        visit_u16: u16,
        visit_u32: u32,
        visit_u64: u64,
        visit_u128: u128,
        visit_f32: f32,
        visit_f64: f64,
        visit_char: char,
        visit_str: &str,
        visit_borrowed_str: &'de str,
        visit_string: String,
        visit_bytes: &[u8],
        visit_borrowed_bytes: &'de [u8],
        visit_byte_buf: Vec<u8>
    );

    fn visit_none<E: de::Error>(self) -> Result<V::Value, E> {
        let slot = self.slot;
        self.inner
            .visit_none::<Caught<E>>()
            .map_err(|c| c.into_inner(slot))
    }

    fn visit_unit<E: de::Error>(self) -> Result<V::Value, E> {
        let slot = self.slot;
        self.inner
            .visit_unit::<Caught<E>>()
            .map_err(|c| c.into_inner(slot))
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<V::Value, D::Error> {
        let slot = self.slot;
        self.inner
            .visit_some(Wrap { inner: d, slot })
            .map_err(|c| c.into_inner(slot))
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<V::Value, D::Error> {
        let slot = self.slot;
        self.inner
            .visit_newtype_struct(Wrap { inner: d, slot })
            .map_err(|c| c.into_inner(slot))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<V::Value, A::Error> {
        let slot = self.slot;
        self.inner
            .visit_seq(WrapAccess { inner: seq, slot })
            .map_err(|c| c.into_inner(slot))
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<V::Value, A::Error> {
        let slot = self.slot;
        self.inner
            .visit_map(WrapAccess { inner: map, slot })
            .map_err(|c| c.into_inner(slot))
    }

    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<V::Value, A::Error> {
        let slot = self.slot;
        self.inner
            .visit_enum(WrapAccess { inner: data, slot })
            .map_err(|c| c.into_inner(slot))
    }
}

impl<'de, 's, S: DeserializeSeed<'de>> DeserializeSeed<'de> for WrapSeed<'s, S> {
    type Value = S::Value;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<S::Value, D::Error> {
        let slot = self.slot;
        self.inner
            .deserialize(Wrap { inner: d, slot })
            .map_err(|c| c.into_inner(slot))
    }
}

impl<'de, 's, A: SeqAccess<'de>> SeqAccess<'de> for WrapAccess<'s, A> {
    type Error = Caught<A::Error>;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Self::Error> {
        let slot = self.slot;
        self.inner
            .next_element_seed(WrapSeed { inner: seed, slot })
            .map_err(Caught::Inner)
    }

    fn size_hint(&self) -> Option<usize> {
        self.inner.size_hint()
    }
}

impl<'de, 's, A: MapAccess<'de>> MapAccess<'de> for WrapAccess<'s, A> {
    type Error = Caught<A::Error>;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Self::Error> {
        let slot = self.slot;
        self.inner
            .next_key_seed(WrapSeed { inner: seed, slot })
            .map_err(Caught::Inner)
    }

    fn next_value_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<T::Value, Self::Error> {
        let slot = self.slot;
        self.inner
            .next_value_seed(WrapSeed { inner: seed, slot })
            .map_err(Caught::Inner)
    }

    fn size_hint(&self) -> Option<usize> {
        self.inner.size_hint()
    }
}

impl<'de, 's, A: EnumAccess<'de>> EnumAccess<'de> for WrapAccess<'s, A> {
    type Error = Caught<A::Error>;
    type Variant = WrapAccess<'s, A::Variant>;

    fn variant_seed<T: DeserializeSeed<'de>>(
        self,
        seed: T,
    ) -> Result<(T::Value, Self::Variant), Self::Error> {
        let slot = self.slot;
        self.inner
            .variant_seed(WrapSeed { inner: seed, slot })
            .map(|(value, variant)| {
                (
                    value,
                    WrapAccess {
                        inner: variant,
                        slot,
                    },
                )
            })
            .map_err(Caught::Inner)
    }
}

impl<'de, 's, A: VariantAccess<'de>> VariantAccess<'de> for WrapAccess<'s, A> {
    type Error = Caught<A::Error>;

    fn unit_variant(self) -> Result<(), Self::Error> {
        self.inner.unit_variant().map_err(Caught::Inner)
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(
        self,
        seed: T,
    ) -> Result<T::Value, Self::Error> {
        let slot = self.slot;
        self.inner
            .newtype_variant_seed(WrapSeed { inner: seed, slot })
            .map_err(Caught::Inner)
    }

    fn tuple_variant<V: Visitor<'de>>(
        self,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        let slot = self.slot;
        self.inner
            .tuple_variant(
                len,
                WrapVisitor {
                    inner: visitor,
                    slot,
                },
            )
            .map_err(Caught::Inner)
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        let slot = self.slot;
        self.inner
            .struct_variant(
                fields,
                WrapVisitor {
                    inner: visitor,
                    slot,
                },
            )
            .map_err(Caught::Inner)
    }
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;
    use toml::Spanned;
    use toml::de::{DeTable, DeValue, ValueDeserializer};

    use super::*;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code, reason = "only deserialized")]
    struct Party {
        id: Spanned<String>,
        kind: Kind,
        #[serde(default)]
        share: Option<u32>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "snake_case")]
    enum Kind {
        Person,
        Organization,
    }

    /// Fails with a message that reads like serde's "unknown field", to show that the code is
    /// not read from the words.
    #[derive(Debug)]
    struct Mimic;

    impl<'de> Deserialize<'de> for Mimic {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Mimic, D::Error> {
            let _ = String::deserialize(d)?;
            Err(de::Error::custom("unknown field `id`, expected `kind`"))
        }
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code, reason = "only deserialized")]
    struct WithMimic {
        value: Mimic,
    }

    fn run<T: for<'de> Deserialize<'de>>(text: &str) -> Result<T, Fault> {
        let table = DeTable::parse(text).unwrap();
        let span = table.span();
        let value = Spanned::new(span, DeValue::Table(table.into_inner()));
        deserialize::<T, _>(ValueDeserializer::from(value))
    }

    #[test]
    fn each_kind_of_fault_is_data_with_the_span_of_its_key_or_value() {
        let text = "id = \"a\"\nkind = \"person\"\nshre = 3\n";
        let fault = run::<Party>(text).unwrap_err();
        assert_eq!(
            fault.kind,
            FaultKind::UnknownKey {
                name: "shre".into(),
                expected: vec!["id", "kind", "share"]
            }
        );
        assert_eq!(&text[fault.span.unwrap()], "shre");

        let text = "id = \"a\"\nkind = \"vessel\"\n";
        let fault = run::<Party>(text).unwrap_err();
        assert_eq!(
            fault.kind,
            FaultKind::UnknownValue {
                name: "vessel".into(),
                expected: vec!["person", "organization"]
            }
        );
        assert_eq!(&text[fault.span.unwrap()], "\"vessel\"");

        let fault = run::<Party>("kind = \"person\"\n").unwrap_err();
        assert_eq!(fault.kind, FaultKind::MissingKey("id"));

        let text = "id = 5\nkind = \"person\"\n";
        let fault = run::<Party>(text).unwrap_err();
        assert_eq!(
            fault.kind,
            FaultKind::WrongType {
                found: "integer `5`".into(),
                expected: "a string".into()
            }
        );
        assert_eq!(&text[fault.span.unwrap()], "5");
    }

    #[test]
    fn a_message_that_reads_like_an_unknown_key_is_not_one() {
        let fault = run::<WithMimic>("value = \"x\"\n").unwrap_err();
        assert_eq!(
            fault.kind,
            FaultKind::Other("unknown field `id`, expected `kind`".into())
        );
    }

    #[test]
    fn a_good_record_reads_through_the_wrapper_with_its_spans() {
        let text = "id = \"a\"\nkind = \"organization\"\nshare = 7\n";
        let party = run::<Party>(text).unwrap();
        assert_eq!(&text[party.id.span()], "\"a\"");
        assert_eq!(party.share, Some(7));
        assert!(matches!(party.kind, Kind::Organization));
    }
}
