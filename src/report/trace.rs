//! The evaluation trace in words: what each condition part asked, whether it held, and the
//! facts it read, from the structured trace the evaluator records ([`crate::eval::decision`]).

use serde::Serialize;

use crate::eval::decision::{CondFacts, CondPart, CondTrace, PartyReading, RuleTrace, Trace};
use crate::model::ruleset::{Conditions, PartyClause, PartyPredicate, RuleSet};
use crate::model::values::Country;
use crate::model::world::World;
use crate::model::{Bits, PartyIdx, Role};

/// One jurisdiction's trace: its nexus tests and the rules considered.
#[derive(Debug, Clone, Serialize)]
pub struct TraceReport {
    /// The jurisdiction's id.
    pub jurisdiction: String,
    /// Each nexus test, in the jurisdiction's order.
    pub nexus: Vec<RuleTraceReport>,
    /// Each rule considered, in the order evaluated.
    pub rules: Vec<RuleTraceReport>,
}

/// A nexus test or a rule as it was evaluated.
#[derive(Debug, Clone, Serialize)]
pub struct RuleTraceReport {
    /// The test's or the rule's id.
    pub id: String,
    /// Whether it was in force on the date evaluated.
    pub in_force: bool,
    /// Whether it held (a test) or fired (a rule).
    pub fired: bool,
    /// The parties a rule fired for.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub actors: Vec<String>,
    /// Its condition parts, in the order tested.
    pub conditions: Vec<CondReport>,
}

/// One condition part in words.
#[derive(Debug, Clone, Serialize)]
pub struct CondReport {
    /// What the part asks (`transaction type in [wire, payment]`).
    pub condition: String,
    /// Whether it held.
    pub held: bool,
    /// The facts it read (`wire`; for a party clause, each party in its roles and its status).
    pub facts: String,
}

/// The trace of a decision in words, one entry per jurisdiction.
pub fn trace_report(rs: &RuleSet, world: &World, t: &Trace) -> Vec<TraceReport> {
    let words = Words { rs, world };
    t.jurisdictions
        .iter()
        .map(|jt| {
            let jur = &rs.jurisdictions[jt.jurisdiction];
            TraceReport {
                jurisdiction: jur.id.clone(),
                nexus: jt
                    .nexus
                    .iter()
                    .map(|n| {
                        let test = &jur.nexus[n.test];
                        let mut conditions = Vec::new();
                        words.parts(&test.when, &n.conditions, &mut conditions);
                        RuleTraceReport {
                            id: test.id.clone(),
                            in_force: true,
                            fired: n.held,
                            actors: Vec::new(),
                            conditions,
                        }
                    })
                    .collect(),
                rules: jt.rules.iter().map(|r| words.rule(r)).collect(),
            }
        })
        .collect()
}

/// What the words are read from: names of terms, programs, tests and parties.
struct Words<'a> {
    rs: &'a RuleSet,
    world: &'a World,
}

