#!/usr/bin/env python3
"""A SimPy model of the engine benchmark's floor, for a side-by-side of process wall time.

The same floor as `agentdesk run --autopilot 100 --generated-contacts --autopilot-roles
"Outbound Preview Agent,Push Preview Agent,Web Callback Agent,Supervisor,Trainee" --hours 8`:
100 agents rotating through those five roles of assets/roles.toml, the default scenario
(assets/scenarios/default.toml) with the same generated contacts (200 preview and 100
push-preview per agent, three time zones, 08:00-21:00 calling windows) and 140 web callbacks
an hour, the same customer outcome odds, ring and talk times, invitation time-out, push
interval, and the same autopilot rules (accept or decline, dial or dial another number,
reschedule to the window or reject, set the call result or disposition, reschedule failed
calls an hour on up to three attempts, done-and-get-next or mark done), gated by the same
privileges. It counts the same events (arrivals, callbacks and records due, push ticks that
push, dials resolving, customers hanging up, invitations expiring) and its random numbers are
Python's, so its day is a statistical twin, not a copy.

Not run in CI. `pip install simpy`, then: `time python3 benches/floor_simpy.py [agents] [hours]`.
"""

import math
import random
import sys
import time
from collections import deque

import simpy

START = time.perf_counter()

AGENTS = int(sys.argv[1]) if len(sys.argv) > 1 else 100
HOURS = float(sys.argv[2]) if len(sys.argv) > 2 else 8.0
SEED = 1

# The default scenario.
CENTRE_OFFSET = -300  # minutes from UTC
START_MINUTE = 8 * 60 + 30  # 08:30 centre time
INVITATION_TIMEOUT = 30
PUSH_INTERVAL = 75
MAX_OPEN = 4
MAX_ATTEMPTS = 3
MAX_ACTIONS_PER_INSTANT = 8
CALLBACKS_PER_HOUR = 14 * AGENTS / 10
INITIAL_CALLBACKS = 3
EXPIRES_AFTER = 120 * 60
MIX = [("immediate", 4), ("delayed", 3), ("scheduled", 2), ("delayed_with_agent_preview", 1)]
REASONS = 7
DISPOSITIONS = ["Resolved", "Sale", "Information given", "Call back later", "Not interested",
                "Complaint escalated"]
FAILED = ("busy", "no_answer", "machine")
WCB_BEHAVIOUR = [("busy", 0.05), ("no_answer", 0.10), ("machine", 0.05), ("fax", 0.0),
                 ("wrong_party", 0.02)]
CAMPAIGNS = [
    # name, mode, running, behaviour, contacts per agent
    ("Winter Renewals", "preview", True,
     [("busy", 0.10), ("no_answer", 0.20), ("machine", 0.12), ("fax", 0.02),
      ("wrong_party", 0.05)], 200),
    ("Customer Survey", "push", True,
     [("busy", 0.08), ("no_answer", 0.25), ("machine", 0.10), ("fax", 0.01),
      ("wrong_party", 0.04)], 100),
    ("Spring Offers (not started)", "preview", False,
     [("busy", 0.10), ("no_answer", 0.20), ("machine", 0.12), ("fax", 0.02),
      ("wrong_party", 0.05)], 200),
]

# The roles, as the privileges the autopilot's choices depend on.
ALL = {"wcb", "wcb_decline", "wcb_reject", "wcb_reschedule", "wcb_before_call",
       "wcb_disposition", "wcb_mark_done", "ob", "ob_reject", "ob_alternative", "ob_get_next",
       "ob_push", "ob_push_decline", "ob_call_result", "ob_reschedule", "ob_before_call"}
ROLES = [
    {"ob", "ob_reject", "ob_alternative", "ob_get_next", "ob_call_result", "ob_reschedule"},
    {"ob", "ob_push", "ob_push_decline", "ob_call_result", "ob_reschedule", "ob_before_call"},
    {"wcb", "wcb_decline", "wcb_reject", "wcb_reschedule", "wcb_before_call",
     "wcb_disposition", "wcb_mark_done"},
    ALL,
    {"wcb", "ob"},
]


def splitmix(seed):
    state = seed
    while True:
        state = (state + 0x9E3779B97F4A7C15) & 0xFFFFFFFFFFFFFFFF
        z = state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & 0xFFFFFFFFFFFFFFFF
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & 0xFFFFFFFFFFFFFFFF
        yield z ^ (z >> 31)


class Record:
    __slots__ = ("phone", "offset", "attempts", "result")

    def __init__(self, phone, offset):
        self.phone, self.offset, self.attempts, self.result = phone, offset, 0, None


