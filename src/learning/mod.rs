//! Learning records: a trainee's results as xAPI 1.0.3 statements, kept in a durable outbox and
//! sent to a Learning Record Store (the user's guide is `docs/lrs.md`).
//!
//! - `statement`: the statement shape agentdesk writes and reads back, name-based ids, ISO 8601
//!   durations, and the xAPI rules the tests check statements against.
//! - `convert`: the one place results become statements (a lesson's score card, a practice
//!   shift's feedback and score card); nothing else builds one.
//! - `outbox`: statements appended and fsynced on disk before they count as recorded; removed
//!   only once the LRS confirmed them; rejected ones kept apart with the LRS's answer.
//! - `client`: the LRS over HTTP (blocking, rustls), `POST`/`GET /statements`.
//! - `send`: the outbox sent in batches with retries and back-off.
//! - `desk`: the desk's records: the outbox written as a lesson moves, a sender thread.
//! - `class`: a class's statements read back into one row per trainee and step.
//! - `attempts`: a trainee's attempts file played through a lesson headless, as the desk
//!   matches them.

pub mod attempts;
pub mod class;
pub mod client;
pub mod convert;
pub mod desk;
pub mod outbox;
pub mod send;
pub mod statement;

pub use client::{Credentials, LrsClient, LrsError};
pub use convert::{LessonRecorder, RecordContext};
pub use outbox::Outbox;
pub use statement::Statement;
