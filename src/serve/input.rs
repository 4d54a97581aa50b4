//! What a request may carry: transactions (their parties by id in the loaded world) and
//! parties given inline. Transactions are lowered by the library's one transaction lowering
//! (`scenario::transaction::lower_transaction`), the one scenario files and batch records go
//! through, so a problem gets the same code here as there.

use serde::Deserialize;

use interdict::diagnostic::Code;
use interdict::model::ruleset::RuleSet;
use interdict::model::world::{Transaction, World};
use interdict::model::{PartyIdx, PartyKind, Role};
use interdict::scenario::transaction::{Field, TxContext, TxFields, role_order};
use interdict::source::Loc;

use super::error::{Location, Problem};
use super::state::Loaded;

/// One transaction, with the fields of a scenario's `[[transaction]]` and of a batch record
/// (docs/batch.md): roles name party ids of the loaded world or of the request's `parties`.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TransactionIn {
    /// The transaction's id, echoed in its decision.
    pub id: String,
    /// Its date, `YYYY-MM-DD`.
    pub date: String,
    /// The transaction type's id in the rule packs (`wire`, `payment`, `export`...).
    #[serde(rename = "type")]
    pub tx_type: String,
    /// The amount, an exact decimal string (`"1250.00"`), never a JSON number.
    #[serde(default)]
    pub amount: Option<String>,
    /// The amount's currency, an ISO 4217 code.
    #[serde(default)]
    pub currency: Option<String>,
    /// Goods categories' ids in the rule packs.
    #[serde(default)]
    pub goods: Vec<String>,
    /// Whether the transaction is for personal use.
    #[serde(default)]
    pub personal_use: Option<bool>,
    /// Party id of the originator.
    #[serde(default)]
    pub originator: Option<String>,
    /// Party id of the originator's bank.
    #[serde(default)]
    pub originator_bank: Option<String>,
    /// Party ids of the intermediary banks, in route order.
    #[serde(default)]
    pub intermediaries: Vec<String>,
    /// Party id of the beneficiary's bank.
    #[serde(default)]
    pub beneficiary_bank: Option<String>,
    /// Party id of the beneficiary.
    #[serde(default)]
    pub beneficiary: Option<String>,
    /// Party id of the signatory.
    #[serde(default)]
    pub signatory: Option<String>,
    /// Party id of the agent.
    #[serde(default)]
    pub agent: Option<String>,
    /// Party id of the shipper.
    #[serde(default)]
    pub shipper: Option<String>,
    /// Party id of the vessel.
    #[serde(default)]
    pub vessel: Option<String>,
    /// Party id of the aircraft.
    #[serde(default)]
    pub aircraft: Option<String>,
    /// Party ids of other parties to the transaction.
    #[serde(default)]
    pub others: Vec<String>,
    /// Licenses claimed: general ones of the packs, or specific ones of the world file.
    #[serde(default)]
    pub licenses: Vec<String>,
    /// A license claimed in words, without an id: it holds the transaction for review.
    #[serde(default)]
    pub license_claim: Option<String>,
    /// Party ids recorded as knowing the relevant facts.
    #[serde(default)]
    pub knowing: Vec<String>,
    /// Free text, echoed in the decision.
    #[serde(default)]
    pub description: Option<String>,
}

/// A party given inline, added to the loaded world for the request only.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PartyIn {
    /// Its id, which the transactions' roles name.
    pub id: String,
    /// `individual`, `organization`, `financial_institution`, `vessel` or `aircraft`.
    pub kind: String,
    /// The name people know it by.
    #[serde(default)]
    pub name: Option<String>,
    /// Countries of citizenship (ISO 3166 alpha-2).
    #[serde(default)]
    pub citizenship: Vec<String>,
    /// Countries of permanent residence.
    #[serde(default)]
    pub permanent_residence: Vec<String>,
    /// Countries of residence.
    #[serde(default)]
    pub residence: Vec<String>,
    /// Country of incorporation.
    #[serde(default)]
    pub incorporated_in: Option<String>,
    /// Country where it is located.
    #[serde(default)]
    pub located_in: Option<String>,
    /// The party id of its head office, when it is a branch.
    #[serde(default)]
    pub branch_of: Option<String>,
    /// Categories of the rule packs' vocabulary.
    #[serde(default)]
    pub categories: Vec<String>,
    /// Other names.
    #[serde(default)]
    pub aliases: Vec<String>,
}

