//! Loading a [`Pack`]: the rule set the `rules` module lowers, and the reference world its
//! files declare, lowered by the same world lowering as scenarios' worlds (`super::lower`).
//! This is why pack loading lives here: the rules layer knows the law only.

use std::path::PathBuf;
use std::sync::Arc;

use crate::diagnostic::Diagnostics;
use crate::model::pack::Pack;
use crate::model::ruleset::RuleSet;
use crate::model::world::World;
use crate::rules::lower::FileRecords;
use crate::rules::lower::context::Cx;
use crate::source::SourceFile;

/// Load rule packs from files. Warnings come back with the pack; any error fails the load and
/// every problem of every file is returned.
pub fn load(files: Vec<SourceFile>) -> Result<(Pack, Diagnostics), Diagnostics> {
    let mut diags = Diagnostics::new();
    let digest: Arc<str> = crate::source::digest_files(&files).into();
    let (records, rs) = crate::rules::read_and_lower(files, &mut diags);
    let pack = rs.map(|rs| {
        let reference = reference_world(&records, &rs, &mut diags);
        Pack {
            rules: Arc::new(rs),
            reference: Arc::new(reference),
            digest,
        }
    });
    for r in &records {
        diags.attach_source(&r.file);
    }
    diags.sort();
    match pack {
        Some(pack) if !diags.has_errors() => Ok((pack, diags)),
        _ => Err(diags),
    }
}

/// The embedded packs.
pub fn load_embedded() -> Result<(Pack, Diagnostics), Diagnostics> {
    load(crate::rules::embedded_files())
}

/// Packs from directories; with `extend`, on top of the embedded packs.
pub fn load_dirs(dirs: &[PathBuf], extend: bool) -> Result<(Pack, Diagnostics), Diagnostics> {
    let mut diags = Diagnostics::new();
    let files = crate::rules::read_dirs(dirs, extend, &mut diags);
    if diags.has_errors() {
        return Err(diags);
    }
    // The walk's warnings (links that loop) come back with the packs' own.
    match load(files) {
        Ok((pack, warnings)) => {
            diags.extend(warnings);
            Ok((pack, diags))
        }
        Err(errors) => {
            diags.extend(errors);
            Err(diags)
        }
    }
}

/// The reference world: the parties and designations the packs declare. Parties of every file
/// first, so designations may refer to parties of other files.
fn reference_world(files: &[FileRecords], rs: &RuleSet, diags: &mut Diagnostics) -> World {
    let mut world = World::default();
    for f in files {
        let mut cx = Cx {
            file: &f.file,
            diags,
        };
        let first_new = world.parties.len();
        super::lower::lower_parties(&mut cx, rs, &f.world, &mut world, first_new);
    }
    for f in files {
        let mut cx = Cx {
            file: &f.file,
            diags,
        };
        super::lower::lower_links(&mut cx, rs, &f.world, &mut world);
    }
    super::lower::check_world(rs, &world, diags);
    world
}
