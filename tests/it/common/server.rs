//! The real `interdict serve` binary on a free loopback port, and an HTTP client for it.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

/// A running server; killed when dropped.
pub struct Server {
    child: Child,
    /// `127.0.0.1:PORT`.
    pub addr: String,
}

/// An answer: status, body text, and the body as JSON when it is JSON.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub text: String,
    pub json: Value,
}

impl Server {
    /// `interdict serve --listen 127.0.0.1:0 ARGS...` (with `--watch-ms 0` unless ARGS say),
    /// run in the repository root, once it says where it listens.
    pub fn start(args: &[&str]) -> Server {
        let mut command = Command::new(env!("CARGO_BIN_EXE_interdict"));
        command
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .args(["serve", "--listen", "127.0.0.1:0"]);
        if !args.contains(&"--watch-ms") {
            command.args(["--watch-ms", "0"]);
        }
        let mut child = command
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the binary starts");
        let stdout = child.stdout.take().expect("stdout is piped");
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut lines = BufReader::new(stdout).lines();
            if let Some(Ok(line)) = lines.next() {
                let _ = tx.send(line);
            }
            for _ in lines {}
        });
        let stderr = child.stderr.take().expect("stderr is piped");
        std::thread::spawn(move || {
            // Drained so that the server never blocks on a full pipe.
            let _ = std::io::copy(&mut BufReader::new(stderr), &mut std::io::sink());
        });
        let line = match rx.recv_timeout(Duration::from_secs(60)) {
            Ok(l) => l,
            Err(_) => {
                let _ = child.kill();
                let out = child.wait_with_output().ok();
                panic!("the server did not say where it listens: {out:?}");
            }
        };
        let addr = line
            .strip_prefix("listening on http://")
            .unwrap_or_else(|| panic!("unexpected first line: {line}"))
            .to_string();
        Server { child, addr }
    }

    /// The URL of `path`.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// GET `path`.
    pub fn get(&self, path: &str) -> Answer {
        let mut r = agent().get(self.url(path)).call().expect("GET is answered");
        answer(&mut r)
    }

    /// POST `body` (JSON text) to `path`.
    pub fn post(&self, path: &str, body: &str) -> Answer {
        self.post_with(path, body, None)
    }

    /// POST with an optional bearer token.
    pub fn post_with(&self, path: &str, body: &str, token: Option<&str>) -> Answer {
        let mut req = agent()
            .post(self.url(path))
            .header("content-type", "application/json");
        if let Some(t) = token {
            req = req.header("authorization", &format!("Bearer {t}"));
        }
        let mut r = req.send(body).expect("POST is answered");
        answer(&mut r)
    }

    /// A raw connection to the server.
    pub fn connect(&self) -> TcpStream {
        let s = TcpStream::connect(&self.addr).expect("connects");
        s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
        s
    }

    /// Send SIGTERM.
    pub fn terminate(&self) {
        let ok = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .expect("kill runs");
        assert!(ok.success());
    }

    /// Send SIGHUP.
    pub fn hangup(&self) {
        let ok = Command::new("kill")
            .args(["-HUP", &self.child.id().to_string()])
            .status()
            .expect("kill runs");
        assert!(ok.success());
    }

    /// Whether the process has exited, without waiting.
    pub fn exited(&mut self) -> Option<ExitStatus> {
        self.child.try_wait().expect("try_wait")
    }

    /// Wait for the process to exit, at most `limit`.
    pub fn wait(&mut self, limit: Duration) -> Option<ExitStatus> {
        let start = Instant::now();
        while start.elapsed() < limit {
            if let Some(s) = self.exited() {
                return Some(s);
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        None
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(60)))
        .http_status_as_error(false)
        .build()
        .into()
}

fn answer(r: &mut ureq::http::Response<ureq::Body>) -> Answer {
    let status = r.status().as_u16();
    let text = r
        .body_mut()
        .with_config()
        .limit(64 << 20)
        .read_to_string()
        .expect("the body is read");
    let json = serde_json::from_str(&text).unwrap_or(Value::Null);
    Answer { status, text, json }
}

/// Read one HTTP/1.1 response from a raw connection: (status, body). Reads to the end of the
/// body its Content-Length gives.
pub fn read_response(s: &mut TcpStream) -> (u16, String) {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        let n = s.read(&mut chunk).expect("reads the response");
        if n == 0 {
            break;
        }
        buf.extend_from_slice(&chunk[..n]);
        let text = String::from_utf8_lossy(&buf).to_string();
        if let Some(end) = text.find("\r\n\r\n") {
            let head = &text[..end];
            let length = head
                .lines()
                .find_map(|l| {
                    let l = l.to_ascii_lowercase();
                    l.strip_prefix("content-length:")
                        .map(|v| v.trim().parse::<usize>().unwrap())
                })
                .unwrap_or(0);
            if buf.len() >= end + 4 + length {
                let status = head.split(' ').nth(1).unwrap().parse().unwrap();
                return (status, text[end + 4..end + 4 + length].to_string());
            }
        }
    }
    panic!("the connection closed before a whole response");
}

/// Write the head of a POST with a declared body length, and `part` of its body.
pub fn start_post(s: &mut TcpStream, path: &str, length: usize, part: &str) {
    write!(
        s,
        "POST {path} HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nContent-Length: {length}\r\n\r\n{part}"
    )
    .unwrap();
    s.flush().unwrap();
}

/// A scenario file's transactions as the service's JSON (dates as text, expectations left
/// out): read with the `toml` crate, independently of the engine's loader.
pub fn scenario_transactions(path: &Path) -> Vec<Value> {
    let text = std::fs::read_to_string(path).unwrap();
    let doc: toml::Table = text.parse().unwrap();
    let Some(txs) = doc.get("transaction").and_then(|t| t.as_array()) else {
        return Vec::new();
    };
    txs.iter()
        .map(|t| {
            let mut out = serde_json::Map::new();
            for (k, v) in t.as_table().unwrap() {
                if k.starts_with("expect") {
                    continue;
                }
                out.insert(k.clone(), to_json(v));
            }
            Value::Object(out)
        })
        .collect()
}

fn to_json(v: &toml::Value) -> Value {
    match v {
        toml::Value::String(s) => Value::String(s.clone()),
        toml::Value::Boolean(b) => Value::Bool(*b),
        toml::Value::Datetime(d) => Value::String(d.to_string()),
        toml::Value::Array(a) => Value::Array(a.iter().map(to_json).collect()),
        other => panic!("a transaction field the test does not convert: {other:?}"),
    }
}
