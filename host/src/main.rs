//! The `kiro-guard` command-line tool. See `kiro-guard --help`.

fn main() {
    let code = kiro_guard::cli::main();
    std::process::exit(code);
}
