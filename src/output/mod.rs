//! Writing files: the rules every output path passes (no link, device, FIFO or input
//! overwritten), atomic replacement of exports, reports and roles files, line-by-line logs that
//! never end in half a line, standard output that reports its failures and shows control
//! characters as text, and the escaping of text for the report formats.

pub mod escape;
pub mod export;
pub mod lines;
pub mod paths;
pub mod stream;

pub use export::*;
pub use lines::LineSink;
pub use paths::{Claims, InputKind, PathError, Target, note_input};
pub use stream::Checked;
