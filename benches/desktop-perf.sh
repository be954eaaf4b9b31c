#!/usr/bin/env bash
# Measures the desktop itself with public tools, each figure beside the same figure for a bare
# eframe window (examples/minimal_window.rs: same eframe/egui, glow renderer and window size),
# so the ratios hold on a noisy machine where absolute numbers do not.
#
#   frame CPU time   examples/frame_time.rs, headless: 1,000 frames of a desktop with 500 open
#                    interactions (egui pass + tessellation, timed with Instant), median and p99
#   first frame      launch to first painted frame under Xvfb, median of $RUNS launches
#   idle CPU         utime+stime from /proc/PID/stat over $IDLE_SECONDS with the clock paused
#   peak memory      VmHWM from /proc/PID/status at the end of the idle window
#
# Usage: bash benches/desktop-perf.sh          (RUNS=10 IDLE_SECONDS=30 FRAMES=1000 by default)
# It builds what it needs with `cargo build --release --bin agentdesk --examples` (a no-op when
# built); set NO_BUILD=1 to use existing binaries in ${CARGO_TARGET_DIR:-target}/release.
#
# Debian/Ubuntu packages (besides the Rust toolchain, gcc and libc6-dev):
#   apt-get install -y --no-install-recommends xvfb xdotool x11-utils imagemagick \
#     libgl1-mesa-dri libegl1 libegl-mesa0 libxkbcommon-x11-0 libxcursor1 libxrandr2 libxi6 \
#     libwayland-client0 bsdextrautils
# (xvfb: the X server; xdotool: finding and clicking the window; x11-utils: xwininfo;
# imagemagick: `import` screenshots that check a frame was painted; bsdextrautils: `column`
# for the table; the rest: what eframe's glow
# renderer and winit dlopen at run time, with Mesa's software OpenGL.)
set -euo pipefail

cd "$(dirname "$0")/.."

RUNS=${RUNS:-10}
IDLE_SECONDS=${IDLE_SECONDS:-30}
FRAMES=${FRAMES:-1000}
release="${CARGO_TARGET_DIR:-target}/release"

for tool in Xvfb xdotool xwininfo import awk; do
    if ! command -v "$tool" >/dev/null; then
        echo "error: $tool is missing; see the package list at the top of $0" >&2
        exit 1
    fi
done

if [ "${NO_BUILD:-0}" != 1 ]; then
    cargo build --quiet --release --bin agentdesk --examples
fi
desk="$release/agentdesk"
minimal="$release/examples/minimal_window"
frame_time="$release/examples/frame_time"
for bin in "$desk" "$minimal" "$frame_time"; do
    if [ ! -x "$bin" ]; then
        echo "error: $bin is missing; run cargo build --release --bin agentdesk --examples" >&2
        exit 1
    fi
done

