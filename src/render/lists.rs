//! The summary of an imported list as text for stderr.

use std::collections::BTreeMap;

use crate::lists::summary::Summary;

/// What a list holds (rows, entries by type and program, unmapped tags, remarks parsed), as
/// text for stderr.
pub fn summary(summary: &Summary) -> String {
    let kv = |m: &BTreeMap<String, usize>| {
        m.iter()
            .map(|(k, v)| format!("{k} {v}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let r = &summary.read;
    let mut out = format!(
        "rows: {} ({} entries, {} skipped); blank lines: {}; encoding: {}; end-of-file marker: {}\n",
        r.rows,
        r.entries,
        r.skipped,
        r.blank_lines,
        if r.encoding.is_empty() {
            "-"
        } else {
            r.encoding
        },
        if r.eof_marker { "yes" } else { "no" }
    );
    out.push_str(&format!("entries by type: {}\n", kv(&summary.by_type)));
    out.push_str(&format!(
        "entries by program: {}\n",
        if summary.by_program.is_empty() {
            "none".into()
        } else {
            kv(&summary.by_program)
        }
    ));
    let unmapped: usize = summary.unmapped_tags.iter().map(|t| t.1).sum();
    out.push_str(&format!(
        "unmapped tags ({} tags on {} entry listings; entries keep them): {}\n",
        summary.unmapped_tags.len(),
        unmapped,
        summary
            .unmapped_tags
            .iter()
            .map(|(t, n)| format!("{t} {n}"))
            .collect::<Vec<_>>()
            .join(", ")
    ));
    out.push_str(&format!(
        "remarks: {} fragments parsed ({} aliases, {} identifiers, {} links, {} secondary-sanctions notes); {} unparsed fragments kept verbatim on {} entries\n",
        summary.parsed_fragments, summary.aliases, summary.identifiers, summary.linked_to, summary.secondary_sanctions, summary.unparsed_fragments, summary.entries_with_unparsed
    ));
    out
}
