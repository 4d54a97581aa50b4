//! Real sanctions lists as sources of parties and designations (first: the OFAC SDN list).
//!
//! | module | concern |
//! |---|---|
//! | `dir` | the configurable lists folder (`INTERDICT_LISTS_DIR`) and `lists:` paths |
//! | `decode` | bytes to text: Windows-1252 (or a re-saved UTF-8/UTF-16 file), the Ctrl-Z marker |
//! | `read` | CSV rows to entries, every row accounted for, located errors |
//! | `remarks` | the `Remarks` column parsed into aliases, dates, identifiers, links, notes |
//! | `entry` | the entry model |
//! | `normalize` | name normalisation for matching |
//! | `index` | exact, identifier and fuzzy lookups |
//! | `list` | a loaded, indexed list and the per-process cache |
//! | `resolve` | resolution over the list and the names parties give its entries |
//! | `export` | the TOML/JSON list document (import output, readable as a list) |
//! | `summary` | counts by type, tag and program; unmapped tags; unparsed remarks |
//! | `record` | the model every importer produces (one record per target, any publisher) |
//! | `import` | importers of published list files, one module per format |
//! | `config` | list configurations (`lists/*.toml`): publisher, URL, regime to list tag |
//! | `sdn_records` | the SDN CSV's entries as records of the common model (for the store) |
//! | `screen` | screening a name across every list: tokens, weak aliases, identifiers, outcomes |
//! | `store` | the list store: versioned snapshots in SQLite, diffs, history, listing dates |
//! | `xml` | a small element tree over `quick-xml`, with offsets for located errors |
//!
//! Merging a list's entries into a scenario's world (`[lists]`) is world loading: see
//! `scenario::lists`.
//!
//! The format and the matching are documented in docs/lists.md.

pub mod config;
pub mod decode;
pub mod dir;
pub(crate) mod entry;
pub mod export;
pub mod import;
pub mod index;
pub(crate) mod list;
pub mod normalize;
pub mod read;
pub mod record;
pub(crate) mod remarks;
pub mod resolve;
pub mod screen;
pub mod sdn_records;
pub mod store;
pub mod summary;
pub(crate) mod xml;

pub use entry::{SdnEntry, parse_entry_id};
pub use list::{SdnList, load_cached};
