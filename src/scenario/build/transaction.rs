//! [`TransactionBuilder`]: one transaction given in code, lowered as a scenario file's
//! `[[transaction]]` is (`scenario::transaction::lower_transaction`, the one lowering).

use std::ops::Range;

use toml::Spanned;

use super::{Early, NumberText, Script};
use crate::diagnostic::{Code, Diagnostics};
use crate::model::Role;
use crate::model::ruleset::RuleSet;
use crate::model::values::{RawDate, RawNumber};
use crate::model::world::{Transaction, World};
use crate::rules::lower::context::Cx;
use crate::scenario::raw::RawTransaction;

/// The name diagnostics of a transaction builder give as their file.
const SOURCE_NAME: &str = "<transaction builder>";

/// One transaction given in code: its id, date and type, then its amount, parties by role,
/// goods, claimed licenses and knowing parties. [`build`] resolves the names against a rule
/// set and a world and checks what a scenario file's transaction is checked for (an unknown
/// party, type or license, a party of the wrong kind for its role, an amount without a
/// currency, ...), returning every problem at once, each located at its call (`<transaction
/// builder>`, one line per call).
///
/// [`build`]: TransactionBuilder::build
///
/// ```
/// use interdict::{Code, Engine, EvalOptions, TransactionBuilder, WorldBuilder};
/// use std::sync::Arc;
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let (pack, _warnings) = interdict::load_embedded_packs()?;
/// let mut w = WorldBuilder::new();
/// w.party("acme", "organization").incorporated_in("US");
/// w.party("ivan", "individual").citizenship("RU");
/// w.designation("ivan", "us.sdgt").listed("2022-03-01");
/// let world = Arc::new(w.build(&pack)?);
///
/// let mut t = TransactionBuilder::new("tx-1", "2025-03-01", "wire");
/// t.amount("25000", "USD")
///     .party("originator", "acme")
///     .party("beneficiary", "ivan");
/// let tx = t.build(&pack.rules, &world)?;
///
/// let engine = Engine::new(Arc::clone(&pack.rules), world.clone());
/// let decision = engine.evaluate(&tx, &EvalOptions::default());
/// assert_eq!(decision.transaction, "tx-1");
///
/// // A role the language does not know, and a vessel cannot originate a payment.
/// let mut bad = TransactionBuilder::new("tx-2", "2025-03-01", "wire");
/// bad.party("payer", "acme").party("vessel", "acme");
/// let problems = bad.build(&pack.rules, &world).unwrap_err();
/// let codes: Vec<Code> = problems.iter().map(|d| d.code).collect();
/// assert_eq!(codes, [Code::InvalidValue, Code::InvalidValue]);
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct TransactionBuilder {
    script: Script,
    record: RawTransaction,
    early: Vec<Early>,
}

fn spanned(at: Range<usize>, text: &str) -> Spanned<String> {
    Spanned::new(at, text.to_string())
}

impl TransactionBuilder {
    /// A transaction `id` on `date` (`YYYY-MM-DD`) of `tx_type`, a transaction type of the
    /// rule set's vocabulary (`wire`, `payment`, `goods`, `donation`...).
    pub fn new(id: &str, date: &str, tx_type: &str) -> Self {
        let mut script = Script::default();
        let mut at = script
            .call(false, "transaction", &[id, date, tx_type])
            .into_iter();
        let mut next = || at.next().unwrap_or_default();
        let (id_at, date_at, type_at) = (next(), next(), next());
        TransactionBuilder {
            script,
            record: RawTransaction::new(
                spanned(id_at, id),
                Spanned::new(date_at, RawDate(date.to_string())),
                spanned(type_at, tx_type),
            ),
            early: Vec::new(),
        }
    }

    /// A one-argument call: its argument's span.
    fn call(&mut self, name: &str, arg: &str) -> Range<usize> {
        let spans = self.script.call(true, name, &[arg]);
        spans.into_iter().next().unwrap_or_default()
    }

    /// The amount (an exact, non-negative decimal) and its currency (ISO 4217, `USD`).
    pub fn amount(&mut self, amount: impl Into<NumberText>, currency: &str) -> &mut Self {
        let amount = amount.into();
        let mut at = self
            .script
            .call(true, "amount", &[amount.as_str(), currency])
            .into_iter();
        let (amount_at, currency_at) =
            (at.next().unwrap_or_default(), at.next().unwrap_or_default());
        self.record.amount = Some(Spanned::new(amount_at, RawNumber(amount.0)));
        self.record.currency = Some(spanned(currency_at, currency));
        self
    }

