//! Holding edits: a holding set for a window, ended on a date, or removed entirely.

use toml::Spanned;

use super::{Edit, EditCx};
use crate::diagnostic::{Code, Diagnostics, suggest};
use crate::model::PartyIdx;
use crate::model::values::{Date, Share};
use crate::model::world::{OwnershipEdge, World};
use crate::whatif::overlay::Located;

impl EditCx<'_> {
    /// Set the holding of `owner` in `owned` for the window `(from, until)`, replacing what
    /// was recorded for it; `None` when a name is unknown or the holding impossible.
    pub(super) fn own(
        &mut self,
        world: &mut World,
        op: &Located,
        (owner, owned): (&Spanned<String>, &Spanned<String>),
        share: &Spanned<Share>,
        (from, until): (Option<Date>, Option<Date>),
    ) -> Option<Edit> {
        let (a, b) = self.holding_parties(world, owner, owned)?;
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
        let edit = Edit::Own {
            owner: world.party(a).id.clone(),
            owned: world.party(b).id.clone(),
            share: share.get_ref().to_string(),
            from,
            until,
        };
        self.check_world(world);
        Some(edit)
    }

    /// The owner and the owned of a holding to set: both known, not the same party, and the
    /// owned one an entity.
    fn holding_parties(
        &mut self,
        world: &World,
        owner: &Spanned<String>,
        owned: &Spanned<String>,
    ) -> Option<(PartyIdx, PartyIdx)> {
        let a = self.party(world, owner);
        let b = self.party(world, owned);
        let (Some(a), Some(b)) = (a, b) else {
            return None;
        };
        if a == b {
            self.error(
                Code::SelfOwnership,
                owned.span(),
                format!("`{}` cannot own itself", owner.get_ref()),
                None,
            );
            return None;
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
            return None;
        }
        Some((a, b))
    }

    /// The edited world must still be one a scenario could describe (holdings in one entity at
    /// most 100%); checked after each holding set, so the error points at that edit.
    fn check_world(&mut self, world: &World) {
        let mut checks = Diagnostics::new();
        crate::scenario::lower::check_world(self.rs, world, &mut checks);
        for d in checks {
            if self.world_problems.insert(d.message.clone()) {
                self.diags.push(d.with_source(&self.overlay.file));
            }
        }
    }

    /// End (on `on`) or remove the holdings of the named owner in the named owned party.
    pub(super) fn disown_named(
        &mut self,
        world: &mut World,
        owner: &Spanned<String>,
        owned: &Spanned<String>,
        on: Option<&Spanned<Date>>,
    ) -> Vec<Edit> {
        let a = self.party(world, owner);
        let b = self.party(world, owned);
        let (Some(a), Some(b)) = (a, b) else {
            return Vec::new();
        };
        self.disown(world, a, b, on, owner, owned)
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
            let span = match on {
                Some(d) => d.span(),
                None => oname.span().start..dname.span().end,
            };
            self.no_holding(world, (owner, owned), on.map(|d| *d.get_ref()), span);
        }
        edits
    }

    /// Report that `owner` holds nothing in `owned` to end or remove, with who does.
    fn no_holding(
        &mut self,
        world: &World,
        (owner, owned): (PartyIdx, PartyIdx),
        on: Option<Date>,
        span: std::ops::Range<usize>,
    ) {
        let owner_id = &world.party(owner).id;
        let owned_id = &world.party(owned).id;
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
        let close = suggest(owner_id, ids)
            .filter(|s| s != owner_id)
            .map(|s| format!("did you mean `{s}`? "))
            .unwrap_or_default();
        let holders = if holders.is_empty() {
            "none are recorded".to_string()
        } else {
            holders.join(", ")
        };
        let msg = match on {
            Some(d) => format!("`{owner_id}` holds no share of `{owned_id}` on or after {d}"),
            None => format!("`{owner_id}` holds no share of `{owned_id}` to remove"),
        };
        self.error(
            Code::UnknownReference,
            span,
            msg,
            Some(format!("{close}holders of `{owned_id}`: {holders}")),
        );
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
