#!/usr/bin/env bash
# Retakes every README screenshot from the real desktop window under Xvfb, at 1280x800.
# Needs: xvfb, xauth, imagemagick, xdotool, Mesa (libgl1-mesa-dri libegl-mesa0) and the X11
# libraries the README's "Running the desktop" lists. Builds the release binary if missing,
# in CARGO_TARGET_DIR when set.
# Usage: .ci/screenshots.sh [OUT_DIR]   (default: assets/screenshots)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-assets/screenshots}
mkdir -p "$out"
bin="${CARGO_TARGET_DIR:-target}/release/agentdesk"
[ -x "$bin" ] || cargo build --release
export XDG_RUNTIME_DIR=${XDG_RUNTIME_DIR:-$(mktemp -d)}
chmod 700 "$XDG_RUNTIME_DIR"

# The Workbench menu and its entries, at 1280x800 in the normal theme (top bar, right edge).
WORKBENCH="1230 12"
ROLE_EDITOR="1153 57"
COMPARE="1176 80"
MATRIX="1181 199"

# shoot NAME WAIT STEPS [agentdesk args...]: starts the desktop, waits WAIT seconds, runs
# STEPS (words: "key:K" presses Alt+K, "click:X,Y" clicks, "sleep:S" waits), then shoots.
shoot() {
    local name=$1 wait=$2 steps=$3
    shift 3
    xvfb-run -a -s "-screen 0 1280x800x24" bash -c '
        bin=$1 out=$2 wait=$3 steps=$4; shift 4
        "$bin" "$@" & pid=$!
        sleep "$wait"
        wid=$(xdotool search --name agentdesk | head -1)
        xdotool windowfocus --sync "$wid"
        for s in $steps; do
            case $s in
                key:*) xdotool key "alt+${s#key:}" ;;
                click:*) c=${s#click:}; xdotool mousemove ${c%,*} ${c#*,} click 1 ;;
                sleep:*) sleep "${s#sleep:}" ;;
            esac
            sleep 1
        done
        xdotool mousemove 640 795
        sleep 1
        import -window root "$out"
        kill "$pid"' _ "$bin" "$out/$name.png" "$wait" "$steps" "$@"
}

click() { echo "click:${1},${2}"; }

# A web callback invitation for the default agent (Alex), right after start-up.
shoot web-callback 5 "" --paused
# A preview record pulled from "Winter Renewals" (Alt+G): Dial is disabled outside the
# contact's calling window.
shoot preview-record 5 "key:g" --paused
# The same record with "Why disabled?": every disabled action's plain reason under the row.
shoot why-disabled 5 "key:g" --paused --why-disabled
# Presenter mode with "Why disabled?", for a projector.
shoot presenter 5 "key:g" --paused --why-disabled --presenter
# A push-preview invitation: Priya's push campaign offers a record about ten seconds in.
shoot push-preview 13 "" --agent Priya
# The workbench, docked beside the desk.
shoot role-editor 5 "key:g $(click $WORKBENCH) $(click $ROLE_EDITOR)" --paused
shoot compare-roles 5 "$(click $WORKBENCH) $(click $COMPARE)" --paused
shoot matrix-view 5 "key:g $(click $WORKBENCH) $(click $MATRIX)" --paused
# A lesson in progress: push preview, the invitation accepted (its Accept), Dial, the call
# connected, a hint shown (the Lessons tool docks itself; its "Show a hint" button at
# 1280x800).
shoot lesson 6 "$(click 44 141) $(click 483 94) sleep:3 $(click 901 364)" \
    --lesson assets/lessons/push-preview.lesson
echo "screenshots in $out"
