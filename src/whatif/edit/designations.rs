//! Designation edits: a designation added, ended on a date, or removed entirely.

use toml::Spanned;

use super::{Edit, EditCx};
use crate::diagnostic::{Code, suggest};
use crate::model::ruleset::RuleSet;
use crate::model::values::Date;
use crate::model::world::{Designation, World};
use crate::model::{PartyIdx, ProgramIdx};
use crate::whatif::overlay::Located;

/// Names as written: parties, then programs.
type Names<'o> = (&'o [Spanned<String>], &'o [Spanned<String>]);

impl EditCx<'_> {
    /// Designate every named party under every named program, for `window` (listed,
    /// delisted).
    pub(super) fn designate_all(
        &mut self,
        world: &mut World,
        op: &Located,
        (parties, programs): Names<'_>,
        window: (Option<Date>, Option<Date>),
        source: &Option<String>,
    ) -> Vec<Edit> {
        let ps: Vec<_> = parties.iter().map(|p| self.party(world, p)).collect();
        let gs: Vec<_> = programs.iter().map(|g| self.program(g)).collect();
        let mut edits = Vec::new();
        for &party in ps.iter().flatten() {
            for &program in gs.iter().flatten() {
                edits.push(self.designate(world, op, (party, program), window, source));
            }
        }
        edits
    }

    fn designate(
        &self,
        world: &mut World,
        op: &Located,
        (party, program): (PartyIdx, ProgramIdx),
        (listed, delisted): (Option<Date>, Option<Date>),
        source: &Option<String>,
    ) -> Edit {
        // The same designation twice would change nothing but the witnesses.
        let exists = world.designations.iter().any(|d| {
            d.party == party && d.program == program && d.listed == listed && d.delisted == delisted
        });
        if !exists {
            world.designations.push(Designation {
                party,
                program,
                listed,
                delisted,
                source: Some(
                    source
                        .clone()
                        .unwrap_or_else(|| format!("what-if: {}", self.overlay.label)),
                ),
                date_assumed: listed.is_none(),
                loc: self.loc(op.span.clone()),
            });
        }
        Edit::Designate {
            party: world.party(party).id.clone(),
            program: self.program_id(program),
            listed,
            delisted,
        }
    }

    /// End (on `on`) or remove the designations of every named party under every named
    /// program.
    pub(super) fn delist_all(
        &mut self,
        world: &mut World,
        parties: &[Spanned<String>],
        programs: &[Spanned<String>],
        on: Option<&Spanned<Date>>,
    ) -> Vec<Edit> {
        let ps: Vec<_> = parties.iter().map(|p| self.party(world, p)).collect();
        let gs: Vec<_> = programs
            .iter()
            .map(|g| self.program(g).map(|i| (i, g)))
            .collect();
        let mut edits = Vec::new();
        for &party in ps.iter().flatten() {
            for &(program, gname) in gs.iter().flatten() {
                edits.extend(self.delist(world, party, program, on, gname));
            }
        }
        edits
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
            self.no_designation(world, party, &program_id, on, gname);
        }
        edits
    }

    /// Report that `party` has no `program_id` designation to end or remove, with the ones it
    /// has.
    fn no_designation(
        &mut self,
        world: &World,
        party: PartyIdx,
        program_id: &str,
        on: Option<&Spanned<Date>>,
        gname: &Spanned<String>,
    ) {
        let party_id = &world.party(party).id;
        let mine = designations_text(world, self.rs, party);
        let theirs: Vec<String> = world
            .designations
            .iter()
            .filter(|d| d.party == party)
            .map(|d| self.program_id(d.program))
            .collect();
        let close = suggest(program_id, theirs.iter().map(String::as_str))
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
