//! A command measured in a process of its own: the test binary starts itself again to run one
//! ignored test, the *child*, which runs an `agentdesk` command line in-process under CPU and
//! address-space limits and prints what it cost (peak resident growth over a warm-up command,
//! and CPU time). Alone in its process, no other test's allocations count. One description of
//! the child serves each test file that measures (`hostile.rs`, `contacts_scale.rs`).

use std::process::Command;

use agentdesk::cli::{Cli, run};
use clap::Parser as _;

/// The most address space a child may take, so a regression fails instead of swapping.
const ADDRESS_SPACE_LIMIT: u64 = 4 << 30;

/// One file's measured child: the ignored test that is it, the variable carrying its command
/// line (one word a line), its CPU limit and the warm-up that sets its baseline (what any
/// command costs once: the allocator's arena, the parser, the embedded roles).
pub struct Child {
    pub test: &'static str,
    pub var: &'static str,
    pub cpu_limit_seconds: u64,
    pub warm_up: &'static [&'static str],
}

/// What one command cost its process.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cost {
    /// The command's exit code, as `Debug` prints it.
    pub exit: String,
    pub peak_growth_kib: u64,
    pub cpu_ms: u64,
}

impl Cost {
    pub fn succeeded(&self) -> bool {
        self.exit == format!("{:?}", std::process::ExitCode::SUCCESS)
    }
}

fn peak_rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

fn cpu_ms() -> u64 {
    // SAFETY: an all-zero rusage is valid, and getrusage only writes into it.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: `usage` is a valid rusage for the duration of the call.
    unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) };
    let ms = |t: libc::timeval| t.tv_sec as u64 * 1000 + t.tv_usec as u64 / 1000;
    ms(usage.ru_utime) + ms(usage.ru_stime)
}

impl Child {
    /// The child's body: called by the ignored test named `test`, and only as a child.
    pub fn run_as_child(&self) {
        let args = std::env::var(self.var)
            .unwrap_or_else(|_| panic!("run only as a child process, with {} set", self.var));
        let limit = |resource, value: u64| {
            let rl = libc::rlimit {
                rlim_cur: value,
                rlim_max: value,
            };
            // SAFETY: `rl` is a valid rlimit for the duration of the call.
            assert_eq!(unsafe { libc::setrlimit(resource, &rl) }, 0);
        };
        limit(libc::RLIMIT_CPU, self.cpu_limit_seconds);
        limit(libc::RLIMIT_AS, ADDRESS_SPACE_LIMIT);
        let warm_up = std::iter::once("agentdesk").chain(self.warm_up.iter().copied());
        run(
            Cli::parse_from(warm_up),
            &mut std::io::sink(),
            &mut std::io::sink(),
        );
        let (before, cpu_before) = (peak_rss_kib(), cpu_ms());
        let cli = Cli::parse_from(std::iter::once("agentdesk").chain(args.split('\n')));
        let code = run(cli, &mut std::io::sink(), &mut std::io::sink());
        println!("EXIT {code:?}");
        println!("CPU_MS {}", cpu_ms() - cpu_before);
        println!("PEAK_GROWTH_KIB {}", peak_rss_kib().saturating_sub(before));
    }

    /// Runs `args` in a child and returns what it cost; the child itself must not fail (over
    /// its CPU or memory limit).
    pub fn measure(&self, args: &[&str]) -> Cost {
        let o = Command::new(std::env::current_exe().unwrap())
            .args([
                "--ignored",
                "--exact",
                self.test,
                "--nocapture",
                "--test-threads=1",
            ])
            .env(self.var, args.join("\n"))
            .output()
            .unwrap();
        let out = String::from_utf8_lossy(&o.stdout).into_owned();
        assert!(
            o.status.success(),
            "the child failed (over {} CPU seconds or {} GiB?): {:?}\n{out}\n{}",
            self.cpu_limit_seconds,
            ADDRESS_SPACE_LIMIT >> 30,
            o.status,
            String::from_utf8_lossy(&o.stderr)
        );
        let value = |key: &str| -> String {
            out.lines()
                .find_map(|l| l.split_once(key).map(|(_, n)| n.trim().to_string()))
                .unwrap_or_else(|| panic!("no measurement {key}: {out}"))
        };
        let number = |key: &str| -> u64 {
            value(key)
                .parse()
                .unwrap_or_else(|_| panic!("{key} is not a number: {out}"))
        };
        Cost {
            exit: value("EXIT "),
            peak_growth_kib: number("PEAK_GROWTH_KIB "),
            cpu_ms: number("CPU_MS "),
        }
    }
}
