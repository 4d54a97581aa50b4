//! `interdict check`: validate rule packs; with `--deep`, prove their consistency.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use clap::Args;

use super::{CliError, CliResult};
use super::{ErrorFormat, RuleSource, emit, load_pack, print_diagnostic};
use interdict::check::{DeepOptions, DeepReport, LintStats, Progress};
use interdict::diagnostic::Severity;
use interdict::source::{SourceFile, read_source};

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
    /// With --deep: show progress on stderr from the start (on a terminal it appears by
    /// itself when the check runs longer than a second); never with --error-format json
    #[arg(long, requires = "deep")]
    pub progress: bool,
    /// Format of diagnostics on stderr
    #[arg(long, value_enum, default_value_t = ErrorFormat::Human)]
    pub error_format: ErrorFormat,
}

pub fn run(a: CheckArgs) -> CliResult {
    let source = RuleSource {
        rules: a.dir.iter().cloned().collect(),
        add_rules: a.add_rules.clone(),
    };
    let pack = load_pack(&source, a.error_format)?;
    let rs = &pack.rules;
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
        pack.reference.parties.len(),
        rs.invariants.len(),
    ));
    if !a.deep {
        return Ok(());
    }
    let opts = DeepOptions {
        reproduce: reproduce_command(&a),
    };
    let mut line = ProgressLine::new(&a);
    let report = interdict::check::deep_with_progress(&pack, &opts, &mut |p| line.show(p));
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
        return Err(CliError::Operational);
    }
    emit(&summary(&report));
    if report.has_errors() {
        Err(CliError::InvalidInput)
    } else {
        Ok(())
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

/// Progress of a deep check on stderr: from the start with `--progress`, after a second when
/// stderr is a terminal, never with JSON diagnostics (stderr is then a stream of JSON lines)
/// and never on stdout, which carries the summary.
struct ProgressLine {
    /// Show progress once the check has run this long (`None`: never).
    after: Option<Duration>,
    terminal: bool,
    /// When the last line was shown, and for which analysis.
    last: Option<(Duration, usize)>,
}

impl ProgressLine {
    fn new(a: &CheckArgs) -> ProgressLine {
        let terminal = std::io::stderr().is_terminal();
        let after = if a.error_format == ErrorFormat::Json {
            None
        } else if a.progress {
            Some(Duration::ZERO)
        } else if terminal {
            Some(Duration::from_secs(1))
        } else {
            None
        };
        ProgressLine {
            after,
            terminal,
            last: None,
        }
    }

    fn show(&mut self, p: &Progress) {
        let Some(after) = self.after else { return };
        if p.elapsed < after || (p.done && self.last.is_none()) {
            return;
        }
        // A line per analysis, and in between one every so often (often on a terminal, where
        // the line is rewritten in place).
        let every = Duration::from_millis(if self.terminal { 200 } else { 1000 });
        let due = self
            .last
            .is_none_or(|(t, i)| i != p.index || p.elapsed.saturating_sub(t) >= every);
        if !p.done && !due {
            return;
        }
        self.last = Some((p.elapsed, p.index));
        let text = if p.done {
            format!(
                "deep check: done, {} examined in {:.1} s",
                count(p.groups, "rule group", "rule groups"),
                p.elapsed.as_secs_f64()
            )
        } else {
            format!(
                "deep check: {} analysis ({}/{}); {} examined, {} enumerated so far; {:.1} s",
                p.analysis.replace('_', " "),
                p.index,
                p.analyses,
                count(p.groups, "rule group", "rule groups"),
                count(p.cases, "case", "cases"),
                p.elapsed.as_secs_f64()
            )
        };
        let mut err = std::io::stderr().lock();
        let _ = if self.terminal {
            let end = if p.done { "\n" } else { "" };
            write!(err, "\r\x1b[2K{text}{end}")
        } else {
            writeln!(err, "{text}")
        };
        let _ = err.flush();
    }
}

/// `n` with thousands separators and the noun in the right number: "1 finding", "12,345 cases".
fn count(n: usize, one: &str, many: &str) -> String {
    let digits = n.to_string();
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{grouped} {}", if n == 1 { one } else { many })
}

/// What the check found, then what it examined, so the counts of groups and cases never read
/// as findings.
fn summary(r: &DeepReport) -> String {
    let errors = r
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count();
    let warnings = r.findings.len() - errors;
    let t = r.stats.total();
    let mut out = format!(
        "deep check: {} ({}, {}); examined {}, {}",
        count(errors + warnings, "finding", "findings"),
        count(errors, "error", "errors"),
        count(warnings, "warning", "warnings"),
        count(t.groups, "rule group", "rule groups"),
        count(t.cases, "case", "cases"),
    );
    if t.sampled == 0 {
        out.push_str(" (complete: no dimension was sampled)\n");
    } else {
        out.push_str(&format!(
            " ({} sampled; see docs/consistency.md)\n",
            count(t.sampled, "rule group", "rule groups")
        ));
    }
    for (name, s) in &r.stats.per_lint {
        out.push_str(&analysis_line(name, s));
    }
    out
}

/// "  conflict analysis: 93 rule groups examined (1,170 cases), 0 findings".
fn analysis_line(name: &str, s: &LintStats) -> String {
    let sampled = if s.sampled > 0 {
        format!(", {} sampled", s.sampled)
    } else {
        String::new()
    };
    format!(
        "  {} analysis: {} examined ({}{sampled}), {}\n",
        name.replace('_', " "),
        count(s.groups, "rule group", "rule groups"),
        count(s.cases, "case", "cases"),
        count(s.findings, "finding", "findings"),
    )
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
                    .get_or_insert_with(interdict::rules::embedded_files)
                    .iter()
                    .find(|f| &**f.name() == name)
                    .cloned()
            } else {
                read_source(std::path::Path::new(name), "the file").ok()
            };
            self.files.push(found?);
        }
        self.files.iter().find(|f| &**f.name() == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_are_grouped_and_agree_in_number() {
        assert_eq!(count(0, "finding", "findings"), "0 findings");
        assert_eq!(count(1, "finding", "findings"), "1 finding");
        assert_eq!(count(999, "case", "cases"), "999 cases");
        assert_eq!(count(12_345, "case", "cases"), "12,345 cases");
        assert_eq!(count(1_234_567, "case", "cases"), "1,234,567 cases");
    }

    #[test]
    fn an_analysis_line_says_what_was_examined_and_what_was_found() {
        let s = LintStats {
            groups: 93,
            cases: 1170,
            sampled: 0,
            findings: 0,
        };
        assert_eq!(
            analysis_line("conflict", &s),
            "  conflict analysis: 93 rule groups examined (1,170 cases), 0 findings\n"
        );
    }
}
