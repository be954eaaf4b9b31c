//! The `agentdesk` binary: the desktop when run bare, the headless tools with a subcommand.
//!
//! On Unix the binary has its own C `main` instead of Rust's: Rust's start-up quietly opens
//! `/dev/null` on a standard stream the caller closed (`agentdesk run >&-`), after which the
//! output is lost and the command would exit 0. Here the closed streams are noted first (and
//! then given `/dev/null` the same way, so no file the program opens can land on descriptor
//! 1), and a command whose standard output was closed exits 2, as when it cannot be written.
// (Under `cargo test` the test harness brings its own `main`.)
#![cfg_attr(all(unix, not(test)), no_main)]

#[cfg(all(unix, not(test)))]
#[unsafe(no_mangle)]
extern "C" fn main(_argc: libc::c_int, _argv: *const *const libc::c_char) -> libc::c_int {
    let closed = agentdesk::cli::StandardStreams::take_over();
    // As Rust's start-up does: a write to a closed pipe is an error to report (EPIPE), not a
    // signal that kills the program before it can say so.
    // SAFETY: setting a signal's disposition to "ignore" before any other thread exists.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_IGN);
    }
    let code = std::panic::catch_unwind(|| agentdesk::cli::main_with(closed));
    match code {
        Ok(code) => libc::c_int::from(code),
        // The panic message is already on standard error; 101 as Rust's own `main` exits.
        Err(_) => 101,
    }
}

#[cfg(not(unix))]
fn main() -> std::process::ExitCode {
    agentdesk::cli::main()
}
