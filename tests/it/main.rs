//! The integration tests, compiled as one binary (one link, one copy of the library).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a failure should stop the test"
)]

mod common;

mod audit_cli;
mod audit_log;
mod batch_cli;
mod batch_equivalence;
mod batch_workload;
mod broken_inputs;
mod browser;
mod builders;
mod calendar_rules;
mod check_properties;
mod check_scaling;
mod check_statuses;
mod cli;
mod deep_structures;
mod defects;
mod diagnostics_bounded;
mod differential;
mod docs_examples;
mod doctrine_periods;
mod due_dates;
mod engine_extensions;
mod file_length;
mod function_length;
mod fuzz_loaders;
mod io_cli;
mod json_docs;
mod layers;
mod legal_references;
mod lists_broken;
mod lists_ca_justice;
mod lists_dir;
mod lists_docs;
mod lists_eu_fsf;
mod lists_ftm;
mod lists_import;
mod lists_importers;
mod lists_ofac_csv;
mod lists_ofsi_xlsx;
mod lists_resolution;
mod lists_screen;
mod lists_store;
mod lists_uksl;
mod lists_update;
mod ownership_bad_input;
mod ownership_cli;
mod ownership_docs;
mod ownership_doctrines;
mod ownership_properties;
mod ownership_scenarios;
mod pack_coverage;
mod properties;
mod replay;
mod robustness;
mod robustness_loaders;
mod roundtrip;
mod scenario_pieces;
mod scenarios;
mod serve_api;
mod serve_docs;
mod serve_limits;
mod serve_reload;
mod transaction_lowering;
mod typed_indices;
mod us_pack_coverage;
mod what_if_doc;
mod whatif_diff;
mod whatif_property;
