//! The rules of the real desktop that product version 8.5 and the vendor's later pages add:
//! dial on a new number and its documented dependency, product versions, reschedule kept open
//! until Mark Done with personal or campaign callbacks, the tenant-wide Do Not Call list, and
//! configured call results, dispositions and mandatory fields. Each test drives the engine the
//! way the desktop and scripts do, through `Engine::execute`.

use std::path::Path;

use agentdesk::engine::{Args, Command, CommandError, Engine, Outcome, Source, Target};
use agentdesk::policy::{Action, DenialKind, DenialKindName, MandatoryItem, Privilege, Stage};
use agentdesk::training::practice::evaluate;
use agentdesk::world::roles::RoleBook;
use agentdesk::world::scenario::Scenario;
use agentdesk::world::{
    AgentId, CallResult, CallbackScope, CampaignId, ChainPlace, Completion, DoNotCallScope,
    InteractionId, Payload, PhoneType,
};
use chrono::Duration;

fn engine_on(book: RoleBook, scenario: Scenario) -> Engine {
    let mut e = Engine::new(book, scenario, 1);
    // Midday: every default contact's calling window is open.
    let noon = e.now().date().and_hms_opt(13, 0, 0).expect("a time");
    e.advance_to(noon);
    e
}

fn engine() -> Engine {
    engine_on(RoleBook::embedded_default(), Scenario::embedded_default())
}

fn wrap_up() -> Scenario {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/scenarios/wrap-up.toml");
    match Scenario::load(&path) {
        Ok(s) => s,
        Err(errors) => panic!("{}", errors[0]),
    }
}

/// Logs in an agent holding `role`, Not Ready so that no invitation interferes.
fn login(e: &mut Engine, name: &str, role: &str) -> AgentId {
    let r = e.roles().find_role(role).expect("a default role");
    let a = e.login(name, vec![r]);
    e.set_ready(a, false);
    a
}

fn act(
    e: &mut Engine,
    agent: AgentId,
    id: InteractionId,
    action: Action,
    args: Args,
) -> Result<Outcome, CommandError> {
    e.execute(Command {
        agent,
        target: Target::Interaction(id),
        action,
        args,
        source: Source::Script { line: 1 },
    })
}

fn campaign(e: &Engine, name: &str) -> CampaignId {
    e.campaigns()
        .iter()
        .find(|c| c.name == name)
        .expect("a campaign of the scenario")
        .id
}

fn get_record(e: &mut Engine, agent: AgentId, campaign: CampaignId) -> InteractionId {
    e.execute(Command {
        agent,
        target: Target::Campaign(campaign),
        action: Action::GetRecord,
        args: Args::None,
        source: Source::Script { line: 1 },
    })
    .expect("get-record")
    .opened
    .expect("a record")
}

/// Get Record on the campaign called `name`.
fn open(e: &mut Engine, agent: AgentId, name: &str) -> InteractionId {
    let c = campaign(e, name);
    get_record(e, agent, c)
}

fn contact(e: &Engine, id: InteractionId) -> String {
    let it = e.interaction(id).expect("interaction");
    e.chain_of(it).expect("outbound").contact_name.to_string()
}

fn stage(e: &Engine, id: InteractionId) -> Stage {
    e.interaction(id).expect("interaction").stage
}

/// Dials the selected number with a known outcome and lets the call resolve; an answered call
/// is left connected.
fn dial(e: &mut Engine, agent: AgentId, id: InteractionId, outcome: CallResult) {
    e.force_next_outcome(outcome);
    act(e, agent, id, Action::Dial, Args::None).expect("dial");
    e.advance(Duration::seconds(20));
}

fn at(scope: Option<CallbackScope>, when: chrono::NaiveDateTime) -> Args {
    Args::At { at: when, scope }
}

