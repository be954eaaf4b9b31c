//! The desk's layout holds in front of a class: in every mode (normal, "Why disabled?",
//! presenter, both) at 1280x800 and 1024x768 pixels, with a pulled preview record, a connected
//! call and a web callback, every toolbar button lies inside the window and overlaps no other,
//! every disabled one has its plain reason on screen, and no text is smaller than body text.
//! Image snapshots of the same states (tests/snapshots/) make a layout change a reviewable
//! image diff.

use crate::common::app_for;

use agentdesk::engine::{Args, Target};
use agentdesk::policy::{Action, Stage};
use agentdesk::ui::theme::{BODY_SIZE, PRESENTER_ZOOM};
use agentdesk::ui::{DesktopApp, LaunchOptions};
use agentdesk::world::CallResult;
use chrono::Duration;
use egui::{Rect, Shape};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};

#[derive(Clone, Copy, Debug)]
enum State {
    PreviewRecord,
    ConnectedCall,
    WebCallback,
}

#[derive(Clone, Copy, Debug)]
struct Mode {
    presenter: bool,
    why_disabled: bool,
}

const MODES: [Mode; 4] = [
    Mode {
        presenter: false,
        why_disabled: false,
    },
    Mode {
        presenter: false,
        why_disabled: true,
    },
    Mode {
        presenter: true,
        why_disabled: false,
    },
    Mode {
        presenter: true,
        why_disabled: true,
    },
];

const SIZES: [[f32; 2]; 2] = [[1280.0, 800.0], [1024.0, 768.0]];

const STATES: [State; 3] = [
    State::PreviewRecord,
    State::ConnectedCall,
    State::WebCallback,
];

/// Alex (preview and web callback roles) at 13:00, when every default contact may be called.
fn app_in(state: State, mode: Mode) -> DesktopApp {
    let mut app = app_for("Alex");
    let d = &mut app.desktop;
    let options = LaunchOptions {
        presenter: mode.presenter,
        why_disabled: mode.why_disabled,
        paused: true,
        ..LaunchOptions::default()
    };
    d.view.explain_all = options.why_disabled;
    d.view.workbench.presenter.on = options.presenter;
    match state {
        State::PreviewRecord | State::ConnectedCall => {
            let campaign = d.session.first_running_preview_campaign().unwrap();
            assert!(d.act(Target::Campaign(campaign), Action::GetRecord, Args::None));
            if let State::ConnectedCall = state {
                let id = d.view.selected.unwrap();
                d.session.engine.force_next_outcome(CallResult::Answer);
                assert!(d.act(Target::Interaction(id), Action::Dial, Args::None));
                let later = d.session.engine.now() + Duration::seconds(20);
                d.advance_to(later);
            }
        }
        State::WebCallback => {
            let offered = d
                .session
                .engine
                .open_interactions(d.session.agent)
                .into_iter()
                .find(|it| it.stage == Stage::Offered && it.channel.as_str() == "web-callback")
                .map(|it| it.id)
                .expect("a web callback is offered to Alex");
            assert!(d.act(Target::Interaction(offered), Action::Accept, Args::None));
        }
    }
    let it = d
        .session
        .engine
        .interaction(d.view.selected.unwrap())
        .unwrap();
    let expected = match state {
        State::PreviewRecord | State::WebCallback => Stage::Preview,
        State::ConnectedCall => Stage::Connected,
    };
    assert_eq!(it.stage, expected, "{state:?}");
    app
}

/// The window in points: presenter mode draws everything `PRESENTER_ZOOM` times larger, so the
/// same pixels hold fewer points.
fn points(size: [f32; 2], mode: Mode) -> egui::Vec2 {
    let zoom = if mode.presenter { PRESENTER_ZOOM } else { 1.0 };
    egui::vec2(size[0] / zoom, size[1] / zoom)
}

fn harness_in(
    state: State,
    mode: Mode,
    size: [f32; 2],
    wgpu: bool,
) -> Harness<'static, DesktopApp> {
    let builder = Harness::builder().with_size(points(size, mode));
    let builder = if wgpu { builder.wgpu() } else { builder };
    let mut h = builder.build_ui_state(
        |ui, app: &mut DesktopApp| app.frame(ui),
        app_in(state, mode),
    );
    // The first frame sets the theme and zoom; the next ones lay out with them.
    h.run();
    h.run();
    h
}

fn toolbar_actions(h: &Harness<'_, DesktopApp>) -> Vec<Action> {
    let d = &h.state().desktop;
    let it = d
        .session
        .engine
        .interaction(d.view.selected.unwrap())
        .unwrap();
    it.channel
        .actions()
        .iter()
        .copied()
        .filter(|&a| a != Action::GetRecord)
        .collect()
}

