//! The loaded state the service decides on: rule packs, the world, the lists, and the engine
//! over them. A state is built whole, beside the one in use, and swapped in at once
//! (`reload.rs`); a request keeps the state it started with until it is answered.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use serde::Serialize;

use interdict::diagnostic::Diagnostics;
use interdict::lists::SdnList;
use interdict::model::pack::Pack;
use interdict::model::ruleset::RuleSet;
use interdict::model::values::Date;
use interdict::model::world::World;
use interdict::{Diagnostic, Engine};

/// The files a state is built from; read again on every reload.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    /// Rule pack directories used instead of the embedded packs.
    pub rules: Vec<PathBuf>,
    /// Rule pack directories added to the embedded packs.
    pub add_rules: Vec<PathBuf>,
    /// A scenario (or world) file: its parties, designations, ownership and lists.
    pub world: Option<PathBuf>,
    /// List files `/v1/screen` looks names up in (an SDN CSV or a list document).
    pub lists: Vec<PathBuf>,
}

impl Sources {
    /// Every file or directory the state reads (watched for changes).
    pub fn paths(&self) -> Vec<PathBuf> {
        let mut v: Vec<PathBuf> = self.rules.iter().chain(&self.add_rules).cloned().collect();
        v.extend(self.world.iter().cloned());
        v.extend(self.lists.iter().cloned());
        v
    }
}

/// One file a decision was made against, named by its content.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, utoipa::ToSchema)]
pub struct Snapshot {
    /// `world` or `list`.
    pub kind: String,
    /// The file as named on the command line.
    pub path: String,
    /// The sha256 of its bytes, lowercase hex.
    pub sha256: String,
}

/// A list loaded for screening.
pub struct LoadedList {
    /// The file as named on the command line.
    pub path: String,
    /// The list and its name index.
    pub list: Arc<SdnList>,
}

/// Everything one generation of the service decides with.
pub struct Loaded {
    /// `GENERATION-DIGEST`: the reload count and the first hex digits of a digest of the rule
    /// packs, the world and the lists; every answer names it.
    pub id: Arc<str>,
    /// The rule packs (law and reference world) and their digest.
    pub pack: Pack,
    /// The rule set in force: the packs plus the world file's specific licenses.
    pub rules: Arc<RuleSet>,
    /// The world transactions are judged against.
    pub world: Arc<World>,
    /// The world file's `as_of` and `evaluated_on` (requests may override them).
    pub as_of: Option<Date>,
    /// See `as_of`.
    pub evaluated_on: Option<Date>,
    /// The evaluator over `rules` and `world`.
    pub engine: Engine,
    /// The lists `/v1/screen` reads.
    pub lists: Vec<LoadedList>,
    /// The world and list files, by content.
    pub snapshots: Arc<[Snapshot]>,
    /// Transaction types and goods by id, for lowering requests.
    pub tx_types: HashMap<String, usize>,
    /// See `tx_types`.
    pub goods: HashMap<String, usize>,
    /// Warnings met while loading, logged once.
    pub warnings: Vec<Diagnostic>,
}

/// Build a state from its sources; every problem found is returned.
pub fn load(sources: &Sources, generation: u64) -> Result<Loaded, Diagnostics> {
    let (pack, mut warnings) = load_pack(sources)?;
    let mut snapshots = Vec::new();
    let (rules, world, as_of, evaluated_on) = match &sources.world {
        Some(path) => {
            let s = interdict::scenario::load_path(path, &pack)?;
            for w in &s.warnings {
                warnings.push(w.clone());
            }
            snapshots.push(snapshot("world".into(), path)?);
            (s.rules, s.world, s.as_of, s.evaluated_on)
        }
        None => (pack.rules.clone(), pack.reference.clone(), None, None),
    };
    let mut lists = Vec::new();
    for path in &sources.lists {
        let list = interdict::lists::load_cached(path)?;
        for w in &list.warnings {
            warnings.push(w.clone());
        }
        snapshots.push(snapshot("list".into(), path)?);
        lists.push(LoadedList {
            path: path.display().to_string(),
            list,
        });
    }
    let mut digest = pack.digest.to_string();
    for s in &snapshots {
        digest.push_str(&s.sha256);
    }
    let digest = interdict::source::sha256_hex(digest.as_bytes());
    let index = |terms: &[interdict::model::ruleset::Term]| {
        terms
            .iter()
            .enumerate()
            .map(|(i, t)| (t.id.clone(), i))
            .collect()
    };
    Ok(Loaded {
        id: format!("{generation}-{}", &digest[..12.min(digest.len())]).into(),
        tx_types: index(rules.vocabulary.transaction_types.as_slice()),
        goods: index(&rules.vocabulary.goods),
        engine: Engine::new(rules.clone(), world.clone()),
        pack,
        rules,
        world,
        as_of,
        evaluated_on,
        lists,
        snapshots: snapshots.into(),
        warnings: warnings.into_vec(),
    })
}

fn load_pack(sources: &Sources) -> Result<(Pack, Diagnostics), Diagnostics> {
    if !sources.rules.is_empty() {
        let mut dirs = sources.rules.clone();
        dirs.extend(sources.add_rules.iter().cloned());
        interdict::scenario::pack::load_dirs(&dirs, false)
    } else if !sources.add_rules.is_empty() {
        interdict::scenario::pack::load_dirs(&sources.add_rules, true)
    } else {
        interdict::scenario::pack::load_embedded()
    }
}

/// A file named by the sha256 of its bytes, read the one way files are read.
fn snapshot(kind: String, path: &std::path::Path) -> Result<Snapshot, Diagnostics> {
    let bytes = interdict::source::read_bytes(path, &kind).map_err(|d| {
        let mut all = Diagnostics::new();
        all.push(d);
        all
    })?;
    Ok(Snapshot {
        kind,
        path: path.display().to_string(),
        sha256: interdict::source::sha256_hex(&bytes),
    })
}
