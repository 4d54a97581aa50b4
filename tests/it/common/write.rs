//! Writing rule packs and worlds back to TOML: raw records as they were read (the raw structs
//! derive `Serialize`), and lowered model values turned back into raw records by name.

use std::collections::BTreeMap;

use interdict::check::emit::{ScenarioFile, sp};
use interdict::model::ruleset::{
    Aggregation, Comparison, Conditions, ControlEffect, PartyClause, PartyPredicate, Rule,
    RuleKind, RuleSet, Selector,
};
use interdict::model::values::{Date, RawDate, RawNumber, Share};
use interdict::model::world::{Transaction, World};
use interdict::model::{Bits, PartyKind, Role};
use interdict::rules::lower::FileRecords;
use interdict::rules::raw::*;
use interdict::scenario::raw::*;
use serde::Serialize;
use toml::Spanned;

/// A rule-pack file, table by table.
#[derive(Debug, Clone, Serialize, Default, PartialEq)]
pub struct RuleFile {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub transaction_type: Vec<RawTerm>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub goods: Vec<RawTerm>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub party_category: Vec<RawTerm>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub control_basis: Vec<RawTerm>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub jurisdiction: Vec<RawJurisdiction>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub calendar: Vec<RawCalendar>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub person_test: Vec<RawPersonTest>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub nexus: Vec<RawNexus>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub program: Vec<RawProgram>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub rule: Vec<RawRule>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub obligation: Vec<RawObligation>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub penalty: Vec<RawPenalty>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub invariant: Vec<RawInvariant>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub party: Vec<RawParty>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub designation: Vec<RawDesignation>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub ownership: Vec<RawOwnership>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub control: Vec<RawControl>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub joint_arrangement: Vec<RawJointArrangement>,
}

fn values<T: Clone>(r: &[interdict::toml_input::Record<T>]) -> Vec<T> {
    r.iter().map(|x| x.value.clone()).collect()
}

/// The raw records of a file, as a writable file.
pub fn rule_file(f: &FileRecords) -> RuleFile {
    RuleFile {
        transaction_type: values(&f.terms[0]),
        goods: values(&f.terms[1]),
        party_category: values(&f.terms[2]),
        control_basis: values(&f.terms[3]),
        jurisdiction: values(&f.jurisdictions),
        calendar: values(&f.calendars),
        person_test: values(&f.person_tests),
        nexus: values(&f.nexus),
        program: values(&f.programs),
        rule: values(&f.rules),
        obligation: values(&f.obligations),
        penalty: values(&f.penalties),
        invariant: values(&f.invariants),
        party: f.world.party.clone(),
        designation: f.world.designation.clone(),
        ownership: f.world.ownership.clone(),
        control: f.world.control.clone(),
        joint_arrangement: f.world.joint_arrangement.clone(),
    }
}

pub fn to_toml<T: Serialize>(v: &T) -> String {
    toml::to_string(v).unwrap()
}

fn date(d: Date) -> Spanned<RawDate> {
    sp(RawDate(d.to_string()))
}

fn names(terms: &[interdict::model::ruleset::Term], set: Bits) -> Vec<Spanned<String>> {
    set.iter().map(|i| sp(terms[i].id.clone())).collect()
}

fn programs(rs: &RuleSet, set: Bits) -> Vec<Spanned<String>> {
    set.iter()
        .map(|i| sp(rs.programs.as_slice()[i].id.clone()))
        .collect()
}

fn tests(rs: &RuleSet, set: Bits) -> Vec<Spanned<String>> {
    set.iter()
        .map(|i| sp(rs.person_tests.as_slice()[i].id.clone()))
        .collect()
}

fn countries(v: &[interdict::model::values::Country]) -> Vec<Spanned<String>> {
    v.iter().map(|c| sp(c.to_string())).collect()
}

fn money(m: interdict::model::values::Money) -> Spanned<String> {
    sp(format!("{} {}", m.amount.normalize(), m.currency))
}

