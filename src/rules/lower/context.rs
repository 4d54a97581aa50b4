//! Resolving names written in files to indices, with located "did you mean" errors, and
//! lowering the condition language shared by rules, nexus tests and licenses.

use std::collections::HashMap;

use toml::Spanned;

use crate::diagnostic::{Code, Diagnostic, Diagnostics, did_you_mean};
use crate::model::ruleset::{Citation, Conditions, PartyClause, PartyPredicate, RuleSet, Term};
use crate::model::values::{Country, Currency, Date, Money, RawDate, parse_date};
use crate::model::{BITS_CAPACITY, Bits};
use crate::rules::raw::{RawCitations, RawConditions, RawPartyClause};
use crate::source::{Loc, SourceFile};

/// The file being lowered and where its problems go.
pub(crate) struct Cx<'a> {
    pub(crate) file: &'a SourceFile,
    pub(crate) diags: &'a mut Diagnostics,
}

impl Cx<'_> {
    pub(crate) fn loc(&self, span: std::ops::Range<usize>) -> Loc {
        self.file.loc(span)
    }

    pub(crate) fn error(
        &mut self,
        code: Code,
        span: std::ops::Range<usize>,
        msg: impl Into<String>,
    ) {
        let loc = self.loc(span);
        self.diags
            .push(Diagnostic::error(code, &loc, msg).with_source(self.file));
    }

    pub(crate) fn error_help(
        &mut self,
        code: Code,
        span: std::ops::Range<usize>,
        msg: impl Into<String>,
        help: Option<String>,
    ) {
        let loc = self.loc(span);
        self.diags.push(
            Diagnostic::error(code, &loc, msg)
                .with_help_opt(help)
                .with_source(self.file),
        );
    }

    pub(crate) fn warning(
        &mut self,
        code: Code,
        span: std::ops::Range<usize>,
        msg: impl Into<String>,
    ) {
        let loc = self.loc(span);
        self.diags
            .push(Diagnostic::warning(code, &loc, msg).with_source(self.file));
    }

    /// An id is well formed ([`crate::model::values::check_id`]); otherwise a located error.
    pub(crate) fn id(&mut self, raw: &Spanned<String>, what: &str) -> bool {
        match crate::model::values::check_id(raw.get_ref()) {
            Ok(()) => true,
            Err(why) => {
                self.error_help(
                    Code::InvalidValue,
                    raw.span(),
                    format!("{what} id `{}` {why}", raw.get_ref()),
                    Some(crate::model::values::ID_HELP.into()),
                );
                false
            }
        }
    }

    /// Look `name` up in `map`; an unknown name is an error with a suggestion.
    pub(crate) fn resolve<T: Copy>(
        &mut self,
        map: &HashMap<String, T>,
        name: &Spanned<String>,
        what: &str,
    ) -> Option<T> {
        if let Some(v) = map.get(name.get_ref().as_str()) {
            return Some(*v);
        }
        let help = did_you_mean(name.get_ref(), map.keys().map(String::as_str));
        self.error_help(
            Code::UnknownReference,
            name.span(),
            format!("unknown {what} `{}`", name.get_ref()),
            help,
        );
        None
    }

    /// Resolve a vocabulary term.
    pub(crate) fn term(
        &mut self,
        terms: &[Term],
        name: &Spanned<String>,
        what: &str,
    ) -> Option<usize> {
        if let Some(i) = terms.iter().position(|t| &t.id == name.get_ref()) {
            return Some(i);
        }
        let help =
            did_you_mean(name.get_ref(), terms.iter().map(|t| t.id.as_str())).or_else(|| {
                Some(format!(
                    "known values: {}",
                    terms
                        .iter()
                        .map(|t| t.id.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ))
            });
        self.error_help(
            Code::UnknownReference,
            name.span(),
            format!("unknown {what} `{}`", name.get_ref()),
            help,
        );
        None
    }

    pub(crate) fn terms(&mut self, terms: &[Term], names: &[Spanned<String>], what: &str) -> Bits {
        names
            .iter()
            .filter_map(|n| self.term(terms, n, what))
            .collect()
    }

    pub(crate) fn date(&mut self, raw: &Spanned<RawDate>) -> Option<Date> {
        match parse_date(&raw.get_ref().0) {
            Ok(d) => Some(d),
            Err(m) => {
                self.error(Code::InvalidValue, raw.span(), m);
                None
            }
        }
    }

    pub(crate) fn opt_date(&mut self, raw: &Option<Spanned<RawDate>>) -> Option<Date> {
        raw.as_ref().and_then(|r| self.date(r))
    }

    /// A window `from .. until`; an end not after its start is an impossible date.
    pub(crate) fn window(
        &mut self,
        from: &Option<Spanned<RawDate>>,
        until: &Option<Spanned<RawDate>>,
    ) -> (Option<Date>, Option<Date>) {
        let f = self.opt_date(from);
        let u = self.opt_date(until);
        if let (Some(a), Some(b), Some(us)) = (f, u, until.as_ref())
            && b <= a
        {
            self.error(
                Code::ImpossibleDate,
                us.span(),
                format!("this window ends on {b}, not after it starts on {a}"),
            );
        }
        (f, u)
    }

    pub(crate) fn country(&mut self, raw: &Spanned<String>) -> Option<Country> {
        let c = Country::parse(raw.get_ref());
        if c.is_none() {
            let help = Country::iso_for(raw.get_ref())
                .map(|c| format!("write `{c}`"))
                .unwrap_or_else(|| {
                    "use an ISO 3166-1 alpha-2 code such as `US`, `MX` or `GB`".into()
                });
            self.error_help(
                Code::InvalidValue,
                raw.span(),
                format!(
                    "`{}` is not an ISO 3166-1 alpha-2 country code",
                    raw.get_ref()
                ),
                Some(help),
            );
        }
        c
    }

    pub(crate) fn countries(&mut self, raw: &[Spanned<String>]) -> Vec<Country> {
        raw.iter().filter_map(|c| self.country(c)).collect()
    }

    pub(crate) fn currency(&mut self, raw: &Spanned<String>) -> Option<Currency> {
        let c = Currency::parse(raw.get_ref());
        if c.is_none() {
            let (message, help) = not_a_currency(raw.get_ref());
            self.error_help(Code::InvalidValue, raw.span(), message, Some(help));
        }
        c
    }

    pub(crate) fn money(&mut self, raw: &Spanned<String>) -> Option<Money> {
        match Money::parse(raw.get_ref()) {
            Ok(m) if m.amount.is_sign_negative() => {
                self.error(
                    Code::NegativeAmount,
                    raw.span(),
                    format!("amount `{}` is negative", raw.get_ref()),
                );
                None
            }
            Ok(m) => Some(m),
            Err(msg) => {
                self.error(Code::InvalidValue, raw.span(), msg);
                None
            }
        }
    }

    /// Citations; an empty text is reported as a missing citation.
    pub(crate) fn citations(
        &mut self,
        raw: &RawCitations,
        span: std::ops::Range<usize>,
    ) -> Vec<Citation> {
        let mut out = Vec::new();
        for c in raw.list() {
            if c.text().trim().is_empty() {
                self.error(
                    Code::MissingCitation,
                    span.clone(),
                    "a citation must not be empty",
                );
            } else {
                out.push(Citation {
                    text: c.text().trim().to_string(),
                    url: c.url().map(str::to_string),
                });
            }
        }
        out
    }

    /// Exactly one citation is expected where a single source backs a definition; several
    /// are joined with "; ".
    pub(crate) fn citation(
        &mut self,
        raw: &Option<Spanned<RawCitations>>,
        owner_span: std::ops::Range<usize>,
        what: &str,
    ) -> Option<Citation> {
        let Some(raw) = raw else {
            self.error_help(
                Code::MissingCitation,
                owner_span,
                format!("{what} has no citation"),
                Some("every rule cites its source: add `citation = \"31 CFR 594.201\"` (the statute, regulation or order)".into()),
            );
            return None;
        };
        let list = self.citations(raw.get_ref(), raw.span());
        join_citations(list)
    }
}

