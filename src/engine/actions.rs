//! What each action does to the world, one function per action, once `execute` has
//! authorized the command and `check_args` has checked its arguments. Every function here
//! returns what it did ([`Done`]), which the transcript and the audit log put into words.

use chrono::Duration;
use rand::RngExt;

use crate::engine::clock::Event;
use crate::engine::command::ActionArgs;
use crate::engine::{ArgumentError, Command, CommandError, Done, Engine, Outcome, Target};
use crate::policy::{Action, Channel, Stage};
use crate::world::{
    AgentId, Call, CallResult, CallbackState, CampaignId, ChainId, ChainPlace, Completion, Payload,
    PhoneType, PreviewRecord, RecordStatus, SimTime, next_stage, phone_key,
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
            ActionArgs::HangUp => self.hang_up(i, to),
            ActionArgs::Reject => self.reject(i),
            ActionArgs::Cancel => self.cancel(i),
            ActionArgs::Reschedule { at } => self.reschedule(i, at, None),
            ActionArgs::RescheduleNewNumber { number, at } => self.reschedule(i, at, Some(number)),
            ActionArgs::MarkDoNotCall { chain, record } => self.mark_do_not_call(chain, record),
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
        it.stage = to;
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
            Payload::WebCallback(cb) => (cb.number.clone(), cb.behaviour),
            Payload::Outbound { chain } => {
                let c = &mut self.chains[chain.0 as usize - 1];
                let r = record.unwrap_or(c.selected);
                c.records[r].attempts += 1;
                (c.records[r].phone.clone(), c.behaviour)
            }
        };
        let truth = match self.forced_outcome.take() {
            Some(r) => r,
            None => behaviour.outcome(self.rng.random::<f64>()),
        };
        let ring = self.rng.random_range(4..15);
        let it = &mut self.interactions[i];
        it.stage = Stage::Dialing;
        it.calls.push(Call {
            number: number.clone(),
            record,
            started: now,
            truth: None,
            connected_at: None,
            ended_at: None,
        });
        let call = it.calls.len() - 1;
        self.pending_truth.insert((id, call), truth);
        self.schedule(now + Duration::seconds(ring), Event::DialResolved(id, call));
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
            let c = &mut self.chains[chain.0 as usize - 1];
            c.place = ChainPlace::Closed(Completion::Cancelled);
            let sel = c.selected;
            c.records[sel].status = RecordStatus::Cancelled;
        }
        Done::Cancelled(self.interactions[i].id)
    }

    /// Reschedule and reschedule-on-new-number (`number`, already tidied by the phone check).
    fn reschedule(&mut self, i: usize, at: SimTime, number: Option<String>) -> Done {
        let id = self.interactions[i].id;
        if let Some(c) = self.interactions[i].calls.last_mut()
            && c.ended_at.is_none()
        {
            c.ended_at = Some(self.now);
        }
        self.close(i, Completion::Rescheduled);
        let payload = self.interactions[i].payload.clone();
        match payload {
            Payload::Outbound { chain } => self.reschedule_chain(chain, at, number.as_deref()),
            Payload::WebCallback(cb) => {
                let mut cb = *cb;
                cb.desired = at;
                cb.expires = at
                    + Duration::minutes(i64::from(
                        self.scenario.web_callbacks.expires_after_minutes,
                    ));
                cb.state = CallbackState::Scheduled;
                if let Some(n) = &number {
                    cb.number = n.clone();
                }
                let index = self.add_pending(cb);
                self.schedule(at, Event::CallbackDue(index));
                if let Payload::WebCallback(kept) = &mut self.interactions[i].payload {
                    kept.state = CallbackState::Completed(Completion::Rescheduled);
                }
            }
        }
        Done::Rescheduled { id, at, number }
    }

    /// Puts an outbound chain aside until `at`, on a new record for `number` if given.
    fn reschedule_chain(&mut self, chain: ChainId, at: SimTime, number: Option<&str>) {
        let c = &mut self.chains[chain.0 as usize - 1];
        if let Some(number) = number {
            let template = c.records[c.selected].clone();
            c.records.push(PreviewRecord {
                phone: number.to_string(),
                phone_type: PhoneType::Other,
                attempts: 0,
                call_result: CallResult::UnknownCallResult,
                status: RecordStatus::Ready,
                ..template
            });
            c.selected = c.records.len() - 1;
        }
        let sel = c.selected;
        c.records[sel].status = RecordStatus::Rescheduled;
        c.place = ChainPlace::Scheduled(at);
        self.schedule(at, Event::ChainDue(chain));
    }

    fn mark_do_not_call(&mut self, chain: ChainId, record: usize) -> Done {
        let c = &mut self.chains[chain.0 as usize - 1];
        c.records[record].status = RecordStatus::DoNotCall;
        let number = c.records[record].phone.clone();
        let campaign = c.campaign;
        self.campaigns[campaign.0 as usize - 1]
            .do_not_call
            .insert(phone_key(&number));
        self.do_not_call_revision += 1;
        Done::OnDoNotCallList { number }
    }

    fn set_call_result(&mut self, i: usize, result: CallResult) -> Done {
        let it = &self.interactions[i];
        let (id, record) = (it.id, it.current_call().and_then(|c| c.record));
        if let Payload::Outbound { chain } = it.payload {
            let c = &mut self.chains[chain.0 as usize - 1];
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
            let c = &mut self.chains[chain.0 as usize - 1];
            if let Some(f) = c.fields.iter_mut().find(|f| f.name == field) {
                f.value = value.clone();
            }
        }
        Done::FieldSet { id, field, value }
    }

    /// Mark-done and done-and-get-next (`execute` fetches the next record as its own attempt).
    fn mark_done(&mut self, i: usize) -> Done {
        self.close(i, Completion::Done);
        match &mut self.interactions[i].payload {
            Payload::Outbound { chain } => {
                let c = &mut self.chains[chain.0 as usize - 1];
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

    /// Takes the first record of the campaign this agent has not rejected and opens it.
    fn get_record(
        &mut self,
        agent: AgentId,
        campaign: CampaignId,
    ) -> Result<Outcome, CommandError> {
        let c = &mut self.campaigns[campaign.0 as usize - 1];
        let pos = c
            .queue
            .iter()
            .position(|id| !self.chains[id.0 as usize - 1].rejected_by.contains(&agent));
        let Some(chain) = pos.and_then(|p| c.queue.remove(p)) else {
            return Err(CommandError::argument(
                Action::GetRecord,
                ArgumentError::NoRecordLeft,
            ));
        };
        let campaign = c.name.clone();
        let id = self.hand_over_chain(agent, chain, Channel::Preview, Stage::Preview);
        Ok(Outcome {
            done: Done::GotRecord {
                id,
                contact: self.chains[chain.0 as usize - 1].contact_name.clone(),
                campaign,
            },
            opened: Some(id),
        })
    }
}
