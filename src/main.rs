//! The `interdict` command line: a thin layer over the library.

fn main() -> std::process::ExitCode {
    interdict::cli::run(std::env::args_os())
}
