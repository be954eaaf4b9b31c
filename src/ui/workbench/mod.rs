//! The trainer and QA workbench: the tools beside the desktop (role editor, role comparison,
//! record and replay, the class, authorization matrix, audit log, practice, lessons) and
//! their menu.
//!
//! Each tool is a [`Tool`]: its own state (there while it is open) and a tab drawn from a
//! read-only [`Session`]; [`REGISTRY`] lists them for the menu, so a new tool is one file and
//! one line there. Open tools share a dock at the right of the window, one tab each, so
//! no tool covers the action toolbar, the current interaction or another tool. Like the desk,
//! tools change the world only through `UiCommand`s.

pub mod audit_view;
pub mod class_view;
pub mod compare;
pub mod lessons;
pub mod matrix_view;
pub mod practice;
pub mod record_replay;
pub mod records;
pub mod role_editor;
mod widgets;

use std::any::Any;

use egui::Ui;

use super::theme::Presenter;
use super::{Session, UiCommand, ViewState};
use audit_view::AuditView;
use class_view::ClassView;
use compare::Compare;
use lessons::Lessons;
use matrix_view::MatrixView;
use practice::Practice;
use record_replay::RecordReplay;
use records::RecordsSettings;
use role_editor::RoleEditor;

/// One workbench tool, in the spirit of egui_demo_lib's `Demo`. A new tool is a file with a
/// type implementing this trait, and one line in [`REGISTRY`].
pub trait Tool: Any {
    /// The tab's title, which is also the tool's entry in the Workbench menu.
    fn name(&self) -> &'static str;

    /// Runs every frame while the tool is open, whether its tab is shown or not (a practice
    /// shift ends on time behind another tab too).
    fn tick(&mut self, _session: &Session, _out: &mut Vec<UiCommand>) {}

    /// True when the tool scrolls its own rows and fits its tables to the dock's width, so the
    /// dock must not wrap it in a scroll area.
    fn own_scroll(&self) -> bool {
        false
    }

    /// Draws the tool into its tab. The world is read-only here: what the tool wants done to
    /// it goes to `out`.
    fn ui(&mut self, ui: &mut Ui, session: &Session, out: &mut Vec<UiCommand>);
}

/// The heading a tool is listed under in the Workbench menu.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Section {
    Trainers,
    Qa,
    Agents,
}

impl Section {
    fn heading(self) -> &'static str {
        match self {
            Section::Trainers => "Trainers",
            Section::Qa => "QA",
            Section::Agents => "Agents",
        }
    }
}

/// A tool the Workbench menu offers: its name, its menu section, and how it opens afresh.
pub struct Entry {
    pub name: &'static str,
    pub section: Section,
    pub open: fn(&Session) -> Box<dyn Tool>,
}

/// Every tool, in menu and tab order.
pub const REGISTRY: &[Entry] = &[
    Entry {
        name: RoleEditor::NAME,
        section: Section::Trainers,
        open: |s| {
            let editor = RoleEditor::new(s);
            Box::new(match s.roles_path.clone() {
                Some(path) => editor.with_roles_path(path),
                None => editor,
            })
        },
    },
    Entry {
        name: Compare::NAME,
        section: Section::Trainers,
        open: |s| Box::new(Compare::new(s)),
    },
    Entry {
        name: RecordReplay::NAME,
        section: Section::Trainers,
        open: |s| Box::new(RecordReplay::new(s)),
    },
    Entry {
        name: ClassView::NAME,
        section: Section::Trainers,
        open: |_| Box::new(ClassView::default()),
    },
    Entry {
        name: MatrixView::NAME,
        section: Section::Qa,
        open: |s| Box::new(MatrixView::new(s)),
    },
    Entry {
        name: AuditView::NAME,
        section: Section::Qa,
        open: |s| Box::new(AuditView::new(s)),
    },
    Entry {
        name: Practice::NAME,
        section: Section::Agents,
        open: |s| Box::new(Practice::new(s)),
    },
    Entry {
        name: Lessons::NAME,
        section: Section::Agents,
        open: |_| Box::new(Lessons::default()),
    },
    Entry {
        name: RecordsSettings::NAME,
        section: Section::Agents,
        open: |s| Box::new(RecordsSettings::new(s)),
    },
];

/// A tool's place in [`REGISTRY`] (an unlisted one goes last).
fn rank(name: &str) -> usize {
    REGISTRY
        .iter()
        .position(|e| e.name == name)
        .unwrap_or(REGISTRY.len())
}

/// The open tools, in tab order, and the tab shown.
#[derive(Default)]
pub struct Workbench {
    pub presenter: Presenter,
    /// The name of the tab the dock shows (the tool opened last, until another tab is clicked).
    pub active: Option<&'static str>,
    open: Vec<Box<dyn Tool>>,
    /// On a window too narrow for the desk and the dock side by side: the desk is shown
    /// instead of the tools (see `desk::stage`).
    pub desk_in_front: bool,
    /// The active tab when the stage was last drawn: a change brings the tools to the front.
    pub seen_active: Option<&'static str>,
}

