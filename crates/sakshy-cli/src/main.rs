//! The `sakshy` binary: parses the command line and runs it. Everything else is in the library.

fn main() -> anyhow::Result<()> {
    sakshy_cli::main()
}
