//! Citations as written: a plain string or a table with a text and a URL, one or a list.

use serde::{Deserialize, Serialize};

/// A citation: a plain string, or `{ text = "...", url = "..." }`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum RawCitation {
    /// `"31 CFR 594.201"`: the source alone.
    Text(String),
    /// `{ text = "...", url = "..." }`: the source and where to read it.
    Full {
        /// The source as lawyers cite it.
        text: String,
        /// Where the text can be read.
        #[serde(skip_serializing_if = "Option::is_none")]
        url: Option<String>,
    },
}

impl RawCitation {
    /// The source as lawyers cite it.
    pub fn text(&self) -> &str {
        match self {
            RawCitation::Text(t) => t,
            RawCitation::Full { text, .. } => text,
        }
    }
    /// Where the text can be read, when given.
    pub fn url(&self) -> Option<&str> {
        match self {
            RawCitation::Text(_) => None,
            RawCitation::Full { url, .. } => url.as_deref(),
        }
    }
}

impl<'de> Deserialize<'de> for RawCitation {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = RawCitation;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a citation string or a table with `text` and `url`")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<RawCitation, E> {
                Ok(RawCitation::Text(v.to_string()))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                map: A,
            ) -> Result<RawCitation, A::Error> {
                #[derive(Deserialize)]
                #[serde(deny_unknown_fields)]
                struct Full {
                    text: String,
                    url: Option<String>,
                }
                let f = Full::deserialize(serde::de::value::MapAccessDeserializer::new(map))?;
                Ok(RawCitation::Full {
                    text: f.text,
                    url: f.url,
                })
            }
        }
        d.deserialize_any(V)
    }
}

/// A `citation` (or `authorities`) key: one citation or an array of them.
///
/// ```
/// use interdict::rules::raw::RawCitations;
///
/// let table: toml::Table = toml::from_str(
///     r#"citation = ["31 CFR 594.201", { text = "E.O. 13224", url = "https://ofac.treasury.gov/" }]"#,
/// )?;
/// let citations: RawCitations = table["citation"].clone().try_into()?;
/// let list = citations.list();
/// assert_eq!(list[0].text(), "31 CFR 594.201");
/// assert_eq!(list[1].url(), Some("https://ofac.treasury.gov/"));
/// # Ok::<(), toml::de::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum RawCitations {
    /// A single citation.
    One(RawCitation),
    /// An array of citations.
    Many(Vec<RawCitation>),
}

impl RawCitations {
    /// The citations, in the order written.
    pub fn list(&self) -> Vec<&RawCitation> {
        match self {
            RawCitations::One(c) => vec![c],
            RawCitations::Many(v) => v.iter().collect(),
        }
    }
}

impl<'de> Deserialize<'de> for RawCitations {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = RawCitations;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a citation, or an array of citations")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<RawCitations, E> {
                Ok(RawCitations::One(RawCitation::Text(v.to_string())))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                map: A,
            ) -> Result<RawCitations, A::Error> {
                RawCitation::deserialize(serde::de::value::MapAccessDeserializer::new(map))
                    .map(RawCitations::One)
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<RawCitations, A::Error> {
                let mut v = Vec::new();
                while let Some(c) = seq.next_element::<RawCitation>()? {
                    v.push(c);
                }
                Ok(RawCitations::Many(v))
            }
        }
        d.deserialize_any(V)
    }
}
