//! The `interdict` command line: a thin layer over the library.

mod cli;
#[cfg(feature = "serve")]
mod serve;

fn main() -> std::process::ExitCode {
    cli::run(std::env::args_os())
}