fn all_text_sizes(shapes: &[egui::epaint::ClippedShape]) -> Vec<(String, f32)> {
    fn walk(shape: &Shape, out: &mut Vec<(String, f32)>) {
        match shape {
            Shape::Vec(shapes) => shapes.iter().for_each(|s| walk(s, out)),
            Shape::Text(text) => {
                for section in &text.galley.job.sections {
                    let range = section.byte_range.start.0..section.byte_range.end.0;
                    let piece = text.galley.job.text[range].to_string();
                    out.push((piece, section.format.font_id.size));
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    for clipped in shapes {
        walk(&clipped.shape, &mut out);
    }
    out
}

fn check_layout(state: State, mode: Mode, size: [f32; 2]) {
    let h = harness_in(state, mode, size, false);
    let what = format!("{state:?} {mode:?} {size:?}");
    check_desk(&h, &what, mode, size, f32::INFINITY);
}

/// The toolbar of the desk lies inside the window left of `right` (where a docked tool
/// begins), no button overlaps another, each disabled one has its reason on screen in whole
/// lines, and no text is smaller than body text.
fn check_desk(h: &Harness<'_, DesktopApp>, what: &str, mode: Mode, size: [f32; 2], right: f32) {
    // The desk proper: the window above the notices panel (whatever reaches below its top is
    // cut off by the central panel).
    let notices_top = h.get_by_label("Notices").rect().top() - 8.0;
    let window = Rect::from_min_max(
        egui::Pos2::ZERO,
        egui::pos2(points(size, mode).x.min(right), notices_top),
    );
    let d = &h.state().desktop;
    let target = Target::Interaction(d.view.selected.unwrap());
    let mut rects: Vec<(Action, Rect)> = Vec::new();
    for action in toolbar_actions(h) {
        let node = h
            .get_by_role_and_label(egui::accesskit::Role::GenericContainer, "Actions")
            .get_by_role_and_label(egui::accesskit::Role::Button, action.label());
        let rect = node.rect();
        assert!(
            window.contains_rect(rect),
            "{what}: {} at {rect:?} is not inside the desk {window:?}",
            action.label()
        );
        for (other, r) in &rects {
            assert!(
                !r.intersects(rect),
                "{what}: {} overlaps {}",
                action.label(),
                other.label()
            );
        }
        rects.push((action, rect));
        let denial = d.session.check(target, action);
        assert_eq!(
            node.accesskit_node().is_disabled(),
            denial.is_err(),
            "{what}"
        );
        if mode.why_disabled
            && let Err(denial) = denial
        {
            let plain = denial.plain();
            let reason = h.get_by_label(&plain).rect();
            // The reasons scroll with the record (the "fits or scrolls"): each one
            // starts on screen or lower in the same scrolling body, never beside the window.
            let scrolls = reason.min.y >= window.top() && reason.max.x <= window.right();
            assert!(
                window.contains_rect(reason) || scrolls,
                "{what}: the reason of {} is off-screen at {reason:?}",
                action.label()
            );
            // Whole words on a line: a squeezed desk wrapped "Y / o / ur" one letter a line.
            assert!(
                reason.height() < BODY_SIZE * 5.0,
                "{what}: the reason of {} takes {} points of height",
                action.label(),
                reason.height()
            );
        }
    }
    // Buttons keep their order: left to right, then row by row.
    for pair in rects.windows(2) {
        let (a, b) = (pair[0].1, pair[1].1);
        assert!(
            b.min.y > a.max.y - 1.0
                || (b.min.x > a.min.x && (b.center().y - a.center().y).abs() < 2.0),
            "{what}: {} comes before {}",
            pair[0].0.label(),
            pair[1].0.label()
        );
    }
    for (text, size) in all_text_sizes(&h.output().shapes) {
        assert!(
            size >= BODY_SIZE,
            "{what}: {text:?} is drawn at {size} points, below body text ({BODY_SIZE})"
        );
    }
}

#[test]
fn every_action_stays_visible_in_every_mode_and_size() {
    // The window's minimum size too (900x650 cuts the last reasons off in presenter mode).
    let sizes = [SIZES[0], SIZES[1], agentdesk::ui::MIN_WINDOW];
    for state in STATES {
        for mode in MODES {
            for size in sizes {
                check_layout(state, mode, size);
            }
        }
    }
}

/// The tools as the Workbench menu names them.
const TOOLS: [&str; 7] = [
    "Role editor",
    "Compare two roles",
    "Record and replay",
    "Authorization matrix",
    "Audit log",
    "Practice shift",
    "Lessons",
];

/// Every tool docked beside a pulled record with "Why disabled?" on, in normal and presenter
/// mode at every size: the desk keeps `DESK_MIN` points and its toolbar, reasons and record
/// stay on screen; where desk and tool do not both fit, the tool is a full-width tab with a
/// "Desk" switch back, and the desk behind it is whole.
#[test]
fn a_docked_tool_never_squeezes_the_desk() {
    use agentdesk::ui::desk::{DESK_MIN, DOCK_MIN};
    let sizes = [SIZES[0], SIZES[1], agentdesk::ui::MIN_WINDOW];
    for tool in TOOLS {
        for presenter in [false, true] {
            for size in sizes {
                let mode = Mode {
                    presenter,
                    why_disabled: true,
                };
                let what = format!("{tool} {mode:?} {size:?}");
                let mut h = harness_in(State::PreviewRecord, mode, size, false);
                h.get_by_label("Workbench").click();
                h.run();
                h.get_by_label(tool).click();
                h.run();
                h.run();
                let width = points(size, mode).x;
                // The dock's tab: the topmost node of that name (the tab's content is named
                // after the tool too).
                let tab = h
                    .get_all_by_label(tool)
                    .filter(|n| n.accesskit_node().bounding_box().is_some())
                    .map(|n| n.rect())
                    .min_by(|a, b| a.min.y.total_cmp(&b.min.y))
                    .unwrap();
                assert!(
                    tab.max.x <= width + 0.5,
                    "{what}: the tool's tab at {tab:?}"
                );
                if h.query_by_label("Desk").is_some() {
                    // Too narrow for both: the tool fills the stage; "Desk" shows the desk.
                    assert!(tab.min.x < width - DOCK_MIN, "{what}: tool not full width");
                    h.get_by_label("Desk").click();
                    h.run();
                    h.run();
                    check_desk(&h, &what, mode, size, f32::INFINITY);
                    assert!(h.query_by_label("Record chain").is_some(), "{what}");
                    h.get_by_label("Tools").click();
                    h.run();
                    assert!(h.query_by_label("Record chain").is_none(), "{what}");
                } else {
                    assert!(tab.min.x > DESK_MIN, "{what}: the tool's tab at {tab:?}");
                    check_desk(&h, &what, mode, size, width - DOCK_MIN);
                    let chain = h.get_by_label("Record chain").rect();
                    assert!(chain.min.x + DESK_MIN <= width - DOCK_MIN + 1.0, "{what}");
                }
            }
        }
    }
}

/// The top bar is one row whatever the roles: a long role list truncates instead of pushing
/// the toggles onto a second row.
#[test]
fn the_top_bar_never_wraps() {
    for mode in MODES {
        let mut app = app_in(State::PreviewRecord, mode);
        let d = &mut app.desktop;
        let all: Vec<usize> = (0..d.session.engine.roles().roles.len()).collect();
        d.apply(agentdesk::ui::UiCommand::SetRoles(all));
        let size = points([1024.0, 768.0], mode);
        let mut h = Harness::builder()
            .with_size(size)
            .build_ui_state(|ui, app: &mut DesktopApp| app.frame(ui), app);
        h.run();
        h.run();
        let why = h.get_by_label("Why disabled?").rect();
        let workbench = h.get_by_label("Workbench").rect();
        let roles = h.get_by_label_contains("Roles: ").rect();
        assert!((why.center().y - roles.center().y).abs() < 2.0, "{mode:?}");
        assert!(
            (workbench.center().y - roles.center().y).abs() < 2.0,
            "{mode:?}"
        );
        assert!(
            roles.max.x <= why.min.x,
            "{mode:?}: the roles run under the toggles"
        );
        assert!(workbench.max.x <= size.x, "{mode:?}");
    }
}

/// The notices panel keeps its height when denials pile up, so the desk above never moves.
#[test]
fn notices_keep_the_desk_still() {
    let mode = MODES[3];
    let mut h = harness_in(State::PreviewRecord, mode, [1024.0, 768.0], false);
    let before = h.get_by_label("Dial").rect();
    let target = Target::Interaction(h.state().desktop.view.selected.unwrap());
    for _ in 0..5 {
        h.state_mut()
            .desktop
            .act(target, Action::Cancel, Args::None);
    }
    h.run();
    assert_eq!(h.state().desktop.view.notices.len(), 5);
    assert_eq!(h.get_by_label("Dial").rect(), before);
}

/// One image per state and mode at 1024x768, drawn by wgpu (lavapipe in CI).
/// `UPDATE_SNAPSHOTS=1 cargo test ui_layout` rewrites them after an intended change.
#[test]
fn snapshots_of_every_state_and_mode() {
    // The smaller size only: it is the one where the layout is tight, and 12 images of about
    // 170 KB keep the repository small.
    let size = SIZES[1];
    let mut failures = Vec::new();
    for state in STATES {
        for (m, mode) in MODES.into_iter().enumerate() {
            let mut h = harness_in(state, mode, size, true);
            let mode_name = ["normal", "why", "presenter", "presenter-why"][m];
            let state_name = match state {
                State::PreviewRecord => "preview",
                State::ConnectedCall => "connected",
                State::WebCallback => "callback",
            };
            let name = format!("desk-{state_name}-{mode_name}-{}x{}", size[0], size[1]);
            if let Err(e) = h.try_snapshot(&name) {
                failures.push(format!("{name}: {e}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Customer and role names in other scripts, and emoji in notes, find a system font (CI
/// installs fonts-noto-cjk and fonts-noto-color-emoji; the desktop's README says what happens
/// where none exists).
#[test]
fn names_in_other_scripts_and_emoji_find_system_fonts() {
    let ctx = egui::Context::default();
    ctx.add_font_provider(agentdesk::ui::font_provider());
    let mut output = ctx.run_ui(egui::RawInput::default(), |_| {});
    output.textures_delta.clear();
    let font = egui::FontId::proportional(BODY_SIZE);
    for text in ["東京", "Ελένη", "Дмитрий", "😀"] {
        assert!(
            ctx.fonts_mut(|f| f.has_glyphs(&font, text)),
            "no font for {text}"
        );
    }
}

/// The colours as the screen shows them: in the presenter theme, drawn by wgpu, the darkest
/// pixel of a button (its text or mark) against its commonest (its fill) reads at 4.5:1 for
/// the selected Ready toggle, a live action and a disabled one.
#[test]
fn rendered_buttons_meet_wcag_aa_in_presenter_mode() {
    use agentdesk::ui::theme::contrast_ratio;
    let mode = MODES[2];
    let mut h = harness_in(State::PreviewRecord, mode, SIZES[0], true);
    let image = h.render().expect("a wgpu render");
    let ppp = h.ctx.pixels_per_point();
    for label in ["Ready", "Dial", "Hang Up"] {
        let rect = if label == "Ready" {
            // The top bar's toggle (the record chain has a "Ready" status too).
            h.get_all_by_label(label)
                .map(|n| n.rect())
                .min_by(|a, b| a.min.y.total_cmp(&b.min.y))
                .unwrap()
        } else {
            h.get_by_role_and_label(egui::accesskit::Role::GenericContainer, "Actions")
                .get_by_role_and_label(egui::accesskit::Role::Button, label)
                .rect()
        }
        .shrink(3.0);
        let mut counts: std::collections::HashMap<[u8; 3], usize> = Default::default();
        let mut darkest = ([255u8; 3], f32::MAX);
        for y in (rect.top() * ppp) as u32..(rect.bottom() * ppp) as u32 {
            for x in (rect.left() * ppp) as u32..(rect.right() * ppp) as u32 {
                let [r, g, b, _] = image.get_pixel(x, y).0;
                *counts.entry([r, g, b]).or_default() += 1;
                let luma = r as f32 * 0.2126 + g as f32 * 0.7152 + b as f32 * 0.0722;
                if luma < darkest.1 {
                    darkest = ([r, g, b], luma);
                }
            }
        }
        let fill = counts.into_iter().max_by_key(|(_, n)| *n).unwrap().0;
        let color = |c: [u8; 3]| egui::Color32::from_rgb(c[0], c[1], c[2]);
        let ratio = contrast_ratio(color(darkest.0), color(fill));
        assert!(
            ratio >= 4.5,
            "{label}: {:?} on {fill:?} reads at {ratio:.2}:1",
            darkest.0
        );
    }
}

/// Shortcuts act where the eye is: Alt+G gets a record with no interaction open, and Alt+A
/// answers the invitation shown while a record is selected.
#[test]
fn shortcuts_act_on_what_is_shown() {
    let mut app = app_for("Alex");
    app.desktop.view.selected = None;
    let mut h = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .build_ui_state(|ui, app: &mut DesktopApp| app.frame(ui), app);
    h.run();
    let open = |h: &Harness<'_, DesktopApp>, stage: Stage| {
        let d = &h.state().desktop;
        d.session
            .engine
            .open_interactions(d.session.agent)
            .into_iter()
            .filter(|it| it.stage == stage)
            .map(|it| it.id)
            .collect::<Vec<_>>()
    };
    assert!(open(&h, Stage::Preview).is_empty());
    let invitation = open(&h, Stage::Offered)[0];
    h.key_press_modifiers(egui::Modifiers::ALT, egui::Key::G);
    h.run();
    let record = open(&h, Stage::Preview);
    assert_eq!(record.len(), 1, "Alt+G got a record");
    assert_eq!(h.state().desktop.view.selected, Some(record[0]));
    h.key_press_modifiers(egui::Modifiers::ALT, egui::Key::A);
    h.run();
    let d = &h.state().desktop;
    let it = d.session.engine.interaction(invitation).unwrap();
    assert_eq!(
        it.stage,
        Stage::Preview,
        "Alt+A accepted the invitation shown"
    );
}

/// Compare docked beside a pulled record at 1280x800 (a tab in presenter mode): both pickers
/// and the first differences, in plain sentences, are on screen without scrolling.
#[test]
fn compare_docked_shows_pickers_and_the_first_differences_in_words() {
    use agentdesk::training::role_compare::compare_roles;
    for presenter in [false, true] {
        let mode = Mode {
            presenter,
            why_disabled: true,
        };
        let size = SIZES[0];
        let window = Rect::from_min_size(egui::Pos2::ZERO, points(size, mode));
        let mut h = harness_in(State::PreviewRecord, mode, size, false);
        h.get_by_label("Workbench").click();
        h.run();
        h.get_by_label("Compare two roles").click();
        h.run();
        for (picker, role) in [
            ("Role A", "Outbound Preview Agent"),
            ("Role B", "Push Preview Agent"),
        ] {
            h.get_by_label(picker).click();
            h.run();
            h.get_all_by_label(role).last().unwrap().click();
            h.run();
        }
        h.run();
        for picker in ["Role A", "Role B", "Swap"] {
            let rect = h.get_by_label(picker).rect();
            assert!(window.contains_rect(rect), "{mode:?}: {picker} at {rect:?}");
        }
        let book = h.state().desktop.session.engine.roles();
        let (a, b) = (
            book.role_index("Outbound Preview Agent").unwrap(),
            book.role_index("Push Preview Agent").unwrap(),
        );
        let words = compare_roles(book, a, b).unwrap().in_words();
        let first: Vec<String> = words[0]
            .differences
            .iter()
            .take(3)
            .map(|d| d.sentence.clone())
            .collect();
        assert!(h.query_by_label(words[0].channel.title()).is_some());
        for sentence in &first {
            let rect = h.get_by_label(sentence).rect();
            assert!(
                window.contains_rect(rect),
                "{mode:?}: {sentence:?} at {rect:?}, window {window:?}"
            );
        }
        let plain = "Push Preview Agent may reschedule this customer before the call; \
                     Outbound Preview Agent may not: it lacks Outbound - Can Reschedule Before Call";
        assert!(h.query_by_label(plain).is_some(), "{mode:?}");
        assert!(
            h.query_by_label_contains("preview / reschedule").is_none(),
            "{mode:?}: no matrix codes until Cell by cell is opened"
        );
    }
}

/// The role editor docked beside a pulled record: a privilege's whole name lies inside the
/// window (it wraps, it is not cut at the dock's edge), with its "depends on" line right under
/// it; the outbound privileges are in the one vertical scroll of the tool.
#[test]
fn role_editor_rows_carry_their_dependencies_inside_the_window() {
    const NAME: &str = "Outbound - Can Reschedule On New Number";
    for size in SIZES {
        for presenter in [false, true] {
            let mode = Mode {
                presenter,
                why_disabled: true,
            };
            let what = format!("{mode:?} {size:?}");
            let window = Rect::from_min_size(egui::Pos2::ZERO, points(size, mode));
            let mut h = harness_in(State::PreviewRecord, mode, size, false);
            h.get_by_label("Workbench").click();
            h.run();
            h.get_by_label("Role editor").click();
            h.run();
            h.run();
            let row = h.get_by_label(NAME).rect();
            assert!(
                row.min.x >= 0.0 && row.max.x <= window.max.x + 0.5,
                "{what}: {NAME} at {row:?}, window {window:?}"
            );
            let depends = h
                .get_all_by_label("depends on")
                .map(|n| n.rect())
                .find(|r| r.min.y >= row.max.y - 1.0 && r.min.y <= row.max.y + 30.0);
            let depends = depends.unwrap_or_else(|| panic!("{what}: no depends on under {NAME}"));
            assert!(depends.max.x <= window.max.x + 0.5, "{what}");
            assert!(
                h.query_by_label("Outbound - Can Reschedule (documented)")
                    .is_some(),
                "{what}"
            );
        }
    }
}