/// The message and help for a currency code that is not one (in packs, scenarios and batch
/// records alike).
pub(crate) fn not_a_currency(text: &str) -> (String, String) {
    (
        format!("`{text}` is not an ISO 4217 currency code"),
        "use an ISO 4217 code such as `USD`, `EUR` or `GBP`".into(),
    )
}

pub(crate) fn join_citations(list: Vec<Citation>) -> Option<Citation> {
    if list.is_empty() {
        return None;
    }
    let text = list
        .iter()
        .map(|c| c.text.as_str())
        .collect::<Vec<_>>()
        .join("; ");
    let url = list.into_iter().find_map(|c| c.url);
    Some(Citation { text, url })
}

/// Check a vocabulary or id list fits in a [`Bits`] set.
pub(crate) fn check_capacity(count: usize, what: &str, loc: &Loc, diags: &mut Diagnostics) {
    if count > BITS_CAPACITY {
        diags.push(Diagnostic::error(
            Code::LimitExceeded,
            loc,
            format!("{count} {what} defined; the engine holds at most {BITS_CAPACITY}"),
        ));
    }
}

/// Where a party clause is used decides which parts it may have.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum ClauseUse {
    /// In a rule, nexus test or license: everything is allowed.
    Transaction,
    /// An alternative of a person test: attributes only (no roles, no statuses).
    PersonTest,
}

