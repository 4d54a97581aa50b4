//! `interdict serve`: the decisions of `eval` over HTTP (docs/service.md).

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use clap::{Args, ValueEnum};

use super::{CliError, CliResult, RuleSource};
use crate::serve::{AuditSink, Config, Limits, NoSink, Sources};

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum, Default)]
pub enum LogFormat {
    /// One line per event, for people
    #[default]
    Text,
    /// One JSON object per event, for log collectors
    Json,
}

#[derive(Args, Debug)]
pub struct ServeArgs {
    #[command(flatten)]
    pub source: RuleSource,
    /// The world decisions are made against: a scenario or world file (its parties,
    /// designations, ownership and lists); default: the rule packs' reference parties
    #[arg(long, value_name = "SCENARIO.toml")]
    pub world: Option<PathBuf>,
    /// A list file `/v1/screen` looks names up in: an SDN CSV or a list document (repeatable)
    #[arg(long = "list", visible_alias = "lists", value_name = "FILE")]
    pub lists: Vec<PathBuf>,
    /// The address to listen on (port 0: any free port, printed on standard output)
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
    /// A file holding the bearer token admin endpoints require (without it they are off)
    #[arg(long, value_name = "FILE")]
    pub admin_token_file: Option<PathBuf>,
    /// Largest request body, in bytes
    #[arg(long, value_name = "BYTES", default_value_t = Limits::default().max_body_bytes)]
    pub max_body_bytes: usize,
    /// Deepest nesting of arrays and objects in a request body
    #[arg(long, value_name = "N", default_value_t = Limits::default().max_json_depth)]
    pub max_json_depth: usize,
    /// Most transactions in one request
    #[arg(long, value_name = "N", default_value_t = Limits::default().max_batch)]
    pub max_batch: usize,
    /// Most requests handled at once (others wait for a place, at most --queue-timeout-ms)
    #[arg(long, value_name = "N", default_value_t = Limits::default().max_concurrency)]
    pub max_concurrency: usize,
    /// The longest a request waits for a place among those in flight, in milliseconds
    #[arg(long, value_name = "MS", default_value_t = 1000)]
    pub queue_timeout_ms: u64,
    /// Time a request may take, body included, in milliseconds
    #[arg(long, value_name = "MS", default_value_t = 10_000)]
    pub request_timeout_ms: u64,
    /// Check the rule packs, world and lists for changes every MS milliseconds and reload (0: never)
    #[arg(long, value_name = "MS", default_value_t = 1000)]
    pub watch_ms: u64,
    /// Log format on standard error
    #[arg(long, value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,
    /// Log level: error, warn, info, debug (debug logs every request)
    #[arg(long, value_name = "LEVEL", default_value = "info")]
    pub log_level: tracing::Level,
    /// Worker threads (default: one per core)
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
    /// Print the OpenAPI document (docs/openapi.json) and exit
    #[arg(long)]
    pub print_openapi: bool,
    /// Record every decision in this audit log (an SQLite file, or a postgres:// URL; several
    /// instances may share one PostgreSQL log); a decision is answered only once committed
    #[arg(long, value_name = "TARGET")]
    pub audit: Option<String>,
}

pub fn run(a: ServeArgs) -> CliResult {
    if a.print_openapi {
        super::emit(&crate::serve::openapi::document());
        return Ok(());
    }
    init_logs(a.log_format, a.log_level);
    let admin_token = match &a.admin_token_file {
        None => None,
        Some(p) => match std::fs::read_to_string(p) {
            Ok(t) if !t.trim().is_empty() => Some(t.trim().to_string()),
            Ok(_) => {
                eprintln!("error: the admin token file {} is empty", p.display());
                return Err(CliError::Usage);
            }
            Err(e) => {
                eprintln!("error: cannot read {}: {e}", p.display());
                return Err(CliError::Operational);
            }
        },
    };
    let config = Config {
        listen: a.listen,
        sources: Sources {
            rules: a.source.rules.clone(),
            add_rules: a.source.add_rules.clone(),
            world: a.world.clone(),
            lists: a.lists.clone(),
        },
        limits: Limits {
            max_body_bytes: a.max_body_bytes,
            max_json_depth: a.max_json_depth,
            max_batch: a.max_batch,
            max_concurrency: a.max_concurrency,
            queue_timeout: Duration::from_millis(a.queue_timeout_ms),
            request_timeout: Duration::from_millis(a.request_timeout_ms.max(1)),
        },
        admin_token,
        watch: (a.watch_ms > 0).then(|| Duration::from_millis(a.watch_ms)),
        sink: match a.audit.as_deref() {
            None => Arc::new(NoSink),
            Some(t) => Arc::new(AuditSink::new(super::log::open_log(t)?)),
        },
    };
    let mut runtime = tokio::runtime::Builder::new_multi_thread();
    runtime.enable_all();
    if let Some(n) = a.threads {
        runtime.worker_threads(n.max(1));
    }
    let runtime = match runtime.build() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot start the runtime: {e}");
            return Err(CliError::Operational);
        }
    };
    match runtime.block_on(crate::serve::run(config)) {
        Ok(()) => Ok(()),
        Err(e) => {
            eprintln!("error: {e}");
            Err(CliError::Operational)
        }
    }
}

/// Logs on standard error, as text or JSON lines.
fn init_logs(format: LogFormat, level: tracing::Level) {
    let builder = tracing_subscriber::fmt()
        .with_max_level(level)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_writer(std::io::stderr);
    let _ = match format {
        LogFormat::Text => builder.try_init(),
        LogFormat::Json => builder.json().try_init(),
    };
}
