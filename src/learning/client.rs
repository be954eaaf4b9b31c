//! The LRS over HTTP: `POST statements` in batches and `GET statements` following `more`, with
//! HTTP Basic credentials and `X-Experience-API-Version: 1.0.3`. Blocking (ureq, TLS by
//! rustls). An error names the LRS and never holds the password.

use std::fmt;
use std::path::Path;
use std::time::Duration;

use serde_json::Value;

/// The xAPI version agentdesk speaks.
pub const XAPI_VERSION: &str = "1.0.3";
pub const USER_VAR: &str = "AGENTDESK_LRS_USER";
pub const PASSWORD_VAR: &str = "AGENTDESK_LRS_PASSWORD";

/// An LRS account. `Debug` and `Display` show the user only.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    pub user: String,
    password: String,
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Credentials {{ user: {:?}, password: <hidden> }}",
            self.user
        )
    }
}

impl Credentials {
    pub fn new(user: &str, password: &str) -> Credentials {
        Credentials {
            user: user.to_string(),
            password: password.to_string(),
        }
    }

    /// From a file of two lines, user then password (`--lrs-credentials FILE`).
    pub fn from_file(path: &Path) -> Result<Credentials, String> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            format!(
                "cannot read the LRS credentials file {}: {e}",
                path.display()
            )
        })?;
        let mut lines = text.lines();
        match (lines.next().map(str::trim), lines.next()) {
            (Some(user), Some(password)) if !user.is_empty() && !password.is_empty() => {
                Ok(Credentials::new(user, password.trim_end_matches('\r')))
            }
            _ => Err(format!(
                "{}:1:1: the LRS credentials file needs two lines; expected the user on the \
                 first line and the password on the second",
                path.display()
            )),
        }
    }

    /// From `AGENTDESK_LRS_USER` and `AGENTDESK_LRS_PASSWORD`; `None` when either is unset.
    pub fn from_env() -> Option<Credentials> {
        let user = std::env::var(USER_VAR).ok().filter(|u| !u.is_empty())?;
        let password = std::env::var(PASSWORD_VAR).ok().filter(|p| !p.is_empty())?;
        Some(Credentials::new(&user, &password))
    }

    fn header(&self) -> String {
        format!(
            "Basic {}",
            base64(format!("{}:{}", self.user, self.password).as_bytes())
        )
    }
}

/// What went wrong talking to the LRS.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LrsError {
    /// Not reachable (refused, timed out, the connection dropped): worth trying again.
    Unreachable { lrs: String, why: String },
    /// The LRS refused the account (401, 403): trying again will not help.
    Unauthorized {
        lrs: String,
        user: String,
        status: u16,
    },
    /// The LRS refused what was sent (another 4xx), with its answer.
    Rejected {
        lrs: String,
        status: u16,
        answer: String,
    },
    /// The LRS failed (5xx) or answered something that is not xAPI: worth trying again.
    Server {
        lrs: String,
        status: u16,
        answer: String,
    },
}

impl LrsError {
    /// Whether trying again later may succeed.
    pub fn is_transient(&self) -> bool {
        matches!(self, LrsError::Unreachable { .. } | LrsError::Server { .. })
    }
}

impl fmt::Display for LrsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LrsError::Unreachable { lrs, why } => {
                write!(f, "the LRS at {lrs} cannot be reached: {why}")
            }
            LrsError::Unauthorized { lrs, user, status } => write!(
                f,
                "the LRS at {lrs} refused the credentials of user \"{user}\" (HTTP {status}); \
                 check --lrs-credentials FILE or {USER_VAR}/{PASSWORD_VAR}"
            ),
            LrsError::Rejected {
                lrs,
                status,
                answer,
            } => write!(f, "the LRS at {lrs} rejected it (HTTP {status}): {answer}"),
            LrsError::Server {
                lrs,
                status,
                answer,
            } => write!(f, "the LRS at {lrs} failed (HTTP {status}): {answer}"),
        }
    }
}

impl std::error::Error for LrsError {}

/// A client of one LRS.
#[derive(Clone)]
pub struct LrsClient {
    /// The xAPI base, ending with `/` (e.g. `http://127.0.0.1:8100/xAPI/`).
    base: String,
    credentials: Credentials,
    agent: ureq::Agent,
}

impl fmt::Debug for LrsClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "LrsClient({}, {:?})", self.base, self.credentials)
    }
}

/// The longest answer text kept in an error or the rejected file.
const ANSWER_LIMIT: usize = 2000;

impl LrsClient {
    /// A client of the LRS whose xAPI base is `url` (http or https).
    pub fn new(url: &str, credentials: Credentials) -> Result<LrsClient, String> {
        let base = if url.ends_with('/') {
            url.to_string()
        } else {
            format!("{url}/")
        };
        if !(base.starts_with("http://") || base.starts_with("https://")) {
            return Err(format!(
                "invalid LRS address \"{url}\"; expected the LRS's xAPI base, e.g. \
                 http://127.0.0.1:8100/xAPI/"
            ));
        }
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_connect(Some(Duration::from_secs(5)))
            .timeout_global(Some(Duration::from_secs(30)))
            .build()
            .into();
        Ok(LrsClient {
            base,
            credentials,
            agent,
        })
    }