pub(crate) fn lower_party_clause(
    cx: &mut Cx,
    rs: &RuleSet,
    raw: &Spanned<RawPartyClause>,
    usage: ClauseUse,
) -> PartyClause {
    let span = raw.span();
    let r = raw.get_ref();
    let mut pred = PartyPredicate::default();
    let roles: Bits = r
        .roles
        .iter()
        .flatten()
        .map(|x| x.get_ref().bit())
        .collect();
    if let Some(roles) = &r.roles
        && roles.is_empty()
    {
        cx.error(
            Code::InvalidValue,
            span.clone(),
            "`roles` is empty; omit it to mean any role",
        );
    }
    pred.kinds = r
        .kind
        .as_ref()
        .map(|ks| ks.iter().map(|k| k.get_ref().bit()).collect());
    pred.categories = r
        .category
        .as_ref()
        .map(|c| cx.terms(&rs.vocabulary.party_categories, c, "party category"));
    pred.citizenship = r.citizenship.as_ref().map(|c| cx.countries(c));
    pred.permanent_residence = r.permanent_residence.as_ref().map(|c| cx.countries(c));
    pred.residence = r.residence.as_ref().map(|c| cx.countries(c));
    pred.incorporated_in = r.incorporated_in.as_ref().map(|c| cx.countries(c));
    pred.located_in = r.located_in.as_ref().map(|c| cx.countries(c));
    pred.branch_of = r
        .branch_of
        .as_ref()
        .and_then(|t| cx.resolve(&rs.index.person_tests, t, "person test"));
    pred.is_branch = r.is_branch;
    pred.tests = r.tests.as_ref().map(|ts| {
        ts.iter()
            .filter_map(|t| cx.resolve(&rs.index.person_tests, t, "person test"))
            .map(|t| t.idx())
            .collect()
    });
    pred.not_tests = r.not_tests.as_ref().map(|ts| {
        ts.iter()
            .filter_map(|t| cx.resolve(&rs.index.person_tests, t, "person test"))
            .map(|t| t.idx())
            .collect()
    });
    pred.designated = r.designated.as_ref().map(|ps| programs(cx, rs, ps));
    pred.blocked = r.blocked;
    pred.blocked_under = r.blocked_under.as_ref().map(|ps| programs(cx, rs, ps));
    pred.ownership_undetermined = r.ownership_undetermined;
    pred.blocked_minority_owner = r.blocked_minority_owner;
    pred.controlled_by_blocked = r.controlled_by_blocked;
    pred.knowing = r.knowing;
    pred.fuzzy_list_match = r.fuzzy_list_match;
    if usage == ClauseUse::PersonTest {
        check_person_test_clause(cx, span.clone(), r, &pred);
    }
    PartyClause {
        roles,
        pred,
        loc: cx.loc(span),
    }
}

