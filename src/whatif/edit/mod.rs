//! Applying overlays to a world: names are resolved against the rule set and the world (with
//! "did you mean"), each edit is checked against what the world records, and the edited world
//! is checked as a scenario's world would be (holdings above 100%, duplicate holdings).
//!
//! Edits apply in order, each to the world the previous ones left, so an overlay may remove a
//! designation and add another for the same party and program.
//!
//! Designation edits are in `designations.rs`, holding edits in `holdings.rs`.

mod designations;
mod holdings;

use std::collections::HashSet;

use serde::Serialize;
use toml::Spanned;

use super::overlay::{Located, Op, Overlay};
use crate::diagnostic::{Code, Diagnostic, Diagnostics, suggest};
use crate::model::ruleset::RuleSet;
use crate::model::values::Date;
use crate::model::world::World;
use crate::model::{PartyIdx, ProgramIdx};
use crate::source::Loc;

/// What an edit did to the world, for reports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "edit", rename_all = "snake_case")]
pub enum Edit {
    /// A designation was added.
    Designate {
        /// The designated party's id.
        party: String,
        /// The program's id.
        program: String,
        /// The first day of the designation, if the overlay gave one.
        #[serde(skip_serializing_if = "Option::is_none")]
        listed: Option<Date>,
        /// The day the designation ends, if the overlay gave one.
        #[serde(skip_serializing_if = "Option::is_none")]
        delisted: Option<Date>,
    },
    /// A designation was removed entirely, as if it had never been made.
    Undesignate {
        /// The party's id.
        party: String,
        /// The program's id.
        program: String,
        /// The first day of the removed designation, if it had one.
        #[serde(skip_serializing_if = "Option::is_none")]
        listed: Option<Date>,
    },
    /// A designation in force ends on `on`.
    Delist {
        /// The party's id.
        party: String,
        /// The program's id.
        program: String,
        /// The first day of the designation that ends, if it had one.
        #[serde(skip_serializing_if = "Option::is_none")]
        listed: Option<Date>,
        /// The day it ends.
        on: Date,
    },
    /// A holding is set for a window (replacing what was recorded for it).
    Own {
        /// The owner's party id.
        owner: String,
        /// The owned party's id.
        owned: String,
        /// The fraction of the owned party held.
        share: String,
        /// The first day of the holding, if given.
        #[serde(skip_serializing_if = "Option::is_none")]
        from: Option<Date>,
        /// The day the holding ends, if given.
        #[serde(skip_serializing_if = "Option::is_none")]
        until: Option<Date>,
    },
    /// A holding was removed entirely.
    Disown {
        /// The owner's party id.
        owner: String,
        /// The owned party's id.
        owned: String,
        /// The share the removed holding had.
        share: String,
    },
    /// A holding ends on `on`.
    EndHolding {
        /// The owner's party id.
        owner: String,
        /// The owned party's id.
        owned: String,
        /// The share the holding had.
        share: String,
        /// The day it ends.
        on: Date,
    },
}

/// An applied edit and where it was written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AppliedEdit {
    /// Where the edit was written: the overlay file and line, or the flag.
    pub at: String,
    /// What the edit did.
    #[serde(flatten)]
    pub edit: Edit,
}

impl Edit {
    /// One line for text reports.
    pub fn describe(&self) -> String {
        let since = |d: &Option<Date>| d.map(|d| format!(" from {d}")).unwrap_or_default();
        match self {
            Edit::Designate {
                party,
                program,
                listed,
                delisted,
            } => format!(
                "designate {party} under {program}{}{}",
                since(listed),
                delisted.map(|d| format!(" until {d}")).unwrap_or_default()
            ),
            Edit::Undesignate {
                party,
                program,
                listed,
            } => format!(
                "remove the {program} designation of {party}{}",
                listed.map(|d| format!(" (listed {d})")).unwrap_or_default()
            ),
            Edit::Delist {
                party, program, on, ..
            } => format!("delist {party} from {program} on {on}"),
            Edit::Own {
                owner,
                owned,
                share,
                from,
                until,
            } => format!(
                "{owner} holds {share} of {owned}{}{}",
                since(from),
                until.map(|d| format!(" until {d}")).unwrap_or_default()
            ),
            Edit::Disown {
                owner,
                owned,
                share,
            } => format!("remove {owner}'s holding of {share} in {owned}"),
            Edit::EndHolding {
                owner,
                owned,
                share,
                on,
            } => format!("{owner}'s holding of {share} in {owned} ends on {on}"),
        }
    }
}

