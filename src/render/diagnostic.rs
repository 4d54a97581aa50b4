//! Diagnostics as a person reads them on a terminal: `file:line:col: error[CODE]: message`,
//! the source line with a caret under the column, the help text and how often the problem
//! repeats.

use crate::diagnostic::{Diagnostic, Severity};
use crate::source::printable;

/// The terminal text of a diagnostic (a trait so that callers keep writing `d.render()`).
pub trait DiagnosticText {
    /// Human rendering: `file:line:col: error[CODE]: message`, the source line with a caret,
    /// and the help text.
    fn render(&self) -> String;
}

impl DiagnosticText for Diagnostic {
    fn render(&self) -> String {
        let sev = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let mut out = format!(
            "{}: {sev}[{}]: {}",
            printable(&self.location()),
            self.code,
            printable(&self.message)
        );
        if let Some(snippet) = &self.snippet {
            out.push_str(&caret(self.line, &snippet.0, snippet.1));
        }
        if let Some(help) = &self.help {
            out.push_str(&format!("\n  = help: {}", printable(help)));
        }
        if self.repeated > 0 {
            out.push_str(&format!("\n  = note: {}", repeats_note(self)));
        }
        out
    }
}

/// The source line under a gutter with its line number, and a caret under column `caret`
/// (tabs before the caret are kept so that it lines up).
fn caret(line_no: u32, line: &str, caret: u32) -> String {
    let gutter = line_no.to_string();
    let pad = " ".repeat(gutter.len());
    let caret_pad: String = line
        .chars()
        .take(caret.saturating_sub(1) as usize)
        .map(|c| if c == '\t' { '\t' } else { ' ' })
        .collect();
    format!("\n{pad} |\n{gutter} | {line}\n{pad} | {caret_pad}^")
}

/// "found 3 more times: at 4:1, 9:1 and 1 more place".
fn repeats_note(d: &Diagnostic) -> String {
    let places: Vec<String> = d.also.iter().map(|(l, c)| format!("{l}:{c}")).collect();
    let rest = d.repeated.saturating_sub(d.also.len());
    let mut note = format!(
        "found {} more time{}",
        d.repeated,
        if d.repeated == 1 { "" } else { "s" }
    );
    if !places.is_empty() {
        note.push_str(&format!(": at {}", places.join(", ")));
        if rest > 0 {
            note.push_str(&format!(
                " and {rest} more place{}",
                if rest == 1 { "" } else { "s" }
            ));
        }
    }
    note
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Code;
    use crate::source::SourceFile;

    #[test]
    fn render_points_a_caret_at_the_column() {
        let f = SourceFile::new("r.toml", "a = 1\nbogus = 2\n");
        let d = Diagnostic::error(Code::UnknownKey, &f.loc(6..11), "unknown key `bogus`")
            .with_help("did you mean `a`?")
            .with_source(&f);
        let text = d.render();
        assert!(text.starts_with("r.toml:2:1: error[UNKNOWN_KEY]: unknown key `bogus`"));
        assert!(text.contains("2 | bogus = 2\n  | ^"));
        assert!(text.ends_with("= help: did you mean `a`?"));
    }
}
