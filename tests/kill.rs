//! SIGKILL in the middle of writing: the audit log of a headless run is complete up to its last
//! entry, with no torn line, and a roles file being saved is the old or the new version, never
//! a mix.
//!
//! The kills land at several points of each run (after a few entries or saves, then more), as a
//! crash would: a test that only ever killed at one moment could pass by luck of timing.

use std::io::{BufRead, BufReader, Write as _};
use std::os::unix::process::ExitStatusExt;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use agentdesk::policy::{CATALOGUE, PrivilegeSet};
use agentdesk::world::roles::{Expected, Role, RoleBook, save_atomic};
use tempfile::TempDir;

/// Waits at most this long for a child to get going; a loaded CI machine can be slow.
const PATIENCE: Duration = Duration::from_secs(60);

/// SIGKILLs `child` (std's `kill` sends SIGKILL on Unix) and checks that it died of it, rather
/// than having finished before the kill: a run that ended on its own tests nothing.
fn kill_mid_run(child: &mut Child, what: &str) {
    let still_running = child.try_wait().expect("poll the child").is_none();
    assert!(still_running, "{what} ended before it could be killed");
    child.kill().expect("SIGKILL");
    let status = child.wait().expect("reap the child");
    assert_eq!(status.signal(), Some(9), "{what}: {status:?}");
}

/// Complete lines of `bytes`, and whatever follows the last newline.
fn split_lines(bytes: &[u8]) -> (Vec<&[u8]>, &[u8]) {
    match bytes.iter().rposition(|&b| b == b'\n') {
        Some(end) => (
            bytes[..end].split(|&b| b == b'\n').collect(),
            &bytes[end + 1..],
        ),
        None => (Vec::new(), bytes),
    }
}

/// A script of `attempts` audited commands: a trainee tries to cancel an invitation, which the
/// engine refuses (and logs) every time, so the run is all audit writes.
fn write_attempts_script(dir: &Path, attempts: usize) -> std::path::PathBuf {
    let path = dir.join("attempts.script");
    let mut text = String::from("login role \"Trainee\"\noffer web-callback\n");
    for _ in 0..attempts {
        text.push_str("cancel\n");
    }
    std::fs::write(&path, text).expect("write the script");
    path
}

fn count_lines(path: &Path) -> usize {
    std::fs::read(path)
        .map(|b| b.iter().filter(|&&c| c == b'\n').count())
        .unwrap_or(0)
}

#[test]
fn a_killed_run_leaves_an_audit_log_complete_up_to_its_last_entry() {
    let dir = TempDir::new().expect("temp dir");
    let attempts = 50_000;
    let script = write_attempts_script(dir.path(), attempts);
    // Kill after this many entries are on disk: early, and deeper into the run.
    for after in [1, 300, 3_000] {
        let audit = dir.path().join(format!("audit-{after}.jsonl"));
        let mut child = Command::new(env!("CARGO_BIN_EXE_agentdesk"))
            .arg("run")
            .arg("--script")
            .arg(&script)
            .arg("--audit")
            .arg(&audit)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start agentdesk run");
        let start = Instant::now();
        while count_lines(&audit) < after {
            assert!(
                start.elapsed() < PATIENCE,
                "no audit entries after {PATIENCE:?}"
            );
            if child.try_wait().expect("poll").is_some() {
                break;
            }
            std::thread::sleep(Duration::from_millis(1));
        }
        kill_mid_run(&mut child, "agentdesk run");

        let bytes = std::fs::read(&audit).expect("read the audit log");
        let (lines, rest) = split_lines(&bytes);
        // Each entry is one write of a whole line, so a kill cannot leave half of one.
        assert!(
            rest.is_empty(),
            "torn last line after {} entries: {:?}",
            lines.len(),
            String::from_utf8_lossy(rest)
        );
        assert!(lines.len() >= after, "{} < {after}", lines.len());
        assert!(lines.len() < attempts, "the run was not cut short");
        let whole = String::from_utf8_lossy(&bytes[..bytes.len() - rest.len()]);
        crate::consumers::check_audit_lines(&whole);
        for (i, line) in lines.iter().enumerate() {
            let entry: serde_json::Value = serde_json::from_slice(line).unwrap_or_else(|e| {
                panic!(
                    "line {} is not an audit entry ({e}): {}",
                    i + 1,
                    String::from_utf8_lossy(line)
                )
            });
            // Complete up to the last entry: none missing or repeated before it.
            assert_eq!(entry["seq"], i as u64 + 1, "line {}", i + 1);
            assert_eq!(entry["action"], "cancel");
            assert_eq!(entry["decision"], "denied");
        }
    }
}

