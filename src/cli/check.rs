//! `interdict check`: validate rule packs; with `--deep`, prove their consistency.

use std::path::{Path, PathBuf};

use clap::Args;

use super::{ErrorFormat, RuleSource, emit, load_rules, print_diagnostic};
use crate::check::{DeepOptions, DeepReport};
use crate::diagnostic::Severity;
use crate::source::SourceFile;

#[derive(Args, Debug)]
pub struct CheckArgs {
    /// A directory of rule packs (default: the embedded packs)
    #[arg(value_name = "RULES_DIR")]
    pub dir: Option<PathBuf>,
    /// Add the rule packs in DIR to those checked (repeatable)
    #[arg(long = "add-rules", value_name = "DIR")]
    pub add_rules: Vec<PathBuf>,
    /// Also analyse the packs over their whole condition space: conflicts, dead rules,
    /// shadowed exceptions, and the [[invariant]]s the packs declare
    #[arg(long)]
    pub deep: bool,
    /// With --deep: write a runnable counterexample scenario for each finding into DIR
    #[arg(long, value_name = "DIR", requires = "deep")]
    pub emit_counterexamples: Option<PathBuf>,
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
        "{where_}: ok: {} jurisdiction(s), {} program(s), {} rule(s), {} obligation(s), {} penalty schedule(s), {} calendar(s), {} reference part(y/ies), {} invariant(s)\n",
        rs.jurisdictions.len(),
        rs.programs.len(),
        rs.rules.len(),
        rs.obligations.len(),
        rs.penalties.len(),
        rs.calendars.len(),
        rs.reference_world.parties.len(),
        rs.invariants.len(),
    ));
    if !a.deep {
        return super::EXIT_OK;
    }
    let opts = DeepOptions {
        reproduce: reproduce_command(&a),
    };
    let report = crate::check::deep(&rs, &opts);
    {
        let mut sources = Sources::default();
        let stderr = std::io::stderr();
        let mut err = stderr.lock();
        for f in &report.findings {
            let d = f.diagnostic();
            let d = match sources.get(&d.file) {
                Some(file) => d.with_source(file),
                None => d,
            };
            print_diagnostic(&mut err, &d, a.error_format);
        }
    }
    if let Some(dir) = &a.emit_counterexamples
        && let Err(e) = write_counterexamples(dir, &report)
    {
        eprintln!("error: {e}");
        return super::EXIT_OPERATIONAL;
    }
    emit(&summary(&report));
    if report.has_errors() {
        super::EXIT_INVALID_INPUT
    } else {
        super::EXIT_OK
    }
}

/// The command line that evaluates a counterexample against the same packs.
fn reproduce_command(a: &CheckArgs) -> String {
    let mut cmd = String::from("interdict eval");
    if let Some(d) = &a.dir {
        cmd.push_str(&format!(" --rules {}", d.display()));
    }
    for d in &a.add_rules {
        let flag = if a.dir.is_some() {
            "--rules"
        } else {
            "--add-rules"
        };
        cmd.push_str(&format!(" {flag} {}", d.display()));
    }
    cmd
}

fn summary(r: &DeepReport) -> String {
    let errors = r
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count();
    let warnings = r.findings.len() - errors;
    let t = r.stats.total();
    let mut out = format!(
        "deep check: {} finding(s) ({errors} error(s), {warnings} warning(s)); examined {} group(s) of rules, {} case(s) enumerated",
        errors + warnings,
        t.groups,
        t.cases
    );
    if t.sampled == 0 {
        out.push_str(" (complete: no dimension was sampled)\n");
    } else {
        out.push_str(&format!(
            " ({} group(s) sampled; see docs/consistency.md)\n",
            t.sampled
        ));
    }
    for (name, s) in &r.stats.per_lint {
        out.push_str(&format!(
            "  {name}: examined {} group(s), {} case(s){}\n",
            s.groups,
            s.cases,
            if s.sampled > 0 {
                format!(", {} sampled", s.sampled)
            } else {
                String::new()
            }
        ));
    }
    out
}

fn write_counterexamples(dir: &Path, r: &DeepReport) -> Result<(), String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let mut n = 0;
    for (i, f) in r.findings.iter().enumerate() {
        let Some(c) = &f.counterexample else { continue };
        let path = dir.join(format!("{:02}-{}.toml", i + 1, c.slug));
        std::fs::write(&path, &c.text)
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        n += 1;
    }
    emit(&format!(
        "wrote {n} counterexample scenario(s) to {}\n",
        dir.display()
    ));
    Ok(())
}

/// The text of the files findings point into, for the source line under each finding.
#[derive(Default)]
struct Sources {
    files: Vec<SourceFile>,
    embedded: Option<Vec<SourceFile>>,
}

impl Sources {
    fn get(&mut self, name: &str) -> Option<&SourceFile> {
        if !self.files.iter().any(|f| &**f.name() == name) {
            let found = if name.starts_with("<embedded>") {
                self.embedded
                    .get_or_insert_with(crate::rules::embedded_files)
                    .iter()
                    .find(|f| &**f.name() == name)
                    .cloned()
            } else {
                std::fs::read_to_string(name)
                    .ok()
                    .map(|t| SourceFile::new(name.to_string(), t))
            };
            self.files.push(found?);
        }
        self.files.iter().find(|f| &**f.name() == name)
    }
}
