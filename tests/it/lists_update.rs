//! `lists update` against a local HTTP server on 127.0.0.1 (a `TcpListener` thread in the
//! test) serving a real SDN file of the lists folder, the same file cut short in several ways,
//! an HTML page and a response that never comes: good files become snapshots once, bad ones
//! are refused and never replace the good snapshot before them.

use std::io::{Read as _, Write as _};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::Command;
use std::sync::Arc;
use std::time::Duration;

use chrono::NaiveDate;
use interdict::lists::config;
use interdict::lists::dir;
use interdict::lists::store::update::{Source, Stage, UpdateOptions, UpdateOutcome};
use interdict::lists::store::{DateFrom, Store};
use rust_decimal::Decimal;

/// The files served: the two SDN snapshots of the lists folder.
struct Files {
    old: Vec<u8>,
    new: Vec<u8>,
}

/// The new file cut after its first `share` percent of lines, at a line end.
fn cut_at_line(bytes: &[u8], percent: usize) -> Vec<u8> {
    let lines: Vec<&[u8]> = bytes.split_inclusive(|&b| b == b'\n').collect();
    lines[..lines.len() * percent / 100].concat()
}

fn respond(mut s: TcpStream, files: &Files) {
    let mut head = Vec::new();
    let mut buf = [0u8; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        match s.read(&mut buf) {
            Ok(0) | Err(_) => return,
            Ok(n) => head.extend_from_slice(&buf[..n]),
        }
    }
    let head = String::from_utf8_lossy(&head);
    let path = head.split_whitespace().nth(1).unwrap_or("/").to_string();
    let send = |s: &mut TcpStream, status: &str, ctype: &str, declared: usize, body: &[u8]| {
        let _ = write!(
            s,
            "HTTP/1.1 {status}\r\nContent-Type: {ctype}\r\nContent-Length: {declared}\r\nConnection: close\r\n\r\n"
        );
        let _ = s.write_all(body);
        let _ = s.flush();
    };
    let csv = "text/csv";
    match path.as_str() {
        "/old.csv" => send(&mut s, "200 OK", csv, files.old.len(), &files.old),
        "/new.csv" => send(&mut s, "200 OK", csv, files.new.len(), &files.new),
        // The connection closes after half of the bytes the header promised.
        "/cut-body.csv" => {
            let half = &files.new[..files.new.len() / 2];
            send(&mut s, "200 OK", csv, files.new.len(), half);
        }
        // A well-formed response holding a third of the rows, cut at a line end, with the
        // end-of-file marker: it imports cleanly, and only its record count betrays it.
        "/cut-rows.csv" => {
            let mut body = cut_at_line(&files.new, 33);
            body.push(0x1a);
            send(&mut s, "200 OK", csv, body.len(), &body);
        }
        // A well-formed response cut in the middle of a row.
        "/cut-mid-row.csv" => {
            let body = &files.new[..files.new.len() - 300];
            send(&mut s, "200 OK", csv, body.len(), body);
        }
        "/page.csv" => {
            let body = b"<html><body>Service unavailable</body></html>";
            send(
                &mut s,
                "200 OK",
                "text/html; charset=utf-8",
                body.len(),
                body,
            );
        }
        "/slow.csv" => {
            std::thread::sleep(Duration::from_secs(5));
            send(&mut s, "200 OK", csv, files.new.len(), &files.new);
        }
        _ => send(&mut s, "404 Not Found", "text/plain", 9, b"not found"),
    }
}

/// Start the server; returns its base URL.
fn serve(files: Files) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let files = Arc::new(files);
    std::thread::spawn(move || {
        for s in listener.incoming().flatten() {
            let files = Arc::clone(&files);
            std::thread::spawn(move || respond(s, &files));
        }
    });
    base
}

fn options(day: &str) -> UpdateOptions {
    UpdateOptions {
        timeout: Duration::from_secs(1),
        min_ratio: Decimal::new(9, 1),
        today: NaiveDate::parse_from_str(day, "%Y-%m-%d").unwrap(),
    }
}