#[test]
fn a_reschedule_during_a_call_then_hang_up_call_result_and_mark_done() {
    let mut e = engine();
    let dana = login(&mut e, "Dana", "Outbound Preview Agent");
    let renewals = campaign(&e, "Winter Renewals");
    let id = get_record(&mut e, dana, renewals);
    dial(&mut e, dana, id, CallResult::Answer);
    assert_eq!(stage(&e, id), Stage::Connected);
    let first = e.now() + Duration::hours(2);
    act(&mut e, dana, id, Action::Reschedule, at(None, first)).expect("during the call");
    assert_eq!(
        stage(&e, id),
        Stage::Connected,
        "the interaction stays open"
    );
    let it = e.interaction(id).expect("interaction");
    assert_eq!(it.reschedule.as_ref().map(|r| r.at), Some(first));
    // A second reschedule before Mark Done replaces the first.
    let second = e.now() + Duration::hours(3);
    act(&mut e, dana, id, Action::Reschedule, at(None, second)).expect("again");
    act(&mut e, dana, id, Action::HangUp, Args::None).expect("hang up");
    assert_eq!(stage(&e, id), Stage::AfterCall);
    act(
        &mut e,
        dana,
        id,
        Action::SetCallResult,
        Args::CallResult(CallResult::Answer),
    )
    .expect("call result");
    let chain = e
        .chain_of(e.interaction(id).expect("it"))
        .expect("chain")
        .id;
    assert_eq!(
        e.chain(chain).map(|c| c.place),
        Some(ChainPlace::WithAgent(id))
    );
    act(&mut e, dana, id, Action::MarkDone, Args::None).expect("mark done");
    let it = e.interaction(id).expect("interaction");
    assert_eq!(
        (it.stage, it.completion),
        (Stage::Closed, Some(Completion::Done))
    );
    assert_eq!(
        e.chain(chain).map(|c| c.place),
        Some(ChainPlace::Scheduled(second))
    );
    e.advance_to(second);
    assert_eq!(
        e.chain(chain).map(|c| c.place),
        Some(ChainPlace::InCampaign)
    );
    assert_eq!(
        e.campaign(renewals).and_then(|c| c.queue.front()),
        Some(chain)
    );
    e.check_invariants().expect("bookkeeping");
    // Practice counts it as a complete, correct handling.
    let (_, card) = evaluate(&e, dana, e.scenario().start_time);
    assert_eq!((card.handled, card.rescheduled), (1, 1));
}

#[test]
fn a_reschedule_before_the_call_ends_the_preview_at_once() {
    let mut e = engine();
    let sam = login(&mut e, "Sam", "Supervisor");
    let id = open(&mut e, sam, "Winter Renewals");
    let when = e.now() + Duration::hours(1);
    act(&mut e, sam, id, Action::Reschedule, at(None, when)).expect("before call");
    let it = e.interaction(id).expect("interaction");
    assert_eq!(it.completion, Some(Completion::Rescheduled));
    assert_eq!(
        e.chain_of(it).map(|c| c.place),
        Some(ChainPlace::Scheduled(when))
    );
}

#[test]
fn a_personal_callback_returns_to_its_agent_and_a_campaign_callback_to_another() {
    let mut e = engine();
    let dana = login(&mut e, "Dana", "Outbound Preview Agent");
    let alex = login(&mut e, "Alex", "Outbound Preview Agent");
    let renewals = campaign(&e, "Winter Renewals");
    let nora = get_record(&mut e, dana, renewals);
    assert_eq!(contact(&e, nora), "Nora Scott");
    dial(&mut e, dana, nora, CallResult::NoAnswer);
    let due = e.now() + Duration::hours(1);
    let personal = at(Some(CallbackScope::Personal), due);
    act(&mut e, dana, nora, Action::Reschedule, personal).expect("personal");
    act(&mut e, dana, nora, Action::MarkDone, Args::None).expect("done");
    e.advance_to(due + Duration::minutes(1));
    // Nora is first in the queue, but she is Dana's: Alex gets the next contact.
    let other = get_record(&mut e, alex, renewals);
    assert_eq!(contact(&e, other), "Sophia Lewis");
    dial(&mut e, alex, other, CallResult::Busy);
    let later = e.now() + Duration::hours(1);
    let campaign_cb = at(Some(CallbackScope::Campaign), later);
    act(&mut e, alex, other, Action::Reschedule, campaign_cb).expect("campaign");
    act(&mut e, alex, other, Action::MarkDone, Args::None).expect("done");
    // Dana's next Get Record brings Nora back first.
    let back = get_record(&mut e, dana, renewals);
    assert_eq!(contact(&e, back), "Nora Scott");
    act(&mut e, dana, back, Action::Reject, Args::None).expect("reject");
    // The campaign callback goes to whoever asks first, here Dana.
    e.advance_to(later + Duration::minutes(1));
    let sophia = get_record(&mut e, dana, renewals);
    assert_eq!(contact(&e, sophia), "Sophia Lewis");
    e.check_invariants().expect("bookkeeping");
}

