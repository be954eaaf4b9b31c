//! The lesson file: its own lines (`lesson`, `description`, `roles-file`, `scenario-file`,
//! `seed`, `step`, `hint`) are read here with the script tokenizer; every other line is left
//! to the script parser in place (the lesson's lines blanked out), so commands, expectations and
//! their diagnostics are exactly those of a script, at the same `file:line:column`.

use std::ops::Range;
use std::path::{Component, Path, PathBuf};

use super::{Lesson, LessonStep, is_trainee_line};
use crate::input::{Collector, Diagnostic, LineIndex, Severity, suggest};
use crate::qa::script::{Script, Token, command_words, is_command, tokenize};
use crate::world::roles::RoleBook;
use crate::world::scenario::Scenario;

/// The words a lesson's own lines start with.
pub const LESSON_WORDS: [&str; 8] = [
    "lesson",
    "view",
    "description",
    "roles-file",
    "scenario-file",
    "seed",
    "step",
    "hint",
];

/// The lesson's own lines as pass one reads them.
#[derive(Default)]
struct Header {
    title: Option<String>,
    /// Where the `lesson` line is, for the errors about the file as a whole.
    title_span: Option<Range<usize>>,
    description: Vec<String>,
    roles_file: Option<(PathBuf, Range<usize>)>,
    scenario_file: Option<(PathBuf, Range<usize>)>,
    seed: Option<u64>,
    /// `view agent` or `view explained`: the desk view the lesson fixes.
    view: Option<crate::policy::DeskView>,
    steps: Vec<(usize, String, Vec<String>, Range<usize>)>,
}

struct Reader<'a> {
    file: &'a str,
    index: LineIndex<'a>,
    errors: Collector,
    header: Header,
}

impl Lesson {
    /// Reads and parses a lesson file; the roles and scenario files it names are looked up
    /// next to it.
    pub fn load(path: &Path) -> Result<Lesson, Vec<Diagnostic>> {
        crate::output::note_input(path, crate::output::InputKind::Script);
        let source = crate::input::read_text(path).map_err(|d| vec![d])?;
        Lesson::parse(&path.display().to_string(), &source, path.parent())
    }

    /// Parses lesson text; `file` names it in diagnostics, `dir` is where the files it names
    /// are. Every error of the file (and of the roles and scenario files it names) is given.
    pub fn parse(file: &str, source: &str, dir: Option<&Path>) -> Result<Lesson, Vec<Diagnostic>> {
        let mut reader = Reader {
            file,
            index: LineIndex::new(source),
            errors: Collector::new(file),
            header: Header::default(),
        };
        let script_text = reader.read(source);
        let Reader { errors, header, .. } = reader;
        let mut errors = errors.finish();
        if header.title.is_none() {
            errors.push(
                Diagnostic::error(file, "a lesson starts with its title")
                    .at(source, 0..0)
                    .expected("a line `lesson \"Title\"`"),
            );
        }
        if header.steps.is_empty() {
            errors.push(
                Diagnostic::error(file, "this lesson has no step")
                    .at(
                        source,
                        header
                            .title_span
                            .clone()
                            .unwrap_or(source.len()..source.len()),
                    )
                    .expected("`step \"What to do, in plain words\"` lines, each followed by the commands that do it"),
            );
        }
        let world = load_world(file, source, dir, &header, &mut errors);
        let mut lesson = None;
        if let Some((book, scenario)) = world {
            match Script::parse(file, &script_text, &book, &scenario) {
                Ok(parsed) => {
                    let steps = group(&parsed.script, &header.steps);
                    errors.extend(idle_steps(file, source, &parsed.script, &steps, &header));
                    lesson = Some(Lesson {
                        file: file.to_string(),
                        title: header.title.clone().unwrap_or_default(),
                        description: header.description.join("\n"),
                        roles_file: header.roles_file.as_ref().map(|r| r.0.clone()),
                        scenario_file: header.scenario_file.as_ref().map(|s| s.0.clone()),
                        seed: header.seed.unwrap_or(1),
                        view: header.view,
                        book,
                        scenario,
                        script: parsed.script,
                        steps,
                    });
                }
                Err(d) => errors.extend(d),
            }
        }
        if errors.is_empty()
            && let Some(lesson) = lesson
        {
            return Ok(lesson);
        }
        // This file's messages in file order, another file's (a roles file) after them, and
        // each capped list's "and N more" line last.
        errors.sort_by_key(|d| (d.file != file, d.hidden > 0, d.position));
        Err(errors)
    }
}