work=$(mktemp -d)
xvfb_pid=""
app_pid=""
cleanup() {
    [ -n "$app_pid" ] && kill "$app_pid" 2>/dev/null || true
    [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

# Both windows are 1280x800 at the origin; the wider screen leaves room to park the pointer
# outside them, so no hover effect keeps a window redrawing during the idle measurement.
# -noreset: by default the server resets when its last client leaves, and a window launched
# during the reset cannot connect.
start_xvfb() {
    : >"$work/display"
    Xvfb -displayfd 3 -screen 0 1440x900x24 -nolisten tcp -noreset 3>"$work/display" 2>"$work/xvfb.log" &
    xvfb_pid=$!
    for _ in $(seq 200); do
        [ -s "$work/display" ] && break
        sleep 0.05
    done
    if [ ! -s "$work/display" ]; then
        echo "error: Xvfb did not start:" >&2
        cat "$work/xvfb.log" >&2
        exit 1
    fi
    export DISPLAY=":$(head -1 "$work/display")"
}
start_xvfb
# A private runtime dir silences Mesa's and winit's warnings about a missing or shared one.
export XDG_RUNTIME_DIR="$work/runtime"
mkdir -m 0700 "$XDG_RUNTIME_DIR"

now_ns() { date +%s%N; }

# Median of the numbers on stdin.
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# Starts "$@" in the background, sets app_pid, waits until the window titled $title is mapped and
# prints the milliseconds from launch to then. eframe creates its window hidden and maps it right
# after painting the first frame (EpiIntegration::post_rendering, just before swap_buffers), so
# "mapped" is "first frame painted". The poll costs one xdotool call per 2 ms sleep.
launch() {
    local title=$1
    shift
    local t0 t1 attempt
    for attempt in 1 2; do
        t0=$(now_ns)
        "$@" >"$work/app.log" 2>&1 &
        app_pid=$!
        until xdotool search --onlyvisible --name "^${title}\$" >/dev/null 2>&1; do
            if ! kill -0 "$app_pid" 2>/dev/null; then
                break
            fi
            sleep 0.002
        done
        t1=$(now_ns)
        kill -0 "$app_pid" 2>/dev/null && break
        # On a shared machine something may kill our X server; start another and retry once.
        if [ "$attempt" = 1 ] && ! kill -0 "$xvfb_pid" 2>/dev/null; then
            echo "note: Xvfb died; restarting it and launching $title again" >&2
            start_xvfb
            continue
        fi
        echo "error: $title exited before showing a window:" >&2
        cat "$work/app.log" "$work/xvfb.log" >&2
        exit 1
    done
    echo $(((t1 - t0) / 1000)) | awk '{ printf "%.1f\n", $1 / 1000 }'
}

stop() {
    kill "$app_pid" 2>/dev/null || true
    wait "$app_pid" 2>/dev/null || true
    app_pid=""
}

window_of() { xdotool search --onlyvisible --name "^$1\$" | head -1; }

# Distinct colours in a screenshot of window $1: a painted egui frame has text, so many.
colours() { import -window "$1" "$work/shot.png" 2>/dev/null && identify -format %k "$work/shot.png"; }

# utime + stime of process $1, in clock ticks (fields 14 and 15 of /proc/PID/stat, counted
# after the command name, which may contain spaces).
cpu_ticks() { sed 's/^.*) //' "/proc/$1/stat" | awk '{ print $12 + $13 }'; }

peak_rss_mb() { awk '/^VmHWM:/ { printf "%.1f\n", $2 / 1024 }' "/proc/$1/status"; }

echo "--- frame CPU time: $FRAMES frames, 500 open interactions (headless)"
frames_out=$("$frame_time" --frames "$FRAMES" --interactions 500)
# Lines look like "desktop frames=1000 interactions=500 median_us=361.4 p99_us=564.6".
field() { grep "^$1 " <<<"$frames_out" | tr ' ' '\n' | awk -F= -v k="$2" '$1 == k { print $2 }'; }
d_med=$(field desktop median_us)
d_p99=$(field desktop p99_us)
m_med=$(field minimal median_us)
m_p99=$(field minimal p99_us)
echo "desktop median ${d_med} us, p99 ${d_p99} us; minimal median ${m_med} us, p99 ${m_p99} us"

echo "--- launch to first painted frame: median of $RUNS launches each (Xvfb, Mesa llvmpipe)"
: >"$work/first-desk"
: >"$work/first-min"
for run in $(seq "$RUNS"); do
    # Alternating the two spreads any drift in machine load over both.
    launch agentdesk "$desk" >>"$work/first-desk"
    if [ "$run" = 1 ]; then
        n=$(colours "$(window_of agentdesk)")
        echo "agentdesk first window: $n colours"
        [ "$n" -gt 16 ] || { echo "error: the desktop window looks blank" >&2; exit 1; }
    fi
    stop
    launch minimal_window "$minimal" >>"$work/first-min"
    if [ "$run" = 1 ]; then
        n=$(colours "$(window_of minimal_window)")
        echo "minimal_window first window: $n colours"
        [ "$n" -gt 2 ] || { echo "error: the minimal window looks blank" >&2; exit 1; }
    fi
    stop
done
first_desk=$(median <"$work/first-desk")
first_min=$(median <"$work/first-min")
echo "agentdesk: $(tr '\n' ' ' <"$work/first-desk")ms"
echo "minimal:   $(tr '\n' ' ' <"$work/first-min")ms"

# Runs program "$2" (window title $1) for $IDLE_SECONDS while nothing happens and prints
# "cpu_percent peak_rss_mb". "$3", if given, is where to click the desktop's Pause button first.
idle() {
    local title=$1 bin=$2 pause=${3:-} wid before after
    launch "$title" "$bin" >/dev/null
    wid=$(window_of "$title")
    if [ -n "$pause" ]; then
        # shellcheck disable=SC2086 # $pause is "x y"
        xdotool mousemove --window "$wid" $pause click 1
    fi
    xdotool mousemove 1430 890
    sleep 1
    if [ -n "$pause" ]; then
        # Paused, the clock (which shows seconds) stands still: two shots 1.5 s apart match.
        import -window "$wid" "$work/a.png"
        sleep 1.5
        import -window "$wid" "$work/b.png"
        if ! cmp -s "$work/a.png" "$work/b.png"; then
            echo "error: the desktop still changes after clicking Pause at $pause" >&2
            exit 1
        fi
    fi
    before=$(cpu_ticks "$app_pid")
    sleep "$IDLE_SECONDS"
    after=$(cpu_ticks "$app_pid")
    awk -v t=$((after - before)) -v hz="$(getconf CLK_TCK)" -v s="$IDLE_SECONDS" \
        'BEGIN { printf "%.2f ", 100 * t / hz / s }'
    peak_rss_mb "$app_pid"
    stop
}

echo "--- idle CPU over ${IDLE_SECONDS}s with the clock paused, and peak resident memory"
pause_at=$("$frame_time" --pause-button)
idle agentdesk "$desk" "$pause_at" >"$work/idle-desk"
idle minimal_window "$minimal" >"$work/idle-min"
# Not a target, but what a user sees most: the clock running at 1x, redrawing once a second.
idle agentdesk "$desk" >"$work/running-desk"
read -r running_desk _ <"$work/running-desk"
read -r idle_desk rss_desk <"$work/idle-desk"
read -r idle_min rss_min <"$work/idle-min"
echo "agentdesk: ${idle_desk}% CPU, VmHWM ${rss_desk} MB (Pause clicked at $pause_at)"
echo "minimal:   ${idle_min}% CPU, VmHWM ${rss_min} MB"
echo "agentdesk with the clock running at 1x: ${running_desk}% CPU"

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2fx", a / b; else print "-" }'; }

echo
echo "--- desktop vs minimal eframe window (egui 0.37, glow)"
{
    printf 'figure\tagentdesk\tminimal\tratio\ttarget\n'
    printf 'frame CPU median (500 interactions)\t%s us\t%s us\t%s\t< 2000 us\n' "$d_med" "$m_med" "$(ratio "$d_med" "$m_med")"
    printf 'frame CPU p99 (500 interactions)\t%s us\t%s us\t%s\t-\n' "$d_p99" "$m_p99" "$(ratio "$d_p99" "$m_p99")"
    printf 'launch to first frame (median of %s)\t%s ms\t%s ms\t%s\t< 1.5x\n' "$RUNS" "$first_desk" "$first_min" "$(ratio "$first_desk" "$first_min")"
    printf 'idle CPU, paused, %ss\t%s %%\t%s %%\t%s\t< 1 %%\n' "$IDLE_SECONDS" "$idle_desk" "$idle_min" "$(ratio "$idle_desk" "$idle_min")"
    printf 'CPU, clock running 1x, %ss\t%s %%\t%s %%\t%s\t-\n' "$IDLE_SECONDS" "$running_desk" "$idle_min" "$(ratio "$running_desk" "$idle_min")"
    printf 'peak RSS (VmHWM)\t%s MB\t%s MB\t%s\t< 1.5x\n' "$rss_desk" "$rss_min" "$(ratio "$rss_desk" "$rss_min")"
} | column -t -s "$(printf '\t')"
