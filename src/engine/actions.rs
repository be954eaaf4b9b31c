//! What each action does to the world, one function per action, once `execute` has
//! authorized the command and `check_args` has checked its arguments. Every function here
//! returns what it did ([`Done`]), which the transcript and the audit log put into words.

use compact_str::CompactString;

use chrono::Duration;
use rand::RngExt;

use crate::engine::clock::Event;
use crate::engine::command::ActionArgs;
use crate::engine::transcript::{CallbackEvent, Note};
use crate::engine::{ArgumentError, Command, CommandError, Done, Engine, Outcome, Target};
use crate::policy::{Action, Channel, Stage};
use crate::world::{
    AgentId, Call, CallResult, CallbackScope, CallbackState, CampaignId, ChainId, ChainPlace,
    Completion, DoNotCallScope, Payload, PhoneType, PreviewRecord, RecordStatus, Rescheduled,
    SimTime, WebCallback, next_stage, plus,
};

impl Engine {
    /// Applies an authorized command: checks the stage transition and the arguments before
    /// anything changes, then runs the action.
    pub(super) fn apply(&mut self, cmd: &Command) -> Result<Outcome, CommandError> {
        let id = match cmd.target {
            Target::Campaign(c) => return self.get_record(cmd.agent, c),
            Target::Interaction(id) => id,
        };
        let i = self
            .index_of(id)
            .ok_or(CommandError::NoSuchInteraction(id))?;
        let to = next_stage(self.interactions[i].stage, cmd.action)?;
        let args = self.check_args(&self.interactions[i], cmd.action, &cmd.args)?;
        let message = match args {
            ActionArgs::Accept => self.accept(i, to),
            ActionArgs::Decline => self.decline(i),
            ActionArgs::Dial { record } => self.dial(i, record),
            ActionArgs::DialAlternative { record } => self.dial(i, Some(record)),
            ActionArgs::DialNewNumber { number } => self.dial_new_number(i, number),
            ActionArgs::HangUp => self.hang_up(i, to),
            ActionArgs::Reject => self.reject(i),
            ActionArgs::Cancel => self.cancel(i),
            ActionArgs::Reschedule { at, scope } => self.reschedule(i, to, at, None, scope),
            ActionArgs::RescheduleNewNumber { number, at, scope } => {
                self.reschedule(i, to, at, Some(number), scope)
            }
            ActionArgs::MarkDoNotCall {
                chain,
                record,
                scope,
            } => self.mark_do_not_call(chain, record, scope),
            ActionArgs::SetCallResult(result) => self.set_call_result(i, result),
            ActionArgs::SetDisposition(d) => self.set_disposition(i, d),
            ActionArgs::Edit { field, value } => self.edit_record_data(i, field, value),
            ActionArgs::MarkDone | ActionArgs::DoneAndGetNext => self.mark_done(i),
        };
        self.touch(cmd.agent);
        self.revision += 1;
        Ok(Outcome {
            done: message,
            opened: None,
        })
    }

    fn accept(&mut self, i: usize, to: Stage) -> Done {
        let it = &mut self.interactions[i];
        let was_offered = it.stage == Stage::Offered;
        it.stage = to;
        let agent = it.agent;
        if was_offered && let Some(a) = self.agent_mut(agent) {
            a.offered -= 1;
        }
        let it = &mut self.interactions[i];
        it.offer_expires = None;
        if let Payload::WebCallback(cb) = &mut it.payload {
            cb.state = CallbackState::Processing;
        }
        Done::Accepted(it.id)
    }

    fn decline(&mut self, i: usize) -> Done {
        self.return_to_pool(i, Completion::Declined, true);
        Done::Declined(self.interactions[i].id)
    }

    /// Calls `record` of the chain (`None`: the web callback's number). Only dial-alternative
    /// picks a record; a plain dial calls the selected one, the one its compliance facts were
    /// checked for.
    fn dial(&mut self, i: usize, record: Option<usize>) -> Done {
        let now = self.now;
        let id = self.interactions[i].id;
        let (number, behaviour) = match &self.interactions[i].payload {
            Payload::WebCallback(cb) => (CompactString::from(cb.number.as_str()), cb.behaviour),
            Payload::Outbound { chain } => {
                let c = &mut self.chains[*chain];
                let r = record.unwrap_or(c.selected);
                c.records[r].attempts += 1;
                let phone = c.records[r].phone.clone();
                (phone, self.campaigns[c.campaign].behaviour)
            }
        };
        let truth = match self.forced_outcome.take() {
            Some(r) => r,
            None => behaviour.outcome(self.rng.random::<f64>()),
        };
        let ring = self.rng.random_range(4..15);
        let it = &mut self.interactions[i];
        it.stage = Stage::Dialing;
        it.calls
            .push(Call::dialed(number.clone(), record, now, truth));
        let call = it.calls.len() - 1;
        self.schedule(
            plus(now, Duration::seconds(ring)),
            Event::DialResolved(id, call),
        );
        Done::Dialing { id, number }
    }

