//! The LRS on the command line: the options every command that talks to one takes
//! (`--lrs`, `--lrs-credentials`, the organisation and activity base of the statements), and
//! `agentdesk lrs send` (exit 0 when the outbox is empty afterwards, 1 when statements still
//! wait, 2 on bad input). Credentials come from a file or the environment, never from the
//! command line, and no message prints the password.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use clap::Args;

use super::EXIT_BAD_INPUT;
use crate::learning::client::{PASSWORD_VAR, USER_VAR};
use crate::learning::convert::{DEFAULT_ACTIVITY_BASE, DEFAULT_HOME_PAGE};
use crate::learning::send::{SendReport, send_with_retries};
use crate::learning::statement::is_absolute_iri;
use crate::learning::{Credentials, LrsClient, Outbox};

/// Where statements go and how they name things.
#[derive(Args, Debug, Clone, Default)]
pub struct LrsArgs {
    /// The LRS's xAPI base, e.g. http://127.0.0.1:8100/xAPI/ (statements stay in the outbox
    /// when absent).
    #[arg(long, value_name = "URL")]
    pub lrs: Option<String>,
    /// A file of two lines, the LRS user then its password (else AGENTDESK_LRS_USER and
    /// AGENTDESK_LRS_PASSWORD).
    #[arg(long, value_name = "FILE")]
    pub lrs_credentials: Option<PathBuf>,
    /// The organisation's URL: the `homePage` of each trainee's xAPI account.
    #[arg(long, value_name = "URL", default_value = DEFAULT_HOME_PAGE)]
    pub organisation: String,
    /// The IRI that activity ids (lessons, steps, shifts) start with.
    #[arg(long, value_name = "IRI", default_value = DEFAULT_ACTIVITY_BASE)]
    pub activity_base: String,
}

impl LrsArgs {
    /// The activity base with a final `/`, checked to be an absolute IRI, and the
    /// organisation likewise.
    pub fn names(&self) -> Result<(String, String), String> {
        for (option, value) in [
            ("--organisation", &self.organisation),
            ("--activity-base", &self.activity_base),
        ] {
            if !is_absolute_iri(value) {
                return Err(format!(
                    "invalid {option} \"{value}\"; expected an absolute IRI such as \
                     https://training.example.com/agentdesk/"
                ));
            }
        }
        let base = if self.activity_base.ends_with('/') {
            self.activity_base.clone()
        } else {
            format!("{}/", self.activity_base)
        };
        Ok((self.organisation.clone(), base))
    }

    /// A client of the LRS, when one is named.
    pub fn client(&self) -> Result<Option<LrsClient>, String> {
        let Some(url) = &self.lrs else {
            return Ok(None);
        };
        let credentials = credentials(self.lrs_credentials.as_deref(), url)?;
        LrsClient::new(url, credentials).map(Some)
    }
}

/// The LRS account: the file when given, else the environment.
pub fn credentials(file: Option<&Path>, url: &str) -> Result<Credentials, String> {
    if let Some(path) = file {
        return Credentials::from_file(path);
    }
    Credentials::from_env().ok_or_else(|| {
        format!(
            "the LRS at {url} needs an account: --lrs-credentials FILE (two lines: user, \
             password) or {USER_VAR} and {PASSWORD_VAR}"
        )
    })
}

/// Tries (in all) and the longest pause between them, for a command that sends and ends.
pub const SEND_TRIES: u32 = 3;
pub const SEND_PAUSE: Duration = Duration::from_secs(2);

/// `agentdesk lrs send --outbox DIR --lrs URL`.
pub(super) fn lrs_send(
    outbox: Option<&Path>,
    lrs: &LrsArgs,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> ExitCode {
    let client = match lrs.client() {
        Ok(Some(c)) => c,
        Ok(None) => {
            let _ = writeln!(err, "error: lrs send needs --lrs URL");
            return ExitCode::from(EXIT_BAD_INPUT);
        }
        Err(e) => {
            let _ = writeln!(err, "error: {e}");
            return ExitCode::from(EXIT_BAD_INPUT);
        }
    };
    let dir = outbox.map_or_else(Outbox::default_dir, Path::to_path_buf);
    let outbox = match Outbox::open(&dir) {
        Ok(o) => o,
        Err(e) => {
            let _ = writeln!(err, "error: cannot open the outbox {}: {e}", dir.display());
            return ExitCode::from(EXIT_BAD_INPUT);
        }
    };
    match send_with_retries(&outbox, &client, SEND_TRIES, SEND_PAUSE) {
        Ok(report) => {
            say_sent(&report, &outbox, out, err);
            if report.waiting == 0 {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            }
        }
        Err(e) => {
            let _ = writeln!(err, "error: the outbox {}: {e}", dir.display());
            ExitCode::from(EXIT_BAD_INPUT)
        }
    }
}

/// What a send did, in words: sent, rejected (and where they are kept), waiting and why.
pub fn say_sent(report: &SendReport, outbox: &Outbox, out: &mut dyn Write, err: &mut dyn Write) {
    let _ = writeln!(
        out,
        "lrs: {} statement(s) sent, {} rejected, {} waiting in {}",
        report.sent,
        report.rejected,
        report.waiting,
        outbox.dir().display()
    );
    if report.rejected > 0 {
        let _ = writeln!(
            err,
            "warning: {} statement(s) rejected by the LRS, kept with its answer in {}",
            report.rejected,
            outbox.dir().join("rejected.jsonl").display()
        );
    }
    if let Some(e) = &report.error
        && report.waiting > 0
    {
        let _ = writeln!(err, "{} statement(s) wait: {e}", report.waiting);
    }
}
