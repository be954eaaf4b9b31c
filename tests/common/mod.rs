//! What the desktop's kittest suites share: a desktop at midday on the default world, and a
//! harness that drives it the way eframe does.

// Each test binary compiles this module and uses only part of it.
#![allow(dead_code)]

#[cfg(target_os = "linux")]
pub mod measured;

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use agentdesk::engine::Engine;
use agentdesk::ui::workbench::Tool;
use agentdesk::ui::{Desktop, DesktopApp};
use agentdesk::world::InteractionId;
use agentdesk::world::roles::RoleBook;
use agentdesk::world::scenario::Scenario;
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

/// The desktop of `agent` (from `book`) on the default scenario, seed 1, paused at 13:00.
pub fn app_with(book: RoleBook, agent: &str) -> DesktopApp {
    let engine = Engine::new(book, Scenario::embedded_default(), 1);
    let index = engine.roles().find_agent(agent).expect("agent in the book");
    let mut desktop = Desktop::new(engine, index);
    // Midday: every default contact's calling window is open, so only privileges decide.
    let noon = desktop
        .session
        .engine
        .now()
        .date()
        .and_hms_opt(13, 0, 0)
        .unwrap();
    desktop.advance_to(noon);
    desktop.session.pace.paused = true;
    DesktopApp::new(desktop)
}

/// [`app_with`] on the embedded default roles.
pub fn app_for(agent: &str) -> DesktopApp {
    app_with(RoleBook::embedded_default(), agent)
}

pub fn harness(app: DesktopApp) -> Harness<'static, DesktopApp> {
    Harness::builder()
        .with_size(egui::Vec2::new(1400.0, 900.0))
        .build_ui_state(|ui, app: &mut DesktopApp| app.frame(ui), app)
}

/// Opens a tool from the Workbench menu by its entry, as a trainer clicks it.
pub fn open_tool(h: &mut Harness<'_, DesktopApp>, entry: &str) {
    h.get_by_label("Workbench").click();
    h.run();
    h.get_by_label(entry).click();
    h.run();
}

/// The open workbench tool of type `T`; the test fails when it is not open.
pub fn tool<'a, T: Tool>(h: &'a Harness<'_, DesktopApp>) -> &'a T {
    h.state()
        .desktop
        .view
        .workbench
        .get::<T>()
        .expect("the tool is open")
}

/// [`tool`], to change its state as a click would.
pub fn tool_mut<'a, T: Tool>(h: &'a mut Harness<'_, DesktopApp>) -> &'a mut T {
    h.state_mut()
        .desktop
        .view
        .workbench
        .get_mut::<T>()
        .expect("the tool is open")
}

/// Clicks the first Get Record and returns the record the desk then shows.
pub fn get_record(h: &mut Harness<'_, DesktopApp>) -> InteractionId {
    h.get_all_by_label("Get Record").next().unwrap().click();
    h.run();
    h.state()
        .desktop
        .view
        .selected
        .expect("a record is selected")
}

/// The CLI fixture: one run of the binary, what it was given and what it answered.
#[derive(Debug)]
pub struct Ran {
    pub args: Vec<String>,
    /// The exit code (`None` when a signal ended it).
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Ran {
    /// Runs the agentdesk binary with `args`, in the test's working directory.
    pub fn of(args: &[&str]) -> Ran {
        Ran::with(args, |_| {})
    }

    /// Runs the agentdesk binary with `args` in `dir`, so relative output paths land there.
    pub fn in_dir(dir: &Path, args: &[&str]) -> Ran {
        Ran::with(args, |c| {
            c.current_dir(dir);
        })
    }

    /// Runs the agentdesk binary with `args`, the command first set up by `set` (environment,
    /// working directory).
    pub fn with(args: &[&str], set: impl FnOnce(&mut Command)) -> Ran {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_agentdesk"));
        cmd.args(args);
        set(&mut cmd);
        Ran::from_output(args, &cmd.output().expect("the agentdesk binary runs"))
    }

    /// `agentdesk run` of the example `script`, with the `--roles` and `--scenario` its
    /// `# Run:` line names, then `more`.
    pub fn example(script: &Path, more: &[&str]) -> Ran {
        let options = run_options(script);
        let mut args = vec!["run"];
        args.extend(options.iter().map(String::as_str));
        args.extend(["--script", script.to_str().expect("UTF-8 path")]);
        args.extend_from_slice(more);
        Ran::of(&args)
    }

    /// Asserts that the run exited with `code` and that its standard error says each of
    /// `wanted` (the whole run is shown when not); the standard error, for further checks.
    pub fn says(&self, code: i32, wanted: &[&str]) -> &str {
        assert_eq!(self.code, Some(code), "{self}");
        for w in wanted {
            assert!(self.stderr.contains(w), "no {w:?} in:\n{self}");
        }
        &self.stderr
    }

    fn from_output(args: &[&str], o: &Output) -> Ran {
        Ran {
            args: args.iter().map(|a| a.to_string()).collect(),
            code: o.status.code(),
            // Every command writes UTF-8 (escapes written out).
            stdout: String::from_utf8(o.stdout.clone()).expect("stdout is UTF-8"),
            stderr: String::from_utf8(o.stderr.clone()).expect("stderr is UTF-8"),
        }
    }
}

/// What a failed assertion shows: the command line, the exit code and both streams.
impl std::fmt::Display for Ran {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "agentdesk {}\nexit code: {:?}\n--- stdout\n{}\n--- stderr\n{}",
            self.args.join(" "),
            self.code,
            self.stdout,
            self.stderr
        )
    }
}

