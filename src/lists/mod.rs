//! Real sanctions lists as sources of parties and designations (first: the OFAC SDN list).
//!
//! | module | concern |
//! |---|---|
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
//! | `scenario` | `[lists]` in scenarios: entries as parties, designations, name resolution |
//!
//! The format and the matching are documented in docs/lists.md.

pub mod decode;
pub mod entry;
pub mod export;
pub mod index;
pub mod list;
pub mod normalize;
pub mod read;
pub mod remarks;
pub mod resolve;
pub mod scenario;
pub mod summary;

pub use entry::{SdnEntry, parse_entry_id};
pub use list::{SdnList, load_cached};
pub use scenario::{AttachedLists, attach_scenario_lists, resolve_list_designations};