#[test]
fn a_personal_web_callback_is_offered_to_its_agent_and_a_campaign_one_to_any() {
    let mut e = engine();
    let web = e.roles().find_role("Web Callback Agent").expect("role");
    let wes = e.login("Wes", vec![web]);
    let id = e.offer_callback(wes);
    act(&mut e, wes, id, Action::Accept, Args::None).expect("accept");
    e.force_next_outcome(CallResult::NoAnswer);
    act(&mut e, wes, id, Action::Dial, Args::None).expect("dial");
    e.advance(Duration::seconds(20));
    let due = e.now() + Duration::hours(1);
    let personal = at(Some(CallbackScope::Personal), due);
    act(&mut e, wes, id, Action::Reschedule, personal).expect("personal");
    act(
        &mut e,
        wes,
        id,
        Action::SetDisposition,
        Args::Disposition("Call back later".into()),
    )
    .expect("disposition");
    act(&mut e, wes, id, Action::MarkDone, Args::None).expect("done");
    // Another web callback agent, ready while Wes is not, never gets it.
    let kim = e.login("Kim", vec![web]);
    e.set_ready(wes, false);
    e.advance_to(due + Duration::minutes(5));
    let owned_by_wes = |e: &Engine, agent| {
        e.interactions()
            .iter()
            .filter(|it| it.agent == agent && it.id != id)
            .any(|it| matches!(&it.payload, Payload::WebCallback(cb) if cb.owner == Some(wes)))
    };
    assert!(!owned_by_wes(&e, kim), "a personal callback is not Kim's");
    // As soon as Wes is ready, it is offered to him, before older waiting callbacks.
    e.set_ready(wes, true);
    let offered = e
        .open_interactions(wes)
        .iter()
        .find(|it| it.stage == Stage::Offered)
        .map(|it| it.id)
        .expect("an invitation for Wes");
    assert!(owned_by_wes(&e, wes));
    match &e.interaction(offered).expect("it").payload {
        Payload::WebCallback(cb) => assert_eq!((cb.owner, cb.desired), (Some(wes), due)),
        Payload::Outbound { .. } => panic!("a web callback"),
    }
    // Declined by its own agent, it becomes anyone's.
    act(&mut e, wes, offered, Action::Decline, Args::None).expect("decline");
    assert!(
        e.waiting_callbacks()
            .filter(|cb| cb.desired == due)
            .all(|cb| cb.owner.is_none())
    );
}

