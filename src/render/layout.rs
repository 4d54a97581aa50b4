//! A text report laid out for where it goes: lines wrapped to a width (with hanging indents
//! under their label), and colour for a terminal. The command line picks the layout: the
//! terminal's width and colour on a terminal (unless `NO_COLOR` is set), a fixed width and no
//! colour for files and pipes, so that what a test or a script reads does not depend on the
//! window it ran in.

/// The width of text written to a file or a pipe.
pub const FIXED_WIDTH: usize = 100;

/// Below this, wrapping makes text harder to read, not easier.
const MIN_WIDTH: usize = 40;

/// How a text report is laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Layout {
    /// The widest a line may be, in characters.
    pub width: usize,
    /// Whether dispositions and headings are coloured (ANSI escapes).
    pub colour: bool,
}

impl Default for Layout {
    /// For files and pipes: [`FIXED_WIDTH`], no colour.
    fn default() -> Layout {
        Layout {
            width: FIXED_WIDTH,
            colour: false,
        }
    }
}

/// `text` with every line wrapped to the layout's width and, for a terminal, coloured.
pub fn lay_out(text: &str, layout: Layout) -> String {
    let width = layout.width.max(MIN_WIDTH);
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    for line in text.split_inclusive('\n') {
        let (body, newline) = match line.strip_suffix('\n') {
            Some(b) => (b, "\n"),
            None => (line, ""),
        };
        for (i, piece) in wrap(body, width).into_iter().enumerate() {
            if i > 0 {
                out.push('\n');
            }
            if layout.colour {
                out.push_str(&colour(&piece));
            } else {
                out.push_str(&piece);
            }
        }
        out.push_str(newline);
    }
    out
}

/// Where a wrapped line's continuation starts: under the text after its label (`[1] `,
/// `=> `, `note: `, `risk: `...) when the label is short, else two columns in.
fn hang(line: &str) -> usize {
    let indent = line.len() - line.trim_start().len();
    let rest = &line[indent..];
    let label = rest
        .char_indices()
        .take(24)
        .find(|&(i, c)| (c == ':' || c == ']') && rest[i + 1..].starts_with(' '))
        .map(|(i, _)| i + 1 + rest[i + 1..].len() - rest[i + 1..].trim_start().len());
    let mark = ["=> ", "+  ", "ok ", "!! ", "?? ", "x  "]
        .iter()
        .find(|m| rest.starts_with(**m))
        .map(|m| m.len());
    indent + mark.or(label).unwrap_or(2)
}

/// One line cut at spaces into pieces of at most `width` characters (a word longer than that
/// stays whole); continuation pieces start at the line's hanging indent.
fn wrap(line: &str, width: usize) -> Vec<String> {
    if line.chars().count() <= width {
        return vec![line.to_string()];
    }
    let hang = hang(line).min(width / 2);
    let indent = line.len() - line.trim_start().len();
    let mut pieces = Vec::new();
    let mut current = line[..indent].to_string();
    let mut len = indent;
    let mut empty = true;
    for word in line[indent..].split(' ') {
        let w = word.chars().count();
        if !empty && len + 1 + w > width {
            pieces.push(std::mem::replace(&mut current, " ".repeat(hang)));
            len = hang;
            empty = true;
        }
        if !empty {
            current.push(' ');
            len += 1;
        }
        current.push_str(word);
        len += w;
        empty = false;
    }
    pieces.push(current);
    pieces
}

const RED: &str = "\x1b[1;31m";
const YELLOW: &str = "\x1b[1;33m";
const GREEN: &str = "\x1b[1;32m";
const DIM: &str = "\x1b[2m";
const BOLD: &str = "\x1b[1m";
const RESET: &str = "\x1b[0m";

/// The colour of a disposition as the report writes it (`BLOCK`, `PERMITTED_LICENSED`...).
fn disposition_colour(word: &str) -> Option<&'static str> {
    match word {
        "BLOCK" | "REJECT" | "PROHIBITED" => Some(RED),
        "REVIEW" => Some(YELLOW),
        "PERMITTED" | "PERMITTED_EXEMPT" | "PERMITTED_LICENSED" => Some(GREEN),
        "OUT_OF_SCOPE" => Some(DIM),
        _ => None,
    }
}

/// A line with its dispositions coloured, and in bold when it heads a transaction or a
/// scenario.
fn colour(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 16);
    let heading = line.starts_with("Transaction ") || line.starts_with("Scenario: ");
    if heading {
        out.push_str(BOLD);
    }
    let mut word_start: Option<usize> = None;
    let flush = |out: &mut String, word: &str| match disposition_colour(word) {
        Some(c) => {
            out.push_str(c);
            out.push_str(word);
            out.push_str(RESET);
            if heading {
                out.push_str(BOLD);
            }
        }
        None => out.push_str(word),
    };
    for (i, c) in line.char_indices() {
        let in_word = c.is_ascii_uppercase() || c == '_';
        match (in_word, word_start) {
            (true, None) => word_start = Some(i),
            (false, Some(s)) => {
                flush(&mut out, &line[s..i]);
                word_start = None;
                out.push(c);
            }
            (false, None) => out.push(c),
            (true, Some(_)) => {}
        }
    }
    if let Some(s) = word_start {
        flush(&mut out, &line[s..]);
    }
    if heading {
        out.push_str(RESET);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_under_the_label() {
        let line = format!("         note: {}", "word ".repeat(30).trim_end());
        let text = lay_out(&format!("{line}\n"), Layout::default());
        let lines: Vec<&str> = text.lines().collect();
        assert!(lines.len() > 1);
        assert!(lines.iter().all(|l| l.chars().count() <= FIXED_WIDTH));
        // Continuations start under the first word after `note: `.
        assert!(lines[1].starts_with(&" ".repeat(15)));
        assert!(!lines[1].starts_with(&" ".repeat(16)));
        // No word is lost or split.
        let words: Vec<&str> = text.split_whitespace().collect();
        assert_eq!(words, line.split_whitespace().collect::<Vec<_>>());
    }

    #[test]
    fn short_lines_and_long_words_stay_whole() {
        let long = "x".repeat(150);
        let text = format!("short\n  {long}\n");
        assert_eq!(lay_out(&text, Layout::default()), text);
    }

    #[test]
    fn colour_only_when_asked() {
        let text = "  OVERALL: BLOCK\n  us    PERMITTED_LICENSED\n";
        assert_eq!(lay_out(text, Layout::default()), text);
        let coloured = lay_out(
            text,
            Layout {
                width: 80,
                colour: true,
            },
        );
        assert!(coloured.contains("\x1b[1;31mBLOCK\x1b[0m"));
        assert!(coloured.contains("\x1b[1;32mPERMITTED_LICENSED\x1b[0m"));
        // `OVERALL` is not a disposition.
        assert!(coloured.contains("  OVERALL: "));
    }
}
