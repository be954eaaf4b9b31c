//! Hostile input and faults, through the real command line: output paths that must not be
//! clobbered (a link, the run's own inputs, one file named twice, a device node, a FIFO, a full
//! disk), standard output that cannot be written, memory and work bounded on files built to
//! cost the most, and the small things (a byte order mark, the line limit, terminal escapes,
//! positions, warnings). Each test is named after what it protects.
//!
//! Memory is measured in a child process (this test binary again, running `measured_child`)
//! from its own peak resident size, before and after the command; work is bounded by a CPU-time
//! limit on that child, far above what the command needs, never by a wall-clock timing.

use std::fs;
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};

#[cfg(target_os = "linux")]
use crate::common::measured::Child;
use crate::common::{Ran, arg as s, temp_dir as dir, write_file as write};
use tempfile::TempDir;

const WEB_CALLBACK_SCRIPT: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/assets/scripts/web-callback.script"
);
const ROLES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/roles.toml");

fn code(status: ExitStatus) -> Option<i32> {
    status.code()
}

// ----- output paths -------------------------------------------------------------------------

#[cfg(unix)]
#[test]
fn an_audit_log_through_a_symlink_is_refused_and_the_linked_file_kept() {
    let d = dir();
    let victim = write(d.path(), "victim.txt", "precious\n");
    std::os::unix::fs::symlink(&victim, d.path().join("a.jsonl")).unwrap();
    let o = Ran::in_dir(d.path(), &["run", "--hours", "0.1", "--audit", "a.jsonl"]);
    o.says(2, &["a.jsonl is a symbolic link"]);
    assert_eq!(fs::read_to_string(&victim).unwrap(), "precious\n");
    assert!(o.stdout.is_empty(), "nothing ran");
}

#[test]
fn an_output_naming_one_of_the_runs_inputs_is_refused_and_the_input_kept() {
    let d = dir();
    let script = write(
        d.path(),
        "s.script",
        &fs::read_to_string(WEB_CALLBACK_SCRIPT).unwrap(),
    );
    let roles = write(d.path(), "r.toml", &fs::read_to_string(ROLES).unwrap());
    let list = write(
        d.path(),
        "list.csv",
        "first_name,last_name,time_zone,utc_offset_hours,window_from,window_till,home\nA,B,ET,-5,08:00,21:00,5550101\n",
    );
    let scenario = write(
        d.path(),
        "s.toml",
        "name = \"x\"\nstart = \"2026-11-23T08:00:00\"\n[[campaign]]\nname = \"C\"\nmode = \"preview\"\ncontacts = \"list.csv\"\n",
    );
    let cases: [(&[&str], &Path, &str); 4] = [
        (
            &["--audit", "s.script"],
            &script,
            "is the script this run reads",
        ),
        (
            &["--junit", "r.toml"],
            &roles,
            "is the roles file this run reads",
        ),
        (
            &["--audit", "s.toml"],
            &scenario,
            "is the scenario file this run reads",
        ),
        (
            &["--junit", "./list.csv"],
            &list,
            "is a contact list this run reads",
        ),
    ];
    for (output, input, says) in cases {
        let before = fs::read(input).unwrap();
        let mut args = vec![
            "run",
            "--roles",
            "r.toml",
            "--scenario",
            "s.toml",
            "--script",
            "s.script",
        ];
        args.extend_from_slice(output);
        let o = Ran::in_dir(d.path(), &args);
        assert_eq!(o.code, Some(2), "{output:?}: {}", o.stderr.clone());
        assert!(
            o.stderr.clone().contains(says),
            "{output:?}: {}",
            o.stderr.clone()
        );
        assert_eq!(
            fs::read(input).unwrap(),
            before,
            "{output:?} changed its input"
        );
    }
}

#[test]
fn one_file_named_as_two_outputs_is_refused_before_anything_runs() {
    let d = dir();
    let o = Ran::in_dir(
        d.path(),
        &[
            "run",
            "--script",
            WEB_CALLBACK_SCRIPT,
            "--audit",
            "x.out",
            "--junit",
            "./x.out",
        ],
    );
    o.says(2, &["./x.out is also the audit log"]);
    assert!(!d.path().join("x.out").exists());
    // Standard output named twice is one file too.
    let o = Ran::in_dir(
        d.path(),
        &[
            "run",
            "--script",
            WEB_CALLBACK_SCRIPT,
            "--audit",
            "-",
            "--junit",
            "/dev/stdout",
        ],
    );
    assert_eq!(o.code, Some(2), "{o}");
}

