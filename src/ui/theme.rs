//! The desktop's colours, text sizes and the presenter theme (larger text, high contrast, for a
//! projector).
//!
//! No text on the desk is smaller than body text: the small style is body-sized in both
//! themes, so a label that asks for small text still reads from the back of a room.

use egui::{Color32, FontFamily, FontId, TextStyle, Visuals};

/// Allowed actions, good outcomes, successful saves (the workbench's messages): 5.9:1 on white,
/// 4.8:1 on the presenter theme's button grey. (On the dark theme's panel it is 2.9:1: views
/// that know their `Visuals` use [`good`] instead.)
pub const ALLOWED: Color32 = Color32::from_rgb(15, 100, 40);
/// Denied actions, mistakes, failed saves and loads (the workbench's messages): 6.5:1 on white.
pub const DENIED: Color32 = Color32::from_rgb(180, 35, 30);

/// The selection in the presenter theme (selected row, active tab, the Ready state): black
/// text on it reads at 6.3:1, and it stands out from the white panel at 3.35:1.
pub const PRESENTER_SELECTION: Color32 = Color32::from_rgb(90, 140, 225);

/// How much larger everything is drawn in presenter mode.
pub const PRESENTER_ZOOM: f32 = 1.3;

/// Body text size in points, in both themes.
pub const BODY_SIZE: f32 = 13.0;

/// A good outcome (an open calling window, a running campaign) as text, readable on the
/// theme's background (4.5:1 or better).
pub fn good(v: &Visuals) -> Color32 {
    if v.dark_mode {
        Color32::from_rgb(110, 205, 135)
    } else {
        Color32::from_rgb(15, 85, 35)
    }
}

/// A refusal or a problem (a denied notice, a closed calling window, a reason) as text,
/// readable on the theme's background (4.5:1 or better).
pub fn bad(v: &Visuals) -> Color32 {
    if v.dark_mode {
        Color32::from_rgb(255, 150, 135)
    } else {
        Color32::from_rgb(150, 20, 15)
    }
}

/// An error that is not a refusal (a bad argument, a failed save).
pub fn warning(v: &Visuals) -> Color32 {
    if v.dark_mode {
        Color32::from_rgb(240, 175, 80)
    } else {
        Color32::from_rgb(105, 55, 0)
    }
}

/// The badge colour behind a stage's name (white text on it meets 4.5:1).
pub fn stage_badge(stage: crate::policy::Stage) -> Color32 {
    use crate::policy::Stage;
    match stage {
        Stage::Offered => Color32::from_rgb(150, 90, 0),
        Stage::Preview => Color32::from_rgb(40, 80, 160),
        Stage::Dialing => Color32::from_rgb(120, 60, 160),
        Stage::Connected => Color32::from_rgb(25, 115, 55),
        Stage::AfterCall => Color32::from_rgb(100, 100, 100),
        Stage::Campaign | Stage::Closed => Color32::from_rgb(70, 70, 70),
    }
}

/// Presenter mode: whether it is on, and what the context was last set to.
#[derive(Default)]
pub struct Presenter {
    /// Larger text and a high-contrast theme for a projector.
    pub on: bool,
    applied: Option<bool>,
}

/// Sets the context's text sizes and theme, and again whenever presenter mode changed since
/// the last frame.
pub fn apply_presenter(ctx: &egui::Context, presenter: &mut Presenter) {
    if presenter.applied == Some(presenter.on) {
        return;
    }
    presenter.applied = Some(presenter.on);
    let (zoom, dark, light) = if presenter.on {
        (PRESENTER_ZOOM, high_contrast(), high_contrast())
    } else {
        (1.0, normal(Visuals::dark()), normal(Visuals::light()))
    };
    ctx.set_zoom_factor(zoom);
    ctx.set_visuals_of(egui::Theme::Dark, dark);
    ctx.set_visuals_of(egui::Theme::Light, light);
    ctx.all_styles_mut(|style| {
        style.text_styles = text_styles();
    });
}

