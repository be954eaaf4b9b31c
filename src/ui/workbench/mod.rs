//! The trainer and QA workbench: the tools beside the desktop (role editor, role comparison,
//! record and replay, authorization matrix, audit log, practice, lessons) and their menu.
//!
//! Each tool is a [`Tool`]: its own state (`None` while it is closed) and a tab drawn from a
//! read-only [`Session`]. Open tools share a dock at the right of the window, one tab each, so
//! no tool covers the action toolbar, the current interaction or another tool. Like the desk,
//! tools change the world only through `UiCommand`s.

pub mod audit_view;
pub mod class_view;
pub mod compare;
pub mod lessons;
pub mod matrix_view;
pub mod practice;
pub mod record_replay;
pub mod role_editor;
mod widgets;

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
use role_editor::RoleEditor;

/// One workbench tool, in the spirit of egui_demo_lib's `Demo`.
pub trait Tool {
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

/// The tools, as the dock's tabs name them, in tab order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ToolKind {
    RoleEditor,
    Compare,
    RecordReplay,
    Matrix,
    Audit,
    Practice,
    Lessons,
    Class,
}

impl ToolKind {
    pub const ALL: [ToolKind; 8] = [
        ToolKind::RoleEditor,
        ToolKind::Compare,
        ToolKind::RecordReplay,
        ToolKind::Matrix,
        ToolKind::Audit,
        ToolKind::Practice,
        ToolKind::Lessons,
        ToolKind::Class,
    ];

    pub fn name(self) -> &'static str {
        match self {
            ToolKind::RoleEditor => RoleEditor::NAME,
            ToolKind::Compare => Compare::NAME,
            ToolKind::RecordReplay => RecordReplay::NAME,
            ToolKind::Matrix => MatrixView::NAME,
            ToolKind::Audit => AuditView::NAME,
            ToolKind::Practice => Practice::NAME,
            ToolKind::Lessons => Lessons::NAME,
            ToolKind::Class => ClassView::NAME,
        }
    }
}

/// Which tools are open, their state, and the tab shown.
#[derive(Default)]
pub struct Workbench {
    pub presenter: Presenter,
    /// The tab the dock shows (the tool opened last, until another tab is clicked).
    pub active: Option<ToolKind>,
    pub role_editor: Option<RoleEditor>,
    pub compare: Option<Compare>,
    pub matrix: Option<MatrixView>,
    pub audit: Option<AuditView>,
    pub practice: Option<Practice>,
    pub record_replay: Option<RecordReplay>,
    pub lessons: Option<Lessons>,
    /// On a window too narrow for the desk and the dock side by side: the desk is shown
    /// instead of the tools (see `desk::stage`).
    pub desk_in_front: bool,
    /// The active tab when the stage was last drawn: a change brings the tools to the front.
    pub seen_active: Option<ToolKind>,
    pub class: Option<ClassView>,
}

/// The "Workbench" menu of the top bar: opening a tool (again) starts it afresh in its tab.
pub fn menu(ui: &mut Ui, s: &Session, v: &mut ViewState) {
    let ViewState {
        workbench: wb,
        explain_all,
        ..
    } = v;
    ui.menu_button("Workbench", |ui| {
        ui.label(egui::RichText::new("Trainers").strong());
        if ui.button(RoleEditor::NAME).clicked() {
            let editor = RoleEditor::new(s);
            wb.role_editor = Some(match s.roles_path.clone() {
                Some(path) => editor.with_roles_path(path),
                None => editor,
            });
            wb.active = Some(ToolKind::RoleEditor);
        }
        if ui.button(Compare::NAME).clicked() {
            wb.compare = Some(Compare::new(s));
            wb.active = Some(ToolKind::Compare);
        }
        if ui.button(RecordReplay::NAME).clicked() {
            wb.record_replay = Some(RecordReplay::new(s));
            wb.active = Some(ToolKind::RecordReplay);
        }
        if ui.button(ClassView::NAME).clicked() {
            wb.class = Some(ClassView::default());
            wb.active = Some(ToolKind::Class);
        }
        ui.checkbox(&mut wb.presenter.on, "Presenter mode")
            .on_hover_text("Larger text and high contrast, for a projector");
        ui.checkbox(explain_all, "Why disabled? overlay")
            .on_hover_text("List the reason of every disabled action under its row");
        ui.separator();
        ui.label(egui::RichText::new("QA").strong());
        if ui.button(MatrixView::NAME).clicked() {
            wb.matrix = Some(MatrixView::new(s));
            wb.active = Some(ToolKind::Matrix);
        }
        if ui.button(AuditView::NAME).clicked() {
            wb.audit = Some(AuditView::new(s));
            wb.active = Some(ToolKind::Audit);
        }
        ui.separator();
        ui.label(egui::RichText::new("Agents").strong());
        if ui.button(Practice::NAME).clicked() {
            wb.practice = Some(Practice::new(s));
            wb.active = Some(ToolKind::Practice);
        }
        if ui.button(Lessons::NAME).clicked() {
            wb.lessons = Some(Lessons::default());
            wb.active = Some(ToolKind::Lessons);
        }
    });
}

