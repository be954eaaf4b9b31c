#!/usr/bin/env python3
"""A lean SimPy model of the engine benchmark's floor: the floor's rules only, nothing else.

The same rules as benches/floor_simpy.py (and agentdesk's autopilot on the same floor): web
callbacks arriving at 1.4 an hour per agent and routed to the free agent with fewest open
interactions, push-preview records pushed every 75 s, preview records taken by agents, calls
that ring 4-14 s and talk 45-239 s with the campaign's outcome odds, calling windows
08:00-21:00 in three time zones, failed calls rescheduled an hour on up to three attempts,
invitations withdrawn after 30 s, and the five roles' privileges. What it leaves out is what
an analyst's minimal model would: no contact names, fields or phone numbers (a contact is its
time-zone offset and its number of phones), no transcript, no audit, no dispositions' words,
integer seconds throughout. Its random numbers are Python's, so its day is a statistical twin.

Not run in CI. `pip install simpy`, then: `python3 benches/floor_simpy_lean.py [agents] [hours]`.
"""

import random
import sys
import time
from collections import deque

import simpy

START = time.perf_counter()
AGENTS = int(sys.argv[1]) if len(sys.argv) > 1 else 100
HOURS = float(sys.argv[2]) if len(sys.argv) > 2 else 8.0
CENTRE = -300
DAY0 = (8 * 60 + 30) * 60  # 08:30 centre time, in seconds
TIMEOUT, PUSH, MAX_OPEN, MAX_ATTEMPTS = 30, 75, 4, 3
RATE = 1.4 * AGENTS / 3600.0
MIX = (("now", 4), ("soon", 3), ("later", 2), ("soon", 1))
WCB_ODDS = (0.05, 0.10, 0.05, 0.0, 0.02)  # busy, no answer, machine, fax, wrong party
PREVIEW_ODDS = (0.10, 0.20, 0.12, 0.02, 0.05)
PUSH_ODDS = (0.08, 0.25, 0.10, 0.01, 0.04)
# Privileges as bits.
WCB, WCB_DECLINE, WCB_RESCHEDULE, WCB_DISPOSITION = 1, 2, 4, 8
OB, OB_REJECT, OB_ALT, OB_NEXT, OB_PUSH, OB_PUSH_DECLINE, OB_RESULT, OB_RESCHEDULE, OB_BEFORE = (
    16, 32, 64, 128, 256, 512, 1024, 2048, 4096)
ROLES = (OB | OB_REJECT | OB_ALT | OB_NEXT | OB_RESULT | OB_RESCHEDULE,
         OB | OB_PUSH | OB_PUSH_DECLINE | OB_RESULT | OB_RESCHEDULE | OB_BEFORE,
         WCB | WCB_DECLINE | WCB_RESCHEDULE | WCB_DISPOSITION,
         8191,
         WCB | OB)
# An interaction: [kind, stage, agent, payload, truth, record]; stages below.
OFFERED, PREVIEW, DIALING, CONNECTED, AFTER, CLOSED = range(6)
WCB_KIND, PREVIEW_KIND, PUSH_KIND = range(3)


def contacts(count, seed):
    """Contacts as [offset from the centre in minutes, phones, attempts per phone, rejected]."""
    rng = random.Random(seed)
    return deque([[(-300, -360, -480)[rng.randrange(3)] - CENTRE, 1 + rng.randrange(3),
                   [0, 0, 0], 0] for _ in range(count)])