fn refused(o: &UpdateOutcome) -> (Stage, &str) {
    match o {
        UpdateOutcome::Refused { stage, reason } => (*stage, reason.as_str()),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[test]
fn update_stores_good_downloads_once_and_refuses_bad_ones() {
    let (Some(old), Some(new)) = (
        dir::for_test("us_ofac/sdn_2024-05-02.csv", "update_stores_good_downloads"),
        dir::for_test("us_ofac/sdn_2024-05-03.csv", "update_stores_good_downloads"),
    ) else {
        return;
    };
    let files = Files {
        old: std::fs::read(&old).unwrap(),
        new: std::fs::read(&new).unwrap(),
    };
    // One CRLF-ended line per entry; the final Ctrl-Z line has no line end.
    let new_lines = files.new.iter().filter(|&&b| b == b'\n').count();
    let base = serve(files);
    let tmp = tempfile::tempdir().unwrap();
    let mut st = Store::open(&tmp.path().join("lists.sqlite")).unwrap();
    let config = config::embedded_list("us-ofac-sdn-csv").unwrap();
    let source = |path: &str| Source {
        config: config.clone(),
        url: format!("{base}{path}"),
    };

    let first = st
        .update(&source("/old.csv"), &options("2024-05-02"))
        .unwrap();
    let UpdateOutcome::Added { snapshot: a } = first else {
        panic!("{first:?}")
    };
    assert_eq!(a.published_from, DateFrom::Downloaded);
    assert_eq!(a.published.to_string(), "2024-05-02");
    let second = st
        .update(&source("/new.csv"), &options("2024-05-03"))
        .unwrap();
    let UpdateOutcome::Added { snapshot: good } = second else {
        panic!("{second:?}")
    };
    assert_eq!(good.records, new_lines);
    let again = st
        .update(&source("/new.csv"), &options("2024-05-04"))
        .unwrap();
    assert_eq!(
        again,
        UpdateOutcome::Unchanged {
            snapshot: good.clone()
        }
    );

    let o = st
        .update(&source("/cut-body.csv"), &options("2024-05-05"))
        .unwrap();
    assert_eq!(refused(&o).0, Stage::Download, "{o:?}");
    let o = st
        .update(&source("/cut-rows.csv"), &options("2024-05-05"))
        .unwrap();
    let (stage, reason) = refused(&o);
    assert_eq!(stage, Stage::Verify);
    assert!(
        reason.contains(&format!("against {} in snapshot {}", good.records, good.id)),
        "{reason}"
    );
    let o = st
        .update(&source("/cut-mid-row.csv"), &options("2024-05-05"))
        .unwrap();
    let (stage, reason) = refused(&o);
    assert_eq!(stage, Stage::Verify);
    assert!(reason.contains("does not import cleanly"), "{reason}");
    let o = st
        .update(&source("/page.csv"), &options("2024-05-05"))
        .unwrap();
    let (stage, reason) = refused(&o);
    assert_eq!(stage, Stage::Verify);
    assert!(reason.contains("text/html"), "{reason}");
    let started = std::time::Instant::now();
    let o = st
        .update(&source("/slow.csv"), &options("2024-05-05"))
        .unwrap();
    assert_eq!(refused(&o).0, Stage::Download, "{o:?}");
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "bounded by the timeout"
    );
    let o = st
        .update(&source("/missing.csv"), &options("2024-05-05"))
        .unwrap();
    let (stage, reason) = refused(&o);
    assert_eq!(stage, Stage::Download);
    assert!(reason.contains("404"), "{reason}");

    // Nothing bad was stored: the good snapshot is still the latest.
    let all = st.snapshots_of("us-ofac-sdn-csv").unwrap();
    assert_eq!(all, vec![a, good]);

    // The command line: exit 3 for a file that does not verify, 1 for a failed download.
    let store = tmp.path().join("lists.sqlite");
    let run = |path: &str| {
        Command::new(env!("CARGO_BIN_EXE_interdict"))
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .args([
                "lists",
                "update",
                "--list",
                "us-ofac-sdn-csv",
                "--timeout",
                "1",
            ])
            .arg("--source-url")
            .arg(format!("{base}{path}"))
            .arg("--store")
            .arg(Path::new(&store))
            .output()
            .unwrap()
    };
    let o = run("/page.csv");
    assert_eq!(o.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&o.stderr).contains("refused, nothing stored"));
    assert_eq!(run("/slow.csv").status.code(), Some(1));
    let o = run("/new.csv");
    assert_eq!(o.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&o.stdout).contains("unchanged:"));
}
