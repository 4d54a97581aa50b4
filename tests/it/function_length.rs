//! No function in the library or the binary is longer than about 80 lines unless a comment
//! beside it says why (issue 12: phases, not monoliths). A long function carries a line
//! `// Long: <why>` among the comments and attributes just above it.

use std::path::Path;

use crate::common::rust_source::{blank, rust_files, strip};

/// Lines from `fn` to the closing brace, inclusive.
const MAX_LINES: usize = 80;

/// Long functions not yet split into named steps (issue 12, item 3). The list only shrinks: a
/// function listed here that is no longer long fails the test until it is deleted from it.
const TO_SPLIT: &[(&str, &str)] = &[];

#[test]
fn functions_are_short_or_say_why_not() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut long = Vec::new();
    let mut listed = vec![false; TO_SPLIT.len()];
    for file in rust_files(&src) {
        let text = std::fs::read_to_string(&file).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        let rel = file.strip_prefix(&src).unwrap().display().to_string();
        for (name, start, len) in functions(&text) {
            if len <= MAX_LINES || explained(&lines, start) {
                continue;
            }
            match TO_SPLIT.iter().position(|(f, n)| *f == rel && *n == name) {
                Some(k) => listed[k] = true,
                None => long.push(format!("src/{rel}:{} `{name}` has {len} lines", start + 1)),
            }
        }
    }
    let done: Vec<String> = TO_SPLIT
        .iter()
        .zip(&listed)
        .filter(|(_, seen)| !**seen)
        .map(|((f, n), _)| format!("src/{f} `{n}`"))
        .collect();
    assert!(
        done.is_empty(),
        "these functions are no longer over {MAX_LINES} lines (or are gone): delete them from TO_SPLIT:\n  {}",
        done.join("\n  ")
    );
    assert!(
        long.is_empty(),
        "{} functions are over {MAX_LINES} lines with no `// Long: <why>` above them; split them into named steps or say why not:\n  {}",
        long.len(),
        long.join("\n  ")
    );
}

#[test]
fn the_scan_measures_functions_and_sees_the_reason() {
    let text = "fn a() {\n    let s = \"}\n}\";\n}\n\n// Long: one table.\n#[inline]\nfn b() {\n}\n#[cfg(test)]\nmod tests {\n    fn c() {}\n}\ntrait T { fn d(&self); }\n";
    let found = functions(text);
    assert_eq!(found, vec![("a".into(), 0, 4), ("b".into(), 7, 2)]);
    let lines: Vec<&str> = text.lines().collect();
    assert!(!explained(&lines, 0));
    assert!(explained(&lines, 7));
}

/// Each function with a body outside `#[cfg(test)]` items: name, 0-based line of `fn`, length.
fn functions(text: &str) -> Vec<(String, usize, usize)> {
    let code: Vec<char> = strip(&blank(text)).chars().collect();
    let mut out = Vec::new();
    let mut line = 0;
    let mut i = 0;
    while i < code.len() {
        if code[i] == '\n' {
            line += 1;
        }
        let starts_fn = code[i..].starts_with(&['f', 'n', ' '])
            && (i == 0 || !(code[i - 1].is_alphanumeric() || code[i - 1] == '_'));
        if !starts_fn {
            i += 1;
            continue;
        }
        let name: String = code[i + 3..]
            .iter()
            .take_while(|c| c.is_alphanumeric() || **c == '_')
            .collect();
        // The body opens at the first `{` before any `;` (a declaration has none).
        let mut j = i + 3;
        while j < code.len() && code[j] != '{' && code[j] != ';' {
            j += 1;
        }
        if j >= code.len() || code[j] == ';' {
            i += 3;
            continue;
        }
        let mut depth = 0;
        let mut end_line = line + code[i..j].iter().filter(|&&c| c == '\n').count();
        while j < code.len() {
            match code[j] {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                }
                '\n' => end_line += 1,
                _ => {}
            }
            j += 1;
        }
        out.push((name, line, end_line - line + 1));
        i += 3;
    }
    out
}

/// Whether the comments and attributes just above line `start` say why the function is long.
fn explained(lines: &[&str], start: usize) -> bool {
    lines[..start]
        .iter()
        .rev()
        .map(|l| l.trim())
        .take_while(|l| l.starts_with("//") || l.starts_with("#[") || l.starts_with(')'))
        .any(|l| l.starts_with("// Long:"))
}
