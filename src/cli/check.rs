//! `interdict check`: validate rule packs.

use std::path::PathBuf;

use clap::Args;

use super::{ErrorFormat, RuleSource, emit, load_rules};

#[derive(Args, Debug)]
pub struct CheckArgs {
    /// A directory of rule packs (default: the embedded packs)
    #[arg(value_name = "RULES_DIR")]
    pub dir: Option<PathBuf>,
    /// Add the rule packs in DIR to those checked (repeatable)
    #[arg(long = "add-rules", value_name = "DIR")]
    pub add_rules: Vec<PathBuf>,
    /// Format of diagnostics on stderr
    #[arg(long, value_enum, default_value_t = ErrorFormat::Human)]
    pub error_format: ErrorFormat,
}

pub fn run(a: CheckArgs) -> u8 {
    let source = RuleSource {
        rules: a.dir.iter().cloned().collect(),
        add_rules: a.add_rules.clone(),
    };
    let rs = match load_rules(&source, a.error_format) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let where_ = a
        .dir
        .as_ref()
        .map_or("the embedded rule packs".to_string(), |d| {
            d.display().to_string()
        });
    emit(&format!(
        "{where_}: ok: {} jurisdiction(s), {} program(s), {} rule(s), {} obligation(s), {} penalty schedule(s), {} calendar(s), {} reference part(y/ies)\n",
        rs.jurisdictions.len(),
        rs.programs.len(),
        rs.rules.len(),
        rs.obligations.len(),
        rs.penalties.len(),
        rs.calendars.len(),
        rs.reference_world.parties.len(),
    ));
    super::EXIT_OK
}