/// A step with no line for the trainee: each is an error, capped like every parser's
/// messages, so a file of empty steps costs what the file costs.
fn idle_steps(
    file: &str,
    source: &str,
    script: &Script,
    steps: &[LessonStep],
    header: &Header,
) -> Vec<Diagnostic> {
    let mut idle = Collector::new(file);
    let index = LineIndex::new(source);
    for (step, (_, _, _, span)) in steps.iter().zip(&header.steps) {
        let lines = script.steps.get(step.lines.clone()).unwrap_or(&[]);
        if lines.iter().any(|l| is_trainee_line(&l.command)) {
            continue;
        }
        if !idle.has_room(Severity::Error) {
            idle.count_hidden(Severity::Error);
            continue;
        }
        idle.push(
            Diagnostic::error(file, "this step gives the trainee nothing to do")
                .at_indexed(&index, span.clone())
                .expected(
                    "an action line (such as `accept` or `reschedule +1h`) or a role edit under \
                     the step",
                ),
        );
    }
    idle.finish()
}

/// The lesson's roles and scenario: the files it names, or the embedded defaults.
fn load_world(
    file: &str,
    source: &str,
    dir: Option<&Path>,
    header: &Header,
    errors: &mut Vec<Diagnostic>,
) -> Option<(RoleBook, Scenario)> {
    let resolve = |p: &Path| match dir {
        Some(d) if p.is_relative() => d.join(p),
        _ => p.to_path_buf(),
    };
    let book = match &header.roles_file {
        None => Some(RoleBook::embedded_default()),
        Some((path, span)) => match RoleBook::load(&resolve(path)) {
            Ok(loaded) => Some(loaded.book),
            Err(d) => {
                errors.push(
                    Diagnostic::error(file, "the roles file cannot be used")
                        .at(source, span.clone()),
                );
                errors.extend(d);
                None
            }
        },
    };
    let scenario = match &header.scenario_file {
        None => Some(Scenario::embedded_default()),
        Some((path, span)) => match Scenario::load(&resolve(path)) {
            Ok(s) => Some(s),
            Err(d) => {
                errors.push(
                    Diagnostic::error(file, "the scenario file cannot be used")
                        .at(source, span.clone()),
                );
                errors.extend(d);
                None
            }
        },
    };
    Some((book?, scenario?))
}

/// Each step's script lines: those after its `step` line and before the next one's.
fn group(script: &Script, steps: &[(usize, String, Vec<String>, Range<usize>)]) -> Vec<LessonStep> {
    // Script lines are in file order: a binary search keeps a file of many steps linear.
    let first_after = |line: usize| script.steps.partition_point(|s| s.line <= line);
    steps
        .iter()
        .enumerate()
        .map(|(i, (line, text, hints, _))| {
            let end = steps
                .get(i + 1)
                .map_or(script.steps.len(), |next| first_after(next.0));
            LessonStep {
                line: *line,
                text: text.clone(),
                hints: hints.clone(),
                lines: first_after(*line)..end,
            }
        })
        .collect()
}

