//! Applying overlays to a world: names are resolved against the rule set and the world (with
//! "did you mean"), each edit is checked against what the world records, and the edited world
//! is checked as a scenario's world would be (holdings above 100%, duplicate holdings).
//!
//! Edits apply in order, each to the world the previous ones left, so an overlay may remove a
//! designation and add another for the same party and program.

use std::collections::HashSet;

use serde::Serialize;
use toml::Spanned;

use super::overlay::{Located, Op, Overlay};
use crate::diagnostic::{Code, Diagnostic, Diagnostics, suggest};
use crate::model::ruleset::RuleSet;
use crate::model::values::{Date, Share};
use crate::model::world::{Designation, OwnershipEdge, World};
use crate::model::{PartyIdx, ProgramIdx};
use crate::source::Loc;

/// What an edit did to the world, for reports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "edit", rename_all = "snake_case")]
pub enum Edit {
    /// A designation was added.
    Designate {
        party: String,
        program: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        listed: Option<Date>,
        #[serde(skip_serializing_if = "Option::is_none")]
        delisted: Option<Date>,
    },
    /// A designation was removed entirely, as if it had never been made.
    Undesignate {
        party: String,
        program: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        listed: Option<Date>,
    },
    /// A designation in force ends on `on`.
    Delist {
        party: String,
        program: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        listed: Option<Date>,
        on: Date,
    },
    /// A holding is set for a window (replacing what was recorded for it).
    Own {
        owner: String,
        owned: String,
        share: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        from: Option<Date>,
        #[serde(skip_serializing_if = "Option::is_none")]
        until: Option<Date>,
    },
    /// A holding was removed entirely.
    Disown {
        owner: String,
        owned: String,
        share: String,
    },
    /// A holding ends on `on`.
    EndHolding {
        owner: String,
        owned: String,
        share: String,
        on: Date,
    },
}

