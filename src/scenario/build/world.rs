//! [`WorldBuilder`]: parties, designations, ownership, control, joint arrangements and
//! exchange rates given in code, lowered as a scenario file's records are.

use std::ops::Range;

use toml::Spanned;

use super::{Early, NumberText, Script};
use crate::diagnostic::Diagnostics;
use crate::model::PartyKind;
use crate::model::pack::Pack;
use crate::model::ruleset::RuleSet;
use crate::model::values::{RawDate, RawNumber};
use crate::model::world::World;
use crate::rules::lower::context::Cx;
use crate::scenario::raw::{
    RawControl, RawDesignation, RawExchangeRate, RawJointArrangement, RawOwnership, RawParty,
    WorldRecords,
};

/// The name diagnostics of a world builder give as their file.
const SOURCE_NAME: &str = "<world builder>";

/// A world (parties, designations, ownership, control, joint arrangements, exchange rates)
/// given in code, checked and lowered exactly as the same records in a scenario file are.
///
/// Parties, programs, control bases and party categories are named by their ids; countries
/// by ISO 3166-1 alpha-2 codes; dates are written `YYYY-MM-DD`; shares in percent. Records
/// may name parties added later: names are resolved when the world is built. [`build`]
/// reports every problem at once, each located at the call that caused it (`<world
/// builder>`, one line per call).
///
/// [`build`]: WorldBuilder::build
///
/// ```
/// use interdict::{Code, WorldBuilder};
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let (pack, _warnings) = interdict::load_embedded_packs()?;
/// let mut w = WorldBuilder::new();
/// w.party("ivan", "individual").citizenship("RU");
/// w.party("acme", "organization").incorporated_in("CY");
/// w.designation("ivan", "us.sdgt").listed("2022-03-01");
/// w.ownership("ivan", "acme", "60").from("2021-01-01");
/// let world = w.build(&pack)?;
/// assert!(world.party_by_id("acme").is_some());
///
/// // Every problem at once, coded and located at the call.
/// let mut bad = WorldBuilder::new();
/// bad.party("acme", "organisation");
/// bad.designation("nobody", "us.sdgt");
/// let problems = bad.build(&pack).unwrap_err();
/// let codes: Vec<Code> = problems.iter().map(|d| d.code).collect();
/// assert_eq!(codes, [Code::InvalidValue, Code::UnknownReference]);
/// assert_eq!(problems.iter().next().map(|d| d.line), Some(1));
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, Default)]
pub struct WorldBuilder {
    script: Script,
    records: WorldRecords,
    early: Vec<Early>,
}

fn spanned(at: Range<usize>, text: &str) -> Spanned<String> {
    Spanned::new(at, text.to_string())
}

fn date(at: Range<usize>, text: &str) -> Option<Spanned<RawDate>> {
    Some(Spanned::new(at, RawDate(text.to_string())))
}

/// The one span of a one-argument call (never absent: the script writes one per argument).
fn only(spans: Vec<Range<usize>>) -> Range<usize> {
    spans.into_iter().next().unwrap_or_default()
}

/// Spans of a call's arguments, in order, with an empty span for any the script did not
/// write (never the case).
fn spans<const N: usize>(spans: Vec<Range<usize>>) -> [Range<usize>; N] {
    let mut it = spans.into_iter();
    std::array::from_fn(|_| it.next().unwrap_or_default())
}

impl WorldBuilder {
    /// An empty builder.
    pub fn new() -> Self {
        Self::default()
    }

