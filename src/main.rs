//! The `agentdesk` binary: the desktop when run bare, the headless tools with a subcommand.

fn main() -> std::process::ExitCode {
    agentdesk::cli::main()
}