class Chain:
    __slots__ = ("id", "campaign", "name", "fields", "records", "selected", "rejected_by")

    def __init__(self, cid, campaign, name, fields, records):
        self.id, self.campaign, self.name, self.fields = cid, campaign, name, fields
        self.records, self.selected, self.rejected_by = records, 0, set()


def contacts(count, seed, campaign, first_id):
    """The benchmark's generated contacts, as agentdesk's training::floor::contacts makes them."""
    stream = splitmix(seed)
    zones = [("Eastern", -300), ("Central", -360), ("Pacific", -480)]
    chains = []
    for i in range(count):
        r = next(stream)
        _zone, offset = zones[r % 3]
        phones = [f"+1 212 {i % 1000:03} {(i * 3 + k) % 10000:04}" for k in range(1 + (r >> 8) % 3)]
        fields = {"First Name": f"Contact{i}", "Last Name": "Generated",
                  "Account": f"AC-{i:06}", "Email": f"contact{i}@example.com", "Notes": ""}
        records = [Record(p, offset - CENTRE_OFFSET) for p in phones]
        chains.append(Chain(first_id + i, campaign, f"Contact{i} Generated", fields, records))
    return chains


def in_window(record, t):
    """Whether the record may be called at simulated second `t` (08:00-21:00 contact time)."""
    minute = (START_MINUTE + t // 60 + record.offset) % (24 * 60)
    return 8 * 60 <= minute < 21 * 60


def window_opens(record, t):
    """The next second the record's window opens, one minute in."""
    local = START_MINUTE * 60 + t + record.offset * 60
    day = local // 86400
    opening = day * 86400 + 8 * 3600 + 60
    if opening <= local:
        opening += 86400
    return opening - START_MINUTE * 60 - record.offset * 60


class Floor:
    def __init__(self, env):
        self.env = env
        self.rng = random.Random(SEED)
        self.events = 0
        self.commands = 0
        self.interactions = []
        self.campaigns = []
        self.chains = []
        for index, (name, mode, running, behaviour, per_agent) in enumerate(CAMPAIGNS):
            chains = contacts(per_agent * AGENTS, index + 1, index, len(self.chains))
            self.chains.extend(chains)
            self.campaigns.append({"name": name, "mode": mode, "running": running,
                                   "behaviour": behaviour, "queue": deque(chains)})
        self.callbacks = {}  # index -> callback, in arrival order
        self.next_callback = 0
        # Agents whose situation changed: they look at their desks before time moves on.
        self.pending = deque()
        self.agents = []
        for i in range(AGENTS):
            granted = ROLES[i % len(ROLES)]
            self.agents.append({"id": i, "granted": granted, "open": [],
                                "wcb": bool(granted & {"wcb", "wcb_decline", "wcb_reject",
                                                       "wcb_reschedule", "wcb_before_call",
                                                       "wcb_disposition", "wcb_mark_done"}),
                                "push": "ob_push" in granted or "ob_push_decline" in granted,
                                "stuck": False})
        for _ in range(INITIAL_CALLBACKS):
            self.new_callback("immediate")
        env.process(self.arrivals())
        env.process(self.push_ticks())

    # Traffic.
    def arrivals(self):
        while True:
            u = max(self.rng.random(), 1e-12)
            gap = min(max(-math.log(u) / CALLBACKS_PER_HOUR * 3600.0, 1.0), 86400.0)
            yield self.env.timeout(int(gap))
            self.events += 1
            self.new_callback(None)
            self.route()
            self.settle()

    def new_callback(self, kind):
        if kind is None:
            total = sum(w for _, w in MIX)
            draw = self.rng.random() * total
            kind = "immediate"
            for k, w in MIX:
                if draw < w:
                    kind = k
                    break
                draw -= w
        if kind == "immediate":
            delay = 0
        elif kind == "scheduled":
            delay = self.rng.randrange(30, 180)
        else:
            delay = self.rng.randrange(5, 30)
        chains = self.chains
        row = chains[self.rng.randrange(len(chains))]
        desired = self.env.now + delay * 60
        cb = {"kind": kind, "desired": desired, "expires": desired + EXPIRES_AFTER,
              "customer": row.name, "number": row.records[0].phone,
              "reason": self.rng.randrange(REASONS), "queued": delay == 0,
              "rejected_by": set(), "disposition": None}
        index = self.add_pending(cb)
        if delay:
            self.env.process(self.callback_due(index, delay * 60))
        return index

    def add_pending(self, cb):
        index = self.next_callback
        self.next_callback += 1
        self.callbacks[index] = cb
        return index

    def callback_due(self, index, delay):
        yield self.env.timeout(delay)
        self.events += 1
        cb = self.callbacks.get(index)
        if cb is not None and not cb["queued"]:
            cb["queued"] = True
        self.route()
        self.settle()

    def push_ticks(self):
        yield self.env.timeout(10)
        while True:
            if self.push_records():
                self.events += 1
                self.settle()
            yield self.env.timeout(PUSH_INTERVAL)

    # Routing.
    def free_agent(self, group, exclude):
        best = None
        for a in self.agents:
            if not a[group] or a["id"] in exclude or len(a["open"]) >= MAX_OPEN:
                continue
            if any(it["stage"] == "offered" for it in a["open"]):
                continue
            if best is None or len(a["open"]) < len(best["open"]):
                best = a
        return best

    def route(self):
        now = self.env.now
        for index in list(self.callbacks):
            cb = self.callbacks[index]
            if cb["expires"] <= now:
                del self.callbacks[index]
                continue
            if not cb["queued"] or cb["desired"] > now:
                continue
            agent = self.free_agent("wcb", cb["rejected_by"])
            if agent is None:
                continue
            del self.callbacks[index]
            self.open(agent, "wcb", "offered", cb)

    def push_records(self):
        pushed = False
        for c in self.campaigns:
            if c["mode"] != "push" or not c["running"]:
                continue
            for chain in c["queue"]:
                agent = self.free_agent("push", chain.rejected_by)
                if agent is not None:
                    c["queue"].remove(chain)
                    self.open(agent, "push", "offered", chain)
                    pushed = True
                    break
        return pushed

    def open(self, agent, channel, stage, payload):
        it = {"id": len(self.interactions) + 1, "channel": channel, "stage": stage,
              "agent": agent, "payload": payload, "calls": []}
        self.interactions.append(it)
        agent["open"].append(it)
        self.concern(agent)
        if stage == "offered":
            self.env.process(self.offer_expires(it))
        return it

    def offer_expires(self, it):
        yield self.env.timeout(INVITATION_TIMEOUT)
        self.events += 1
        if it["stage"] == "offered":
            self.give_back(it, by_agent=False)
            self.concern(it["agent"])
            self.route()
            self.settle()

    def close(self, it):
        it["stage"] = "closed"
        it["agent"]["open"].remove(it)

    def give_back(self, it, by_agent):
        self.close(it)
        payload = it["payload"]
        if it["channel"] == "wcb":
            back = dict(payload)
            back["rejected_by"] = set(payload["rejected_by"])
            if by_agent:
                back["rejected_by"].add(it["agent"]["id"])
            back["queued"] = True
            self.add_pending(back)
        else:
            if by_agent:
                payload.rejected_by.add(it["agent"]["id"])
            self.campaigns[payload.campaign]["queue"].append(payload)
            self.record_back()

    # Calls.
    def call(self, it, record):
        behaviour = (WCB_BEHAVIOUR if it["channel"] == "wcb"
                     else self.campaigns[it["payload"].campaign]["behaviour"])
        draw, acc, truth = self.rng.random(), 0.0, "answer"
        for result, p in behaviour:
            acc += p
            if draw < acc:
                truth = result
                break
        ring = self.rng.randrange(4, 15)
        it["stage"] = "dialing"
        it["calls"].append({"record": record, "truth": None})
        self.env.process(self.ringing(it, len(it["calls"]) - 1, truth, ring))

    def ringing(self, it, call, truth, ring):
        yield self.env.timeout(ring)
        self.events += 1
        if len(it["calls"]) != call + 1 or it["stage"] != "dialing":
            return
        it["calls"][-1]["truth"] = truth
        talk = self.rng.randrange(45, 240)
        if truth == "answer":
            it["stage"] = "connected"
            yield self.env.timeout(talk)
            self.events += 1
            if len(it["calls"]) == call + 1 and it["stage"] == "connected":
                it["stage"] = "after_call"
        else:
            it["stage"] = "after_call"
        self.concern(it["agent"])
        self.settle()

    # The autopilot.
    def settle(self):
        """The agents something concerned act until they have nothing left to do now."""
        while self.pending:
            agent = self.pending.popleft()
            for _ in range(MAX_ACTIONS_PER_INSTANT):
                if not self.act(agent):
                    break

    def concern(self, agent):
        self.pending.append(agent)

    def record_back(self):
        """A record is back in a campaign: agents with no work may get it."""
        for agent in self.agents:
            if not agent["open"] and "ob" in agent["granted"]:
                self.pending.append(agent)

    def wake_at(self, agent, at):
        """An agent stuck on a record outside its calling window looks again when it opens."""
        if not agent["stuck"]:
            agent["stuck"] = True
            self.env.process(self.wake(agent, at - self.env.now))

    def wake(self, agent, delay):
        yield self.env.timeout(delay)
        agent["stuck"] = False
        self.concern(agent)
        self.settle()

    def act(self, agent):
        for it in list(agent["open"]):
            if self.step(agent, it):
                self.commands += 1
                return True
        if agent["open"] or "ob" not in agent["granted"]:
            return False
        for c in self.campaigns:
            if c["mode"] == "preview" and c["running"]:
                for chain in c["queue"]:
                    if agent["id"] not in chain.rejected_by:
                        c["queue"].remove(chain)
                        self.open(agent, "preview", "preview", chain)
                        self.commands += 1
                        return True
                return False
        return False

    def may(self, agent, *privileges, push=False):
        granted = agent["granted"]
        return all(p in granted for p in privileges) and (not push or "ob_push" in granted)

    def step(self, agent, it):
        stage, channel = it["stage"], it["channel"]
        push = channel == "push"
        if stage == "offered":
            if self.may(agent, "ob_push" if push else "wcb"):
                it["stage"] = "preview"
                return True
            if self.may(agent, "ob_push_decline" if push else "wcb_decline", push=push):
                self.give_back(it, by_agent=True)
                self.route()
                return True
            return False
        if stage == "preview":
            if channel == "wcb":
                self.call(it, None)
                return True
            chain = it["payload"]
            record = chain.records[chain.selected]
            now = self.env.now
            if self.may(agent, "ob", push=push) and in_window(record, now):
                record.attempts += 1
                self.call(it, chain.selected)
                return True
            if self.may(agent, "ob_alternative", push=push):
                for r, other in enumerate(chain.records):
                    if r != chain.selected and in_window(other, now):
                        other.attempts += 1
                        self.call(it, r)
                        return True
            if self.may(agent, "ob_reschedule", "ob_before_call", push=push):
                self.reschedule(it, window_opens(record, now))
                return True
            if self.may(agent, "ob_reject", push=push):
                self.give_back(it, by_agent=True)
                self.route()
                return True
            self.wake_at(agent, window_opens(record, now) - 60)
            return False
        if stage != "after_call":
            return False
        truth = it["calls"][-1]["truth"] or "no_answer"
        failed = truth in FAILED
        now = self.env.now
        if channel == "wcb":
            cb = it["payload"]
            if cb["disposition"] is None and self.may(agent, "wcb_disposition"):
                cb["disposition"] = "Resolved" if truth == "answer" else "Call back later"
                return True
            if failed and self.may(agent, "wcb_reschedule"):
                self.reschedule(it, now + 3600)
                return True
            self.close(it)
            self.route()
            return True
        chain = it["payload"]
        record = chain.records[it["calls"][-1]["record"]]
        if record.result != truth and self.may(agent, "ob_call_result", push=push):
            record.result = truth
            return True
        if failed and record.attempts < MAX_ATTEMPTS and self.may(agent, "ob_reschedule",
                                                                  push=push):
            later = now + 3600
            at = later if in_window(chain.records[chain.selected], later) else \
                window_opens(chain.records[chain.selected], now)
            self.reschedule(it, at)
            return True
        self.close(it)
        campaign = self.campaigns[chain.campaign]
        if channel == "preview" and "ob_get_next" in agent["granted"]:
            for nxt in campaign["queue"]:
                if agent["id"] not in nxt.rejected_by:
                    campaign["queue"].remove(nxt)
                    self.open(agent, "preview", "preview", nxt)
                    break
        self.route()
        return True

    def reschedule(self, it, at):
        self.close(it)
        payload = it["payload"]
        if it["channel"] == "wcb":
            cb = dict(payload)
            cb["desired"], cb["expires"], cb["queued"] = at, at + EXPIRES_AFTER, False
            index = self.add_pending(cb)
            self.env.process(self.callback_due(index, at - self.env.now))
        else:
            self.env.process(self.chain_due(payload, at - self.env.now))
        self.route()

    def chain_due(self, chain, delay):
        yield self.env.timeout(delay)
        self.events += 1
        self.campaigns[chain.campaign]["queue"].appendleft(chain)
        self.record_back()
        self.settle()


env = simpy.Environment()
floor = Floor(env)
loaded = time.perf_counter()
floor.pending.extend(floor.agents)
floor.settle()
env.run(until=HOURS * 3600)
done = time.perf_counter()
calls = sum(len(it["calls"]) for it in floor.interactions)
print(f"SimPy floor: {AGENTS} agents, {HOURS} simulated hour(s)")
print(f"events: {floor.events}")
print(f"commands: {floor.commands}")
print(f"interactions: {len(floor.interactions)} opened")
print(f"calls: {calls}")
print(f"wall time: {done - START:.3f} s ({loaded - START:.3f} s loading, "
      f"{done - loaded:.3f} s simulating)")
