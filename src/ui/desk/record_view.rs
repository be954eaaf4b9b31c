//! A preview record: the contact's fields (editable where the engine allows the edit), and
//! its record chain with each number's calling window and status.

use egui::{Button, RichText, Ui};
use egui_extras::{Column, TableBuilder};

use super::workspace::calls_view;
use crate::engine::{Args, Target};
use crate::policy::{Action, Denial};
use crate::ui::desk::toolbar::both_tiers;
use crate::ui::theme;
use crate::ui::{Session, UiCommand, ViewState};
use crate::world::{
    ContactField, DoNotCallList, DoNotCallScope, FieldAccess, Interaction, RecordChain,
};

pub(super) fn show(
    ui: &mut Ui,
    s: &Session,
    v: &mut ViewState,
    it: &Interaction,
    out: &mut Vec<UiCommand>,
) {
    let Some(chain) = s.engine.chain_of(it) else {
        return;
    };
    let campaign = s
        .engine
        .campaign(chain.campaign)
        .map(|c| c.name.clone())
        .unwrap_or_default();
    ui.heading(format!("Contact · {campaign}"));
    contact_fields(ui, s, v, it, chain);
    save_button(ui, s, v, it, chain, out);
    ui.add_space(8.0);
    ui.heading("Record chain");
    chain_table(ui, s, chain, it.id);
    calls_view(ui, it);
}

/// The contact's fields: a text field where the engine allows editing this field now, the
/// value otherwise, with why not.
fn contact_fields(
    ui: &mut Ui,
    s: &Session,
    v: &mut ViewState,
    it: &Interaction,
    chain: &RecordChain,
) {
    egui::Grid::new("contact_fields")
        .num_columns(2)
        .striped(true)
        .show(ui, |ui| {
            for field in chain.fields.iter() {
                let label = ui.label(RichText::new(field.name).strong());
                match edit_decision(s, it, field) {
                    Ok(()) => {
                        let value = field_edit(&mut v.field_edits, field);
                        ui.horizontal(|ui| {
                            ui.add(egui::TextEdit::singleline(value).desired_width(260.0))
                                .labelled_by(label.id);
                            mandatory_mark(ui, field);
                        });
                    }
                    // The engine decides whether; a field the campaign configures read-only
                    // says so even when its first reason is another (the stage, a privilege).
                    Err(_) if !field.editable() => {
                        ui.label(format!("{}  (read-only)", field.value));
                    }
                    Err(denial) => {
                        ui.horizontal(|ui| {
                            ui.label(field.value);
                            ui.weak("not editable for you")
                                .on_hover_ui(|ui| both_tiers(ui, &denial));
                        });
                    }
                }
                ui.end_row();
            }
        });
}

/// "mandatory" beside a field the campaign makes editable and mandatory.
fn mandatory_mark(ui: &mut Ui, field: ContactField) {
    if field.access == FieldAccess::Mandatory {
        let text = RichText::new("mandatory").small();
        let text = if field.missing() {
            text.color(theme::bad(ui.visuals()))
        } else {
            text.weak()
        };
        ui.label(text)
            .on_hover_text("Mark Done waits until this field is filled in");
    }
}

/// May the agent change this field now? The engine's answer, for this very field.
fn edit_decision(s: &Session, it: &Interaction, field: ContactField) -> Result<(), Denial> {
    let args = Args::Edit {
        field: field.name.to_string(),
        value: field.value.to_string(),
    };
    s.check_with(Target::Interaction(it.id), Action::EditRecordData, &args)
}

/// The edit in progress of `field`, started from its value.
fn field_edit<'a>(edits: &'a mut Vec<(String, String)>, field: ContactField) -> &'a mut String {
    let slot = match edits.iter().position(|(n, _)| **n == *field.name) {
        Some(i) => i,
        None => {
            edits.push((field.name.to_string(), field.value.to_string()));
            edits.len() - 1
        }
    };
    &mut edits[slot].1
}

/// "Save record data", once a field differs from the record: one edit command per field.
fn save_button(
    ui: &mut Ui,
    s: &Session,
    v: &ViewState,
    it: &Interaction,
    chain: &RecordChain,
    out: &mut Vec<UiCommand>,
) {
    let changed: Vec<(String, String)> = v
        .field_edits
        .iter()
        .filter(|(name, value)| {
            chain
                .fields
                .iter()
                .any(|f| *f.name == **name && f.value != value)
        })
        .cloned()
        .collect();
    let target = Target::Interaction(it.id);
    if !changed.is_empty()
        && ui
            .add_enabled(
                s.check(target, Action::EditRecordData).is_ok(),
                Button::new("Save record data"),
            )
            .clicked()
    {
        for (field, value) in changed {
            out.push(UiCommand::Act {
                target,
                action: Action::EditRecordData,
                args: Args::Edit { field, value },
            });
        }
    }
}

