#!/usr/bin/env bash
# The README's engine figures: instructions per simulated event (callgrind) for floors of
# 10, 100 and 1,000 autopiloted agents over 1 and 8 simulated hours, and the process wall time
# of the 100-agent day against the SimPy model of the same floor (benches/floor_simpy.py).
#
# Needs valgrind (apt-get install valgrind) and, for the SimPy side, python3 with simpy
# (pip install simpy). Not run in CI: callgrind takes minutes on the 1,000-agent day.
# Usage: bash benches/engine-scaling.sh [runs]   (runs: wall-time repetitions, default 7)
set -euo pipefail
cd "$(dirname "$0")/.."

runs="${1:-7}"
cargo build --release --quiet
bin="${CARGO_TARGET_DIR:-target}/release/agentdesk"
roles="Outbound Preview Agent,Push Preview Agent,Web Callback Agent,Supervisor,Trainee"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

instructions() { # file -> total instructions callgrind counted
    grep -E '^(summary|totals):' "$1" | head -1 | awk '{print $2}'
}

echo "agents hours events | simulation: instructions per event | whole process: instructions per event"
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
echo "--- process wall time, 100 agents x 8 hours, median of $runs"
for _ in $(seq "$runs"); do
    /usr/bin/time -f %e -o "$tmp/t" "$bin" run --autopilot 100 --generated-contacts \
        --autopilot-roles "$roles" --hours 8 >/dev/null
    cat "$tmp/t"
done | median | sed 's/^/agentdesk: /; s/$/ s/'
if python3 -c 'import simpy' 2>/dev/null; then
    for _ in $(seq "$runs"); do
        /usr/bin/time -f %e -o "$tmp/t" python3 benches/floor_simpy.py 100 8 >/dev/null
        cat "$tmp/t"
    done | median | sed 's/^/SimPy:     /; s/$/ s/'
else
    echo "SimPy: not installed (pip install simpy)"
fi