#[test]
fn a_campaign_that_fixes_the_treatment_refuses_the_other_scope() {
    let mut e = engine();
    let priya = login(&mut e, "Priya", "Push Preview Agent");
    let survey = campaign(&e, "Customer Survey");
    let id = e.offer_push(priya, survey).expect("a pushed record");
    act(&mut e, priya, id, Action::Accept, Args::None).expect("accept");
    dial(&mut e, priya, id, CallResult::NoAnswer);
    let when = e.now() + Duration::hours(1);
    let err = act(
        &mut e,
        priya,
        id,
        Action::Reschedule,
        at(Some(CallbackScope::Campaign), when),
    )
    .expect_err("Customer Survey makes every reschedule personal");
    assert!(err.to_string().contains("personal callback"), "{err}");
    act(&mut e, priya, id, Action::Reschedule, at(None, when)).expect("the campaign's scope");
    let scope = e
        .interaction(id)
        .and_then(|it| it.reschedule.as_ref())
        .map(|r| r.scope);
    assert_eq!(scope, Some(CallbackScope::Personal));
}

#[test]
fn dial_new_number_appends_a_record_with_the_contacts_window_and_dials_it() {
    let mut e = engine();
    let sam = login(&mut e, "Sam", "Supervisor");
    let id = open(&mut e, sam, "Winter Renewals");
    let before = e
        .chain_of(e.interaction(id).expect("it"))
        .expect("chain")
        .clone();
    e.force_next_outcome(CallResult::NoAnswer);
    act(
        &mut e,
        sam,
        id,
        Action::DialNewNumber,
        Args::Number(" +1 206 555 0111 ".into()),
    )
    .expect("dial on a new number");
    let it = e.interaction(id).expect("interaction");
    let chain = e.chain_of(it).expect("chain");
    assert_eq!(chain.records.len(), before.records.len() + 1);
    let new = chain.records.last().expect("the new record");
    assert_eq!(
        (&*new.phone, new.phone_type),
        ("+1 206 555 0111", PhoneType::Other)
    );
    assert_eq!(new.window, before.records[before.selected].window);
    assert_eq!(new.time_zone, before.records[before.selected].time_zone);
    assert_eq!(chain.selected, chain.records.len() - 1);
    assert_eq!(it.stage, Stage::Dialing);
    assert_eq!(
        it.current_call().map(|c| (&*c.number, c.record)),
        Some(("+1 206 555 0111", Some(chain.records.len() - 1)))
    );
    // A number the chain has already, or no number at all, is invalid.
    e.advance(Duration::seconds(20));
    let err = act(
        &mut e,
        sam,
        id,
        Action::DialNewNumber,
        Args::Number("+1 (206) 555-0111".into()),
    )
    .expect_err("already in the chain");
    assert!(err.to_string().contains("use dial-alternative"), "{err}");
    let err = act(&mut e, sam, id, Action::DialNewNumber, Args::None).expect_err("no number");
    assert!(err.to_string().contains("needs a new number"), "{err}");
}

#[test]
fn dial_on_new_number_without_dial_alternative_is_granted_but_inactive() {
    let mut e = engine();
    let demo = "Demo: Outbound Dial On New Number without Dial Alternative";
    let a = login(&mut e, "Demo", demo);
    let id = open(&mut e, a, "Winter Renewals");
    let err = act(
        &mut e,
        a,
        id,
        Action::DialNewNumber,
        Args::Number("+1 206 555 0111".into()),
    )
    .expect_err("denied");
    let d = err.denial().expect("a denial");
    assert_eq!(d.kind, DenialKind::Privilege);
    assert_eq!(
        d.missing.names(),
        ["Outbound - Can Dial Alternative Chained Record"]
    );
    let detail = d.detail();
    assert!(
        detail.contains(
            "missing Outbound - Can Dial Alternative Chained Record, because Outbound - Can Dial \
             On New Number requires Outbound - Can Dial Alternative Chained Record (documented \
             dependency)"
        ),
        "{detail}"
    );
    assert!(
        detail.contains(
            "Outbound - Can Dial On New Number is granted, but inactive: requires Outbound - Can \
             Dial Alternative Chained Record (documented dependency)"
        ),
        "{detail}"
    );
    assert!(
        d.plain().contains("works only together with"),
        "{}",
        d.plain()
    );
    // Without Can Use, both documented dependencies are unmet.
    let demo = "Demo: Outbound Dial On New Number without Can Use";
    let b = e.roles().find_role(demo).expect("role");
    let granted = e.roles().roles[b].granted;
    assert!(granted.contains(Privilege::ObDialNewNumber));
    assert!(!granted.effective().contains(Privilege::ObDialNewNumber));
}