    fn hang_up(&mut self, i: usize, to: Stage) -> Done {
        let now = self.now;
        let it = &mut self.interactions[i];
        it.stage = to;
        if let Some(c) = it.calls.last_mut() {
            c.ended_at = Some(now);
            if c.truth.is_none() {
                // Hung up while it was still ringing.
                c.truth = Some(CallResult::NoAnswer);
            }
        }
        Done::HungUp(it.id)
    }

    fn reject(&mut self, i: usize) -> Done {
        self.return_to_pool(i, Completion::Rejected, true);
        Done::Rejected(self.interactions[i].id)
    }

    fn cancel(&mut self, i: usize) -> Done {
        self.close(i, Completion::Cancelled);
        if let Payload::Outbound { chain } = &self.interactions[i].payload {
            let c = &mut self.chains[*chain];
            c.place = ChainPlace::Closed(Completion::Cancelled);
            let sel = c.selected;
            c.records[sel].status = RecordStatus::Cancelled;
        }
        Done::Cancelled(self.interactions[i].id)
    }

    /// Dials the contact on a number that is not in the chain yet: a new record is appended
    /// (with the contact's time zone and calling window), selected, and dialled.
    fn dial_new_number(&mut self, i: usize, number: String) -> Done {
        let Payload::Outbound { chain } = self.interactions[i].payload else {
            return self.dial(i, None);
        };
        let record = self.append_record(chain, &number);
        self.dial(i, Some(record))
    }

    /// Appends a record for `number` to the chain, like its selected one but for the number,
    /// and selects it; returns its index.
    fn append_record(&mut self, chain: ChainId, number: &str) -> usize {
        let c = &mut self.chains[chain];
        let template = c.records[c.selected].clone();
        c.records.push(PreviewRecord {
            phone: number.into(),
            phone_type: PhoneType::Other,
            attempts: 0,
            call_result: CallResult::UnknownCallResult,
            status: RecordStatus::Retrieved,
            ..template
        });
        c.selected = c.records.len() - 1;
        c.selected
    }

    /// Reschedule and reschedule-on-new-number (`number`, already tidied by the phone check).
    /// Before the call (`to` is closed) the preview ends and the work leaves at once; during or
    /// after the call the schedule is recorded on the interaction, replacing any earlier one,
    /// and takes effect at Mark Done.
    fn reschedule(
        &mut self,
        i: usize,
        to: Stage,
        at: SimTime,
        number: Option<String>,
        scope: CallbackScope,
    ) -> Done {
        let it = &mut self.interactions[i];
        let id = it.id;
        let owner = (scope == CallbackScope::Personal).then_some(it.agent);
        if to != Stage::Closed {
            let again = it.reschedule.is_some();
            it.reschedule = Some(Box::new(Rescheduled {
                at,
                new_number: number.clone(),
                scope,
            }));
            return Done::RescheduleRecorded {
                id,
                at,
                number: number.map(Box::from),
                scope,
                again,
            };
        }
        self.close(i, Completion::Rescheduled);
        let number_shown = number.clone();
        let payload = self.interactions[i].payload.clone();
        match payload {
            Payload::Outbound { chain } => {
                self.reschedule_chain(chain, at, number.as_deref(), owner)
            }
            Payload::WebCallback(cb) => {
                self.reschedule_callback(*cb, at, number, owner);
                if let Payload::WebCallback(kept) = &mut self.interactions[i].payload {
                    kept.state = CallbackState::Completed(Completion::Rescheduled);
                }
            }
        }
        Done::Rescheduled {
            id,
            at,
            number: number_shown.map(Box::from),
            scope,
        }
    }

    /// Puts a web callback back in the service, due at `at`, for `owner` or any agent.
    fn reschedule_callback(
        &mut self,
        mut cb: WebCallback,
        at: SimTime,
        number: Option<String>,
        owner: Option<AgentId>,
    ) {
        cb.desired = at;
        cb.expires =
            at + Duration::minutes(i64::from(self.scenario.web_callbacks.expires_after_minutes));
        cb.state = CallbackState::Scheduled;
        cb.owner = owner;
        cb.disposition = None;
        if let Some(n) = number {
            cb.number = n;
        }
        let customer = cb.customer.clone();
        let index = self.add_pending(cb);
        self.schedule(at, Event::CallbackDue(index));
        self.note(Note::callback(
            customer,
            CallbackEvent::Rescheduled { until: at },
        ));
    }

    /// Puts an outbound chain aside until `at`, on a new record for `number` if given, for
    /// `owner` (a personal callback) or any agent of the campaign.
    fn reschedule_chain(
        &mut self,
        chain: ChainId,
        at: SimTime,
        number: Option<&str>,
        owner: Option<AgentId>,
    ) {
        if let Some(number) = number {
            self.append_record(chain, number);
        }
        let c = &mut self.chains[chain];
        let sel = c.selected;
        c.records[sel].status = RecordStatus::Rescheduled;
        c.place = ChainPlace::Scheduled(at);
        c.owner = owner;
        self.schedule(at, Event::ChainDue(chain));
    }

