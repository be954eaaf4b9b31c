#!/usr/bin/env bash
# The README's engine figures: instructions per simulated event (callgrind) for floors of
# 10, 100 and 1,000 autopiloted agents over 1 and 8 simulated hours, and the 100-agent day's
# wall time (whole process, loading, simulating; median of `runs` interleaved rounds) against
# two SimPy models of the same floor: benches/floor_simpy.py and the lean
# benches/floor_simpy_lean.py (the floor's rules only), the 1,000-agent day's against the lean
# model, and the peak memory of 10 campaigns sharing one 100,000-row contact list. Set
# ENGINE_SCALING_SKIP_CALLGRIND=1 for the wall times and memory alone.
#
# Needs valgrind (apt-get install valgrind) and, for the SimPy side, python3 with simpy
# (pip install simpy). Not run in CI: callgrind takes minutes on the 1,000-agent day.
# Usage: bash benches/engine-scaling.sh [runs]   (runs: wall-time repetitions, default 5)
set -euo pipefail
cd "$(dirname "$0")/.."

runs="${1:-5}"
cargo build --release --quiet
bin="${CARGO_TARGET_DIR:-target}/release/agentdesk"
roles="Outbound Preview Agent,Push Preview Agent,Web Callback Agent,Supervisor,Trainee"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

instructions() { # file -> total instructions callgrind counted
    grep -E '^(summary|totals):' "$1" | head -1 | awk '{print $2}'
}

[ -n "${ENGINE_SCALING_SKIP_CALLGRIND:-}" ] ||
echo "agents hours events | simulation: instructions per event | whole process: instructions per event"
[ -n "${ENGINE_SCALING_SKIP_CALLGRIND:-}" ] ||
for agents in 10 100 1000; do
    for hours in 1 8; do
        valgrind --tool=callgrind --callgrind-out-file="$tmp/drive" \
            --toggle-collect='agentdesk::training::autopilot::drive*' \
            "$bin" run --autopilot "$agents" --generated-contacts --autopilot-roles "$roles" \
            --hours "$hours" >"$tmp/out" 2>/dev/null
        valgrind --tool=callgrind --callgrind-out-file="$tmp/all" \
            "$bin" run --autopilot "$agents" --generated-contacts --autopilot-roles "$roles" \
            --hours "$hours" >/dev/null 2>&1
        events=$(awk '/^events:/ {print $2}' "$tmp/out")
        drive=$(instructions "$tmp/drive")
        all=$(instructions "$tmp/all")
        echo "$agents $hours $events | $((drive / events)) | $((all / events))"
    done