/// An applied edit and where it was written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AppliedEdit {
    pub at: String,
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

    fn apply(&mut self, op: &Located, world: &mut World, out: &mut Vec<AppliedEdit>) {
        let at = self.loc(op.span.clone()).to_string();
        let at = if at.starts_with("--") {
            self.overlay.label.clone()
        } else {
            at
        };
        let mut push = |edit: Edit| {
            out.push(AppliedEdit {
                at: at.clone(),
                edit,
            })
        };
        match &op.op {
            Op::Designate {
                parties,
                programs,
                listed,
                delisted,
                source,
            } => {
                let ps: Vec<_> = parties.iter().map(|p| self.party(world, p)).collect();
                let gs: Vec<_> = programs.iter().map(|g| self.program(g)).collect();
                for &party in ps.iter().flatten() {
                    for &program in gs.iter().flatten() {
                        let listed = listed.as_ref().map(|d| *d.get_ref());
                        let delisted = delisted.as_ref().map(|d| *d.get_ref());
                        // The same designation twice would change nothing but the witnesses.
                        let exists = world.designations.iter().any(|d| {
                            d.party == party
                                && d.program == program
                                && d.listed == listed
                                && d.delisted == delisted
                        });
                        if !exists {
                            world.designations.push(Designation {
                                party,
                                program,
                                listed,
                                delisted,
                                source: Some(
                                    source.clone().unwrap_or_else(|| {
                                        format!("what-if: {}", self.overlay.label)
                                    }),
                                ),
                                date_assumed: listed.is_none(),
                                loc: self.loc(op.span.clone()),
                            });
                        }
                        push(Edit::Designate {
                            party: world.party(party).id.clone(),
                            program: self.program_id(program),
                            listed,
                            delisted,
                        });
                    }
                }
            }
            Op::Delist {
                parties,
                programs,
                on,
            } => {
                let ps: Vec<_> = parties.iter().map(|p| self.party(world, p)).collect();
                let gs: Vec<_> = programs
                    .iter()
                    .map(|g| self.program(g).map(|i| (i, g)))
                    .collect();
                for &party in ps.iter().flatten() {
                    for &(program, gname) in gs.iter().flatten() {
                        for e in self.delist(world, party, program, on.as_ref(), gname) {
                            push(e);
                        }
                    }
                }
            }
            Op::Own {
                owner,
                owned,
                share,
                from,
                until,
            } => {
                let a = self.party(world, owner);
                let b = self.party(world, owned);
                let (Some(a), Some(b)) = (a, b) else {
                    return;
                };
                if a == b {
                    self.error(
                        Code::SelfOwnership,
                        owned.span(),
                        format!("`{}` cannot own itself", owner.get_ref()),
                        None,
                    );
                    return;
                }
                if !world.party(b).kind.is_entity() {
                    self.error(
                        Code::InvalidValue,
                        owned.span(),
                        format!(
                            "`{}` is a {} and cannot be owned through shares",
                            owned.get_ref(),
                            world.party(b).kind.as_str()
                        ),
                        Some("only organizations and financial institutions are owned".into()),
                    );
                    return;
                }
                let from = from.as_ref().map(|d| *d.get_ref());
                let until = until.as_ref().map(|d| *d.get_ref());
                // Setting a holding replaces what was recorded for the same window.
                cut_holdings(world, a, b, from, until);
                world.ownership.push(OwnershipEdge {
                    owner: a,
                    owned: b,
                    share: *share.get_ref(),
                    from,
                    until,
                    loc: self.loc(op.span.clone()),
                });
                push(Edit::Own {
                    owner: world.party(a).id.clone(),
                    owned: world.party(b).id.clone(),
                    share: share.get_ref().to_string(),
                    from,
                    until,
                });
                // The edited world must still be one a scenario could describe (holdings in
                // one entity at most 100%); checked here so the error points at this edit.
                let mut checks = Diagnostics::new();
                crate::scenario::lower::check_world(self.rs, world, &mut checks);
                for d in checks {
                    if self.world_problems.insert(d.message.clone()) {
                        self.diags.push(d.with_source(&self.overlay.file));
                    }
                }
            }
            Op::Disown { owner, owned, on } => {
                let a = self.party(world, owner);
                let b = self.party(world, owned);
                let (Some(a), Some(b)) = (a, b) else {
                    return;
                };
                for e in self.disown(world, a, b, on.as_ref(), owner, owned) {
                    push(e);
                }
            }
        }
    }

    /// End or remove the designations of `party` under `program`.
    fn delist(
        &mut self,
        world: &mut World,
        party: PartyIdx,
        program: ProgramIdx,
        on: Option<&Spanned<Date>>,
        gname: &Spanned<String>,
    ) -> Vec<Edit> {
        let party_id = world.party(party).id.clone();
        let program_id = self.program_id(program);
        let mut edits = Vec::new();
        match on {
            None => {
                world.designations.retain(|d| {
                    let hit = d.party == party && d.program == program;
                    if hit {
                        edits.push(Edit::Undesignate {
                            party: party_id.clone(),
                            program: program_id.clone(),
                            listed: d.listed,
                        });
                    }
                    !hit
                });
            }
            Some(date) => {
                let day = *date.get_ref();
                for d in world
                    .designations
                    .iter_mut()
                    .filter(|d| d.party == party && d.program == program && d.in_force(day))
                {
                    if d.listed == Some(day) {
                        self.error(
                            Code::ImpossibleDate,
                            date.span(),
                            format!(
                                "`{party_id}` is listed under `{program_id}` on {day}: delisting it the same day leaves nothing in force"
                            ),
                            Some(format!(
                                "to remove the designation entirely, give no date: `{party_id}={program_id}`"
                            )),
                        );
                        return Vec::new();
                    }
                    d.delisted = Some(day);
                    edits.push(Edit::Delist {
                        party: party_id.clone(),
                        program: program_id.clone(),
                        listed: d.listed,
                        on: day,
                    });
                }
            }
        }
        if edits.is_empty() {
            let mine = designations_text(world, self.rs, party);
            let theirs: Vec<String> = world
                .designations
                .iter()
                .filter(|d| d.party == party)
                .map(|d| self.program_id(d.program))
                .collect();
            let close = suggest(&program_id, theirs.iter().map(String::as_str))
                .filter(|s| *s != program_id)
                .map(|s| format!("did you mean `{s}`? "))
                .unwrap_or_default();
            let (span, msg) = match on {
                Some(d) => (
                    d.span(),
                    format!(
                        "`{party_id}` is not designated under `{program_id}` on {}",
                        d.get_ref()
                    ),
                ),
                None => (
                    gname.span(),
                    format!("`{party_id}` has no `{program_id}` designation to remove"),
                ),
            };
            self.error(
                Code::UnknownReference,
                span,
                msg,
                Some(format!("{close}its designations: {mine}")),
            );
        }
        edits
    }

    /// End or remove `owner`'s holdings in `owned`.
    fn disown(
        &mut self,
        world: &mut World,
        owner: PartyIdx,
        owned: PartyIdx,
        on: Option<&Spanned<Date>>,
        oname: &Spanned<String>,
        dname: &Spanned<String>,
    ) -> Vec<Edit> {
        let owner_id = world.party(owner).id.clone();
        let owned_id = world.party(owned).id.clone();
        let mut edits = Vec::new();
        match on {
            None => world.ownership.retain(|e| {
                let hit = e.owner == owner && e.owned == owned;
                if hit {
                    edits.push(Edit::Disown {
                        owner: owner_id.clone(),
                        owned: owned_id.clone(),
                        share: e.share.to_string(),
                    });
                }
                !hit
            }),
            Some(date) => {
                let day = *date.get_ref();
                world.ownership.retain_mut(|e| {
                    if e.owner != owner || e.owned != owned || e.until.is_some_and(|u| u <= day) {
                        return true;
                    }
                    edits.push(Edit::EndHolding {
                        owner: owner_id.clone(),
                        owned: owned_id.clone(),
                        share: e.share.to_string(),
                        on: day,
                    });
                    if e.from.is_some_and(|f| f >= day) {
                        return false;
                    }
                    e.until = Some(day);
                    true
                });
            }
        }
        if edits.is_empty() {
            let holders: Vec<String> = world
                .ownership
                .iter()
                .filter(|e| e.owned == owned)
                .map(|e| holding_text(world, e))
                .collect();
            let ids: Vec<&str> = world
                .ownership
                .iter()
                .filter(|e| e.owned == owned)
                .map(|e| world.party(e.owner).id.as_str())
                .collect();
            let close = suggest(&owner_id, ids)
                .filter(|s| *s != owner_id)
                .map(|s| format!("did you mean `{s}`? "))
                .unwrap_or_default();
            let holders = if holders.is_empty() {
                "none are recorded".to_string()
            } else {
                holders.join(", ")
            };
            let (span, msg) = match on {
                Some(d) => (
                    d.span(),
                    format!(
                        "`{owner_id}` holds no share of `{owned_id}` on or after {}",
                        d.get_ref()
                    ),
                ),
                None => (
                    oname.span().start..dname.span().end,
                    format!("`{owner_id}` holds no share of `{owned_id}` to remove"),
                ),
            };
            self.error(
                Code::UnknownReference,
                span,
                msg,
                Some(format!("{close}holders of `{owned_id}`: {holders}")),
            );
        }
        edits
    }
}