    /// A party: `id` (letters, digits, `.`, `_`, `-`), `kind` one of `individual`,
    /// `organization`, `financial_institution`, `vessel`, `aircraft`. Its name is its id until
    /// [`PartyBuilder::name`] gives one.
    pub fn party(&mut self, id: &str, kind: &str) -> PartyBuilder<'_> {
        let [id_at, kind_at] = spans(self.script.call(false, "party", &[id, kind]));
        let parsed = PartyKind::parse(kind).unwrap_or_else(|| {
            let known = PartyKind::ALL.iter().map(|k| k.as_str());
            self.early
                .push(Early::unknown("party kind", kind, kind_at.clone(), known));
            // A stand-in that cannot cause further problems (an entity may be owned); the
            // build fails on the kind anyway.
            PartyKind::Organization
        });
        self.records.party.push(RawParty {
            id: spanned(id_at, id),
            name: None,
            kind: Spanned::new(kind_at, parsed),
            citizenship: Vec::new(),
            permanent_residence: Vec::new(),
            residence: Vec::new(),
            incorporated_in: None,
            located_in: None,
            branch_of: None,
            category: Vec::new(),
            aliases: Vec::new(),
            list_entry: None,
            resolve_name: None,
            resolve_id: None,
            note: None,
        });
        PartyBuilder { world: self }
    }

    /// `party` is designated under `program` (a program id of the rule set, `us.sdgt`). With
    /// no listing date, it is listed before any date the world is asked about.
    pub fn designation(&mut self, party: &str, program: &str) -> DesignationBuilder<'_> {
        let [party_at, program_at] =
            spans(self.script.call(false, "designation", &[party, program]));
        self.records.designation.push(RawDesignation {
            party: spanned(party_at, party),
            program: spanned(program_at, program),
            listed: None,
            delisted: None,
            source: None,
            note: None,
        });
        DesignationBuilder { world: self }
    }

    /// `owner` holds `share` percent of the entity `owned`: an exact percentage (`"50"`,
    /// `"12.5"`, a [`Decimal`](rust_decimal::Decimal)), a range known only within bounds
    /// (`"30-60"`), or `"unknown"`.
    pub fn ownership(
        &mut self,
        owner: &str,
        owned: &str,
        share: impl Into<NumberText>,
    ) -> OwnershipBuilder<'_> {
        let share = share.into();
        let [owner_at, owned_at, share_at] = spans(self.script.call(
            false,
            "ownership",
            &[owner, owned, share.as_str()],
        ));
        self.records.ownership.push(RawOwnership {
            owner: spanned(owner_at, owner),
            owned: spanned(owned_at, owned),
            share: Some(Spanned::new(share_at, RawNumber(share.0))),
            from: None,
            until: None,
            note: None,
        });
        OwnershipBuilder { world: self }
    }

    /// `controller` controls `controlled` on `basis`, a control basis of the rule set's
    /// vocabulary (`board_appointment`, `majority_voting_rights`...).
    pub fn control(
        &mut self,
        controller: &str,
        controlled: &str,
        basis: &str,
    ) -> ControlBuilder<'_> {
        let [a, b, c] = spans(
            self.script
                .call(false, "control", &[controller, controlled, basis]),
        );
        self.records.control.push(RawControl {
            controller: spanned(a, controller),
            controlled: spanned(b, controlled),
            basis: spanned(c, basis),
            from: None,
            until: None,
            note: None,
        });
        ControlBuilder { world: self }
    }

    /// `members` (at least two) act together as owners of `entity`: their holdings count
    /// together where a doctrine aggregates joint arrangements (OFSI guidance 4.14).
    pub fn joint_arrangement(
        &mut self,
        members: &[&str],
        entity: &str,
    ) -> JointArrangementBuilder<'_> {
        let (listed, others) = self
            .script
            .call_with_list("joint_arrangement", members, &[entity]);
        self.records.joint_arrangement.push(RawJointArrangement {
            members: listed
                .into_iter()
                .zip(members)
                .map(|(at, m)| spanned(at, m))
                .collect(),
            entity: spanned(only(others), entity),
            from: None,
            until: None,
            note: None,
        });
        JointArrangementBuilder { world: self }
    }

    /// One `from` is `rate` `to` (ISO 4217 codes; a rate above zero), for amounts in other
    /// currencies than a threshold's. The reverse rate is implied.
    pub fn exchange_rate(
        &mut self,
        from: &str,
        to: &str,
        rate: impl Into<NumberText>,
    ) -> &mut Self {
        let rate = rate.into();
        let [a, b, c] = spans(
            self.script
                .call(false, "exchange_rate", &[from, to, rate.as_str()]),
        );
        self.records.exchange_rate.push(RawExchangeRate {
            from: spanned(a, from),
            to: spanned(b, to),
            rate: Spanned::new(c, RawNumber(rate.0)),
        });
        self
    }

    /// The world: the pack's reference world extended with this builder's records, as a
    /// scenario file's world is. Every problem is returned, each coded and located.
    pub fn build(&self, pack: &Pack) -> Result<World, Diagnostics> {
        self.build_with_warnings(pack).map(|(world, _)| world)
    }

    /// [`WorldBuilder::build`], with the warnings of a world that still builds (an
    /// individual given a place of incorporation, ...).
    pub fn build_with_warnings(&self, pack: &Pack) -> Result<(World, Diagnostics), Diagnostics> {
        self.build_on(&pack.rules, World::clone(&pack.reference))
    }

    /// The world `base` extended with this builder's records, names resolved against
    /// `rules` (for a world without the pack's reference parties, pass `World::default()`).
    pub fn build_on(
        &self,
        rules: &RuleSet,
        base: World,
    ) -> Result<(World, Diagnostics), Diagnostics> {
        let file = self.script.source(SOURCE_NAME);
        let mut diags = Diagnostics::new();
        for e in &self.early {
            e.report(&file, &mut diags);
        }
        let mut world = base;
        let mut cx = Cx {
            file: &file,
            diags: &mut diags,
        };
        crate::scenario::lower::lower_world(&mut cx, rules, &self.records, &mut world);
        crate::scenario::lower::check_world(rules, &world, &mut diags);
        diags.attach_source(&file);
        if diags.has_errors() {
            return Err(diags);
        }
        Ok((world, diags))
    }
}

