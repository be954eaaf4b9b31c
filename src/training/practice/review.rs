//! The review of one call at the end of a practice shift: what happened, what the trainee
//! chose, what was right, and the reasons of the denials met on the way.

use crate::engine::Engine;
use crate::engine::audit::Decision;
use crate::world::{CallResult, Completion, Interaction, Payload, fmt_time};

/// One finished interaction, reviewed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Review {
    /// Who it was about: the contact or the web callback's customer.
    pub who: String,
    /// The calls placed and how each really ended, or what became of the invitation.
    pub happened: String,
    /// How the trainee finished it: the completion, the result or disposition set, a
    /// reschedule.
    pub chosen: String,
    /// What was right to do, as the simulated customer's behaviour shows it.
    pub right: String,
    /// The plain sentence of every denial met on it, each once, in the order met.
    pub denials: Vec<String>,
}

pub(super) fn review(engine: &Engine, it: &Interaction, completion: Completion) -> Review {
    Review {
        who: who(engine, it),
        happened: happened(it, completion),
        chosen: chosen(engine, it, completion),
        right: right(it, completion),
        denials: denials(engine, it),
    }
}

fn who(engine: &Engine, it: &Interaction) -> String {
    match &it.payload {
        Payload::WebCallback(cb) => cb.customer.clone(),
        Payload::Outbound { .. } => engine
            .chain_of(it)
            .map(|c| c.contact_name.to_string())
            .unwrap_or_default(),
    }
}

fn happened(it: &Interaction, completion: Completion) -> String {
    if it.calls.is_empty() {
        return match completion {
            Completion::TimedOut | Completion::Expired => "the invitation timed out".into(),
            Completion::Withdrawn => "the invitation was withdrawn when your roles changed".into(),
            Completion::Declined => "you declined the invitation".into(),
            _ => "nobody was called".into(),
        };
    }
    let calls: Vec<String> = it
        .calls
        .iter()
        .map(|c| match c.truth {
            Some(t) => format!("{} was called: {}", c.number, t.label()),
            None => format!("{} was called", c.number),
        })
        .collect();
    calls.join("; ")
}

fn chosen(engine: &Engine, it: &Interaction, completion: Completion) -> String {
    let mut parts = vec![completion.label().to_string()];
    match &it.payload {
        Payload::WebCallback(cb) => {
            if let Some(d) = &cb.disposition {
                parts.push(format!("disposition \"{d}\""));
            }
        }
        Payload::Outbound { .. } => {
            if let (Some(chain), Some(call)) = (engine.chain_of(it), it.calls.last()) {
                let record = call.record.unwrap_or(chain.selected);
                if let Some(r) = chain.records.get(record)
                    && r.call_result != CallResult::UnknownCallResult
                {
                    parts.push(format!("call result {}", r.call_result.label()));
                }
            }
        }
    }
    if let Some(r) = &it.reschedule {
        parts.push(format!(
            "rescheduled for {} ({})",
            fmt_time(r.at),
            r.scope.label()
        ));
    }
    parts.join(", ")
}

fn right(it: &Interaction, completion: Completion) -> String {
    if let Some(truth) = it.calls.last().and_then(|c| c.truth)
        && matches!(it.payload, Payload::Outbound { .. })
    {
        let also = if truth == CallResult::Answer {
            " (or Do Not Call, when the customer asks for it)"
        } else {
            ""
        };
        return format!("call result {}{also}", truth.label());
    }
    match completion {
        Completion::TimedOut | Completion::Expired => {
            "answer the invitation (accept, or decline if you may) before it times out".into()
        }
        Completion::Withdrawn => "nothing: the invitation left with your roles".into(),
        Completion::Rescheduled => "a reschedule is a complete handling".into(),
        _ if it.reschedule.is_some() => "reschedule, then Mark Done: a complete handling".into(),
        Completion::Done
            if matches!(it.payload, Payload::WebCallback(_))
                && !it.calls.is_empty()
                && it.calls.iter().all(|c| c.connected_at.is_none()) =>
        {
            "the customer was not reached: reschedule the callback, then Mark Done".into()
        }
        _ if !it.calls.is_empty() => "call, then wrap up and Mark Done".into(),
        _ => "whatever your role allows: nothing here was counted against you".into(),
    }
}

fn denials(engine: &Engine, it: &Interaction) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for e in engine.audit().entries() {
        if e.interaction != Some(it.id) || e.decision() != Decision::Denied {
            continue;
        }
        if let Some(d) = e.denial() {
            let text = format!("{}: {}", e.action.label(), d.plain());
            if !out.contains(&text) {
                out.push(text);
            }
        }
    }
    out
}