/// egui's text styles with small and monospace text raised to body size.
pub fn text_styles() -> std::collections::BTreeMap<TextStyle, FontId> {
    [
        (
            TextStyle::Small,
            FontId::new(BODY_SIZE, FontFamily::Proportional),
        ),
        (
            TextStyle::Body,
            FontId::new(BODY_SIZE, FontFamily::Proportional),
        ),
        (
            TextStyle::Button,
            FontId::new(BODY_SIZE, FontFamily::Proportional),
        ),
        (
            TextStyle::Heading,
            FontId::new(18.0, FontFamily::Proportional),
        ),
        (
            TextStyle::Monospace,
            FontId::new(BODY_SIZE, FontFamily::Monospace),
        ),
    ]
    .into()
}

/// egui's own warning and error colours (orange #FF6400 is 2.97:1 on white) replaced by the
/// desk's, which read at 4.5:1 or better on every background of the theme.
fn readable_signals(v: &mut Visuals) {
    v.warn_fg_color = warning(v);
    v.error_fg_color = bad(v);
}

/// A normal (dark or light) theme as the desk draws it: egui's, with readable warning and
/// error colours and a button border that stands out from the panel at 3:1 (a button is
/// told apart from a disabled one by its solid border, see `desk::toolbar`).
pub fn normal(mut v: Visuals) -> Visuals {
    // egui's grey text reads at 3.1:1 on a hovered dark button and 3.3:1 on a pressed light
    // one; these greys and fades keep every pair at 4.5:1 (see `text_pairs`).
    let (text, weak, border) = if v.dark_mode {
        v.hyperlink_color = Color32::from_rgb(130, 190, 255);
        (210, 175, 140)
    } else {
        v.hyperlink_color = Color32::from_rgb(0, 80, 170);
        v.widgets.active.weak_bg_fill = Color32::from_gray(200);
        v.widgets.active.bg_fill = Color32::from_gray(200);
        (30, 80, 100)
    };
    text_in_every_state(&mut v, Color32::from_gray(text));
    v.weak_text_color = Some(Color32::from_gray(weak));
    v.disabled_alpha = 0.75;
    v.widgets.inactive.bg_stroke = egui::Stroke::new(1.0, Color32::from_gray(border));
    readable_signals(&mut v);
    v
}

/// Widget text in `color` whatever the widget's state (idle, hovered, pressed, open).
fn text_in_every_state(v: &mut Visuals, color: Color32) {
    for w in [
        &mut v.widgets.noninteractive,
        &mut v.widgets.inactive,
        &mut v.widgets.hovered,
        &mut v.widgets.active,
        &mut v.widgets.open,
    ] {
        w.fg_stroke.color = color;
    }
}

/// The presenter theme: black on white, disabled and weak text still dark enough to read.
pub fn high_contrast() -> Visuals {
    let mut v = Visuals::light();
    v.override_text_color = Some(Color32::BLACK);
    v.panel_fill = Color32::WHITE;
    v.window_fill = Color32::WHITE;
    v.faint_bg_color = Color32::from_gray(240);
    v.extreme_bg_color = Color32::from_gray(250);
    v.weak_text_color = Some(Color32::from_gray(70));
    // egui fades a disabled widget by this factor; at egui's 0.5 black text turns the grey of
    // a 3.9:1 contrast, below the 4.5:1 of WCAG 2.1 AA.
    v.disabled_alpha = 0.72;
    // Black text stays black on a selection (the override), so the selection is a blue
    // light enough for it: #1E50AA read at 2.78:1.
    v.selection.bg_fill = PRESENTER_SELECTION;
    v.selection.stroke = egui::Stroke::new(2.0, Color32::BLACK);
    v.hyperlink_color = Color32::from_rgb(20, 60, 170);
    text_in_every_state(&mut v, Color32::BLACK);
    v.widgets.noninteractive.bg_stroke = egui::Stroke::new(1.5, Color32::BLACK);
    v.widgets.inactive.bg_stroke = egui::Stroke::new(1.5, Color32::BLACK);
    v.widgets.inactive.weak_bg_fill = Color32::from_gray(230);
    v.widgets.inactive.bg_fill = Color32::from_gray(230);
    v.widgets.hovered.weak_bg_fill = Color32::from_gray(210);
    v.widgets.hovered.bg_fill = Color32::from_gray(210);
    v.widgets.active.weak_bg_fill = Color32::from_gray(190);
    v.widgets.active.bg_fill = Color32::from_gray(190);
    readable_signals(&mut v);
    v
}

