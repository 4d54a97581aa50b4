//! OFSI's ConList in its Excel form reads to the same records as its CSV form: the shared
//! folder holds the 14 April 2025 workbook and its cell-for-cell CSV conversion.

use interdict::lists::config;
use interdict::lists::dir;
use interdict::lists::store::import_any;

#[test]
fn the_workbook_and_its_csv_twin_give_the_same_records() {
    let (Some(x), Some(c)) = (
        dir::for_test(
            "uk/ofsi_conlist_2025-04-14.xlsx",
            "the_workbook_and_its_csv_twin",
        ),
        dir::for_test(
            "uk/ofsi_conlist_2025-04-14.from-xlsx.csv",
            "the_workbook_and_its_csv_twin",
        ),
    ) else {
        return;
    };
    let cfg = config::embedded_list("uk-ofsi").unwrap();
    let xlsx = import_any(&std::fs::read(&x).unwrap(), "conlist.xlsx", &cfg);
    let csv = import_any(&std::fs::read(&c).unwrap(), "conlist.csv", &cfg);
    assert!(xlsx.errors.is_empty(), "{:?}", xlsx.errors.first());
    assert!(csv.errors.is_empty(), "{:?}", csv.errors.first());
    assert_eq!(xlsx.published, csv.published);
    assert_eq!(xlsx.seen, csv.seen);
    assert_eq!(xlsx.records.len(), 4688, "the README's Group ID count");
    // Lines are positions in two different texts (the workbook's cells written as CSV, and the
    // converted file, whose cells break lines slightly differently): everything else agrees.
    for (a, b) in xlsx.records.iter().zip(&csv.records) {
        let b = interdict::lists::record::ListRecord {
            line: a.line,
            ..b.clone()
        };
        assert_eq!(*a, b, "record {}", a.id);
    }
    assert_eq!(xlsx.records.len(), csv.records.len());
    assert_eq!(xlsx.unmapped_regimes, csv.unmapped_regimes);
}

#[test]
fn a_broken_workbook_is_a_located_error() {
    let Some(x) = dir::for_test(
        "uk/ofsi_conlist_2025-04-14.xlsx",
        "a_broken_workbook_is_a_located_error",
    ) else {
        return;
    };
    let cfg = config::embedded_list("uk-ofsi").unwrap();
    let bytes = std::fs::read(&x).unwrap();
    for cut in [5, 100, bytes.len() / 2, bytes.len() - 10] {
        let i = import_any(&bytes[..cut], "cut.xlsx", &cfg);
        assert!(
            i.records.is_empty() && i.errors.len() == 1,
            "cut at {cut}: {:?}",
            i.errors
        );
        assert!(
            i.errors[0].to_string().contains("cut.xlsx:1"),
            "{}",
            i.errors[0]
        );
    }
}
