//! The one lowering of a transaction record into a [`Transaction`], whatever wrote it: a
//! scenario's `[[transaction]]` (located by byte spans) or a batch record of NDJSON or CSV
//! (located by its line).
//!
//! The lowering is generic over where the fields come from ([`TxFields`]) and over where
//! names are looked up and problems go ([`TxContext`]), so both paths check the same things in
//! the same order and say the same thing, with the same [`Code`], about each problem. It
//! writes into a [`Transaction`] it is given, reusing its buffers: the batch path lowers a
//! million records into one transaction without allocating.

use crate::diagnostic::{Code, did_you_mean};
use crate::model::ruleset::{RuleKind, RuleSet, Term};
use crate::model::values::{Currency, Money, parse_date, parse_decimal};
use crate::model::world::Transaction;
use crate::model::{Bits, PartyIdx, PartyKind, Role, RuleIdx, TxTypeIdx};
use crate::rules::lower::context::not_a_currency;
use crate::source::Loc;

/// One written value of a record: its text and where it was written.
#[derive(Debug, Clone)]
pub struct Field<'r, A> {
    /// The value as written.
    pub text: &'r str,
    /// Where it was written, in the terms of the record's format.
    pub at: A,
}

/// The fields of a transaction record, as its format holds them.
pub trait TxFields {
    /// Where a field was written (a byte span, or nothing finer than the record).
    type At;
    /// The transaction's id.
    fn id(&self) -> Field<'_, Self::At>;
    /// The date, `YYYY-MM-DD`.
    fn date(&self) -> Field<'_, Self::At>;
    /// The transaction type, a term of the vocabulary.
    fn tx_type(&self) -> Field<'_, Self::At>;
    /// Goods categories, terms of the vocabulary.
    fn goods(&self) -> impl Iterator<Item = Field<'_, Self::At>>;
    /// The amount, an exact decimal.
    fn amount(&self) -> Option<Field<'_, Self::At>>;
    /// The amount's currency, an ISO 4217 code.
    fn currency(&self) -> Option<Field<'_, Self::At>>;
    /// Whether the transaction is for personal use.
    fn personal_use(&self) -> bool;
    /// Every party by role, in [`role_order`].
    fn parties(&self) -> impl Iterator<Item = (Role, Field<'_, Self::At>)>;
    /// Ids of the licenses the transaction claims.
    fn licenses(&self) -> impl Iterator<Item = Field<'_, Self::At>>;
    /// Ids of the parties that act knowingly.
    fn knowing(&self) -> impl Iterator<Item = Field<'_, Self::At>>;
    /// Free text.
    fn description(&self) -> Option<&str>;
    /// A license claimed in words, without an id (formats that cannot say it: none).
    fn license_claim(&self) -> Option<&str> {
        None
    }
}

/// The parties of a record in the order a transaction lists them: originator, originator's
/// bank, intermediaries, beneficiary's bank, beneficiary, signatory, agent, shipper, vessel,
/// aircraft, others. Every format lists them in this order, so a transaction is the same
/// whichever format wrote it.
#[allow(clippy::type_complexity)] // the nine single roles, as the formats hold them
pub fn role_order<'r, V>(
    [originator, originator_bank]: [&'r Option<V>; 2],
    intermediaries: &'r [V],
    [
        beneficiary_bank,
        beneficiary,
        signatory,
        agent,
        shipper,
        vessel,
        aircraft,
    ]: [&'r Option<V>; 7],
    others: &'r [V],
) -> impl Iterator<Item = (Role, &'r V)> + 'r {
    let before = [
        (Role::Originator, originator),
        (Role::OriginatorBank, originator_bank),
    ];
    let after = [
        (Role::BeneficiaryBank, beneficiary_bank),
        (Role::Beneficiary, beneficiary),
        (Role::Signatory, signatory),
        (Role::Agent, agent),
        (Role::Shipper, shipper),
        (Role::Vessel, vessel),
        (Role::Aircraft, aircraft),
    ];
    let single = |(role, v): (Role, &'r Option<V>)| v.as_ref().map(|v| (role, v));
    before
        .into_iter()
        .filter_map(single)
        .chain(intermediaries.iter().map(|v| (Role::Intermediary, v)))
        .chain(after.into_iter().filter_map(single))
        .chain(others.iter().map(|v| (Role::Other, v)))
}

/// What a transaction's names are resolved against, and where its problems go.
pub trait TxContext {
    /// Where a field was written (the same as the record's [`TxFields::At`]).
    type At;
    /// The rule set: its vocabulary and rules.
    fn rules(&self) -> &RuleSet;
    /// The index of a transaction type.
    fn transaction_type(&self, name: &str) -> Option<usize>;
    /// The index of a goods category.
    fn goods(&self, name: &str) -> Option<usize>;
    /// The party with this id (or list alias) in the world.
    fn party(&self, id: &str) -> Option<PartyIdx>;
    /// A party's kind (individual, entity, vessel, ...).
    fn party_kind(&self, p: PartyIdx) -> Option<PartyKind>;
    /// Help for an unknown party id: a near id, where the world is small enough to search.
    fn party_help(&self, id: &str) -> Option<String>;
    /// Record a problem of the field written at `at`.
    fn report(&mut self, at: &Self::At, code: Code, message: String, help: Option<String>);
    /// Set `loc` to where the record starts (the field at `at` is its id).
    fn locate(&self, at: &Self::At, loc: &mut Loc);
}

/// Lower the record `rec` into `tx`, reporting every problem to `cx`.
///
/// Returns whether every reference resolved (date, type, parties, licenses, knowing parties):
/// only then does `tx` stand for the record. Problems of goods and amounts are reported too
/// but leave a transaction whose other expectations can still be checked.
pub fn lower_transaction<F, C>(cx: &mut C, rec: &F, tx: &mut Transaction) -> bool
where
    F: TxFields,
    C: TxContext<At = F::At>,
{
    let id = rec.id();
    let mut ok = required(cx, &id, "id");
    tx.id.clear();
    tx.id.push_str(id.text);
    cx.locate(&id.at, &mut tx.loc);
    ok &= lower_date(cx, rec.date(), tx);
    ok &= lower_type(cx, rec.tx_type(), tx);
    tx.goods = Bits::EMPTY;
    for g in rec.goods() {
        match cx.goods(g.text) {
            Some(i) => tx.goods.insert(i),
            None => unknown_term(cx, &g, "goods category", |rs| &rs.vocabulary.goods),
        }
    }
    tx.amount = lower_amount(cx, rec.amount(), rec.currency());
    tx.personal_use = rec.personal_use();
    ok &= lower_parties(cx, rec, &id, tx);
    ok &= lower_licenses(cx, rec.licenses(), tx);
    tx.knowing.clear();
    for k in rec.knowing() {
        match cx.party(k.text) {
            Some(p) => tx.knowing.push(p),
            None => {
                unknown_party(cx, &k);
                ok = false;
            }
        }
    }
    match (rec.description(), &mut tx.description) {
        (Some(d), Some(buf)) => {
            buf.clear();
            buf.push_str(d);
        }
        (d, slot) => *slot = d.map(str::to_string),
    }
    tx.license_claim = rec.license_claim().map(str::to_string);
    ok
}

/// A required field is not empty (an empty CSV cell is an absent value).
fn required<C: TxContext>(cx: &mut C, f: &Field<'_, C::At>, key: &str) -> bool {
    if !f.text.trim().is_empty() {
        return true;
    }
    cx.report(
        &f.at,
        Code::MissingKey,
        format!("`{key}` is missing or empty"),
        None,
    );
    false
}

fn lower_date<C: TxContext>(cx: &mut C, date: Field<'_, C::At>, tx: &mut Transaction) -> bool {
    if !required(cx, &date, "date") {
        return false;
    }
    match parse_date(date.text) {
        Ok(d) => {
            tx.date = d;
            true
        }
        Err(m) => {
            cx.report(&date.at, Code::InvalidValue, m.into(), None);
            false
        }
    }
}

fn lower_type<C: TxContext>(cx: &mut C, t: Field<'_, C::At>, tx: &mut Transaction) -> bool {
    if !required(cx, &t, "type") {
        return false;
    }
    // A position in a vocabulary of at most BITS_CAPACITY terms: it fits an index.
    match cx
        .transaction_type(t.text)
        .and_then(|i| TxTypeIdx::try_from_usize(i).ok())
    {
        Some(i) => {
            tx.tx_type = i;
            true
        }
        None => {
            unknown_term(cx, &t, "transaction type", |rs| {
                rs.vocabulary.transaction_types.as_slice()
            });
            false
        }
    }
}

/// An amount and its currency, both or neither.
fn lower_amount<C: TxContext>(
    cx: &mut C,
    amount: Option<Field<'_, C::At>>,
    currency: Option<Field<'_, C::At>>,
) -> Option<Money> {
    match (amount, currency) {
        (Some(a), Some(c)) => {
            let cur = Currency::parse(c.text);
            if cur.is_none() {
                let (message, help) = not_a_currency(c.text);
                cx.report(&c.at, Code::InvalidValue, message, Some(help));
            }
            match parse_decimal(a.text) {
                Ok(d) if d.is_sign_negative() => {
                    cx.report(
                        &a.at,
                        Code::NegativeAmount,
                        format!("amount `{}` is negative", a.text),
                        None,
                    );
                    None
                }
                Ok(d) => cur.map(|c| Money::new(d, c)),
                Err(m) => {
                    cx.report(&a.at, Code::InvalidValue, m.into(), None);
                    None
                }
            }
        }
        (Some(a), None) => {
            cx.report(
                &a.at,
                Code::MissingKey,
                "an amount needs a `currency`".into(),
                Some("add `currency = \"USD\"`".into()),
            );
            None
        }
        (None, Some(c)) => {
            cx.report(
                &c.at,
                Code::MissingKey,
                "a `currency` without an `amount`".into(),
                None,
            );
            None
        }
        (None, None) => None,
    }
}

/// The parties by role; each must exist and fit its role, and there must be at least one.
fn lower_parties<F, C>(cx: &mut C, rec: &F, id: &Field<'_, F::At>, tx: &mut Transaction) -> bool
where
    F: TxFields,
    C: TxContext<At = F::At>,
{
    tx.parties.clear();
    let (mut ok, mut written) = (true, false);
    for (role, name) in rec.parties() {
        written = true;
        let Some(p) = cx.party(name.text) else {
            unknown_party(cx, &name);
            ok = false;
            continue;
        };
        match cx.party_kind(p) {
            Some(kind) if !role.admits(kind) => {
                cx.report(
                    &name.at,
                    Code::InvalidValue,
                    role.misfit(name.text, kind),
                    None,
                );
                ok = false;
            }
            _ => tx.parties.push((role, p)),
        }
    }
    if !written {
        cx.report(
            &id.at,
            Code::MissingKey,
            format!("transaction `{}` has no parties", id.text),
            Some("give at least an originator or a beneficiary".into()),
        );
        ok = false;
    }
    ok
}

/// The licenses claimed: each must be a license rule.
fn lower_licenses<'r, C: TxContext>(
    cx: &mut C,
    licenses: impl Iterator<Item = Field<'r, C::At>>,
    tx: &mut Transaction,
) -> bool
where
    C::At: 'r,
{
    tx.licenses.clear();
    let mut ok = true;
    for l in licenses {
        let rules = cx.rules();
        match rules.rule_by_id(l.text) {
            Some(r) if is_license(rules, r) => tx.licenses.push(r),
            Some(_) => {
                cx.report(
                    &l.at,
                    Code::InvalidValue,
                    format!("`{}` is not a license", l.text),
                    None,
                );
                ok = false;
            }
            None => {
                let help = suggestion(l.text, rules.index.rules.keys().map(String::as_str));
                cx.report(
                    &l.at,
                    Code::UnknownReference,
                    format!("unknown license `{}`", l.text),
                    help,
                );
                ok = false;
            }
        }
    }
    ok
}

fn is_license(rules: &RuleSet, r: RuleIdx) -> bool {
    // A rule index that names no rule is no license (never the case after lowering).
    rules
        .rules
        .get(r)
        .is_some_and(|x| x.kind == RuleKind::License)
}

fn unknown_party<C: TxContext>(cx: &mut C, name: &Field<'_, C::At>) {
    let help = cx.party_help(name.text);
    cx.report(
        &name.at,
        Code::UnknownReference,
        format!("unknown party `{}`", name.text),
        help,
    );
}

/// An unknown vocabulary term, with a near term or else the known ones.
fn unknown_term<C: TxContext>(
    cx: &mut C,
    name: &Field<'_, C::At>,
    what: &str,
    terms: impl Fn(&RuleSet) -> &[Term],
) {
    let known = terms(cx.rules());
    let help = suggestion(name.text, known.iter().map(|t| t.id.as_str())).or_else(|| {
        Some(format!(
            "known values: {}",
            known
                .iter()
                .map(|t| t.id.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ))
    });
    cx.report(
        &name.at,
        Code::UnknownReference,
        format!("unknown {what} `{}`", name.text),
        help,
    );
}

/// "Did you mean" for a name, skipped for a name far longer than any known one: the edit
/// distance costs its length times theirs, and a ten-megabyte name is no typo.
pub fn suggestion<'a>(name: &str, known: impl Iterator<Item = &'a str> + Clone) -> Option<String> {
    let longest = known.clone().map(str::len).max().unwrap_or(0);
    if name.len() > 2 * longest + 8 {
        return None;
    }
    did_you_mean(name, known)
}

/// An empty transaction to lower records into.
pub fn blank_transaction() -> Transaction {
    Transaction {
        id: String::new(),
        date: chrono::NaiveDate::MIN,
        tx_type: TxTypeIdx(0),
        goods: Bits::EMPTY,
        amount: None,
        personal_use: false,
        parties: Vec::new(),
        licenses: Vec::new(),
        knowing: Vec::new(),
        description: None,
        license_claim: None,
        loc: Loc::default(),
    }
}

/// A field of a scenario file, located by its byte span.
fn spanned<T: AsRef<str>>(s: &toml::Spanned<T>) -> Field<'_, std::ops::Range<usize>> {
    Field {
        text: s.get_ref().as_ref(),
        at: s.span(),
    }
}

impl TxFields for super::raw::RawTransaction {
    type At = std::ops::Range<usize>;
    fn id(&self) -> Field<'_, Self::At> {
        spanned(&self.id)
    }
    fn date(&self) -> Field<'_, Self::At> {
        Field {
            text: &self.date.get_ref().0,
            at: self.date.span(),
        }
    }
    fn tx_type(&self) -> Field<'_, Self::At> {
        spanned(&self.tx_type)
    }
    fn goods(&self) -> impl Iterator<Item = Field<'_, Self::At>> {
        self.goods.iter().map(spanned)
    }
    fn amount(&self) -> Option<Field<'_, Self::At>> {
        self.amount.as_ref().map(|a| Field {
            text: &a.get_ref().0,
            at: a.span(),
        })
    }
    fn currency(&self) -> Option<Field<'_, Self::At>> {
        self.currency.as_ref().map(spanned)
    }
    fn personal_use(&self) -> bool {
        self.personal_use.unwrap_or(false)
    }
    fn parties(&self) -> impl Iterator<Item = (Role, Field<'_, Self::At>)> {
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
        .map(|(role, s)| (role, spanned(s)))
    }
    fn licenses(&self) -> impl Iterator<Item = Field<'_, Self::At>> {
        self.licenses.iter().map(spanned)
    }
    fn knowing(&self) -> impl Iterator<Item = Field<'_, Self::At>> {
        self.knowing.iter().map(spanned)
    }
    fn description(&self) -> Option<&str> {
        self.description.as_deref()
    }
    fn license_claim(&self) -> Option<&str> {
        self.license_claim.as_deref()
    }
}