fn chain_table(ui: &mut Ui, s: &Session, chain: &RecordChain, id: crate::world::InteractionId) {
    let now = s.engine.now();
    let dnc = s.engine.do_not_call();
    let (good, bad) = (theme::good(ui.visuals()), theme::bad(ui.visuals()));
    // A narrow window (a projector at 1024 pixels) scrolls the table sideways rather than
    // cutting its last columns off. The scroll is the record's own (the next record starts at
    // its first column), and its bar takes its own strip instead of covering the last row.
    ui.scope(|ui| {
        ui.spacing_mut().scroll = egui::style::ScrollStyle::solid();
        egui::ScrollArea::horizontal()
            .id_salt(("chain_scroll", id.0))
            .show(ui, |ui| chain_rows(ui, chain, now, dnc, good, bad));
    });
}

fn chain_rows(
    ui: &mut Ui,
    chain: &RecordChain,
    now: crate::world::SimTime,
    dnc: &DoNotCallList,
    good: egui::Color32,
    bad: egui::Color32,
) {
    let row_height = ui.text_style_height(&egui::TextStyle::Body) + 6.0;
    TableBuilder::new(ui)
        .id_salt("chain_table")
        .striped(true)
        .vscroll(false)
        .column(Column::auto())
        .column(Column::auto())
        .column(Column::auto())
        .column(Column::auto())
        .column(Column::auto())
        .column(Column::auto())
        .column(Column::auto())
        .column(Column::auto())
        .header(row_height, |mut h| {
            for t in [
                "",
                "Number",
                "Type",
                "Time zone",
                "Window",
                "Attempts",
                "Last result",
                "Status",
            ] {
                h.col(|ui| {
                    ui.strong(t);
                });
            }
        })
        .body(|mut body| {
            for i in 0..chain.records.len() {
                body.row(row_height, |row| {
                    chain_row(row, chain, i, now, dnc, (good, bad))
                });
            }
        });
}

/// One record of the chain: the system's pick, the number (struck through when on the Do Not
/// Call list), its type, the contact's local time, the calling window and the call history.
fn chain_row(
    mut row: egui_extras::TableRow<'_, '_>,
    chain: &RecordChain,
    i: usize,
    now: crate::world::SimTime,
    dnc: &DoNotCallList,
    (good, bad): (egui::Color32, egui::Color32),
) {
    let r = &chain.records[i];
    row.col(|ui| {
        if i == chain.selected {
            ui.label(RichText::new("system").strong())
                .on_hover_text("The number the system selected for the next call");
        }
    });
    row.col(|ui| match dnc.blocking(&r.phone, &chain.contact_name) {
        Some(entry) => {
            let whose = match entry.scope {
                DoNotCallScope::Number => "this number",
                DoNotCallScope::Contact => "the whole contact",
            };
            ui.add(egui::Label::new(RichText::new(&*r.phone).strikethrough().color(bad)).extend())
                .on_hover_text(format!("On the Do Not Call list: {whose}"));
        }
        None => {
            ui.add(egui::Label::new(RichText::new(&*r.phone)).extend());
        }
    });
    row.col(|ui| {
        ui.add(egui::Label::new(r.phone_type.label()).extend());
    });
    row.col(|ui| {
        let local = r.time_zone.local(now);
        ui.add(
            egui::Label::new(format!("{} ({})", r.time_zone.name, local.format("%H:%M"))).extend(),
        );
    });
    row.col(|ui| {
        let open = r.callable_at(now);
        let text = RichText::new(r.window.to_string());
        let text = if open {
            text.color(good)
        } else {
            text.color(bad)
        };
        ui.add(egui::Label::new(text).extend())
            .on_hover_text(if open {
                "Inside the calling window now"
            } else {
                "Outside the calling window now"
            });
    });
    row.col(|ui| {
        ui.add(egui::Label::new(r.attempts.to_string()).extend());
    });
    row.col(|ui| {
        ui.add(egui::Label::new(r.call_result.to_string()).extend());
    });
    row.col(|ui| {
        ui.add(egui::Label::new(format!("{:?}", r.status)).extend());
    });
}
