//! `interdict workload`: write the deterministic benchmark workload (docs/batch.md).

use std::io::Write as _;
use std::path::{Path, PathBuf};

use clap::Args;

use super::{CliError, CliResult};
use super::{ErrorFormat, RuleSource, load_pack, print_diagnostics};
use interdict::batch::workload::{self, Pools, Spec};

#[derive(Args, Debug)]
pub struct WorkloadArgs {
    /// The seed every choice derives from
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Directory to write `world.toml`, `sdn.csv` and `transactions.ndjson` into
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Synthetic entities (besides the SDN list's parties)
    #[arg(long, default_value_t = 100_000)]
    pub entities: usize,
    /// Ownership and control edges
    #[arg(long, default_value_t = 150_000)]
    pub edges: usize,
    /// Transactions
    #[arg(long, default_value_t = 1_000_000)]
    pub transactions: usize,
    /// The SDN list file (copied into DIR as sdn.csv; default: the snapshot of 3 May 2024 in
    /// the lists folder, INTERDICT_LISTS_DIR or ../shared/data/lists)
    #[arg(long, value_name = "FILE")]
    pub sdn: Option<PathBuf>,
    /// Also write the transactions as CSV (transactions.csv)
    #[arg(long)]
    pub csv: bool,
    #[command(flatten)]
    pub source: RuleSource,
}

pub fn run(a: WorkloadArgs) -> CliResult {
    let pack = load_pack(&a.source, ErrorFormat::Human)?;
    let spec = Spec {
        seed: a.seed,
        entities: a.entities,
        edges: a.edges,
        transactions: a.transactions,
    };
    write(&a, &spec, &pack)
}

/// Print why a file could not be read or written; that is an operational failure.
fn operational(message: String) -> CliError {
    eprintln!("error: {message}");
    CliError::Operational
}

fn write(a: &WorkloadArgs, spec: &Spec, pack: &interdict::model::pack::Pack) -> CliResult {
    std::fs::create_dir_all(&a.out).map_err(cannot_write(&a.out))?;
    let sdn = copy_sdn(a)?;
    let list = match interdict::lists::load_cached(&sdn) {
        Ok(l) => l,
        Err(d) => {
            print_diagnostics(&d, ErrorFormat::Human);
            return Err(CliError::InvalidInput);
        }
    };
    let syn = workload::synthetic(spec, &pack.rules, &list);
    let world_path = a.out.join("world.toml");
    std::fs::write(&world_path, workload::world_toml(spec, &syn, "sdn.csv"))
        .map_err(cannot_write(&world_path))?;
    // The transactions draw on the statuses of the world as loaded from the file.
    let loaded = match interdict::batch::load_world(&world_path, pack) {
        Ok(w) => w,
        Err(d) => {
            print_diagnostics(&d, ErrorFormat::Human);
            eprintln!("error: the generated world does not load (a bug in the generator)");
            return Err(CliError::InvalidInput);
        }
    };
    let pools = Pools::new(&loaded.engine);
    if let Err(m) = workload::check_pools(&pools) {
        eprintln!("error: {m}");
        return Err(CliError::Usage);
    }
    write_transactions(a, spec, &pools)?;
    eprintln!(
        "workload: seed {}: {} synthetic parties, {} edges, {} transactions in {} (pools: {} clean customers, {} clean banks, {} blocked parties)",
        spec.seed,
        syn.parties.len(),
        syn.edges.len(),
        spec.transactions,
        a.out.display(),
        pools.customers.len(),
        pools.banks.len(),
        pools.blocked.len() + pools.blocked_banks.len()
    );
    Ok(())
}

/// The error for a file that cannot be written.
fn cannot_write(p: &Path) -> impl Fn(std::io::Error) -> CliError + use<> {
    let name = p.display().to_string();
    move |e: std::io::Error| operational(format!("cannot write {name}: {e}"))
}

/// Copy the SDN list (`--sdn`, or the lists folder's snapshot) beside the world as `sdn.csv`.
fn copy_sdn(a: &WorkloadArgs) -> Result<PathBuf, CliError> {
    let sdn = a.out.join("sdn.csv");
    let from = a.sdn.clone().unwrap_or_else(|| {
        interdict::lists::dir::lists_dir().join(interdict::lists::dir::SDN_SNAPSHOT)
    });
    if let Err(e) = std::fs::File::open(&from) {
        return Err(operational(format!(
            "cannot read the SDN list {}: {e} (set INTERDICT_LISTS_DIR to the lists folder or give --sdn FILE)",
            from.display()
        )));
    }
    std::fs::copy(&from, &sdn).map_err(cannot_write(&sdn))?;
    Ok(sdn)
}

/// Write the transactions as NDJSON, and as CSV too with `--csv`.
fn write_transactions(a: &WorkloadArgs, spec: &Spec, pools: &Pools) -> CliResult {
    let path = a.out.join("transactions.ndjson");
    let ndjson_err = cannot_write(&path);
    let csv_path = a.out.join("transactions.csv");
    let csv_err = |e: csv::Error| operational(format!("cannot write {}: {e}", csv_path.display()));
    let mut out = std::io::BufWriter::with_capacity(
        1 << 20,
        std::fs::File::create(&path).map_err(&ndjson_err)?,
    );
    let mut csv = match a.csv {
        true => Some(csv::Writer::from_path(&csv_path).map_err(csv_err)?),
        false => None,
    };
    if let Some(w) = csv.as_mut() {
        w.write_record(interdict::batch::input::CSV_COLUMNS)
            .map_err(csv_err)?;
    }
    let mut line = Vec::with_capacity(512);
    for i in 0..spec.transactions as u64 {
        let r = workload::transaction(spec.seed, i, pools);
        line.clear();
        interdict::batch::encode::write_ndjson(&mut line, &r);
        out.write_all(&line).map_err(&ndjson_err)?;
        if let Some(w) = csv.as_mut() {
            w.write_record(interdict::batch::encode::csv_row(&r))
                .map_err(csv_err)?;
        }
    }
    out.flush().map_err(&ndjson_err)?;
    if let Some(w) = csv.as_mut() {
        w.flush()
            .map_err(|e| operational(format!("cannot write {}: {e}", csv_path.display())))?;
    }
    Ok(())
}