/// Further facts of the party just added ([`WorldBuilder::party`]).
#[derive(Debug)]
pub struct PartyBuilder<'w> {
    world: &'w mut WorldBuilder,
}

impl PartyBuilder<'_> {
    /// A one-argument call on the party: its line, and the record to change.
    fn call(&mut self, name: &str, arg: &str) -> (Range<usize>, Option<&mut RawParty>) {
        let at = only(self.world.script.call(true, name, &[arg]));
        (at, self.world.records.party.last_mut())
    }

    /// The name people know the party by (reports show it); the id by default.
    pub fn name(&mut self, name: &str) -> &mut Self {
        if let (_, Some(p)) = self.call("name", name) {
            p.name = Some(name.to_string());
        }
        self
    }

    /// A country of citizenship (individuals; may be called more than once).
    pub fn citizenship(&mut self, country: &str) -> &mut Self {
        if let (at, Some(p)) = self.call("citizenship", country) {
            p.citizenship.push(spanned(at, country));
        }
        self
    }

    /// A country of permanent residence (a U.S. permanent resident is a U.S. person).
    pub fn permanent_residence(&mut self, country: &str) -> &mut Self {
        if let (at, Some(p)) = self.call("permanent_residence", country) {
            p.permanent_residence.push(spanned(at, country));
        }
        self
    }

    /// A country the party lives in (ordinary residence, for nexus tests such as "any
    /// person in the United Kingdom").
    pub fn residence(&mut self, country: &str) -> &mut Self {
        if let (at, Some(p)) = self.call("residence", country) {
            p.residence.push(spanned(at, country));
        }
        self
    }

    /// The country whose law the entity is organized under.
    pub fn incorporated_in(&mut self, country: &str) -> &mut Self {
        if let (at, Some(p)) = self.call("incorporated_in", country) {
            p.incorporated_in = Some(spanned(at, country));
        }
        self
    }

    /// The country the party is physically in (a branch, a vessel's flag is not this).
    pub fn located_in(&mut self, country: &str) -> &mut Self {
        if let (at, Some(p)) = self.call("located_in", country) {
            p.located_in = Some(spanned(at, country));
        }
        self
    }

    /// The head office this party is a branch of: a branch is part of it, not a separate
    /// person (a subsidiary is linked by ownership instead).
    pub fn branch_of(&mut self, head_office: &str) -> &mut Self {
        if let (at, Some(p)) = self.call("branch_of", head_office) {
            p.branch_of = Some(spanned(at, head_office));
        }
        self
    }

    /// A party category of the rule set's vocabulary (`ngo`, `government_agency`...).
    pub fn category(&mut self, category: &str) -> &mut Self {
        if let (at, Some(p)) = self.call("category", category) {
            p.category.push(spanned(at, category));
        }
        self
    }

    /// Another name the party is known by (reports and list matching).
    pub fn alias(&mut self, alias: &str) -> &mut Self {
        if let (_, Some(p)) = self.call("alias", alias) {
            p.aliases.push(alias.to_string());
        }
        self
    }
}