/// Apply `overlays` in order to `world`. On any error the world may be partly edited and must
/// be discarded; every problem is reported.
pub fn apply_all(
    overlays: &[Overlay],
    rs: &RuleSet,
    world: &mut World,
) -> Result<Vec<AppliedEdit>, Diagnostics> {
    let mut diags = Diagnostics::new();
    let mut applied = Vec::new();
    let mut world_problems = HashSet::new();
    for o in overlays {
        let mut cx = EditCx {
            overlay: o,
            rs,
            diags: &mut diags,
            world_problems: &mut world_problems,
        };
        for op in &o.ops {
            cx.apply(op, world, &mut applied);
        }
    }
    if diags.has_errors() {
        Err(diags)
    } else {
        Ok(applied)
    }
}

struct EditCx<'a> {
    overlay: &'a Overlay,
    rs: &'a RuleSet,
    diags: &'a mut Diagnostics,
    /// Whole-world problems already reported, so a later edit does not repeat them.
    world_problems: &'a mut HashSet<String>,
}

impl EditCx<'_> {
    fn loc(&self, span: std::ops::Range<usize>) -> Loc {
        self.overlay.file.loc(span)
    }

    fn error(
        &mut self,
        code: Code,
        span: std::ops::Range<usize>,
        msg: String,
        help: Option<String>,
    ) {
        let loc = self.loc(span);
        self.diags.push(
            Diagnostic::error(code, &loc, msg)
                .with_help_opt(help)
                .with_source(&self.overlay.file),
        );
    }

    fn party(&mut self, world: &World, name: &Spanned<String>) -> Option<PartyIdx> {
        if let Some(p) = world.party_by_id(name.get_ref()) {
            return Some(p);
        }
        let ids = world.parties.iter().map(|p| p.id.as_str());
        let help = suggest(name.get_ref(), ids)
            .or_else(|| {
                // A fragment of an id ("sinaloa" for "sinaloa-cartel") is a likely slip too.
                let n = name.get_ref().to_lowercase();
                let mut hits: Vec<&str> = world
                    .parties
                    .iter()
                    .map(|p| p.id.as_str())
                    .filter(|id| n.len() >= 3 && id.to_lowercase().contains(&n))
                    .collect();
                hits.sort_unstable();
                hits.first().map(|s| s.to_string())
            })
            .map(|s| format!("did you mean `{s}`?"))
            .or_else(|| {
                Some("parties come from the scenario and the rule packs' reference world".into())
            });
        self.error(
            Code::UnknownReference,
            name.span(),
            format!("unknown party `{}`", name.get_ref()),
            help,
        );
        None
    }

    fn program(&mut self, name: &Spanned<String>) -> Option<ProgramIdx> {
        if let Some(p) = self.rs.program_by_id(name.get_ref()) {
            return Some(p);
        }
        let mut ids: Vec<&str> = self.rs.programs.iter().map(|p| p.id.as_str()).collect();
        ids.sort_unstable();
        let help = suggest(name.get_ref(), ids.iter().copied())
            .map(|s| format!("did you mean `{s}`?"))
            .unwrap_or_else(|| format!("known programs: {}", ids.join(", ")));
        self.error(
            Code::UnknownReference,
            name.span(),
            format!("unknown program `{}`", name.get_ref()),
            Some(help),
        );
        None
    }

    fn program_id(&self, p: ProgramIdx) -> String {
        self.rs
            .programs
            .get(p)
            .map(|x| x.id.clone())
            .unwrap_or_default()
    }

    /// Apply one edit, recording what it did.
    fn apply(&mut self, op: &Located, world: &mut World, out: &mut Vec<AppliedEdit>) {
        let at = self.loc(op.span.clone()).to_string();
        let at = if at.starts_with("--") {
            self.overlay.label.clone()
        } else {
            at
        };
        let edits = match &op.op {
            Op::Designate {
                parties,
                programs,
                listed,
                delisted,
                source,
            } => {
                let window = (day(listed), day(delisted));
                self.designate_all(world, op, (parties, programs), window, source)
            }
            Op::Delist {
                parties,
                programs,
                on,
            } => self.delist_all(world, parties, programs, on.as_ref()),
            Op::Own {
                owner,
                owned,
                share,
                from,
                until,
            } => self
                .own(world, op, (owner, owned), share, (day(from), day(until)))
                .into_iter()
                .collect(),
            Op::Disown { owner, owned, on } => self.disown_named(world, owner, owned, on.as_ref()),
        };
        out.extend(edits.into_iter().map(|edit| AppliedEdit {
            at: at.clone(),
            edit,
        }));
    }
}

/// The date an edit gives, without its span.
fn day(d: &Option<Spanned<Date>>) -> Option<Date> {
    d.as_ref().map(|d| *d.get_ref())
}