/// WCAG 2.1 contrast ratio of two opaque colours (1.0 to 21.0).
pub fn contrast_ratio(a: Color32, b: Color32) -> f32 {
    let (la, lb) = (relative_luminance(a), relative_luminance(b));
    let (hi, lo) = if la > lb { (la, lb) } else { (lb, la) };
    (hi + 0.05) / (lo + 0.05)
}

fn relative_luminance(c: Color32) -> f32 {
    let channel = |v: u8| {
        let s = v as f32 / 255.0;
        if s <= 0.04045 {
            s / 12.92
        } else {
            ((s + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * channel(c.r()) + 0.7152 * channel(c.g()) + 0.0722 * channel(c.b())
}

/// A premultiplied (possibly additive) `fg`, such as egui's stripe colour, over the opaque
/// `bg`.
pub fn composite(fg: Color32, bg: Color32) -> Color32 {
    let keep = 1.0 - fg.a() as f32 / 255.0;
    let mix = |f: u8, b: u8| (f as f32 + b as f32 * keep).round().min(255.0) as u8;
    Color32::from_rgb(
        mix(fg.r(), bg.r()),
        mix(fg.g(), bg.g()),
        mix(fg.b(), bg.b()),
    )
}

/// `fg` drawn with opacity `alpha` over the opaque `bg`, as the screen shows it.
pub fn over(fg: Color32, alpha: f32, bg: Color32) -> Color32 {
    let mix = |f: u8, b: u8| (f as f32 * alpha + b as f32 * (1.0 - alpha)).round() as u8;
    Color32::from_rgb(
        mix(fg.r(), bg.r()),
        mix(fg.g(), bg.g()),
        mix(fg.b(), bg.b()),
    )
}

/// Every text colour of a theme on every background it is drawn on, by name: what WCAG's
/// 4.5:1 must hold for.
pub fn text_pairs(v: &Visuals) -> Vec<(String, Color32, Color32)> {
    let text = v.text_color();
    let mut pairs = Vec::new();
    let backgrounds = [
        ("panel", v.panel_fill),
        ("window", v.window_fill),
        ("striped row", composite(v.faint_bg_color, v.panel_fill)),
        ("text field", v.extreme_bg_color),
        ("button", v.widgets.inactive.weak_bg_fill),
        ("hovered button", v.widgets.hovered.weak_bg_fill),
        ("pressed button", v.widgets.active.weak_bg_fill),
    ];
    let foregrounds = [
        ("text", text),
        ("weak text", v.weak_text_color()),
        ("good", good(v)),
        ("bad", bad(v)),
        ("warning", warning(v)),
        ("link", v.hyperlink_color),
        ("egui warning", v.warn_fg_color),
        ("egui error", v.error_fg_color),
    ];
    for (bg_name, bg) in backgrounds {
        for (fg_name, fg) in foregrounds {
            pairs.push((format!("{fg_name} on {bg_name}"), fg, bg));
        }
    }
    // A disabled widget is drawn faded by `disabled_alpha` over what is behind it; it is
    // never hovered or pressed.
    for (bg_name, bg) in &backgrounds[..5] {
        let disabled = over(text, v.disabled_alpha(), *bg);
        pairs.push((format!("disabled text on {bg_name}"), disabled, *bg));
    }
    // Selected text is the override colour where the theme sets one, egui's selection
    // stroke colour otherwise.
    let selected = v.override_text_color.unwrap_or(v.selection.stroke.color);
    pairs.push(("selected text".into(), selected, v.selection.bg_fill));
    if !v.dark_mode {
        // The workbench's fixed message colours, on the light backgrounds they are made for
        // (text, not buttons).
        for (bg_name, bg) in &backgrounds[..4] {
            let bg = *bg;
            pairs.push((format!("allowed on {bg_name}"), ALLOWED, bg));
            pairs.push((format!("denied on {bg_name}"), DENIED, bg));
        }
    }
    pairs.push(("recording badge".into(), Color32::WHITE, DENIED));
    for stage in crate::policy::Stage::INTERACTION {
        pairs.push((
            format!("stage badge {stage}"),
            Color32::WHITE,
            stage_badge(stage),
        ));
    }
    pairs
}

/// Every non-text colour that carries meaning, on what it is drawn against: WCAG 2.1's 3:1
/// for borders, focus and the selection.
pub fn non_text_pairs(v: &Visuals) -> Vec<(String, Color32, Color32)> {
    vec![
        (
            "button border on panel".into(),
            v.widgets.inactive.bg_stroke.color,
            v.panel_fill,
        ),
        (
            "button border on window".into(),
            v.widgets.inactive.bg_stroke.color,
            v.window_fill,
        ),
        (
            "disabled button's dashed border on panel".into(),
            over(
                v.widgets.inactive.bg_stroke.color,
                v.disabled_alpha(),
                v.panel_fill,
            ),
            v.panel_fill,
        ),
        ("reason outline on panel".into(), bad(v), v.panel_fill),
        (
            "focus and selection stroke on selection".into(),
            v.selection.stroke.color,
            v.selection.bg_fill,
        ),
    ]
}

/// The three themes the desk draws: normal dark, normal light, presenter.
pub fn all_themes() -> [(&'static str, Visuals); 3] {
    [
        ("dark", normal(Visuals::dark())),
        ("light", normal(Visuals::light())),
        ("presenter", high_contrast()),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contrast_ratio_matches_wcag_examples() {
        assert!((contrast_ratio(Color32::BLACK, Color32::WHITE) - 21.0).abs() < 0.01);
        assert!((contrast_ratio(Color32::WHITE, Color32::WHITE) - 1.0).abs() < 0.01);
        // #767676 on white is the classic "just passes AA" grey.
        let grey = Color32::from_gray(0x76);
        assert!((contrast_ratio(grey, Color32::WHITE) - 4.54).abs() < 0.02);
    }

    #[test]
    fn every_presenter_text_meets_wcag_aa() {
        for (name, fg, bg) in text_pairs(&high_contrast()) {
            let ratio = contrast_ratio(fg, bg);
            assert!(ratio >= 4.5, "{name}: {ratio:.2}:1");
        }
    }

    #[test]
    fn every_text_and_border_of_every_theme_meets_wcag_aa() {
        for (theme, v) in all_themes() {
            for (name, fg, bg) in text_pairs(&v) {
                let ratio = contrast_ratio(fg, bg);
                assert!(ratio >= 4.5, "{theme}: {name}: {ratio:.2}:1");
            }
            for (name, fg, bg) in non_text_pairs(&v) {
                let ratio = contrast_ratio(fg, bg);
                assert!(ratio >= 3.0, "{theme}: {name}: {ratio:.2}:1");
            }
        }
    }

    /// Prints every pair's ratio (`cargo test --lib contrast_table -- --nocapture`): the
    /// table the closing note and docs/stage.md quote.
    #[test]
    fn contrast_table() {
        for (theme, v) in all_themes() {
            for (name, fg, bg) in text_pairs(&v).into_iter().chain(non_text_pairs(&v)) {
                let ratio = contrast_ratio(fg, bg);
                assert!(ratio >= 1.0);
                println!("{theme} | {name} | {fg:?} on {bg:?} | {ratio:.2}:1");
            }
        }
    }
}