    pub fn base(&self) -> &str {
        &self.base
    }

    /// Stores a batch; Ok once the LRS confirmed every statement (200 with their ids, or 204
    /// when it had them all already).
    pub fn post(&self, statements: &[Value]) -> Result<(), LrsError> {
        let url = format!("{}statements", self.base);
        let answer = self
            .agent
            .post(&url)
            .header("X-Experience-API-Version", XAPI_VERSION)
            .header("Authorization", &self.credentials.header())
            .send_json(statements);
        self.check(answer).map(|_| ())
    }

    /// Every statement matching `query` (xAPI `GET statements` parameters), following `more`.
    pub fn get(&self, query: &[(&str, String)]) -> Result<Vec<Value>, LrsError> {
        let mut url = format!("{}statements", self.base);
        let mut sep = '?';
        for (k, v) in query {
            url.push_str(&format!("{sep}{k}={}", encode(v)));
            sep = '&';
        }
        let mut out = Vec::new();
        // A bound on pages, so an LRS whose `more` never ends cannot hold the caller forever.
        for _ in 0..10_000 {
            let answer = self
                .agent
                .get(&url)
                .header("X-Experience-API-Version", XAPI_VERSION)
                .header("Authorization", &self.credentials.header())
                .call();
            let page: Value =
                serde_json::from_str(&self.check(answer)?).map_err(|e| LrsError::Server {
                    lrs: self.base.clone(),
                    status: 200,
                    answer: format!("not a statement result: {e}"),
                })?;
            if let Some(list) = page["statements"].as_array() {
                out.extend(list.iter().cloned());
            }
            match page["more"].as_str().filter(|m| !m.is_empty()) {
                Some(more) if !page["statements"].as_array().is_none_or(Vec::is_empty) => {
                    url = self.resolve(more);
                }
                _ => break,
            }
        }
        Ok(out)
    }

    /// `more` as an absolute URL: absolute already, absolute path on the LRS's host, or
    /// relative to the xAPI base.
    fn resolve(&self, more: &str) -> String {
        if more.starts_with("http://") || more.starts_with("https://") {
            return more.to_string();
        }
        if more.starts_with('/') {
            let after_scheme = self.base.find("://").map_or(0, |i| i + 3);
            let host_end = self.base[after_scheme..]
                .find('/')
                .map_or(self.base.len(), |i| i + after_scheme);
            return format!("{}{more}", &self.base[..host_end]);
        }
        format!("{}{more}", self.base)
    }

    fn check(
        &self,
        answer: Result<ureq::http::Response<ureq::Body>, ureq::Error>,
    ) -> Result<String, LrsError> {
        let lrs = self.base.clone();
        let mut response = answer.map_err(|e| LrsError::Unreachable {
            lrs: lrs.clone(),
            why: e.to_string(),
        })?;
        let status = response.status().as_u16();
        let text = response
            .body_mut()
            .with_config()
            .limit(64 * 1024 * 1024)
            .read_to_string()
            .map_err(|e| LrsError::Unreachable {
                lrs: lrs.clone(),
                why: format!("the answer broke off: {e}"),
            })?;
        let answer = || text.chars().take(ANSWER_LIMIT).collect::<String>();
        match status {
            200..=299 => Ok(text),
            401 | 403 => Err(LrsError::Unauthorized {
                lrs,
                user: self.credentials.user.clone(),
                status,
            }),
            400..=499 => Err(LrsError::Rejected {
                lrs,
                status,
                answer: answer(),
            }),
            _ => Err(LrsError::Server {
                lrs,
                status,
                answer: answer(),
            }),
        }
    }
}

/// Percent-encodes a query value (everything but unreserved characters).
fn encode(text: &str) -> String {
    let mut out = String::new();
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Standard base64 with padding (for the Basic authorization header).
fn base64(bytes: &[u8]) -> String {
    const ABC: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ABC[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_the_rfc_examples() {
        for (plain, coded) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(plain.as_bytes()), coded);
        }
    }

    #[test]
    fn credentials_never_show_the_password() {
        let c = Credentials::new("trainer", "s3cret");
        assert!(!format!("{c:?}").contains("s3cret"));
        let client = LrsClient::new("http://127.0.0.1:1/xAPI", c).unwrap();
        assert!(!format!("{client:?}").contains("s3cret"));
        assert_eq!(client.base(), "http://127.0.0.1:1/xAPI/");
    }

    #[test]
    fn more_is_resolved_against_the_host_or_the_base() {
        let c = LrsClient::new("http://h:1/xAPI/", Credentials::new("u", "p")).unwrap();
        assert_eq!(
            c.resolve("/xAPI/statements?x=1"),
            "http://h:1/xAPI/statements?x=1"
        );
        assert_eq!(
            c.resolve("statements?x=1"),
            "http://h:1/xAPI/statements?x=1"
        );
        assert_eq!(c.resolve("https://o/s"), "https://o/s");
    }
}