/// Dates and source of the designation just added ([`WorldBuilder::designation`]).
#[derive(Debug)]
pub struct DesignationBuilder<'w> {
    world: &'w mut WorldBuilder,
}

impl DesignationBuilder<'_> {
    fn call(&mut self, name: &str, arg: &str) -> (Range<usize>, Option<&mut RawDesignation>) {
        let at = only(self.world.script.call(true, name, &[arg]));
        (at, self.world.records.designation.last_mut())
    }

    /// The day the listing took effect (`YYYY-MM-DD`); without it the listing date is
    /// unknown and assumed to precede every date asked about.
    pub fn listed(&mut self, on: &str) -> &mut Self {
        if let (at, Some(d)) = self.call("listed", on) {
            d.listed = date(at, on);
        }
        self
    }

    /// The day the party was removed from the list: designated up to the day before.
    pub fn delisted(&mut self, on: &str) -> &mut Self {
        if let (at, Some(d)) = self.call("delisted", on) {
            d.delisted = date(at, on);
        }
        self
    }

    /// Where the designation was published (a Federal Register notice, a list entry).
    pub fn source(&mut self, source: &str) -> &mut Self {
        if let (_, Some(d)) = self.call("source", source) {
            d.source = Some(source.to_string());
        }
        self
    }
}

/// The window of a dated link (ownership, control, joint arrangement).
macro_rules! window {
    ($builder:ident, $records:ident, $what:literal) => {
        impl $builder<'_> {
            #[doc = concat!("The first day the ", $what, " holds (`YYYY-MM-DD`); open if never given.")]
            pub fn from(&mut self, on: &str) -> &mut Self {
                let at = only(self.world.script.call(true, "from", &[on]));
                if let Some(r) = self.world.records.$records.last_mut() {
                    r.from = date(at, on);
                }
                self
            }

            #[doc = concat!("The day the ", $what, " ends: it holds up to the day before.")]
            pub fn until(&mut self, on: &str) -> &mut Self {
                let at = only(self.world.script.call(true, "until", &[on]));
                if let Some(r) = self.world.records.$records.last_mut() {
                    r.until = date(at, on);
                }
                self
            }
        }
    };
}

/// The dates of the holding just added ([`WorldBuilder::ownership`]).
#[derive(Debug)]
pub struct OwnershipBuilder<'w> {
    world: &'w mut WorldBuilder,
}
window!(OwnershipBuilder, ownership, "holding");

/// The dates of the control just added ([`WorldBuilder::control`]).
#[derive(Debug)]
pub struct ControlBuilder<'w> {
    world: &'w mut WorldBuilder,
}
window!(ControlBuilder, control, "control");

/// The dates of the joint arrangement just added ([`WorldBuilder::joint_arrangement`]).
#[derive(Debug)]
pub struct JointArrangementBuilder<'w> {
    world: &'w mut WorldBuilder,
}
window!(JointArrangementBuilder, joint_arrangement, "arrangement");