#[cfg(unix)]
#[test]
fn the_audit_log_cannot_be_the_file_standard_output_goes_to() {
    let d = dir();
    let out = fs::File::create(d.path().join("o.txt")).unwrap();
    let o = Ran::with(&["run", "--hours", "0.1", "--audit", "o.txt"], |c| {
        c.current_dir(d.path()).stdout(out);
    });
    o.says(2, &["o.txt is also standard output"]);
}

#[test]
fn dash_and_dev_stdout_send_reports_to_standard_output() {
    let d = dir();
    let o = Ran::in_dir(
        d.path(),
        &["run", "--script", WEB_CALLBACK_SCRIPT, "--junit", "-"],
    );
    assert_eq!(o.code, Some(0), "{o}");
    assert!(
        o.stdout.clone().contains("<testsuites"),
        "{}",
        o.stdout.clone()
    );
    let o = Ran::in_dir(
        d.path(),
        &[
            "run",
            "--script",
            WEB_CALLBACK_SCRIPT,
            "--audit",
            "/dev/stdout",
        ],
    );
    assert_eq!(o.code, Some(0), "{o}");
    let json_lines = o
        .stdout
        .clone()
        .lines()
        .filter(|l| l.starts_with("{\"run\":"))
        .count();
    assert!(json_lines > 5, "{}", o.stdout.clone());
    assert_eq!(
        fs::read_dir(d.path()).unwrap().count(),
        0,
        "no file written"
    );
}

/// Makes a character device node like /dev/null in `dir`, or says why not (not root, a
/// container without the capability).
#[cfg(target_os = "linux")]
fn device_node(dir: &Path) -> Option<PathBuf> {
    let path = dir.join("null-device");
    let c = std::ffi::CString::new(s(&path)).unwrap();
    // SAFETY: `c` is a valid NUL-terminated path for the duration of the call.
    let made = unsafe { libc::mknod(c.as_ptr(), libc::S_IFCHR | 0o666, libc::makedev(1, 3)) };
    if made != 0 {
        eprintln!(
            "skipped: cannot make a device node here ({})",
            std::io::Error::last_os_error()
        );
        return None;
    }
    Some(path)
}

#[cfg(target_os = "linux")]
fn is_char_device(path: &Path) -> bool {
    use std::os::unix::fs::FileTypeExt;
    fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_char_device())
}

#[cfg(target_os = "linux")]
#[test]
fn a_device_node_is_never_replaced_by_a_report_or_the_audit_log() {
    let d = dir();
    let Some(node) = device_node(d.path()) else {
        return;
    };
    for option in ["--junit", "--audit"] {
        let o = Ran::in_dir(
            d.path(),
            &["run", "--script", WEB_CALLBACK_SCRIPT, option, s(&node)],
        );
        assert_eq!(o.code, Some(2), "{option}: {}", o.stderr.clone());
        assert!(
            o.stderr
                .clone()
                .contains("is a character device, not a regular file"),
            "{option}: {}",
            o.stderr.clone()
        );
        assert!(is_char_device(&node), "{option} replaced the device node");
    }
}

