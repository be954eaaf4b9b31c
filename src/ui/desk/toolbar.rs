//! The action buttons: one per action, enabled exactly when the authorization function allows
//! it, explaining itself when not. The toolbar, the sidebar's Get Record and the invitation
//! toast all draw their actions with [`action_button`], and their reasons with [`reasons`].
//!
//! A disabled action button still takes clicks ([`attempt_button`]): a click on it is an
//! attempt like any other, which the engine refuses, the notices explain and the audit log
//! keeps, so a tester can record denied clicks with the mouse.
//!
//! With "Why disabled?" on, the buttons keep their size, place and order; the plain reason of
//! every disabled one goes in a list under the row, in the row's order, at body size. A reason
//! opens to the exact detail with one click, and hovering it outlines its button.

use egui::collapsing_header::CollapsingState;
use egui::{Button, Rect, Response, RichText, Ui};

use super::shortcuts::shortcut_of;
use crate::engine::Target;
use crate::policy::{Action, Denial};
use crate::ui::theme;
use crate::ui::{Session, UiCommand, ViewState};
use crate::world::Interaction;

/// The toolbar of the selected interaction: every action of its channel that exists in the
/// roles file's product version, but Get Record. Returns each button's rectangle, for the
/// reasons list the caller draws (in the scrolling body, so a long list never pushes the
/// record out of reach).
pub(super) fn show(
    ui: &mut Ui,
    s: &Session,
    v: &ViewState,
    it: &Interaction,
    out: &mut Vec<UiCommand>,
) -> Vec<(Action, Rect)> {
    let target = Target::Interaction(it.id);
    let actions: Vec<Action> = it
        .channel
        .actions_in(s.engine.roles().product_version())
        .filter(|&a| !a.acts_on_campaign() && drawn(s, v, target, a))
        .collect();
    // Named, so assistive technology (and the layout tests) can tell the toolbar's Accept
    // from the invitation's.
    let builder = egui::UiBuilder::new().accessibility_label("Actions");
    ui.scope_builder(builder, |ui| button_row(ui, s, target, &actions, out))
        .inner
}

/// Whether `action`'s button is drawn in the desk's view: the authorization function's
/// decision, read by the policy's one rule ([`crate::policy::is_drawn`]). A hidden action is
/// still refused and audited when a shortcut or a script reaches it.
pub(super) fn drawn(s: &Session, v: &ViewState, target: Target, action: Action) -> bool {
    crate::policy::is_drawn(v.desk_view, &s.check(target, action))
}

/// Whether a channel has any view, invitation or campaign on the desk in its current view.
pub(super) fn channel_shown(s: &Session, v: &ViewState, channel: crate::policy::Channel) -> bool {
    s.engine.channel_shown(s.agent, v.desk_view, channel)
}

/// Buttons for `actions` in one wrapping row, in order; returns each one's rectangle.
pub(super) fn button_row(
    ui: &mut Ui,
    s: &Session,
    target: Target,
    actions: &[Action],
    out: &mut Vec<UiCommand>,
) -> Vec<(Action, Rect)> {
    ui.horizontal_wrapped(|ui| {
        actions
            .iter()
            .map(|&action| (action, action_button(ui, s, target, action, out).rect))
            .collect()
    })
    .inner
}

/// A button for one action, enabled exactly when the authorization function allows it. Its
/// hover text (the shortcut, or the denial's plain sentence and exact detail) is only made
/// when it is hovered.
pub(super) fn action_button(
    ui: &mut Ui,
    s: &Session,
    target: Target,
    action: Action,
    out: &mut Vec<UiCommand>,
) -> Response {
    let decision = s.check(target, action);
    let response = attempt_button(ui, action.label(), decision.is_ok());
    let response = match &decision {
        Ok(()) => response.on_hover_ui(|ui| {
            match shortcut_of(action) {
                Some(k) => ui.label(format!("{} (Alt+{})", action.label(), k.name())),
                None => ui.label(action.label()),
            };
        }),
        Err(denial) => response.on_hover_ui(|ui| both_tiers(ui, denial)),
    };
    if response.clicked() {
        out.push(UiCommand::Request { target, action });
    }
    response
}

