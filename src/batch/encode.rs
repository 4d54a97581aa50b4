//! Transaction records written as NDJSON or CSV: the inverse of `input`, used by the workload
//! generator (and by tests that build inputs).

use std::borrow::Cow;

use super::input::{CSV_LIST_SEPARATOR, TxRecord};
use super::record::json_str;

/// Append the record as one NDJSON line.
pub fn write_ndjson(out: &mut Vec<u8>, r: &TxRecord) {
    let field = |out: &mut Vec<u8>, name: &str, v: &Option<Cow<str>>| {
        if let Some(v) = v {
            out.extend_from_slice(b",\"");
            out.extend_from_slice(name.as_bytes());
            out.extend_from_slice(b"\":");
            json_str(out, v);
        }
    };
    let list = |out: &mut Vec<u8>, name: &str, v: &[Cow<str>]| {
        if !v.is_empty() {
            out.extend_from_slice(b",\"");
            out.extend_from_slice(name.as_bytes());
            out.extend_from_slice(b"\":[");
            for (k, x) in v.iter().enumerate() {
                if k > 0 {
                    out.push(b',');
                }
                json_str(out, x);
            }
            out.push(b']');
        }
    };
    out.extend_from_slice(b"{\"id\":");
    json_str(out, &r.id);
    out.extend_from_slice(b",\"date\":");
    json_str(out, &r.date);
    out.extend_from_slice(b",\"type\":");
    json_str(out, &r.tx_type);
    field(out, "amount", &r.amount);
    field(out, "currency", &r.currency);
    list(out, "goods", &r.goods);
    if let Some(p) = r.personal_use {
        out.extend_from_slice(if p {
            b",\"personal_use\":true"
        } else {
            b",\"personal_use\":false"
        });
    }
    field(out, "originator", &r.originator);
    field(out, "originator_bank", &r.originator_bank);
    list(out, "intermediaries", &r.intermediaries);
    field(out, "beneficiary_bank", &r.beneficiary_bank);
    field(out, "beneficiary", &r.beneficiary);
    field(out, "signatory", &r.signatory);
    field(out, "agent", &r.agent);
    field(out, "shipper", &r.shipper);
    field(out, "vessel", &r.vessel);
    field(out, "aircraft", &r.aircraft);
    list(out, "others", &r.others);
    list(out, "licenses", &r.licenses);
    list(out, "knowing", &r.knowing);
    field(out, "description", &r.description);
    out.extend_from_slice(b"}\n");
}

/// The record as one CSV row in the order of [`super::input::CSV_COLUMNS`].
pub fn csv_row(r: &TxRecord) -> Vec<String> {
    let one = |v: &Option<Cow<str>>| v.as_deref().unwrap_or_default().to_string();
    let list = |v: &[Cow<str>]| {
        v.iter()
            .map(|x| x.as_ref())
            .collect::<Vec<_>>()
            .join(&CSV_LIST_SEPARATOR.to_string())
    };
    vec![
        r.id.to_string(),
        r.date.to_string(),
        r.tx_type.to_string(),
        one(&r.amount),
        one(&r.currency),
        list(&r.goods),
        r.personal_use.map_or(String::new(), |p| p.to_string()),
        one(&r.originator),
        one(&r.originator_bank),
        list(&r.intermediaries),
        one(&r.beneficiary_bank),
        one(&r.beneficiary),
        one(&r.signatory),
        one(&r.agent),
        one(&r.shipper),
        one(&r.vessel),
        one(&r.aircraft),
        list(&r.others),
        list(&r.licenses),
        list(&r.knowing),
        one(&r.description),
    ]
}