impl Words<'_> {
    fn rule(&self, r: &RuleTrace) -> RuleTraceReport {
        let rule = &self.rs.rules[r.rule];
        let mut conditions = Vec::new();
        self.parts(&rule.when, &r.conditions, &mut conditions);
        if let (Some(u), Some(parts)) = (&rule.unless, &r.unless) {
            conditions.push(CondReport {
                condition: "unless all of the following:".into(),
                held: true,
                facts: String::new(),
            });
            self.parts(u, parts, &mut conditions);
        }
        if r.in_force && !r.claimed {
            conditions.push(CondReport {
                condition: "the transaction claims this license".into(),
                held: false,
                facts: "not claimed".into(),
            });
        }
        RuleTraceReport {
            id: rule.id.clone(),
            in_force: r.in_force,
            fired: r.fired,
            actors: r.actors.iter().map(|&p| self.party_id(p)).collect(),
            conditions,
        }
    }

    fn parts(&self, c: &Conditions, parts: &[CondTrace], out: &mut Vec<CondReport>) {
        out.extend(parts.iter().map(|p| CondReport {
            condition: self.asked(c, &p.part),
            held: p.held,
            facts: self.facts(&p.part, &p.facts),
        }));
    }

    fn party_id(&self, p: PartyIdx) -> String {
        self.world.parties[p].id.clone()
    }

    /// What a part of `c` asks: `transaction type in [payment]`, `some party in [beneficiary]
    /// that is blocked`.
    fn asked(&self, c: &Conditions, part: &CondPart) -> String {
        let rs = self.rs;
        let v = &rs.vocabulary;
        let terms = |t: &[crate::model::ruleset::Term], b: Option<Bits>| {
            rs.term_names(t, b.unwrap_or_default()).join(", ")
        };
        let shown = |x: Option<String>| x.unwrap_or_default();
        match part {
            CondPart::TransactionTypes => format!(
                "transaction type in [{}]",
                terms(v.transaction_types.as_slice(), c.transaction_types)
            ),
            CondPart::GoodsAny => format!("some goods in [{}]", terms(&v.goods, c.goods_any)),
            CondPart::GoodsOnly => format!("all goods in [{}]", terms(&v.goods, c.goods_only)),
            CondPart::Currencies => format!(
                "currency in [{}]",
                c.currencies
                    .iter()
                    .flatten()
                    .map(|c| c.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            CondPart::AmountAtLeast => format!(
                "amount at least {}",
                shown(c.amount_at_least.map(|m| m.to_string()))
            ),
            CondPart::AmountBelow => format!(
                "amount below {}",
                shown(c.amount_below.map(|m| m.to_string()))
            ),
            CondPart::DateFrom => format!(
                "dated on or after {}",
                shown(c.date_from.map(|d| d.to_string()))
            ),
            CondPart::DateBefore => format!(
                "dated before {}",
                shown(c.date_before.map(|d| d.to_string()))
            ),
            CondPart::PersonalUse => format!(
                "personal use is {}",
                shown(c.personal_use.map(|b| b.to_string()))
            ),
            CondPart::CrossBorder => format!(
                "cross-border is {}",
                shown(c.cross_border.map(|b| b.to_string()))
            ),
            CondPart::TransfersValue => format!(
                "transfers something of value is {}",
                shown(c.transfers_value.map(|b| b.to_string()))
            ),
            CondPart::Party(i) => format!(
                "some party {}",
                shown(c.parties.get(*i).map(|x| describe_clause(x, rs)))
            ),
            CondPart::NoParty(i) => format!(
                "no party {}",
                shown(c.no_party.get(*i).map(|x| describe_clause(x, rs)))
            ),
            CondPart::Any(alternatives) => {
                let described: Vec<String> = alternatives
                    .iter()
                    .enumerate()
                    .map(|(i, parts)| {
                        let asked: Vec<String> = match c.any.get(i) {
                            Some(alt) => parts.iter().map(|p| self.asked(alt, &p.part)).collect(),
                            None => Vec::new(),
                        };
                        format!("({}) {}", i + 1, asked.join(" and "))
                    })
                    .collect();
                format!("one of: {}", described.join("; "))
            }
        }
    }

    /// The facts a part read, in words: `EUR`, `12,000 EUR`, `acme (beneficiary): blocked
    /// under us.sdgt [meets it]`.
    fn facts(&self, part: &CondPart, facts: &CondFacts) -> String {
        let rs = self.rs;
        match facts {
            CondFacts::TransactionType(t) => rs
                .vocabulary
                .transaction_types
                .get(*t)
                .map(|x| x.id.clone())
                .unwrap_or_default(),
            CondFacts::Goods(g) => {
                let names = rs.term_names(&rs.vocabulary.goods, *g);
                if names.is_empty() {
                    "no goods".into()
                } else {
                    names.join(", ")
                }
            }
            CondFacts::Amount(m) => match (part, m) {
                (_, None) => "no amount".into(),
                (CondPart::Currencies, Some(m)) => m.currency.to_string(),
                (_, Some(m)) => m.to_string(),
            },
            CondFacts::Date(d) => d.to_string(),
            CondFacts::Flag(b) => b.to_string(),
            CondFacts::Parties(readings) => self.parties(readings),
            CondFacts::Alternative(Some(i)) => format!("alternative {} holds", i + 1),
            CondFacts::Alternative(None) => "no alternative holds".into(),
        }
    }

    /// The parties a clause could look at, with their relevant status.
    fn parties(&self, readings: &[PartyReading]) -> String {
        let mut out = Vec::new();
        for f in readings {
            let p = &self.world.parties[f.party];
            let roles: Vec<&str> = Role::ALL
                .iter()
                .filter(|r| f.roles.contains(r.bit()))
                .map(|r| r.as_str())
                .collect();
            let mut s = format!("{} ({})", p.id, roles.join("/"));
            let st = f.state;
            if st.blocked {
                s.push_str(&format!(
                    ": blocked under {}",
                    self.rs.program_names(st.grounds).join(", ")
                ));
            } else if st.undetermined {
                s.push_str(": ownership undetermined");
            } else if !st.designated.is_empty() {
                s.push_str(&format!(
                    ": designated {}",
                    self.rs.program_names(st.designated).join(", ")
                ));
            } else {
                s.push_str(": not blocked");
            }
            s.push_str(if f.meets { " [meets it]" } else { "" });
            out.push(s);
        }
        if out.is_empty() {
            "no party in those roles".into()
        } else {
            out.join("; ")
        }
    }
}

/// The clause in words: `in [beneficiary] that is blocked under [us.sdgt]`.
pub fn describe_clause(c: &PartyClause, rs: &RuleSet) -> String {
    let mut parts = Vec::new();
    if !c.roles.is_empty() {
        let roles: Vec<&str> = Role::ALL
            .iter()
            .filter(|r| c.roles.contains(r.bit()))
            .map(|r| r.as_str())
            .collect();
        parts.push(format!("in [{}]", roles.join(", ")));
    }
    parts.extend(describe_predicate(&c.pred, rs));
    parts.join(" ")
}

/// The parts of a party predicate in words, one per constraint it sets: the party's
/// attributes, then its tests and statuses.
pub fn describe_predicate(p: &PartyPredicate, rs: &RuleSet) -> Vec<String> {
    let mut v = Vec::new();
    describe_attributes(p, rs, &mut v);
    describe_statuses(p, rs, &mut v);
    v
}

/// Kind, category, countries and branches.
fn describe_attributes(p: &PartyPredicate, rs: &RuleSet, v: &mut Vec<String>) {
    let countries = |c: &Vec<Country>| c.iter().map(|x| x.as_str()).collect::<Vec<_>>().join(", ");
    if let Some(k) = p.kinds {
        let kinds: Vec<&str> = crate::model::PartyKind::ALL
            .iter()
            .filter(|x| k.contains(x.bit()))
            .map(|x| x.as_str())
            .collect();
        v.push(format!("of kind [{}]", kinds.join(", ")));
    }
    if let Some(c) = p.categories {
        v.push(format!(
            "in category [{}]",
            rs.term_names(&rs.vocabulary.party_categories, c).join(", ")
        ));
    }
    if let Some(c) = &p.citizenship {
        v.push(format!("a citizen of [{}]", countries(c)));
    }
    if let Some(c) = &p.permanent_residence {
        v.push(format!("a permanent resident of [{}]", countries(c)));
    }
    if let Some(c) = &p.residence {
        v.push(format!("resident in [{}]", countries(c)));
    }
    if let Some(c) = &p.incorporated_in {
        v.push(format!("incorporated in [{}]", countries(c)));
    }
    if let Some(c) = &p.located_in {
        v.push(format!("located in [{}]", countries(c)));
    }
    if let Some(t) = p.branch_of {
        v.push(format!("a branch of a {}", rs.person_tests[t].id));
    }
    if let Some(b) = p.is_branch {
        v.push(if b {
            "a branch".into()
        } else {
            "not a branch".into()
        });
    }
}

/// Person tests, designations, blocking and the flags of ownership, control, knowledge and
/// list matching.
fn describe_statuses(p: &PartyPredicate, rs: &RuleSet, v: &mut Vec<String>) {
    let tests = |b: Bits| {
        rs.person_tests
            .iter()
            .enumerate()
            .filter(|(i, _)| b.contains(*i))
            .map(|(_, t)| t.id.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    if let Some(t) = p.tests {
        v.push(format!("passing [{}]", tests(t)));
    }
    if let Some(t) = p.not_tests {
        v.push(format!("passing none of [{}]", tests(t)));
    }
    if let Some(d) = p.designated {
        v.push(format!(
            "designated under [{}]",
            rs.program_names(d).join(", ")
        ));
    }
    if let Some(b) = p.blocked {
        v.push(if b {
            "blocked".into()
        } else {
            "not blocked".into()
        });
    }
    if let Some(d) = p.blocked_under {
        v.push(format!(
            "blocked under [{}]",
            rs.program_names(d).join(", ")
        ));
    }
    let flag = |name: &str, b: Option<bool>, v: &mut Vec<String>| {
        if let Some(b) = b {
            v.push(if b {
                name.to_string()
            } else {
                format!("not {name}")
            });
        }
    };
    flag(
        "of undetermined ownership",
        p.ownership_undetermined,
        &mut *v,
    );
    flag(
        "with a blocked minority owner",
        p.blocked_minority_owner,
        &mut *v,
    );
    flag(
        "controlled by a blocked person",
        p.controlled_by_blocked,
        &mut *v,
    );
    flag("knowing", p.knowing, &mut *v);
    flag(
        "matched to a list only by a fuzzy name search",
        p.fuzzy_list_match,
        &mut *v,
    );
}