/// A button labelled `text`, drawn and announced (to assistive technology and the tests'
/// `is_disabled()`) as disabled unless `enabled`, that takes clicks either way: the caller
/// sends the attempt, and the engine decides.
///
/// Live and disabled read apart by more than colour, from the back of a room too: a live
/// button has a solid border and upright text; a disabled one a dashed border, italic text and
/// a "no" mark (a struck circle) before its label.
pub(in crate::ui) fn attempt_button(ui: &mut Ui, text: &str, enabled: bool) -> Response {
    let border = ui.visuals().widgets.inactive.bg_stroke.color;
    if enabled {
        let stroke = egui::Stroke::new(1.5, border);
        return ui.add(Button::new(text).stroke(stroke));
    }
    // What `Ui::disable` does to the look (faded, no hover or press highlight), on this `Ui`
    // itself: a child `Ui` would wrap a toolbar row differently.
    let (style, opacity) = (ui.style().clone(), ui.opacity());
    ui.multiply_opacity(ui.visuals().disabled_alpha());
    let widgets = &mut ui.visuals_mut().widgets;
    widgets.hovered = widgets.inactive;
    widgets.active = widgets.inactive;
    // Room for the mark: spaces the width of the circle.
    let label = RichText::new(format!("     {text}")).italics();
    let response = ui.add(Button::new(label).stroke(egui::Stroke::NONE));
    no_mark_and_dashes(ui, response.rect, border);
    ui.set_style(style);
    ui.set_opacity(opacity);
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, false, text));
    response
}

/// The disabled look drawn over a button at `rect`: a dashed border and a struck circle at
/// the left of its label.
fn no_mark_and_dashes(ui: &Ui, rect: Rect, color: egui::Color32) {
    let stroke = egui::Stroke::new(1.5, color);
    let r = rect.shrink(0.75);
    let corners = [
        r.left_top(),
        r.right_top(),
        r.right_bottom(),
        r.left_bottom(),
        r.left_top(),
    ];
    let painter = ui.painter();
    painter.extend(egui::Shape::dashed_line(&corners, stroke, 4.0, 3.0));
    let radius = (rect.height() * 0.26).min(6.0);
    let center = egui::pos2(
        rect.left() + ui.spacing().button_padding.x + radius,
        rect.center().y,
    );
    let text = ui.visuals().text_color();
    painter.circle_stroke(center, radius, egui::Stroke::new(1.5, text));
    let d = radius * std::f32::consts::FRAC_1_SQRT_2;
    painter.line_segment(
        [center + egui::vec2(-d, -d), center + egui::vec2(d, d)],
        egui::Stroke::new(1.5, text),
    );
}

/// A denial's plain sentence, then its exact detail: what a hover shows.
pub(super) fn both_tiers(ui: &mut Ui, denial: &Denial) {
    ui.set_max_width(ui.spacing().tooltip_width * 1.5);
    ui.label(RichText::new(denial.plain()).strong());
    detail(ui, denial);
}

/// The exact detail of a denial, one line each.
pub(super) fn detail(ui: &mut Ui, denial: &Denial) {
    for line in denial.detail_lines() {
        ui.label(format!("• {line}"));
    }
}

/// The plain reason of every disabled button of a row, in the row's order, each opening to
/// its detail; hovering one outlines its button.
pub(super) fn reasons(ui: &mut Ui, s: &Session, target: Target, buttons: &[(Action, Rect)]) {
    let bad = theme::bad(ui.visuals());
    for &(action, rect) in buttons {
        let Err(denial) = s.check(target, action) else {
            continue;
        };
        let key = match target {
            Target::Interaction(id) => (0, id.0),
            Target::Campaign(id) => (1, id.0),
        };
        let id = ui.make_persistent_id(("why_disabled", key, action));
        let header =
            CollapsingState::load_with_default_open(ui.ctx(), id, false).show_header(ui, |ui| {
                ui.add(
                    egui::Label::new(
                        RichText::new(format!("{}: ", action.label()))
                            .strong()
                            .color(bad),
                    )
                    .wrap_mode(egui::TextWrapMode::Extend),
                );
                ui.add(
                    egui::Label::new(denial.plain())
                        .wrap()
                        .sense(egui::Sense::click()),
                )
                .on_hover_text("Click for the exact detail")
            });
        let (_, label, _) = header.body(|ui| detail(ui, &denial));
        if label.inner.clicked() {
            let mut state = CollapsingState::load_with_default_open(ui.ctx(), id, false);
            state.toggle(ui);
            state.store(ui.ctx());
        }
        if label.inner.hovered() {
            // The button lies outside the scrolling list this is drawn in.
            let mut painter = ui.painter().clone();
            painter.set_clip_rect(rect.expand(4.0));
            painter.rect_stroke(
                rect.expand(2.0),
                4.0,
                egui::Stroke::new(2.0, bad),
                egui::StrokeKind::Outside,
            );
        }
    }
}
