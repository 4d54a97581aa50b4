//! Things some tests need from outside the crate (a PostgreSQL server, Chromium, a Python
//! virtual environment), prepared by `scripts/test.d/*.sh` and found through environment
//! variables. Under `scripts/test` (README, `.ci/run`) `INTERDICT_TEST_EXTERNAL=required` is set
//! and a missing thing fails its test; a bare `cargo test` skips such tests with a line saying so.

/// The value of `var` when set and non-empty. `None` means the test should return early: the
/// skip is printed, and under `INTERDICT_TEST_EXTERNAL=required` this panics instead.
pub fn external(var: &str, what: &str) -> Option<String> {
    match std::env::var(var) {
        Ok(v) if !v.is_empty() => Some(v),
        _ => {
            let required = std::env::var("INTERDICT_TEST_EXTERNAL").is_ok_and(|v| v == "required");
            assert!(
                !required,
                "{what} is required ({var} unset): run the suite with scripts/test"
            );
            eprintln!("skipped: {what} not available ({var} unset; scripts/test prepares it)");
            None
        }
    }
}