impl Reader<'_> {
    /// Reads the lesson's own lines and gives the source with them blanked, for the script
    /// parser (line numbers, and columns of the other lines, unchanged).
    fn read(&mut self, source: &str) -> String {
        let mut script = String::with_capacity(source.len());
        let mut offset = 0;
        for (i, raw) in source.split('\n').enumerate() {
            let base = offset;
            offset += raw.len() + 1;
            if i > 0 {
                script.push('\n');
            }
            let line = raw.strip_suffix('\r').unwrap_or(raw);
            let (line, base) = match line.strip_prefix('\u{feff}') {
                Some(rest) if i == 0 => (rest, base + '\u{feff}'.len_utf8()),
                _ => (line, base),
            };
            let ours = match tokenize(line, base) {
                Ok(tokens) => self.lesson_line(i + 1, &tokens),
                // The script parser reports the unclosed quote.
                Err(_) => false,
            };
            if !ours {
                script.push_str(raw);
            }
        }
        script
    }

    fn error(&self, span: Range<usize>, message: impl Into<String>) -> Diagnostic {
        Diagnostic::error(self.file, message).at_indexed(&self.index, span)
    }

    /// Reads a lesson line; false when the line is the script's.
    fn lesson_line(&mut self, line: usize, tokens: &[Token]) -> bool {
        let Some(first) = tokens.first().filter(|t| !t.quoted) else {
            return false;
        };
        let word = first.text.as_str();
        // A bare `step` is the script's (run the next event); `step "..."` is the lesson's.
        if word == "step" && tokens.len() == 1 {
            return false;
        }
        if !LESSON_WORDS.contains(&word) {
            if is_command(word) || suggest(word, LESSON_WORDS.iter().copied()).is_empty() {
                return false;
            }
            let mut known: Vec<&str> = LESSON_WORDS.to_vec();
            known.extend(
                command_words()
                    .into_iter()
                    .filter(|w| !LESSON_WORDS.contains(w)),
            );
            let d = self
                .error(first.span.clone(), format!("unknown command \"{word}\""))
                .expected("a lesson line (lesson, description, roles-file, scenario-file, seed, step, hint) or a script command")
                .did_you_mean(&suggest(word, known.into_iter()));
            self.errors.push(d);
            return true;
        }
        let before_steps = self.header.steps.is_empty();
        let result = match word {
            "hint" => self
                .quoted(tokens, "hint \"Look at the calling window\"")
                .and_then(|t| match self.header.steps.last_mut() {
                    Some(step) => {
                        step.2.push(t);
                        Ok(())
                    }
                    None => Err(self
                        .error(first.span.clone(), "a hint belongs to a step")
                        .expected("the hint after the `step` line it helps with")),
                }),
            "step" => self
                .quoted(tokens, "step \"Accept the invitation\"")
                .map(|t| {
                    let span =
                        first.span.start..tokens.last().map_or(first.span.end, |l| l.span.end);
                    self.header.steps.push((line, t, Vec::new(), span));
                }),
            _ if !before_steps => Err(self
                .error(
                    first.span.clone(),
                    format!("`{word}` belongs before the first step"),
                )
                .expected("a step's commands, `hint` or another `step`")),
            "seed" => self.seed(tokens),
            "view" => self.view(tokens),
            "lesson" => self
                .quoted(tokens, "lesson \"Reschedule after the call\"")
                .and_then(|t| {
                    if self.header.title.is_some() {
                        return Err(self
                            .error(first.span.clone(), "a second `lesson` line")
                            .expected("one title per lesson file"));
                    }
                    self.header.title = Some(t);
                    self.header.title_span = Some(first.span.clone());
                    Ok(())
                }),
            "description" => self
                .quoted(tokens, "description \"What the agent learns\"")
                .map(|t| self.header.description.push(t)),
            _ => self.file_line(word, tokens),
        };
        if let Err(d) = result {
            self.errors.push(d);
        }
        true
    }

    /// `roles-file "path"` or `scenario-file "path"`.
    fn file_line(&mut self, word: &str, tokens: &[Token]) -> Result<(), Diagnostic> {
        let path = PathBuf::from(self.quoted(tokens, &format!("{word} \"file.toml\""))?);
        let span = tokens.get(1).map_or(0..0, |t| t.span.clone());
        // Files are found next to the lesson: a lesson shared with a class must not read
        // `/etc/passwd` or a file above its folder (and echo it in an error).
        let escapes = path
            .components()
            .any(|c| !matches!(c, Component::Normal(_) | Component::CurDir));
        if escapes {
            return Err(self
                .error(
                    span,
                    format!("`{word}` must name a file in the lesson's folder"),
                )
                .expected(
                    "a relative path without `..`, e.g. \"roles.toml\" or \"files/roles.toml\"",
                ));
        }
        let slot = if word == "roles-file" {
            &mut self.header.roles_file
        } else {
            &mut self.header.scenario_file
        };
        if slot.is_some() {
            return Err(self
                .error(tokens[0].span.clone(), format!("a second `{word}` line"))
                .expected("one per lesson"));
        }
        *slot = Some((path, span));
        Ok(())
    }

    fn seed(&mut self, tokens: &[Token]) -> Result<(), Diagnostic> {
        let [_, n] = tokens else {
            return Err(self.shape(tokens, "a number after `seed`, e.g. `seed 7`"));
        };
        match n.text.parse::<u64>() {
            Ok(v) if !n.quoted => {
                self.header.seed = Some(v);
                Ok(())
            }
            _ => Err(self
                .error(n.span.clone(), format!("invalid seed \"{}\"", n.text))
                .expected("a whole number from 0 to 18446744073709551615")),
        }
    }

    /// `view agent` or `view explained`: the desk view the lesson fixes while it runs.
    fn view(&mut self, tokens: &[Token]) -> Result<(), Diagnostic> {
        const EXPECTED: &str = "`view agent` (the agent's view) or `view explained`";
        let [_, v] = tokens else {
            return Err(self.shape(tokens, EXPECTED));
        };
        let view = match v.text.as_str() {
            "agent" if !v.quoted => crate::policy::DeskView::Agent,
            "explained" if !v.quoted => crate::policy::DeskView::Explained,
            _ => {
                return Err(self
                    .error(v.span.clone(), format!("unknown view \"{}\"", v.text))
                    .expected(EXPECTED)
                    .did_you_mean(&suggest(&v.text, ["agent", "explained"].into_iter())));
            }
        };
        self.header.view = Some(view);
        Ok(())
    }

    /// The one quoted argument of a lesson line.
    fn quoted(&self, tokens: &[Token], example: &str) -> Result<String, Diagnostic> {
        match tokens {
            [_, t] if t.quoted => Ok(t.text.clone()),
            _ => Err(self.shape(tokens, &format!("one quoted text, e.g. `{example}`"))),
        }
    }

    /// The error for a line whose arguments are missing, unquoted or too many.
    fn shape(&self, tokens: &[Token], expected: &str) -> Diagnostic {
        let last = tokens.last().map_or(0..0, |t| t.span.clone());
        let (span, message) = match tokens.get(1) {
            None => (last.end..last.end, "missing argument"),
            Some(t) if tokens.len() == 2 => (t.span.clone(), "this argument must be quoted"),
            Some(_) => (tokens[2].span.clone(), "unexpected argument"),
        };
        self.error(span, message).expected(expected)
    }
}