    /// `party` (an id of the world) takes part in `role`: `originator`, `originator_bank`,
    /// `intermediary`, `beneficiary_bank`, `beneficiary`, `signatory`, `agent`, `shipper`,
    /// `vessel`, `aircraft` or `other`. Intermediaries (in route order) and others may be
    /// several; every other role is held by one party.
    pub fn party(&mut self, role: &str, party: &str) -> &mut Self {
        let mut at = self.script.call(true, "party", &[role, party]).into_iter();
        let (role_at, party_at) = (at.next().unwrap_or_default(), at.next().unwrap_or_default());
        let Some(parsed) = Role::parse(role) else {
            let known = Role::ALL.iter().map(|r| r.as_str());
            self.early
                .push(Early::unknown("role", role, role_at, known));
            return self;
        };
        let name = spanned(party_at, party);
        let t = &mut self.record;
        let slot = match parsed {
            Role::Intermediary => {
                t.intermediaries.push(name);
                return self;
            }
            Role::Other => {
                t.others.push(name);
                return self;
            }
            Role::Originator => &mut t.originator,
            Role::OriginatorBank => &mut t.originator_bank,
            Role::BeneficiaryBank => &mut t.beneficiary_bank,
            Role::Beneficiary => &mut t.beneficiary,
            Role::Signatory => &mut t.signatory,
            Role::Agent => &mut t.agent,
            Role::Shipper => &mut t.shipper,
            Role::Vessel => &mut t.vessel,
            Role::Aircraft => &mut t.aircraft,
        };
        match slot {
            Some(first) => {
                let first = first.span();
                self.early.push(Early {
                    code: Code::DuplicateId,
                    at: role_at,
                    message: format!("the role `{role}` is given twice"),
                    help: Some("one party holds it; the first was given at".into()),
                    first: Some(first),
                });
            }
            None => *slot = Some(name),
        }
        self
    }

    /// A goods category of the rule set's vocabulary (`medicine`, `food`, `software`...);
    /// may be called more than once.
    pub fn goods(&mut self, category: &str) -> &mut Self {
        let at = self.call("goods", category);
        self.record.goods.push(spanned(at, category));
        self
    }

    /// A license the transaction claims: a general license of the packs or a specific
    /// license, by its rule id.
    pub fn license(&mut self, license: &str) -> &mut Self {
        let at = self.call("license", license);
        self.record.licenses.push(spanned(at, license));
        self
    }

    /// A party that acts knowingly (knows the facts that make the dealing prohibited), for
    /// rules that require knowledge.
    pub fn knowing(&mut self, party: &str) -> &mut Self {
        let at = self.call("knowing", party);
        self.record.knowing.push(spanned(at, party));
        self
    }

    /// Whether the transaction is for the personal use of an individual (some exemptions,
    /// such as personal remittances, turn on it); not by default.
    pub fn personal_use(&mut self, personal_use: bool) -> &mut Self {
        self.call("personal_use", if personal_use { "true" } else { "false" });
        self.record.personal_use = Some(personal_use);
        self
    }

    /// Free text about the transaction, carried into reports.
    pub fn description(&mut self, text: &str) -> &mut Self {
        self.call("description", text);
        self.record.description = Some(text.to_string());
        self
    }

    /// A license claimed in words, without an id: never applied, it holds the transaction
    /// for review wherever the law reaches it.
    pub fn license_claim(&mut self, text: &str) -> &mut Self {
        self.call("license_claim", text);
        self.record.license_claim = Some(text.to_string());
        self
    }

    /// The transaction, its names resolved against `rules` (types, goods, licenses) and
    /// `world` (parties). Every problem is returned, each coded and located.
    pub fn build(&self, rules: &RuleSet, world: &World) -> Result<Transaction, Diagnostics> {
        let file = self.script.source(SOURCE_NAME);
        let mut diags = Diagnostics::new();
        for e in &self.early {
            e.report(&file, &mut diags);
        }
        let mut cx = Cx {
            file: &file,
            diags: &mut diags,
        };
        let id_ok = cx.id(&self.record.id, "transaction");
        let tx = crate::scenario::lower::lower_transaction(&mut cx, rules, world, &self.record);
        match tx {
            Some(tx) if id_ok && !diags.has_errors() => Ok(tx),
            _ => Err(diags),
        }
    }
}