impl Workbench {
    pub fn is_open(&self, kind: ToolKind) -> bool {
        match kind {
            ToolKind::RoleEditor => self.role_editor.is_some(),
            ToolKind::Compare => self.compare.is_some(),
            ToolKind::RecordReplay => self.record_replay.is_some(),
            ToolKind::Matrix => self.matrix.is_some(),
            ToolKind::Audit => self.audit.is_some(),
            ToolKind::Practice => self.practice.is_some(),
            ToolKind::Lessons => self.lessons.is_some(),
            ToolKind::Class => self.class.is_some(),
        }
    }

    fn close(&mut self, kind: ToolKind) {
        match kind {
            ToolKind::RoleEditor => self.role_editor = None,
            ToolKind::Compare => self.compare = None,
            ToolKind::RecordReplay => self.record_replay = None,
            ToolKind::Matrix => self.matrix = None,
            ToolKind::Audit => self.audit = None,
            ToolKind::Practice => self.practice = None,
            ToolKind::Lessons => self.lessons = None,
            ToolKind::Class => self.class = None,
        }
    }

    fn tool_mut(&mut self, kind: ToolKind) -> Option<&mut dyn Tool> {
        match kind {
            ToolKind::RoleEditor => self.role_editor.as_mut().map(|t| t as &mut dyn Tool),
            ToolKind::Compare => self.compare.as_mut().map(|t| t as &mut dyn Tool),
            ToolKind::RecordReplay => self.record_replay.as_mut().map(|t| t as &mut dyn Tool),
            ToolKind::Matrix => self.matrix.as_mut().map(|t| t as &mut dyn Tool),
            ToolKind::Audit => self.audit.as_mut().map(|t| t as &mut dyn Tool),
            ToolKind::Practice => self.practice.as_mut().map(|t| t as &mut dyn Tool),
            ToolKind::Lessons => self.lessons.as_mut().map(|t| t as &mut dyn Tool),
            ToolKind::Class => self.class.as_mut().map(|t| t as &mut dyn Tool),
        }
    }
}

/// Whether any tool is open (and the dock is shown).
pub fn any_open(wb: &Workbench) -> bool {
    ToolKind::ALL.into_iter().any(|k| wb.is_open(k))
}

/// Runs every open tool's [`Tool::tick`], shown or not.
pub fn tick(s: &Session, wb: &mut Workbench, out: &mut Vec<UiCommand>) {
    for kind in ToolKind::ALL {
        if let Some(tool) = wb.tool_mut(kind) {
            tool.tick(s, out);
        }
    }
}

/// The dock beside the desk: a tab per open tool, the active one drawn below them, in the
/// region `ui` is given (the right part of the central area).
pub fn dock(ui: &mut Ui, s: &Session, wb: &mut Workbench, out: &mut Vec<UiCommand>) {
    let open: Vec<ToolKind> = ToolKind::ALL
        .into_iter()
        .filter(|&k| wb.is_open(k))
        .collect();
    let Some(&first) = open.first() else {
        wb.active = None;
        return;
    };
    let active = wb.active.filter(|k| open.contains(k)).unwrap_or(first);
    wb.active = Some(active);
    ui.horizontal_wrapped(|ui| {
        for &kind in &open {
            if ui.selectable_label(kind == active, kind.name()).clicked() {
                wb.active = Some(kind);
            }
            if ui
                .small_button("×")
                .on_hover_text(format!("Close {}", kind.name()))
                .clicked()
            {
                wb.close(kind);
            }
            ui.separator();
        }
    });
    ui.separator();
    // Behind another tab (the role editor a step needs), the lesson's step stays in sight.
    if let Some(l) = &s.lesson
        && wb.active != Some(ToolKind::Lessons)
        && let Some(step) = l.run.lesson.steps.get(l.run.step())
    {
        let text = format!("Lesson, step {}: {}", l.run.step() + 1, step.text);
        if ui
            .link(text)
            .on_hover_text("Show the Lessons tab")
            .clicked()
        {
            if wb.lessons.is_none() {
                wb.lessons = Some(Lessons::default());
            }
            wb.active = Some(ToolKind::Lessons);
        }
        ui.separator();
    }
    let Some(kind) = wb.active.filter(|&k| wb.is_open(k)) else {
        return;
    };
    let builder = egui::UiBuilder::new().accessibility_label(kind.name());
    ui.scope_builder(builder, |ui| {
        let Some(tool) = wb.tool_mut(kind) else {
            return;
        };
        // A tool with tables fits their columns to the dock itself (its wide columns share
        // the width and cut their text, whole on hover).
        if tool.own_scroll() {
            tool.ui(ui, s, out);
            return;
        }
        egui::ScrollArea::both()
            .id_salt(("workbench_tab", kind.name()))
            .auto_shrink([false, false])
            .show(ui, |ui| tool.ui(ui, s, out));
    });
}