/// Set in the child process that saves roles files in a loop (see below).
const SAVE_LOOP_ENV: &str = "AGENTDESK_KILL_SAVE_LOOP";

/// The two versions the save loop alternates between. The new one is several times longer, so
/// a torn save (old bytes past a short new file, or a new file cut short) cannot look whole.
fn versions() -> (RoleBook, RoleBook) {
    let old = RoleBook::embedded_default();
    let mut new = old.clone();
    for role in &mut new.roles {
        role.description = format!("{} (revised)", role.description);
    }
    for i in 0..300 {
        new.roles.push(Role {
            name: format!("Generated role {i:03}"),
            description: "Added by the kill test".to_string(),
            granted: PrivilegeSet::of(&[CATALOGUE[i % CATALOGUE.len()].privilege]),
        });
    }
    (old, new)
}

/// Saves the two versions in turn to the file named by SAVE_LOOP_ENV until killed, printing a
/// line after each save. Not a test of its own: the test below starts this binary again with
/// `--ignored --exact kill::save_loop_child` as its child process, and kills it.
#[test]
#[ignore = "the child process of a_roles_file_killed_mid_save_is_the_old_or_the_new_version"]
fn save_loop_child() {
    let path = std::env::var(SAVE_LOOP_ENV)
        .unwrap_or_else(|_| panic!("run only as a child process, with {SAVE_LOOP_ENV} set"));
    let (old, new) = versions();
    let stdout = std::io::stdout();
    for n in 0u64.. {
        let book = if n % 2 == 0 { &new } else { &old };
        if let Err(e) = save_atomic(Path::new(&path), book, Expected::Anything) {
            println!("error {e}");
            return;
        }
        let mut out = stdout.lock();
        let _ = writeln!(out, "saved {n}");
        let _ = out.flush();
    }
}

#[test]
fn a_roles_file_killed_mid_save_is_the_old_or_the_new_version() {
    let dir = TempDir::new().expect("temp dir");
    let path = dir.path().join("roles.toml");
    let (old, new) = versions();
    let (old_text, new_text) = (old.to_toml(), new.to_toml());
    assert!(new_text.len() > 4 * old_text.len());

    // Kill after this many saves, at a few offsets into the next one.
    for (saves, pause_us) in [(1, 0), (4, 150), (9, 700), (20, 2_000), (41, 5_000)] {
        std::fs::write(&path, &old_text).expect("write the old version");
        let mut child = Command::new(std::env::current_exe().expect("test binary"))
            .args([
                "--ignored",
                "--exact",
                "kill::save_loop_child",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(SAVE_LOOP_ENV, &path)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start the save loop");
        let stdout = child.stdout.take().expect("child stdout");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let mut seen = 0;
        while seen < saves {
            match rx.recv_timeout(PATIENCE) {
                Ok(line) if line.contains("saved ") => seen += 1,
                Ok(line) if line.contains("error ") => panic!("the save loop failed: {line}"),
                Ok(_) => {}
                Err(e) => panic!("the save loop said nothing for {PATIENCE:?}: {e}"),
            }
        }
        std::thread::sleep(Duration::from_micros(pause_us));
        kill_mid_run(&mut child, "the save loop");

        let text = std::fs::read_to_string(&path).expect("the roles file is still there");
        assert!(
            text == old_text || text == new_text,
            "after {saves} saves and {pause_us} us the file is neither version ({} bytes; old {}, new {})",
            text.len(),
            old_text.len(),
            new_text.len()
        );
        let loaded = RoleBook::parse("roles.toml", &text).expect("the file still loads");
        assert!(loaded.book == old || loaded.book == new);
    }
}