pub fn raw_predicate(rs: &RuleSet, roles: Bits, p: &PartyPredicate) -> RawPartyClause {
    RawPartyClause {
        roles: (!roles.is_empty()).then(|| {
            Role::ALL
                .iter()
                .filter(|r| roles.contains(r.bit()))
                .map(|r| sp(*r))
                .collect()
        }),
        kind: p.kinds.map(|k| {
            PartyKind::ALL
                .iter()
                .filter(|x| k.contains(x.bit()))
                .map(|x| sp(*x))
                .collect()
        }),
        category: p
            .categories
            .map(|c| names(&rs.vocabulary.party_categories, c)),
        citizenship: p.citizenship.as_deref().map(countries),
        permanent_residence: p.permanent_residence.as_deref().map(countries),
        residence: p.residence.as_deref().map(countries),
        incorporated_in: p.incorporated_in.as_deref().map(countries),
        located_in: p.located_in.as_deref().map(countries),
        branch_of: p.branch_of.map(|t| sp(rs.person_tests[t].id.clone())),
        is_branch: p.is_branch,
        tests: p.tests.map(|t| tests(rs, t)),
        not_tests: p.not_tests.map(|t| tests(rs, t)),
        designated: p.designated.map(|d| programs(rs, d)),
        blocked: p.blocked,
        blocked_under: p.blocked_under.map(|d| programs(rs, d)),
        ownership_undetermined: p.ownership_undetermined,
        blocked_minority_owner: p.blocked_minority_owner,
        controlled_by_blocked: p.controlled_by_blocked,
        knowing: p.knowing,
        fuzzy_list_match: p.fuzzy_list_match,
    }
}

fn raw_clause(rs: &RuleSet, c: &PartyClause) -> Spanned<RawPartyClause> {
    sp(raw_predicate(rs, c.roles, &c.pred))
}

pub fn raw_conditions(rs: &RuleSet, c: &Conditions) -> RawConditions {
    let v = &rs.vocabulary;
    RawConditions {
        transaction_type: c
            .transaction_types
            .map(|t| names(v.transaction_types.as_slice(), t)),
        goods_any: c.goods_any.map(|t| names(&v.goods, t)),
        goods_only: c.goods_only.map(|t| names(&v.goods, t)),
        currency: c
            .currencies
            .as_ref()
            .map(|cs| cs.iter().map(|x| sp(x.to_string())).collect()),
        amount_at_least: c.amount_at_least.map(money),
        amount_below: c.amount_below.map(money),
        date_from: c.date_from.map(date),
        date_before: c.date_before.map(date),
        personal_use: c.personal_use,
        cross_border: c.cross_border,
        transfers_value: c.transfers_value,
        party: c.parties.iter().map(|x| raw_clause(rs, x)).collect(),
        no_party: c.no_party.iter().map(|x| raw_clause(rs, x)).collect(),
        any: c.any.iter().map(|a| sp(raw_conditions(rs, a))).collect(),
    }
}

fn raw_selector(rs: &RuleSet, s: &Selector) -> RawSelector {
    RawSelector {
        rules: s
            .rules
            .as_ref()
            .map(|v| v.iter().map(|r| sp(rs.rules[r].id.clone())).collect()),
        programs: s.programs.map(|p| programs(rs, p)),
        basis: s.basis.clone(),
        dispositions: s.dispositions.clone(),
    }
}