#[test]
fn contact_wide_do_not_call_blocks_a_new_number_and_names_the_entry() {
    let mut e = engine();
    let sam = login(&mut e, "Sam", "Supervisor");
    let id = open(&mut e, sam, "Winter Renewals");
    act(
        &mut e,
        sam,
        id,
        Action::MarkDoNotCall,
        Args::DoNotCall(DoNotCallScope::Contact),
    )
    .expect("mark the whole contact");
    let err = act(
        &mut e,
        sam,
        id,
        Action::DialNewNumber,
        Args::Number("+1 206 555 0111".into()),
    )
    .expect_err("the contact is listed");
    let d = err.denial().expect("a denial");
    assert_eq!(d.kind.name(), DenialKindName::Compliance);
    assert!(
        d.detail()
            .contains("Nora Scott is on the Do Not Call list (entry: the whole contact)"),
        "{}",
        d.detail()
    );
    assert!(d.detail().contains("Nora Scott"), "{}", d.detail());
    // The button is disabled before a number is typed, too.
    let err = e
        .check(sam, Target::Interaction(id), Action::DialNewNumber)
        .expect_err("no new number for a listed contact");
    assert_eq!(err.kind.name(), DenialKindName::Compliance);
    // Every number of the chain is blocked.
    for action in [Action::Dial, Action::DialAlternative] {
        assert!(
            e.check(sam, Target::Interaction(id), action).is_err(),
            "{action}"
        );
    }
}

#[test]
fn do_not_call_holds_across_campaigns() {
    let scenario = Scenario::parse(
        "two.toml",
        "name = \"two\"\nstart = \"2026-11-23T08:30:00\"\n\
         [[campaign]]\nname = \"A\"\nmode = \"preview\"\ncontacts = \"renewals.csv\"\n\
         [[campaign]]\nname = \"B\"\nmode = \"preview\"\ncontacts = \"renewals.csv\"\n",
        None,
    )
    .expect("a scenario");
    let mut e = engine_on(RoleBook::embedded_default(), scenario);
    let sam = login(&mut e, "Sam", "Supervisor");
    let (a, b) = (campaign(&e, "A"), campaign(&e, "B"));
    let in_a = get_record(&mut e, sam, a);
    act(&mut e, sam, in_a, Action::MarkDoNotCall, Args::None).expect("the number");
    let err = act(&mut e, sam, in_a, Action::Dial, Args::None).expect_err("blocked");
    assert_eq!(
        err.denial().map(|d| d.kind.name()),
        Some(DenialKindName::Compliance)
    );
    act(&mut e, sam, in_a, Action::Reject, Args::None).expect("reject");
    let in_b = get_record(&mut e, sam, b);
    assert_eq!(contact(&e, in_b), "Nora Scott");
    let d = e
        .check(sam, Target::Interaction(in_b), Action::Dial)
        .expect_err("listed in campaign A, blocked in B");
    assert!(
        d.detail().contains("(entry: this number)"),
        "{}",
        d.detail()
    );
    assert_eq!(e.do_not_call().entries().len(), 1);
}

#[test]
fn a_mandatory_disposition_blocks_mark_done_with_a_field_denial() {
    let mut e = engine_on(RoleBook::embedded_default(), wrap_up());
    let web = e.roles().find_role("Web Callback Agent").expect("role");
    let wes = e.login("Wes", vec![web]);
    let id = e.offer_callback(wes);
    act(&mut e, wes, id, Action::Accept, Args::None).expect("accept");
    let err = act(&mut e, wes, id, Action::MarkDone, Args::None).expect_err("no disposition");
    let d = err.denial().expect("a denial");
    assert_eq!(
        d.kind,
        DenialKind::MandatoryMissing(vec![MandatoryItem::Disposition])
    );
    assert_eq!(d.kind.name(), DenialKindName::Field);
    assert!(d.plain().contains("set a disposition"), "{}", d.plain());
    // Nested dispositions are named by their path, in any case and spacing.
    act(
        &mut e,
        wes,
        id,
        Action::SetDisposition,
        Args::Disposition("sale>upgrade".into()),
    )
    .expect("a nested disposition");
    act(&mut e, wes, id, Action::MarkDone, Args::None).expect("now done");
}