/// The loaded world with the request's inline parties added (checked as a scenario's
/// parties are); `None` when there are none.
pub fn world_with(state: &Loaded, parties: &[PartyIn]) -> Result<Option<World>, Vec<Problem>> {
    if parties.is_empty() {
        return Ok(None);
    }
    let mut b = interdict::WorldBuilder::new();
    for p in parties {
        let mut pb = b.party(&p.id, &p.kind);
        if let Some(n) = &p.name {
            pb.name(n);
        }
        for c in &p.citizenship {
            pb.citizenship(c);
        }
        for c in &p.permanent_residence {
            pb.permanent_residence(c);
        }
        for c in &p.residence {
            pb.residence(c);
        }
        if let Some(c) = &p.incorporated_in {
            pb.incorporated_in(c);
        }
        if let Some(c) = &p.located_in {
            pb.located_in(c);
        }
        if let Some(h) = &p.branch_of {
            pb.branch_of(h);
        }
        for c in &p.categories {
            pb.category(c);
        }
        for a in &p.aliases {
            pb.alias(a);
        }
    }
    match b.build_on(&state.rules, World::clone(&state.world)) {
        Ok((world, _warnings)) => Ok(Some(world)),
        Err(d) => Err(d
            .iter()
            .filter(|x| x.severity == interdict::diagnostic::Severity::Error)
            .map(|x| Problem {
                code: x.code.as_str().to_string(),
                message: x.message.clone(),
                help: x.help.clone(),
                location: Some(Location::pointer("/parties")),
            })
            .collect()),
    }
}

/// Lower one transaction against `rules` and `world`; every problem is returned, located at
/// `pointer` (the transaction in the request).
pub fn lower(
    state: &Loaded,
    world: &World,
    tx: &TransactionIn,
    pointer: &str,
) -> Result<Transaction, Vec<Problem>> {
    let mut cx = Names {
        state,
        world,
        pointer,
        problems: Vec::new(),
    };
    let mut out = interdict::scenario::transaction::blank_transaction();
    let ok = interdict::scenario::transaction::lower_transaction(&mut cx, tx, &mut out);
    if ok && cx.problems.is_empty() {
        Ok(out)
    } else {
        Err(cx.problems)
    }
}

/// Where a request's names are looked up, and where its problems go.
struct Names<'s> {
    state: &'s Loaded,
    world: &'s World,
    pointer: &'s str,
    problems: Vec<Problem>,
}

/// Worlds up to this many parties are searched for a near id when one is unknown.
const HELP_SCAN_LIMIT: usize = 10_000;

impl TxContext for Names<'_> {
    type At = ();
    fn rules(&self) -> &RuleSet {
        &self.state.rules
    }
    fn transaction_type(&self, name: &str) -> Option<usize> {
        self.state.tx_types.get(name).copied()
    }
    fn goods(&self, name: &str) -> Option<usize> {
        self.state.goods.get(name).copied()
    }
    fn party(&self, id: &str) -> Option<PartyIdx> {
        self.world.index.get(id).copied()
    }
    fn party_kind(&self, p: PartyIdx) -> Option<PartyKind> {
        self.world.parties.get(p).map(|x| x.kind)
    }
    fn party_help(&self, id: &str) -> Option<String> {
        if self.world.parties.len() > HELP_SCAN_LIMIT {
            return None;
        }
        interdict::diagnostic::did_you_mean(id, self.world.parties.iter().map(|p| p.id.as_str()))
    }
    fn report(&mut self, _: &(), code: Code, message: String, help: Option<String>) {
        self.problems.push(Problem {
            code: code.as_str().to_string(),
            message,
            help,
            location: Some(Location::pointer(self.pointer)),
        });
    }
    fn locate(&self, _: &(), loc: &mut Loc) {
        *loc = Loc::builtin("request");
    }
}

fn field(text: &str) -> Field<'_, ()> {
    Field { text, at: () }
}

impl TxFields for TransactionIn {
    type At = ();
    fn id(&self) -> Field<'_, ()> {
        field(&self.id)
    }
    fn date(&self) -> Field<'_, ()> {
        field(&self.date)
    }
    fn tx_type(&self) -> Field<'_, ()> {
        field(&self.tx_type)
    }
    fn goods(&self) -> impl Iterator<Item = Field<'_, ()>> {
        self.goods.iter().map(|g| field(g))
    }
    fn amount(&self) -> Option<Field<'_, ()>> {
        self.amount.as_deref().map(field)
    }
    fn currency(&self) -> Option<Field<'_, ()>> {
        self.currency.as_deref().map(field)
    }
    fn personal_use(&self) -> bool {
        self.personal_use.unwrap_or(false)
    }
    fn parties(&self) -> impl Iterator<Item = (Role, Field<'_, ()>)> {
        role_order(
            [&self.originator, &self.originator_bank],
            &self.intermediaries,
            [
                &self.beneficiary_bank,
                &self.beneficiary,
                &self.signatory,
                &self.agent,
                &self.shipper,
                &self.vessel,
                &self.aircraft,
            ],
            &self.others,
        )
        .map(|(role, id)| (role, field(id)))
    }
    fn licenses(&self) -> impl Iterator<Item = Field<'_, ()>> {
        self.licenses.iter().map(|l| field(l))
    }
    fn knowing(&self) -> impl Iterator<Item = Field<'_, ()>> {
        self.knowing.iter().map(|k| field(k))
    }
    fn description(&self) -> Option<&str> {
        self.description.as_deref()
    }
    fn license_claim(&self) -> Option<&str> {
        self.license_claim.as_deref()
    }
}