done

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR + 1) / 2)]}'; }
# Each run prints "wall time: T s (L s loading, S s simulating)"; the medians of each of the
# three are taken separately, over $runs runs.
wall() { # file command... -> appends "total loading simulating" of one run to file
    local file=$1
    shift
    "$@" | sed -n 's/.*wall time: \([0-9.]*\) s (\([0-9.]*\) s loading, \([0-9.]*\) s simulating).*/\1 \2 \3/p' \
        >>"$file"
}
report() { # name file
    local total loading simulating
    total=$(awk '{print $1}' "$2" | median)
    loading=$(awk '{print $2}' "$2" | median)
    simulating=$(awk '{print $3}' "$2" | median)
    printf '%-14s %8s s %8s s %8s s\n' "$1" "$total" "$loading" "$simulating"
    echo "$total $loading $simulating" >"$2.median"
}
# The sides take turns, one run each a round, so a slow minute on this shared machine slows
# every side alike rather than one side's whole block: the ratios are what this compares.
model_script() { # model -> its script
    case $1 in simpy) echo benches/floor_simpy.py ;; lean) echo benches/floor_simpy_lean.py ;; esac
}
model_name() { # model -> its name in the report
    case $1 in simpy) echo "SimPy" ;; lean) echo "SimPy, lean" ;; esac
}
compare() { # agents models... -> each side's medians over an 8-hour day, then the ratios
    local agents=$1 model
    shift
    echo "--- $agents agents x 8 hours, median of $runs interleaved rounds: whole process, loading, simulating"
    : >"$tmp/agentdesk"
    for model in "$@"; do : >"$tmp/$model"; done
    for _ in $(seq "$runs"); do
        wall "$tmp/agentdesk" "$bin" run --autopilot "$agents" --generated-contacts \
            --autopilot-roles "$roles" --hours 8
        for model in "$@"; do
            wall "$tmp/$model" python3 "$(model_script "$model")" "$agents" 8
        done
    done
    report agentdesk "$tmp/agentdesk"
    for model in "$@"; do report "$(model_name "$model")" "$tmp/$model"; done
    read -r at al as <"$tmp/agentdesk.median"
    for model in "$@"; do
        read -r mt ml ms <"$tmp/$model.median"
        awk -v m="$model" -v at="$at" -v as="$as" -v mt="$mt" -v ms="$ms" 'BEGIN {
            printf "ratio against %s: whole process %.1fx, simulating %.1fx\n", \
                (m == "lean" ? "the lean SimPy model" : "the SimPy model"), mt / at, ms / as }'
    done
}
if python3 -c 'import simpy' 2>/dev/null; then
    compare 100 simpy lean
    # The largest floor, against the lean model only (the full model takes minutes a round).
    compare 1000 lean
else
    compare 100
    echo "SimPy: not installed (pip install simpy)"
fi

# Peak memory of the issue's shared list: 10 running campaigns on one 100,000-row contact list
# (about 11 MB: three zones, one to three numbers, three extra fields), with 10 autopilot
# agents for an hour. The list is parsed once and shared, so this is about one copy of it.
echo "--- 10 campaigns on one 100,000-row contact list, 10 agents x 1 hour, median of $runs"
awk 'BEGIN {
    print "first_name,last_name,time_zone,utc_offset_hours,window_from,window_till,home,work,mobile,Account,Email,Notes"
    z[0] = "Eastern,-5"; z[1] = "Central,-6"; z[2] = "Pacific,-8"
    for (i = 0; i < 100000; i++)
        printf "Contact%d,Generated,%s,08:00,21:00,+1 212 %03d %04d,%s,%s,AC-%06d,contact%d@example.com,\n",
            i, z[i % 3], i % 1000, (i * 3) % 10000,
            (i % 2 ? sprintf("+1 212 %03d %04d", i % 1000, (i * 3 + 1) % 10000) : ""),
            (i % 3 == 0 ? sprintf("+1 646 %03d %04d", i % 1000, (i * 7) % 10000) : ""), i, i
}' >"$tmp/list100k.csv"
{
    printf 'name = "ten campaigns on one list"\nstart = "2026-11-23T08:00:00"\n'
    for i in $(seq 0 9); do
        printf '[[campaign]]\nname = "C%d"\nmode = "preview"\nrunning = true\ncontacts = "list100k.csv"\n' "$i"
    done
} >"$tmp/ten.toml"
for _ in $(seq "$runs"); do
    /usr/bin/time -f 'peak %M' "$bin" run --scenario "$tmp/ten.toml" --autopilot 10 --hours 1 \
        2>"$tmp/time" | sed -n 's/.*wall time: \([0-9.]*\) s (\([0-9.]*\) s loading.*/\2/p' \
        >>"$tmp/shared.loading"
    sed -n 's/^peak \([0-9]*\)$/\1/p' "$tmp/time" >>"$tmp/shared.peak"
done
awk -v bytes="$(wc -c <"$tmp/list100k.csv")" -v kib="$(median <"$tmp/shared.peak")" \
    -v loading="$(median <"$tmp/shared.loading")" 'BEGIN {
    printf "list %.1f MB: peak resident %.1f MB, loading %s s\n", bytes / 1e6, kib / 1024, loading }'