#[test]
fn a_mandatory_field_blocks_mark_done_until_filled_in() {
    let mut e = engine();
    let sam = login(&mut e, "Sam", "Supervisor");
    let id = open(&mut e, sam, "Winter Renewals");
    let edit = |value: &str| Args::Edit {
        field: "Email".into(),
        value: value.into(),
    };
    act(&mut e, sam, id, Action::EditRecordData, edit("  ")).expect("emptied");
    dial(&mut e, sam, id, CallResult::Busy);
    for action in [Action::MarkDone, Action::DoneAndGetNext] {
        let d = e
            .check(sam, Target::Interaction(id), action)
            .expect_err("Email is mandatory");
        assert_eq!(
            d.kind,
            DenialKind::MandatoryMissing(vec![MandatoryItem::Field("Email".into())])
        );
        assert!(
            d.summary()
                .contains("field \"Email\" is mandatory and empty")
        );
    }
    act(
        &mut e,
        sam,
        id,
        Action::EditRecordData,
        edit("nora@example.com"),
    )
    .expect("filled");
    act(&mut e, sam, id, Action::MarkDone, Args::None).expect("now done");
}

#[test]
fn call_results_not_offered_are_invalid_and_the_preselected_one_is_proposed() {
    let mut e = engine_on(RoleBook::embedded_default(), wrap_up());
    let dana = login(&mut e, "Dana", "Outbound Preview Agent");
    let id = open(&mut e, dana, "Strict Renewals");
    assert_eq!(e.preselected_call_result(id), CallResult::NoAnswer);
    dial(&mut e, dana, id, CallResult::Silence);
    let err = act(
        &mut e,
        dana,
        id,
        Action::SetCallResult,
        Args::CallResult(CallResult::Silence),
    )
    .expect_err("not offered");
    assert!(
        err.to_string()
            .contains("it offers: Answer, No Answer, Busy, Answering Machine Detected"),
        "{err}"
    );
    act(
        &mut e,
        dana,
        id,
        Action::SetCallResult,
        Args::CallResult(CallResult::Busy),
    )
    .expect("offered");
    // Without a configured preselection, the dialog proposes the record's current result.
    let mut d = engine();
    let sam = login(&mut d, "Sam", "Supervisor");
    let id = open(&mut d, sam, "Winter Renewals");
    assert_eq!(d.preselected_call_result(id), CallResult::UnknownCallResult);
}

#[test]
fn an_8_1_roles_file_has_no_dial_new_number() {
    let book = RoleBook::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/roles-8.1.toml"))
        .expect("the 8.1 example roles load")
        .book;
    assert_eq!(book.product_version().to_string(), "8.1.401.05");
    let mut e = engine_on(book, Scenario::embedded_default());
    let sam = login(&mut e, "Sam", "Supervisor");
    let id = open(&mut e, sam, "Winter Renewals");
    let d = e
        .check(sam, Target::Interaction(id), Action::DialNewNumber)
        .expect_err("no such action in 8.1");
    assert_eq!(d.kind.name(), DenialKindName::Stage);
    assert!(
        d.detail().contains(
            "dial-new-number does not exist in product version 8.1.401.05 (added in 8.5.115.17)"
        ),
        "{}",
        d.detail()
    );
    // Every other action is as in the newest version.
    e.check(sam, Target::Interaction(id), Action::DialAlternative)
        .expect("dial-alternative exists in 8.1");
}