/// A temporary file ending in `suffix` (`.toml`, `.script`, `.lesson`) holding `bytes`; it is
/// removed when dropped.
pub fn temp_file(suffix: &str, bytes: impl AsRef<[u8]>) -> tempfile::NamedTempFile {
    let mut file = tempfile::NamedTempFile::with_suffix(suffix).expect("temp file");
    file.write_all(bytes.as_ref()).expect("write temp file");
    file.flush().expect("flush temp file");
    file
}

/// A temporary folder, removed when dropped.
pub fn temp_dir() -> tempfile::TempDir {
    tempfile::TempDir::new().expect("temp dir")
}

/// A temporary path as a command-line argument (temporary paths are UTF-8).
pub fn arg(path: &Path) -> &str {
    path.to_str().expect("temp paths are UTF-8")
}

/// Writes `text` to `dir/name` and returns its path.
pub fn write_file(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write a test file");
    path
}

/// Every example script under assets/scripts, in name order.
pub fn example_scripts() -> Vec<PathBuf> {
    shipped("scripts", "script")
}

/// Every file ending in `.extension` under assets/`folder`, in name order.
pub fn shipped(folder: &str, extension: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("assets")
        .join(folder);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == extension))
        .collect();
    files.sort();
    files
}

/// The `--roles` and `--scenario` options of the script's `# Run: agentdesk run ...` line,
/// each with its path as written there (relative to the repository).
pub fn run_line_options(script: &Path) -> Vec<(String, String)> {
    let text = std::fs::read_to_string(script).expect("the script is readable");
    let Some(line) = text
        .lines()
        .find_map(|l| l.strip_prefix("# Run: agentdesk run "))
    else {
        return Vec::new();
    };
    let words: Vec<&str> = line.split_whitespace().collect();
    words
        .windows(2)
        .filter(|pair| matches!(pair[0], "--roles" | "--scenario"))
        .map(|pair| (pair[0].to_string(), pair[1].to_string()))
        .collect()
}

/// [`run_line_options`] with their paths made absolute, for a run from any folder.
pub fn run_options(script: &Path) -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    run_line_options(script)
        .into_iter()
        .flat_map(|(option, path)| [option, root.join(path).display().to_string()])
        .collect()
}

/// Picks `option` in the combo box `combo` of window `window`.
pub fn pick(h: &mut Harness<'_, DesktopApp>, window: &str, combo: &str, option: &str) {
    h.get_by_role_and_label(Role::GenericContainer, window)
        .get_by_role_and_label(Role::ComboBox, combo)
        .click();
    h.run();
    h.get_by_role_and_label(Role::Button, option).click();
    h.run();
}

/// Sets the text field labelled `field` of window `window`, as assistive technology does.
pub fn set_text(h: &mut Harness<'_, DesktopApp>, window: &str, field: &str, text: &str) {
    h.get_by_role_and_label(Role::GenericContainer, window)
        .get_by_role_and_label(Role::TextInput, field)
        .set_text_value_accesskit(text);
    h.run();
}

/// Clicks the button `button` of window `window`.
pub fn click_in(h: &mut Harness<'_, DesktopApp>, window: &str, button: &str) {
    h.get_by_role_and_label(Role::GenericContainer, window)
        .get_by_role_and_label(Role::Button, button)
        .click();
    h.run();
}