/// Remove the window `[from, until)` from every holding of `owner` in `owned`, splitting a
/// holding that straddles it.
fn cut_holdings(
    world: &mut World,
    owner: PartyIdx,
    owned: PartyIdx,
    from: Option<Date>,
    until: Option<Date>,
) {
    let mut kept = Vec::with_capacity(world.ownership.len());
    for e in world.ownership.drain(..) {
        if e.owner != owner || e.owned != owned {
            kept.push(e);
            continue;
        }
        // The part before the window.
        if let Some(f) = from
            && e.from.is_none_or(|ef| ef < f)
        {
            kept.push(OwnershipEdge {
                until: Some(e.until.map_or(f, |u| u.min(f))),
                ..e.clone()
            });
        }
        // The part after it.
        if let Some(u) = until
            && e.until.is_none_or(|eu| eu > u)
        {
            kept.push(OwnershipEdge {
                from: Some(e.from.map_or(u, |f| f.max(u))),
                ..e.clone()
            });
        }
    }
    world.ownership = kept;
}

fn holding_text(world: &World, e: &OwnershipEdge) -> String {
    let share = match e.share {
        Share::Unknown => "an unknown share".to_string(),
        s => s.to_string(),
    };
    let window = match (e.from, e.until) {
        (None, None) => String::new(),
        (Some(f), None) => format!(" from {f}"),
        (None, Some(u)) => format!(" until {u}"),
        (Some(f), Some(u)) => format!(" from {f} until {u}"),
    };
    format!("{} {share}{window}", world.party(e.owner).id)
}

/// `us.fto (from 2025-02-20), us.kingpin` or `none`.
fn designations_text(world: &World, rs: &RuleSet, party: PartyIdx) -> String {
    let mut v: Vec<String> = world
        .designations
        .iter()
        .filter(|d| d.party == party)
        .map(|d| {
            let id = rs
                .programs
                .get(d.program)
                .map(|p| p.id.as_str())
                .unwrap_or_default();
            match (d.listed, d.delisted) {
                (None, None) => id.to_string(),
                (Some(l), None) => format!("{id} (from {l})"),
                (None, Some(x)) => format!("{id} (until {x})"),
                (Some(l), Some(x)) => format!("{id} (from {l} until {x})"),
            }
        })
        .collect();
    v.sort();
    if v.is_empty() {
        "none".into()
    } else {
        v.join(", ")
    }
}