#[cfg(unix)]
#[test]
fn an_audit_log_at_a_fifo_without_reader_is_refused_at_once() {
    let d = dir();
    let fifo = d.path().join("fifo");
    let c = std::ffi::CString::new(s(&fifo)).unwrap();
    // SAFETY: `c` is a valid NUL-terminated path for the duration of the call.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
    let mut child = Command::new(env!("CARGO_BIN_EXE_agentdesk"))
        .current_dir(d.path())
        .args(["run", "--hours", "0.1", "--audit", "fifo"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // A guard against hanging the suite, not a timing: opening a FIFO for writing blocks until
    // a reader comes, which here is never.
    let mut status = None;
    for _ in 0..600 {
        if let Some(s) = child.try_wait().unwrap() {
            status = Some(s);
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let Some(status) = status else {
        child.kill().unwrap();
        panic!("`--audit FIFO` waited for a reader");
    };
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    assert_eq!(code(status), Some(2), "{err}");
    assert!(err.contains("fifo is a FIFO (named pipe)"), "{err}");
}

#[test]
fn a_junit_file_name_of_250_bytes_is_written() {
    let d = dir();
    let name = format!("{}.xml", "j".repeat(246));
    assert_eq!(name.len(), 250);
    let o = Ran::in_dir(
        d.path(),
        &["run", "--script", WEB_CALLBACK_SCRIPT, "--junit", &name],
    );
    assert_eq!(o.code, Some(0), "{o}");
    assert!(
        fs::read_to_string(d.path().join(&name))
            .unwrap()
            .contains("<testsuites")
    );
    assert_eq!(
        fs::read_dir(d.path()).unwrap().count(),
        1,
        "no temporary file left"
    );
}

/// A tiny file system mounted in a temporary folder, unmounted when dropped.
#[cfg(target_os = "linux")]
struct TinyDisk {
    dir: TempDir,
}

#[cfg(target_os = "linux")]
impl TinyDisk {
    fn mount(bytes: usize) -> Option<TinyDisk> {
        let dir = dir();
        let target = std::ffi::CString::new(s(dir.path())).unwrap();
        let options = std::ffi::CString::new(format!("size={bytes}")).unwrap();
        // SAFETY: every pointer is a valid NUL-terminated string for the duration of the call.
        let mounted = unsafe {
            libc::mount(
                c"tmpfs".as_ptr(),
                target.as_ptr(),
                c"tmpfs".as_ptr(),
                0,
                options.as_ptr().cast(),
            )
        };
        if mounted != 0 {
            eprintln!(
                "skipped: cannot mount a tmpfs here ({})",
                std::io::Error::last_os_error()
            );
            return None;
        }
        Some(TinyDisk { dir })
    }
}

#[cfg(target_os = "linux")]
impl Drop for TinyDisk {
    fn drop(&mut self) {
        let target = std::ffi::CString::new(s(self.dir.path())).unwrap();
        // SAFETY: `target` is a valid NUL-terminated path for the duration of the call.
        unsafe { libc::umount2(target.as_ptr(), libc::MNT_DETACH) };
    }
}

/// A script of `attempts` denied attempts, one audit line each.
fn denied_attempts_script(dir: &Path, attempts: usize) -> PathBuf {
    let mut text = String::from("login role \"Trainee\"\nget-record\nexpect allowed\n");
    for _ in 0..attempts {
        text.push_str("reschedule +1h\nexpect denied\n");
    }
    write(dir, "attempts.script", &text)
}

#[cfg(target_os = "linux")]
#[test]
fn a_full_disk_leaves_whole_audit_lines_and_names_every_failed_output() {
    let Some(disk) = TinyDisk::mount(16 * 1024) else {
        return;
    };
    let d = dir();
    let script = denied_attempts_script(d.path(), 300);
    let audit = disk.dir.path().join("audit.jsonl");
    let junit = disk.dir.path().join("report.xml");
    let o = Ran::in_dir(
        d.path(),
        &[
            "run",
            "--script",
            s(&script),
            "--audit",
            s(&audit),
            "--junit",
            s(&junit),
        ],
    );
    o.says(
        2,
        &[
            "cannot write the JUnit report",
            "the audit log",
            "is incomplete",
        ],
    );
    let text = fs::read_to_string(&audit).unwrap();
    assert!(
        !text.is_empty() && text.ends_with('\n'),
        "torn last line: {text:?}"
    );
    for (i, line) in text.lines().enumerate() {
        let v: serde_json::Value = serde_json::from_str(line).expect("a whole JSON line");
        assert_eq!(v["seq"], i + 1, "lines after a failure: {line}");
    }
    assert!(!junit.exists(), "no half report");
}

// ----- standard output that cannot be written ------------------------------------------------

/// One command of each kind, each of which writes to standard output.
fn strs(args: &[String]) -> Vec<&str> {
    args.iter().map(String::as_str).collect()
}

fn every_command(dir: &Path) -> Vec<Vec<String>> {
    let script = write(dir, "ok.script", "login agent \"Dana\"\n");
    [
        vec!["matrix"],
        vec!["matrix", "--format", "html"],
        vec!["roles", "check", ROLES],
        vec![
            "explain",
            "--role",
            "Trainee",
            "--channel",
            "preview",
            "--action",
            "dial",
            "--stage",
            "preview",
        ],
        vec!["run", "--hours", "1"],
        vec!["run", "--script", s(&script)],
        vec!["--help"],
    ]
    .into_iter()
    .map(|args| args.into_iter().map(String::from).collect())
    .collect()
}

#[cfg(target_os = "linux")]
#[test]
fn every_command_exits_non_zero_when_standard_output_is_full() {
    let d = dir();
    for args in every_command(d.path()) {
        let full = fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let o = Ran::with(&strs(&args), |c| {
            c.stdout(full);
        });
        o.says(2, &["error: cannot write standard output: No space left"]);
    }
}

#[cfg(unix)]
#[test]
fn every_command_exits_non_zero_when_standard_output_is_a_closed_pipe() {
    let d = dir();
    for args in every_command(d.path()) {
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        let o = Ran::with(&strs(&args), |c| {
            c.stdout(writer);
        });
        o.says(2, &["cannot write standard output: Broken pipe"]);
    }
}

// ----- memory and work ----------------------------------------------------------------------

/// This file's measured child (`tests/common/measured.rs`): a small command first, so that
/// what any command costs once is in the baseline.
#[cfg(target_os = "linux")]
const CHILD: Child = Child {
    test: "hostile::measured_child",
    var: "AGENTDESK_HOSTILE_CHILD_ARGS",
    cpu_limit_seconds: 60,
    warm_up: &[
        "explain",
        "--role",
        "Trainee",
        "--channel",
        "preview",
        "--action",
        "dial",
        "--stage",
        "preview",
    ],
};

/// Runs the command line of its variable under the CPU and memory limits and prints how much
/// its peak resident size grew. Not a test of its own: the memory tests below start this
/// binary again to run it alone in its process, so no other test's allocations count.
#[cfg(target_os = "linux")]
#[test]
#[ignore = "the child process of the memory tests below, run by them"]
fn measured_child() {
    CHILD.run_as_child();
}

/// Runs `args` in `measured_child` and returns its peak growth in KiB.
#[cfg(target_os = "linux")]
fn peak_growth_kib(args: &[&str]) -> u64 {
    CHILD.measure(args).peak_growth_kib
}

/// What the memory tests allow a file with errors: what the same file without them costs,
/// plus ten times its size. Parsing alone costs more than the text for a file of tiny items
/// (the TOML reader keeps a span and a string for each), and that is not the errors' doing.
fn memory_bound_kib(clean_growth_kib: u64, input_bytes: usize) -> u64 {
    clean_growth_kib + 10 * input_bytes as u64 / 1024
}

#[cfg(target_os = "linux")]
#[test]
fn thousands_of_errors_on_one_long_line_cost_memory_by_the_file_not_by_errors_times_line() {
    let d = dir();
    // The case, 40,000 unknown names on one 160 KB line, and the same with realistic
    // misspellings (920 KB); each against the file with as many known names.
    for (unknown, known) in [
        ("x", "ob.use"),
        ("Outbound - Can Rejct", "Outbound - Can Reject Record"),
    ] {
        let file = |name: &str| {
            let list = vec![format!("\"{name}\""); 40_000].join(",");
            format!("[[role]]\nname = \"A\"\nprivileges = [{list}]\n")
        };
        let text = file(unknown);
        let errors = write(d.path(), "errors.toml", &text);
        let clean = write(d.path(), "clean.toml", &file(known));
        let clean_growth = peak_growth_kib(&["roles", "check", s(&clean)]);
        let growth = peak_growth_kib(&["roles", "check", s(&errors)]);
        let bound = memory_bound_kib(clean_growth, text.len());
        assert!(
            growth <= bound,
            "{unknown}: peak grew {growth} KiB for a {} KiB file (bound {bound})",
            text.len() / 1024
        );
    }
}

/// A roles file of `known` roles and one agent naming `unknown` roles that do not exist, all of
/// one length, so a length filter alone cannot tell them apart.
fn many_unknown_names(known: usize, unknown: usize) -> String {
    let mut text = String::new();
    for i in 0..known {
        text.push_str(&format!("[[role]]\nname = \"Role number {i:06}\"\n"));
    }
    let refs: Vec<String> = (0..unknown)
        .map(|i| format!("\"Rolx numbex {i:06}\""))
        .collect();
    text.push_str(&format!(
        "[[agent]]\nname = \"Z\"\nroles = [{}]\n",
        refs.join(",")
    ));
    text
}

#[cfg(target_os = "linux")]
#[test]
fn did_you_mean_for_thousands_of_unknown_names_among_thousands_of_known_ones_is_bounded() {
    let d = dir();
    let text = many_unknown_names(20_000, 20_000);
    let roles = write(d.path(), "many.toml", &text);
    let clean = write(
        d.path(),
        "clean.toml",
        &text.replace("Rolx numbex", "Role number"),
    );
    // In a roles file, and in a script against it.
    let clean_growth = peak_growth_kib(&["roles", "check", s(&clean)]);
    let growth = peak_growth_kib(&["roles", "check", s(&roles)]);
    let bound = memory_bound_kib(clean_growth, text.len());
    assert!(growth <= bound, "{growth} KiB, bound {bound} KiB");
    let lines: String = (0..20_000)
        .map(|i| format!("login role \"Rolx numbex {i:06}\"\n"))
        .collect();
    let script = write(d.path(), "many.script", &lines);
    let roles = write(d.path(), "known.toml", &many_unknown_names(20_000, 0));
    peak_growth_kib(&["run", "--roles", s(&roles), "--script", s(&script)]);
}

#[cfg(target_os = "linux")]
#[test]
fn one_huge_unknown_name_is_bounded() {
    let d = dir();
    let text = format!(
        "[[role]]\nname = \"A\"\nprivileges = [\"{}\"]\n",
        "a".repeat(15_000_000)
    );
    let path = write(d.path(), "huge.toml", &text);
    let growth = peak_growth_kib(&["roles", "check", s(&path)]);
    let bound = memory_bound_kib(0, text.len());
    assert!(growth <= bound, "{growth} KiB, bound {bound} KiB");
}

#[test]
fn a_contact_list_named_by_many_campaigns_is_read_once() {
    let d = dir();
    let mut csv = String::from(
        "first_name,last_name,time_zone,utc_offset_hours,window_from,window_till,home\n",
    );
    for i in 0..20_000 {
        csv.push_str(&format!(
            "F{i},L{i},ET,-5,08:00,21:00,+1 212 555 {:04}\n",
            i % 10_000
        ));
    }
    write(d.path(), "big.csv", &csv);
    let mut scenario = String::from("name = \"x\"\nstart = \"2026-11-23T08:00:00\"\n");
    for i in 0..30 {
        // Two spellings of the one path.
        let name = if i % 2 == 0 { "big.csv" } else { "./big.csv" };
        scenario.push_str(&format!(
            "[[campaign]]\nname = \"C{i}\"\nmode = \"preview\"\nrunning = false\ncontacts = \"{name}\"\nmax_contacts = {}\n",
            20_000 - i
        ));
    }
    let path = write(d.path(), "shared.toml", &scenario);
    let loaded = agentdesk::world::scenario::Scenario::load(&path).unwrap();
    let lists = &loaded.contact_lists;
    assert!(lists.iter().all(|l| l.shares_rows_with(&lists[0])));
    assert_eq!(lists[29].len(), 20_000 - 29);
}

// ----- the small things ---------------------------------------------------------------------

#[test]
fn a_script_starting_with_a_byte_order_mark_runs() {
    let d = dir();
    let script = write(
        d.path(),
        "bom.script",
        "\u{feff}login agent \"Dana\"\nget-record\nexpect allowed\n",
    );
    let o = Ran::in_dir(d.path(), &["run", "--script", s(&script)]);
    assert_eq!(o.code, Some(0), "{o}");
    assert!(
        o.stdout.clone().ends_with("1 passed, 0 failed\n"),
        "{}",
        o.stdout.clone()
    );
}

#[test]
fn a_script_of_exactly_the_line_limit_is_accepted_and_one_more_line_refused() {
    let d = dir();
    let limit = agentdesk::qa::script::MAX_SCRIPT_LINES;
    // One command among the comments: a script of comments alone checks nothing and is
    // refused as empty (issue 27).
    let at_limit = write(
        d.path(),
        "limit.script",
        &format!(
            "{}login agent \"Alex\"\n",
            "# a comment\n".repeat(limit - 1)
        ),
    );
    let o = Ran::in_dir(d.path(), &["run", "--script", s(&at_limit)]);
    assert_eq!(o.code, Some(0), "{o}");
    let over = write(d.path(), "over.script", &"# a comment\n".repeat(limit + 1));
    let o = Ran::in_dir(d.path(), &["run", "--script", s(&over)]);
    assert_eq!(o.code, Some(2));
    assert!(
        o.stderr
            .clone()
            .contains(&format!("script has {} lines", limit + 1)),
        "{}",
        o.stderr.clone()
    );
}

/// A role whose name holds ESC and BEL (written as TOML escapes), granted one privilege twice
/// so `roles check` has a warning naming it.
const ROLE_WITH_ESCAPES: &str = "[[role]]\nname = \"Evil\\u001b[2J\\u001b]0;owned\\u0007\\u009b31m\"\nprivileges = [\"Outbound - Can Use\", \"Outbound - Can Use\"]\n";

#[test]
fn escape_sequences_in_names_reach_messages_as_text() {
    let d = dir();
    let roles = write(d.path(), "esc.toml", ROLE_WITH_ESCAPES);
    let o = Ran::in_dir(d.path(), &["roles", "check", s(&roles)]);
    let err = o.says(0, &[]);
    assert!(
        !o.stderr.bytes().any(|b| b == 0x1b || b == 0x07),
        "raw control characters: {err:?}"
    );
    assert!(!err.contains('\u{9b}'), "raw CSI: {err:?}");
    assert!(
        err.contains("Evil\\x1b[2J\\x1b]0;owned\\x07\\u{9b}31m"),
        "{err}"
    );
}

#[cfg(target_os = "linux")]
#[test]
fn escape_sequences_in_names_reach_a_terminal_as_text() {
    use std::os::fd::FromRawFd;
    let d = dir();
    let roles = write(d.path(), "esc.toml", ROLE_WITH_ESCAPES);
    let (mut master, mut slave) = (0, 0);
    // SAFETY: the out-pointers are valid; name, termios and winsize may be null.
    let opened = unsafe {
        libc::openpty(
            &mut master,
            &mut slave,
            std::ptr::null_mut(),
            std::ptr::null(),
            std::ptr::null(),
        )
    };
    if opened != 0 {
        eprintln!("skipped: no pseudo-terminal here");
        return;
    }
    // SAFETY: openpty returned two fresh descriptors that nothing else owns.
    let (mut master, slave) =
        unsafe { (fs::File::from_raw_fd(master), fs::File::from_raw_fd(slave)) };
    // Read while the command writes, so a full terminal buffer never blocks it. Reading fails
    // (EIO) once the terminal has no writer left and is drained.
    let reader = std::thread::spawn(move || {
        let mut shown = Vec::new();
        let mut buf = [0; 4096];
        while let Ok(n @ 1..) = master.read(&mut buf) {
            shown.extend_from_slice(&buf[..n]);
        }
        shown
    });
    let name = "Evil\u{1b}[2J\u{1b}]0;owned\u{7}\u{9b}31m";
    let explain = [
        "explain",
        "--roles",
        s(&roles),
        "--role",
        name,
        "--channel",
        "preview",
        "--action",
        "dial",
        "--stage",
        "preview",
    ];
    let status = Command::new(env!("CARGO_BIN_EXE_agentdesk"))
        .args(explain)
        .stdout(slave)
        .status()
        .unwrap();
    assert_eq!(code(status), Some(0));
    let shown = reader.join().unwrap();
    let text = String::from_utf8_lossy(&shown);
    assert!(text.contains("Evil\\x1b[2J"), "{text}");
    assert!(
        !shown.iter().any(|&b| b == 0x1b || b == 0x07),
        "raw control characters"
    );
    // Redirected to a file or a pipe too, explain writes the name it repeats as text (issue
    // 27: the user's own name in a report must not drive whatever shows the file).
    let o = Ran::in_dir(d.path(), &explain);
    assert!(!o.stdout.contains('\u{1b}'));
}

#[test]
fn a_dotted_key_of_100000_parts_is_reported_at_its_position() {
    let d = dir();
    let key = vec!["a"; 100_000].join(".");
    let roles = write(
        d.path(),
        "dotted.toml",
        &format!("[[role]]\nname = \"A\"\n{key} = 1\n"),
    );
    let o = Ran::in_dir(d.path(), &["roles", "check", s(&roles)]);
    let err = o.says(2, &["dotted.toml:3:1: error: recursion limit"]);
    assert!(
        err.len() < 2_000,
        "the snippet is bounded: {} bytes",
        err.len()
    );
    let scenario = write(d.path(), "dotted-s.toml", &format!("{key} = 1\n"));
    let o = Ran::in_dir(d.path(), &["run", "--scenario", s(&scenario)]);
    assert!(
        o.stderr.clone().contains("dotted-s.toml:1:1: error"),
        "{}",
        o.stderr.clone()
    );
}

const CSV_HEADER: &str =
    "first_name,last_name,time_zone,utc_offset_hours,window_from,window_till,home";

fn scenario_of(dir: &Path, campaigns: &str) -> PathBuf {
    write(
        dir,
        "s.toml",
        &format!("name = \"x\"\nstart = \"2026-11-23T08:00:00\"\n{campaigns}"),
    )
}

fn campaign(name: &str, contacts: &str, extra: &str) -> String {
    format!(
        "[[campaign]]\nname = \"{name}\"\nmode = \"preview\"\ncontacts = \"{contacts}\"\n{extra}"
    )
}

#[test]
fn contact_list_errors_name_the_column_and_a_missing_column_its_header() {
    let d = dir();
    write(
        d.path(),
        "bad.csv",
        &format!("{CSV_HEADER}\nNora,Scott,Pacific,-8,08:00,18:00,555-01\n"),
    );
    let scenario = scenario_of(d.path(), &campaign("C", "bad.csv", ""));
    let o = Ran::in_dir(d.path(), &["run", "--scenario", s(&scenario)]);
    assert_eq!(o.code, Some(2));
    // "Nora,Scott,Pacific,-8,08:00,18:00," is 34 characters: `home` starts at column 35.
    assert!(
        o.stderr.clone().contains("bad.csv:2:35: error:"),
        "{}",
        o.stderr.clone()
    );
    write(d.path(), "bad.csv", "first_name,last_nme,time_zone\n");
    let o = Ran::in_dir(d.path(), &["run", "--scenario", s(&scenario)]);
    assert!(
        o.stderr
            .clone()
            .contains("bad.csv:1:12: error: missing column \"last_name\""),
        "{}",
        o.stderr.clone()
    );
}

#[test]
fn what_a_scenario_accepts_but_probably_did_not_mean_gets_a_warning() {
    let d = dir();
    write(
        d.path(),
        "list.csv",
        &format!("{CSV_HEADER},Notes,Notes\nA,B,ET,-5,09:00,09:00,5550101,x,y\n"),
    );
    let campaigns = [
        campaign("Same", "list.csv", ""),
        campaign("Same", "list.csv", ""),
        campaign("", "list.csv", ""),
        campaign("Jos\\u00e9", "list.csv", ""),
        campaign("Jose\\u0301", "list.csv", ""),
        campaign("Da\\u200bna", "list.csv", ""),
        campaign("Dana", "list.csv", ""),
    ]
    .concat();
    let scenario = scenario_of(d.path(), &campaigns);
    let o = Ran::in_dir(
        d.path(),
        &["run", "--scenario", s(&scenario), "--hours", "0.1"],
    );
    let err = o.says(0, &[]);
    for says in [
        "column \"Notes\" appears twice",
        "opens and closes at the same time",
        "campaign name \"Same\" is used by campaigns 1 and 2",
        "campaign name is empty",
        "looks the same as \"Jos\u{e9}\"",
        // Messages write zero-width characters out (issue 27).
        "looks the same as \"Da\\u{200b}na\"",
    ] {
        assert!(err.contains(says), "no warning that {says}:\n{err}");
    }
    // The list is read once, so its own warnings come once.
    assert_eq!(err.matches("appears twice").count(), 1, "{err}");
}

#[test]
fn role_and_agent_names_that_only_look_alike_get_a_warning() {
    let d = dir();
    let roles = write(
        d.path(),
        "r.toml",
        "[[role]]\nname = \"Jos\\u00e9\"\n[[role]]\nname = \"Jose\\u0301\"\n\
         [[agent]]\nname = \"Ann\"\nroles = [\"Jos\\u00e9\"]\n[[agent]]\nname = \"A\\u200bnn\"\nroles = [\"Jos\\u00e9\"]\n",
    );
    let o = Ran::in_dir(d.path(), &["roles", "check", s(&roles), "--deny-warnings"]);
    o.says(
        1,
        &["r.toml:4:8: warning: role", "r.toml:9:8: warning: agent"],
    );
}

#[test]
fn the_diagnostics_of_one_file_are_capped_with_an_and_n_more_line() {
    let d = dir();
    let list = vec!["\"x\""; 5_000].join(",");
    let roles = write(
        d.path(),
        "r.toml",
        &format!("[[role]]\nname = \"A\"\nprivileges = [{list}]\n"),
    );
    let o = Ran::in_dir(d.path(), &["roles", "check", s(&roles)]);
    let err = o.says(2, &[]);
    assert_eq!(err.matches(": error: unknown privilege").count(), 100);
    assert!(
        err.contains("r.toml: error: and 4900 more error(s) not shown"),
        "{err}"
    );
    assert!(err.ends_with("r.toml: 5000 error(s)\n"), "{err}");
}

#[test]
fn thousands_of_errors_on_one_line_keep_a_hundred_short_snippets_at_their_columns() {
    use agentdesk::input::{MAX_REPORTED, Severity, count};
    use agentdesk::world::roles::RoleBook;
    let names = vec!["\"x\""; 40_000].join(",");
    let src = format!("[[role]]\nname = \"A\"\nprivileges = [{names}]\n");
    let errors = RoleBook::parse("t.toml", &src).unwrap_err();
    assert_eq!(errors.len(), MAX_REPORTED + 1);
    assert_eq!(count(&errors, Severity::Error), 40_000);
    assert_eq!(
        errors.last().unwrap().to_string(),
        "t.toml: error: and 39900 more error(s) not shown (the first 100 are)"
    );
    let snippet = &errors[99].snippet.as_ref().unwrap().0;
    assert!(snippet.len() < 250, "{snippet}");
    // "privileges = [" is 14 characters and each name 4: the 100th starts at 15 + 99 * 4.
    assert_eq!(errors[99].location(), "t.toml:3:411");
    assert!(
        errors[99].to_string().contains("...\"x\",\"x\""),
        "{}",
        errors[99]
    );
}

#[cfg(unix)]
#[test]
fn the_role_editor_never_saves_over_another_input_or_a_fifo() {
    use agentdesk::output::{InputKind, note_input};
    use agentdesk::world::roles::{Expected, RoleBook, save_atomic};
    let d = dir();
    let book = RoleBook::embedded_default();
    let scenario = write(d.path(), "scenario.toml", "name = \"x\"\n");
    note_input(&scenario, InputKind::Scenario);
    // Even when the user confirmed overwriting whatever is there.
    let err = save_atomic(&scenario, &book, Expected::Anything).unwrap_err();
    assert!(err.to_string().contains("is the scenario file"), "{err}");
    assert_eq!(fs::read_to_string(&scenario).unwrap(), "name = \"x\"\n");
    // A FIFO is refused before it is read for its stamp, which would wait for a writer.
    let fifo = d.path().join("fifo.toml");
    let c = std::ffi::CString::new(s(&fifo)).unwrap();
    // SAFETY: `c` is a valid NUL-terminated path for the duration of the call.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
    let err = save_atomic(&fifo, &book, Expected::Anything).unwrap_err();
    assert!(err.to_string().contains("FIFO"), "{err}");
    // The roles file it opened is its own to save.
    let roles = write(d.path(), "roles.toml", &book.to_toml());
    let (_, stamp) = RoleBook::load_stamped(&roles).unwrap();
    save_atomic(&roles, &book, Expected::Unchanged(stamp)).unwrap();
}