/// A lowered rule as the `[[rule]]` table that lowers to it.
pub fn raw_rule(rs: &RuleSet, r: &Rule) -> RawRule {
    let kind = match r.kind {
        RuleKind::Prohibition => None,
        RuleKind::Exemption => Some(RawRuleKind::Exemption),
        RuleKind::License => Some(RawRuleKind::License),
        RuleKind::Override => Some(RawRuleKind::Override),
    };
    // An override's default selector is its program; write it out only if it differs.
    let default_protects = r.kind == RuleKind::Override
        && r.defeats
            == Selector {
                programs: r.program.map(|p| Bits::single(p.idx())),
                ..Selector::default()
            };
    RawRule {
        id: sp(r.id.clone()),
        title: (!r.title.is_empty()).then(|| r.title.clone()),
        kind,
        program: r.program.map(|p| sp(rs.programs[p].id.clone())),
        jurisdiction: r
            .program
            .is_none()
            .then(|| sp(rs.jurisdictions[r.jurisdiction].id.clone())),
        when: (!r.when.is_empty()).then(|| raw_conditions(rs, &r.when)),
        unless: r.unless.as_ref().map(|u| raw_conditions(rs, u)),
        actor: r.actor.as_ref().map(|a| raw_clause(rs, a)),
        disposition: r.disposition.map(sp),
        defeats: (r.defeats != Selector::default() && !default_protects)
            .then(|| sp(raw_selector(rs, &r.defeats))),
        overrides: r
            .overrides
            .iter()
            .map(|o| sp(rs.rules[o].id.clone()))
            .collect(),
        obligations: r
            .obligations
            .iter()
            .map(|o| sp(rs.obligations[o].id.clone()))
            .collect(),
        exposures: r
            .exposures
            .iter()
            .map(|o| sp(rs.penalties[o].id.clone()))
            .collect(),
        citation: Some(sp(RawCitations::One(RawCitation::Text(
            r.citation.text.clone(),
        )))),
        note: r.note.clone(),
        valid_from: r.valid_from.map(date),
        valid_until: r.valid_until.map(date),
    }
}

/// A lowered jurisdiction's doctrine, as its raw table.
pub fn raw_doctrine(rs: &RuleSet, d: &interdict::model::ruleset::OwnershipDoctrine) -> RawDoctrine {
    RawDoctrine {
        threshold: d
            .threshold
            .map(|t| sp(RawNumber(t.normalize().to_string()))),
        comparison: match d.comparison {
            Comparison::AtLeast => RawComparison::AtLeast,
            Comparison::MoreThan => RawComparison::MoreThan,
        },
        aggregation: match d.aggregation {
            Aggregation::All => RawAggregation::All,
            Aggregation::JointArrangementOnly => RawAggregation::JointArrangementOnly,
        },
        control: match d.control {
            ControlEffect::Flag => RawControlEffect::Flag,
            ControlEffect::Blocks => RawControlEffect::Blocks,
        },
        control_bases: names(rs.vocabulary.control_bases.as_slice(), d.control_bases),
        citation: Some(RawCitations::Many(
            d.citations
                .iter()
                .map(|c| match &c.url {
                    None => RawCitation::Text(c.text.clone()),
                    Some(u) => RawCitation::Full {
                        text: c.text.clone(),
                        url: Some(u.clone()),
                    },
                })
                .collect(),
        )),
        note: d.note.clone(),
        period: Vec::new(),
    }
}

/// A lowered doctrine's periods, each with every field it could set (so nothing is inherited).
pub fn raw_doctrine_periods(
    rs: &RuleSet,
    periods: &[interdict::model::doctrine::DoctrinePeriod],
) -> Vec<RawDoctrinePeriod> {
    periods
        .iter()
        .map(|p| {
            let d = raw_doctrine(rs, &p.doctrine);
            RawDoctrinePeriod {
                valid_from: p.valid_from.map(date),
                valid_until: p.valid_until.map(date),
                threshold: d.threshold,
                comparison: Some(d.comparison),
                aggregation: Some(d.aggregation),
                control: Some(d.control),
                control_bases: Some(d.control_bases),
                citation: d.citation,
                note: d.note,
            }
        })
        .collect()
}

fn share(s: Share) -> Spanned<RawNumber> {
    sp(RawNumber(match s {
        Share::Exact(d) => d.normalize().to_string(),
        Share::Range(a, b) => format!("{}-{}", a.normalize(), b.normalize()),
        Share::Unknown => "unknown".into(),
    }))
}