def in_window(offset, t):
    minute = ((DAY0 + t) // 60 + offset) % 1440
    return 480 <= minute < 1260


def opens(offset, t):
    local = DAY0 + t + offset * 60
    at = local // 86400 * 86400 + 8 * 3600 + 60
    return (at if at > local else at + 86400) - DAY0 - offset * 60


def outcome(rng, odds):
    draw, acc = rng.random(), 0.0
    for i, p in enumerate(odds):
        acc += p
        if draw < acc:
            return i  # 0 busy, 1 no answer, 2 machine, 3 fax, 4 wrong party
    return 5  # answered


class Floor:
    def __init__(self, env):
        self.env, self.rng, self.events = env, random.Random(1), 0
        self.preview, self.push = contacts(200 * AGENTS, 1), contacts(100 * AGENTS, 2)
        self.callbacks = deque()
        self.grants = [ROLES[i % 5] for i in range(AGENTS)]
        self.open = [[] for _ in range(AGENTS)]
        self.pending = deque(range(AGENTS))
        for _ in range(3):
            self.callbacks.append(0)
        env.process(self.arrivals())
        env.process(self.ticks())

    def arrivals(self):
        env, rng = self.env, self.rng
        while True:
            yield env.timeout(max(1, int(rng.expovariate(RATE))))
            self.events += 1
            draw, kind = rng.random() * 10, "now"
            for k, w in MIX:
                if draw < w:
                    kind = k
                    break
                draw -= w
            if kind == "now":
                self.callbacks.append(0)
            else:
                env.process(self.due_callback(rng.randrange(5, 30) * 60 if kind == "soon"
                                              else rng.randrange(30, 180) * 60))
            self.route()
            self.settle()

    def due_callback(self, delay):
        yield self.env.timeout(delay)
        self.events += 1
        self.callbacks.append(0)
        self.route()
        self.settle()

    def ticks(self):
        yield self.env.timeout(10)
        while True:
            if self.push:
                agent = self.free(OB_PUSH | OB_PUSH_DECLINE)
                if agent is not None:
                    self.events += 1
                    self.offer(agent, PUSH_KIND, self.push.popleft())
                    self.settle()
            yield self.env.timeout(PUSH)

    def free(self, bits):
        best, fewest = None, MAX_OPEN
        for a in range(AGENTS):
            n = len(self.open[a])
            if n < fewest and self.grants[a] & bits and \
                    not any(it[1] == OFFERED for it in self.open[a]):
                best, fewest = a, n
        return best

    def route(self):
        while self.callbacks:
            agent = self.free(WCB | WCB_DECLINE | WCB_RESCHEDULE | WCB_DISPOSITION)
            if agent is None:
                return
            self.callbacks.popleft()
            self.offer(agent, WCB_KIND, None)

    def offer(self, agent, kind, payload):
        it = [kind, OFFERED, agent, payload, 0, 0]
        self.open[agent].append(it)
        self.pending.append(agent)
        self.env.process(self.expire(it))

    def expire(self, it):
        yield self.env.timeout(TIMEOUT)
        self.events += 1
        if it[1] == OFFERED:
            self.close(it)
            if it[0] == WCB_KIND:
                self.callbacks.append(0)
            else:
                self.push.append(it[3])
            self.route()
            self.settle()

    def close(self, it):
        it[1] = CLOSED
        self.open[it[2]].remove(it)
        self.pending.append(it[2])

    def dial(self, it, odds):
        it[1] = DIALING
        self.env.process(self.ring(it, outcome(self.rng, odds), self.rng.randrange(4, 15)))

    def ring(self, it, truth, ring):
        yield self.env.timeout(ring)
        self.events += 1
        it[4] = truth
        if truth == 5:
            it[1] = CONNECTED
            yield self.env.timeout(self.rng.randrange(45, 240))
            self.events += 1
        it[1] = AFTER
        self.pending.append(it[2])
        self.settle()

    def settle(self):
        while self.pending:
            agent = self.pending.popleft()
            for _ in range(8):
                if not self.act(agent):
                    break

    def act(self, agent):
        g = self.grants[agent]
        for it in self.open[agent]:
            if self.step(agent, g, it):
                return True
        if self.open[agent] or not g & OB or not self.preview:
            return False
        self.open[agent].append([PREVIEW_KIND, PREVIEW, agent, self.preview.popleft(), 0, 0])
        return True

    def step(self, agent, g, it):
        kind, stage, now = it[0], it[1], self.env.now
        if stage == OFFERED:
            take, decline = (WCB, WCB_DECLINE) if kind == WCB_KIND else (OB_PUSH, OB_PUSH_DECLINE)
            if g & take:
                it[1] = PREVIEW
            elif g & decline:
                self.close(it)
                if kind == WCB_KIND:
                    self.callbacks.append(0)
                else:
                    self.push.append(it[3])
                self.route()
            else:
                return False
            return True
        if stage == PREVIEW:
            if kind == WCB_KIND:
                self.dial(it, WCB_ODDS)
                return True
            contact = it[3]
            odds = PUSH_ODDS if kind == PUSH_KIND else PREVIEW_ODDS
            if g & OB and in_window(contact[0], now):
                contact[2][0] += 1
                self.dial(it, odds)
                return True
            if g & OB_RESCHEDULE and g & OB_BEFORE:
                self.later(it, opens(contact[0], now))
                return True
            if g & OB_REJECT:
                self.close(it)
                (self.push if kind == PUSH_KIND else self.preview).append(contact)
                return True
            return False
        if stage != AFTER:
            return False
        failed = it[4] < 3
        if kind == WCB_KIND:
            if failed and g & WCB_RESCHEDULE:
                self.close(it)
                self.env.process(self.due_callback(3600))
            else:
                self.close(it)
            self.route()
            return True
        contact = it[3]
        if failed and contact[2][0] < MAX_ATTEMPTS and g & OB_RESCHEDULE:
            at = now + 3600
            self.later(it, at if in_window(contact[0], at) else opens(contact[0], now))
            return True
        self.close(it)
        if kind == PREVIEW_KIND and g & OB_NEXT and self.preview:
            self.open[agent].append([PREVIEW_KIND, PREVIEW, agent, self.preview.popleft(), 0, 0])
        self.route()
        return True

    def later(self, it, at):
        self.close(it)
        self.env.process(self.due_record(it[0], it[3], at - self.env.now))

    def due_record(self, kind, contact, delay):
        yield self.env.timeout(delay)
        self.events += 1
        (self.push if kind == PUSH_KIND else self.preview).appendleft(contact)
        self.settle()


env = simpy.Environment()
floor = Floor(env)
loaded = time.perf_counter()
floor.settle()
env.run(until=HOURS * 3600)
done = time.perf_counter()
print(f"lean SimPy floor: {AGENTS} agents, {HOURS} simulated hour(s)")
print(f"events: {floor.events}")
print(f"wall time: {done - START:.3f} s ({loaded - START:.3f} s loading, "
      f"{done - loaded:.3f} s simulating)")
