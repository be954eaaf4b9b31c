//! A real Learning Record Store for the tests: Ralph (Open FUN's xAPI LRS), from the virtual
//! environment `.ci/lrs.sh` makes (`$CARGO_TARGET_TMPDIR/ralph`, or the one AGENTDESK_RALPH_VENV
//! names). Each [`Ralph`] runs on 127.0.0.1 on a free port with its own data directory, the
//! file-system backend and an account made with `ralph auth`, and is stopped when dropped.
//! Every test that needs one gets it from [`ralph`] (or [`Ralph::stopped`]), the one start-up.
//! As for the other consumers (`tests/consumers.rs`): under CI (`CI` set, after `.ci/lrs.sh`)
//! a missing Ralph fails the test; elsewhere the test prints a note naming the script and is
//! skipped, so a plain `cargo test` is the README's test command everywhere.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use agentdesk::learning::{Credentials, LrsClient};
use serde_json::Value;

pub const USER: &str = "trainer";
pub const PASSWORD: &str = "s3cret-Pa55";

/// The virtual environment with Ralph, when `.ci/lrs.sh` made one (required under CI).
fn ralph_venv() -> Option<PathBuf> {
    let venv = std::env::var_os("AGENTDESK_RALPH_VENV")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_TARGET_TMPDIR")).join("ralph"));
    let found = venv.join("bin/ralph").is_file() && venv.join("bin/python").is_file();
    let what = format!("the Ralph LRS (bash .ci/lrs.sh, into {})", venv.display());
    crate::consumers::required(&what, found).then_some(venv)
}

/// Ralph started and answering: the one start-up every LRS test uses.
pub fn ralph() -> Option<Ralph> {
    let mut r = Ralph::stopped()?;
    r.start();
    Some(r)
}

/// The statements' verbs by their short names (`.../verbs/completed` -> `completed`).
/// `agentdesk lesson run reject-or-cancel` for `trainee`, its attempts read from `attempts`
/// and its statements kept in `outbox`: the run every LRS test makes, before its own options.
pub fn lesson_run_args(trainee: &str, attempts: &Path, outbox: &Path) -> Vec<String> {
    [
        "lesson",
        "run",
        "reject-or-cancel",
        "--trainee",
        trainee,
        "--attempts",
        &attempts.display().to_string(),
        "--outbox",
        &outbox.display().to_string(),
    ]
    .map(String::from)
    .to_vec()
}

pub fn verbs(statements: &[Value]) -> Vec<String> {
    statements
        .iter()
        .map(|s| {
            let id = s["verb"]["id"].as_str().expect("a statement's verb id");
            id.rsplit('/').next().unwrap_or(id).to_string()
        })
        .collect()
}

/// A free TCP port on 127.0.0.1 (free when asked; Ralph binds it a moment later).
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// One running Ralph; killed (its whole process group) when dropped.
pub struct Ralph {
    venv: PathBuf,
    pub dir: tempfile::TempDir,
    pub port: u16,
    child: Option<Child>,
}

impl Ralph {
    /// Ralph with its account, not started yet (a test that starts it later).
    pub fn stopped() -> Option<Ralph> {
        let venv = ralph_venv()?;
        let dir = tempfile::tempdir().expect("a scratch directory");
        std::fs::create_dir_all(dir.path().join("data")).unwrap();
        let ralph = Ralph {
            venv,
            dir,
            port: free_port(),
            child: None,
        };
        let status = ralph
            .command("bin/ralph")
            .args(["auth", "-u", USER, "-p", PASSWORD, "-s", "all"])
            .args(["-M", "mailto:trainer@example.org", "-w"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .expect("ralph auth runs");
        assert!(status.success(), "ralph auth failed");
        Some(ralph)
    }

    fn command(&self, program: &str) -> Command {
        let d = self.dir.path();
        let mut c = Command::new(self.venv.join(program));
        // Started from its own scratch directory, never the repository.
        c.current_dir(d)
            .env("RALPH_APP_DIR", d.join("app"))
            .env("RALPH_RUNSERVER_BACKEND", "fs")
            .env(
                "RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH",
                d.join("data"),
            )
            .env(
                "RALPH_BACKENDS__DATA__FS__DEFAULT_DIRECTORY_PATH",
                d.join("data"),
            );
        c
    }

    /// Starts the server and waits until its heartbeat answers (at most 60 s).
    pub fn start(&mut self) {
        assert!(self.child.is_none(), "Ralph is running already");
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/lrs/ralph_server.py");
        let mut c = self.command("bin/python");
        c.arg(script)
            .args(["127.0.0.1", &self.port.to_string()])
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(self.dir.path().join("server.log")).unwrap());
        #[cfg(unix)]
        {
            use std::os::unix::process::CommandExt;
            c.process_group(0);
        }
        self.child = Some(c.spawn().expect("Ralph starts"));
        let deadline = Instant::now() + Duration::from_secs(60);
        while Instant::now() < deadline {
            if heartbeat(self.port) {
                return;
            }
            std::thread::sleep(Duration::from_millis(200));
        }
        panic!(
            "Ralph did not answer on port {} within 60 s: {}",
            self.port,
            self.log()
        );
    }

    /// Kills the server at once (SIGKILL, its process group), as a crash would.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            #[cfg(unix)]
            {
                // SAFETY: a signal to the process group this guard started.
                unsafe { libc::kill(-(child.id() as i32), libc::SIGKILL) };
            }
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// The server's process id (its process group's too), while it runs.
    pub fn pid(&self) -> Option<u32> {
        self.child.as_ref().map(Child::id)
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}/xAPI/", self.port)
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("server.log")).unwrap_or_default()
    }

    pub fn client(&self) -> LrsClient {
        LrsClient::new(&self.url(), Credentials::new(USER, PASSWORD)).unwrap()
    }

    /// Every statement the LRS holds.
    pub fn statements(&self) -> Vec<Value> {
        self.client()
            .get(&[("limit", "1000".to_string())])
            .expect("the LRS answers GET statements")
    }

    /// A credentials file for the account, in the scratch directory.
    pub fn credentials_file(&self) -> PathBuf {
        let path = self.dir.path().join("credentials");
        std::fs::write(&path, format!("{USER}\n{PASSWORD}\n")).unwrap();
        path
    }
}

impl Drop for Ralph {
    fn drop(&mut self) {
        self.kill();
    }
}

fn heartbeat(port: u16) -> bool {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(2)))
        .build()
        .into();
    agent
        .get(&format!("http://127.0.0.1:{port}/__heartbeat__"))
        .call()
        .is_ok_and(|r| r.status().as_u16() == 200)
}