/// A person test looks at the party alone: no roles, no statuses, no knowledge, no other
/// tests.
fn check_person_test_clause(
    cx: &mut Cx,
    span: std::ops::Range<usize>,
    r: &RawPartyClause,
    pred: &PartyPredicate,
) {
    if r.roles.is_some() {
        cx.error(
            Code::InvalidValue,
            span.clone(),
            "a person test looks at the party alone; `roles` is not allowed here",
        );
    }
    if pred.reads_status()
        || pred.knowing.is_some()
        || pred.tests.is_some()
        || pred.not_tests.is_some()
    {
        cx.error_help(
            Code::InvalidValue,
            span,
            "a person test may only use party attributes",
            Some("allowed: kind, category, citizenship, permanent_residence, residence, incorporated_in, located_in, branch_of, is_branch".into()),
        );
    }
}

fn programs(cx: &mut Cx, rs: &RuleSet, names: &[Spanned<String>]) -> Bits {
    names
        .iter()
        .filter_map(|p| cx.resolve(&rs.index.programs, p, "program"))
        .map(|p| p.idx())
        .collect()
}

pub(crate) fn lower_conditions(cx: &mut Cx, rs: &RuleSet, raw: &RawConditions) -> Conditions {
    let v = &rs.vocabulary;
    let mut c = Conditions {
        transaction_types: raw
            .transaction_type
            .as_ref()
            .map(|t| cx.terms(v.transaction_types.as_slice(), t, "transaction type")),
        goods_any: raw
            .goods_any
            .as_ref()
            .map(|t| cx.terms(&v.goods, t, "goods category")),
        goods_only: raw
            .goods_only
            .as_ref()
            .map(|t| cx.terms(&v.goods, t, "goods category")),
        currencies: raw
            .currency
            .as_ref()
            .map(|cs| cs.iter().filter_map(|x| cx.currency(x)).collect()),
        amount_at_least: raw.amount_at_least.as_ref().and_then(|m| cx.money(m)),
        amount_below: raw.amount_below.as_ref().and_then(|m| cx.money(m)),
        date_from: cx.opt_date(&raw.date_from),
        date_before: cx.opt_date(&raw.date_before),
        personal_use: raw.personal_use,
        cross_border: raw.cross_border,
        transfers_value: raw.transfers_value,
        parties: Vec::new(),
        no_party: Vec::new(),
        any: Vec::new(),
    };
    if let (Some(f), Some(b), Some(bs)) = (c.date_from, c.date_before, raw.date_before.as_ref())
        && b <= f
    {
        cx.error(
            Code::ImpossibleDate,
            bs.span(),
            format!("`date_before` {b} is not after `date_from` {f}: no date can meet both"),
        );
    }
    if let (Some(lo), Some(hi), Some(hs)) =
        (c.amount_at_least, c.amount_below, raw.amount_below.as_ref())
        && lo.currency == hi.currency
        && hi.amount <= lo.amount
    {
        cx.error(
            Code::InvalidValue,
            hs.span(),
            format!(
                "`amount_below` {hi} is not above `amount_at_least` {lo}: no amount can meet both"
            ),
        );
    }
    c.parties = raw
        .party
        .iter()
        .map(|p| lower_party_clause(cx, rs, p, ClauseUse::Transaction))
        .collect();
    c.no_party = raw
        .no_party
        .iter()
        .map(|p| lower_party_clause(cx, rs, p, ClauseUse::Transaction))
        .collect();
    for a in &raw.any {
        let alt = lower_conditions(cx, rs, a.get_ref());
        if alt.is_empty() {
            cx.error(
                Code::InvalidValue,
                a.span(),
                "this alternative of `any` is empty, so it always holds; remove it",
            );
        }
        c.any.push(alt);
    }
    c
}