    fn mark_do_not_call(&mut self, chain: ChainId, record: usize, scope: DoNotCallScope) -> Done {
        let now = self.now;
        let c = &mut self.chains[chain];
        let (shown, records) = match scope {
            DoNotCallScope::Number => (c.records[record].phone.to_string(), record..record + 1),
            DoNotCallScope::Contact => (c.contact_name.to_string(), 0..c.records.len()),
        };
        for r in &mut c.records[records] {
            r.status = RecordStatus::DoNotCall;
        }
        let campaign = c.campaign;
        let added = self.do_not_call.add(scope, &shown, now, campaign);
        if added {
            self.do_not_call_revision += 1;
        }
        Done::OnDoNotCallList {
            shown,
            scope,
            added,
        }
    }

    fn set_call_result(&mut self, i: usize, result: CallResult) -> Done {
        let it = &self.interactions[i];
        let (id, record) = (it.id, it.current_call().and_then(|c| c.record));
        if let Payload::Outbound { chain } = it.payload {
            let c = &mut self.chains[chain];
            let r = record.unwrap_or(c.selected);
            c.records[r].call_result = result;
        }
        Done::CallResultSet { id, result }
    }

    fn set_disposition(&mut self, i: usize, disposition: String) -> Done {
        let it = &mut self.interactions[i];
        if let Payload::WebCallback(cb) = &mut it.payload {
            cb.disposition = Some(disposition.clone());
        }
        Done::DispositionSet {
            id: it.id,
            disposition,
        }
    }

    fn edit_record_data(&mut self, i: usize, field: String, value: String) -> Done {
        let id = self.interactions[i].id;
        if let Payload::Outbound { chain } = self.interactions[i].payload {
            let c = &mut self.chains[chain];
            c.fields.set(&field, &value);
        }
        Done::FieldSet {
            id,
            field: field.into(),
            value: value.into(),
        }
    }

    /// Mark-done and done-and-get-next (`execute` fetches the next record as its own attempt).
    /// A reschedule made during or after the call takes effect now.
    fn mark_done(&mut self, i: usize) -> Done {
        self.close(i, Completion::Done);
        if let Some(r) = self.interactions[i].reschedule.as_deref().cloned() {
            return self.finish_rescheduled(i, r);
        }
        match &mut self.interactions[i].payload {
            Payload::Outbound { chain } => {
                let c = &mut self.chains[*chain];
                c.place = ChainPlace::Closed(Completion::Done);
                for r in &mut c.records {
                    if r.status == RecordStatus::Retrieved {
                        r.status = RecordStatus::Updated;
                    }
                }
            }
            Payload::WebCallback(cb) => {
                cb.state = CallbackState::Completed(Completion::Done);
            }
        }
        Done::Finished(self.interactions[i].id)
    }

    /// Mark Done of an interaction rescheduled during or after its call: the record or web
    /// callback leaves with its new time, for its agent or any.
    fn finish_rescheduled(&mut self, i: usize, r: Rescheduled) -> Done {
        let it = &self.interactions[i];
        let (id, agent) = (it.id, it.agent);
        let owner = (r.scope == CallbackScope::Personal).then_some(agent);
        match it.payload.clone() {
            Payload::Outbound { chain } => {
                let c = &mut self.chains[chain];
                for rec in &mut c.records {
                    if rec.status == RecordStatus::Retrieved {
                        rec.status = RecordStatus::Updated;
                    }
                }
                self.reschedule_chain(chain, r.at, r.new_number.as_deref(), owner);
            }
            Payload::WebCallback(cb) => {
                self.reschedule_callback(*cb, r.at, r.new_number, owner);
                if let Payload::WebCallback(kept) = &mut self.interactions[i].payload {
                    kept.state = CallbackState::Completed(Completion::Done);
                }
            }
        }
        Done::FinishedRescheduled {
            id,
            at: r.at,
            scope: r.scope,
        }
    }

    /// Opens the agent's own personal callback of the campaign if one is due, else the first
    /// record the agent may take (not rejected by them, nobody else's personal callback).
    fn get_record(
        &mut self,
        agent: AgentId,
        campaign: CampaignId,
    ) -> Result<Outcome, CommandError> {
        let queue = &self.campaigns[campaign].queue;
        let chains = &self.chains;
        // The queue is looked through for the agent's own only when it has one waiting there.
        let own = self.personal_queued.contains_key(&(campaign, agent));
        let pos = own
            .then(|| queue.iter().position(|id| chains.owner(id) == Some(agent)))
            .flatten()
            .or_else(|| {
                queue
                    .iter()
                    .position(|id| self.chain_available_to(id, agent))
            });
        let c = &mut self.campaigns[campaign];
        let Some(chain) = pos.and_then(|p| c.queue.remove(p)) else {
            return Err(CommandError::argument(
                Action::GetRecord,
                ArgumentError::NoRecordLeft,
            ));
        };
        let id = self.hand_over_chain(agent, chain, Channel::Preview, Stage::Preview);
        Ok(Outcome {
            done: Done::GotRecord {
                id,
                contact: self.chains[chain].contact_name.clone(),
                campaign: self.campaign_names[campaign].clone(),
            },
            opened: Some(id),
        })
    }
}