/// What `w` adds to `base` (the packs' reference world, which every scenario starts from),
/// with the transactions, as a scenario file.
pub fn scenario(rs: &RuleSet, w: &World, base: &World, txs: &[Transaction]) -> ScenarioFile {
    let id = |p: interdict::model::PartyIdx| w.parties[p].id.clone();
    let v = &rs.vocabulary;
    let mut f = ScenarioFile {
        scenario: Some(RawScenarioHeader {
            name: "round trip".into(),
            description: None,
            as_of: None,
            evaluated_on: None,
        }),
        ..ScenarioFile::default()
    };
    for p in w.parties.iter().skip(base.parties.len()) {
        f.party.push(RawParty {
            id: sp(p.id.clone()),
            name: (p.name != p.id).then(|| p.name.clone()),
            kind: sp(p.kind),
            citizenship: countries(&p.citizenship),
            permanent_residence: countries(&p.permanent_residence),
            residence: countries(&p.residence),
            incorporated_in: p.incorporated_in.map(|c| sp(c.to_string())),
            located_in: p.located_in.map(|c| sp(c.to_string())),
            branch_of: p.branch_of.map(|b| sp(id(b))),
            category: names(&v.party_categories, p.categories),
            aliases: p.aliases.clone(),
            list_entry: p.list_entry.clone().map(sp),
            resolve_name: None,
            resolve_id: None,
            note: None,
        });
    }
    for d in w.designations.iter().skip(base.designations.len()) {
        f.designation.push(RawDesignation {
            party: sp(id(d.party)),
            program: sp(rs.programs[d.program].id.clone()),
            listed: d.listed.map(date),
            delisted: d.delisted.map(date),
            source: d.source.clone(),
            note: None,
        });
    }
    for e in w.ownership.iter().skip(base.ownership.len()) {
        f.ownership.push(RawOwnership {
            owner: sp(id(e.owner)),
            owned: sp(id(e.owned)),
            share: Some(share(e.share)),
            from: e.from.map(date),
            until: e.until.map(date),
            note: None,
        });
    }
    for e in w.control.iter().skip(base.control.len()) {
        f.control.push(RawControl {
            controller: sp(id(e.controller)),
            controlled: sp(id(e.controlled)),
            basis: sp(v.control_bases[e.basis].id.clone()),
            from: e.from.map(date),
            until: e.until.map(date),
            note: None,
        });
    }
    for j in w
        .joint_arrangements
        .iter()
        .skip(base.joint_arrangements.len())
    {
        f.joint_arrangement.push(RawJointArrangement {
            members: j.members.iter().map(|m| sp(id(*m))).collect(),
            entity: sp(id(j.entity)),
            from: j.from.map(date),
            until: j.until.map(date),
            note: None,
        });
    }
    for r in &w.exchange_rates {
        f.exchange_rate.push(RawExchangeRate {
            from: sp(r.from.to_string()),
            to: sp(r.to.to_string()),
            rate: sp(RawNumber(r.rate.normalize().to_string())),
        });
    }
    for t in txs {
        let mut raw = RawTransaction {
            id: sp(t.id.clone()),
            date: date(t.date),
            tx_type: sp(v.transaction_types[t.tx_type].id.clone()),
            goods: names(&v.goods, t.goods),
            amount: t.amount.map(|m| sp(RawNumber(m.amount.to_string()))),
            currency: t.amount.map(|m| sp(m.currency.to_string())),
            personal_use: t.personal_use.then_some(true),
            originator: None,
            originator_bank: None,
            intermediaries: Vec::new(),
            beneficiary_bank: None,
            beneficiary: None,
            signatory: None,
            agent: None,
            shipper: None,
            vessel: None,
            aircraft: None,
            others: Vec::new(),
            licenses: t
                .licenses
                .iter()
                .map(|l| sp(rs.rules[l].id.clone()))
                .collect(),
            knowing: t.knowing.iter().map(|p| sp(id(*p))).collect(),
            description: t.description.clone(),
            license_claim: t.license_claim.clone(),
            expect: BTreeMap::new(),
            expect_overall: None,
        };
        for (role, p) in &t.parties {
            let p = sp(id(*p));
            match role {
                Role::Originator => raw.originator = Some(p),
                Role::OriginatorBank => raw.originator_bank = Some(p),
                Role::Intermediary => raw.intermediaries.push(p),
                Role::BeneficiaryBank => raw.beneficiary_bank = Some(p),
                Role::Beneficiary => raw.beneficiary = Some(p),
                Role::Signatory => raw.signatory = Some(p),
                Role::Agent => raw.agent = Some(p),
                Role::Shipper => raw.shipper = Some(p),
                Role::Vessel => raw.vessel = Some(p),
                Role::Aircraft => raw.aircraft = Some(p),
                Role::Other => raw.others.push(p),
            }
        }
        f.transaction.push(raw);
    }
    f
}