/// The "Workbench" menu of the top bar: opening a tool (again) starts it afresh in its tab.
pub fn menu(ui: &mut Ui, s: &Session, v: &mut ViewState) {
    let ViewState {
        workbench: wb,
        explain_all,
        ..
    } = v;
    ui.menu_button("Workbench", |ui| {
        let mut section = None;
        for entry in REGISTRY {
            if section != Some(entry.section) {
                if section == Some(Section::Trainers) {
                    trainer_switches(ui, wb, explain_all);
                }
                if section.is_some() {
                    ui.separator();
                }
                ui.label(egui::RichText::new(entry.section.heading()).strong());
                section = Some(entry.section);
            }
            if ui.button(entry.name).clicked() {
                wb.open_boxed((entry.open)(s));
            }
        }
    });
}

/// The menu's two switches for a class, under the trainers' tools.
fn trainer_switches(ui: &mut Ui, wb: &mut Workbench, explain_all: &mut bool) {
    ui.checkbox(&mut wb.presenter.on, "Presenter mode")
        .on_hover_text("Larger text and high contrast, for a projector");
    ui.checkbox(explain_all, "Why disabled? overlay")
        .on_hover_text("List the reason of every disabled action under its row");
}

impl Workbench {
    /// Whether the tool of this name is open.
    pub fn is_open(&self, name: &str) -> bool {
        self.open.iter().any(|t| t.name() == name)
    }

    /// The open tool of type `T`, if any.
    pub fn get<T: Tool>(&self) -> Option<&T> {
        self.open
            .iter()
            .find_map(|t| (t.as_ref() as &dyn Any).downcast_ref::<T>())
    }

    /// The open tool of type `T`, if any, to change.
    pub fn get_mut<T: Tool>(&mut self) -> Option<&mut T> {
        self.open
            .iter_mut()
            .find_map(|t| (t.as_mut() as &mut dyn Any).downcast_mut::<T>())
    }

    /// Opens `tool` in its tab (replacing an open one of its name) and shows it.
    pub fn open<T: Tool>(&mut self, tool: T) {
        self.open_boxed(Box::new(tool));
    }

    fn open_boxed(&mut self, tool: Box<dyn Tool>) {
        let name = tool.name();
        self.open.retain(|t| t.name() != name);
        let at = self
            .open
            .iter()
            .position(|t| rank(t.name()) > rank(name))
            .unwrap_or(self.open.len());
        self.open.insert(at, tool);
        self.active = Some(name);
    }

    /// Shows the tool of type `T`, opening it with `make` when it is closed.
    pub fn show<T: Tool>(&mut self, make: impl FnOnce() -> T) {
        match self.get::<T>() {
            Some(t) => self.active = Some(t.name()),
            None => self.open(make()),
        }
    }

    /// Closes the tool of this name, if open.
    pub fn close(&mut self, name: &str) {
        self.open.retain(|t| t.name() != name);
    }

    fn tool_mut(&mut self, name: &str) -> Option<&mut dyn Tool> {
        self.open
            .iter_mut()
            .find(|t| t.name() == name)
            .map(|t| t.as_mut())
    }
}

/// Whether any tool is open (and the dock is shown).
pub fn any_open(wb: &Workbench) -> bool {
    !wb.open.is_empty()
}

/// Runs every open tool's [`Tool::tick`], shown or not.
pub fn tick(s: &Session, wb: &mut Workbench, out: &mut Vec<UiCommand>) {
    for tool in &mut wb.open {
        tool.tick(s, out);
    }
}

/// The dock beside the desk: a tab per open tool, the active one drawn below them, in the
/// region `ui` is given (the right part of the central area).
pub fn dock(ui: &mut Ui, s: &Session, wb: &mut Workbench, out: &mut Vec<UiCommand>) {
    let open: Vec<&'static str> = wb.open.iter().map(|t| t.name()).collect();
    let Some(&first) = open.first() else {
        wb.active = None;
        return;
    };
    let active = wb.active.filter(|k| open.contains(k)).unwrap_or(first);
    wb.active = Some(active);
    ui.horizontal_wrapped(|ui| {
        for &name in &open {
            if ui.selectable_label(name == active, name).clicked() {
                wb.active = Some(name);
            }
            if ui
                .small_button("×")
                .on_hover_text(format!("Close {name}"))
                .clicked()
            {
                wb.close(name);
            }
            ui.separator();
        }
    });
    ui.separator();
    // Behind another tab (the role editor a step needs), the lesson's step stays in sight.
    if let Some(l) = &s.lesson
        && wb.active != Some(Lessons::NAME)
        && let Some(step) = l.run.lesson.steps.get(l.run.step())
    {
        let text = format!("Lesson, step {}: {}", l.run.step() + 1, step.text);
        if ui
            .link(text)
            .on_hover_text("Show the Lessons tab")
            .clicked()
        {
            wb.show(Lessons::default);
        }
        ui.separator();
    }
    let Some(name) = wb.active.filter(|&k| wb.is_open(k)) else {
        return;
    };
    let builder = egui::UiBuilder::new().accessibility_label(name);
    ui.scope_builder(builder, |ui| {
        let Some(tool) = wb.tool_mut(name) else {
            return;
        };
        // A tool with tables fits their columns to the dock itself (its wide columns share
        // the width and cut their text, whole on hover).
        if tool.own_scroll() {
            tool.ui(ui, s, out);
            return;
        }
        egui::ScrollArea::both()
            .id_salt(("workbench_tab", name))
            .auto_shrink([false, false])
            .show(ui, |ui| tool.ui(ui, s, out));
    });
}
