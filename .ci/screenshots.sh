#!/usr/bin/env bash
# Takes the README screenshots of the real desktop window under Xvfb.
# Needs: xvfb, xauth, imagemagick, xdotool and Mesa (see .ci/run for the package names).
# Usage: .ci/screenshots.sh [OUT_DIR]   (default: assets/screenshots)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-assets/screenshots}
mkdir -p "$out"
bin=target/release/agentdesk
[ -x "$bin" ] || cargo build --release
export XDG_RUNTIME_DIR=${XDG_RUNTIME_DIR:-$(mktemp -d)}
chmod 700 "$XDG_RUNTIME_DIR"

shoot() { # name, wait seconds, agentdesk args..., then optional clicks via CLICKS env
  local name=$1 wait=$2; shift 2
  xvfb-run -a -s "-screen 0 1280x800x24" bash -c '
    "$0" "$@" & pid=$!
    sleep '"$wait"'
    for c in ${CLICKS:-}; do
      xdotool mousemove ${c%,*} ${c#*,} click 1; sleep 1
    done
    sleep 1
    import -window root '"$out/$name"'.png
    kill $pid' "$bin" "$@"
}

# A web callback invitation for the default agent (Alex), right after start-up.
shoot web-callback 5
# A preview record: Alex pulls one from "Winter Renewals".
CLICKS="55,149" shoot preview-record 5
# A push-preview invitation: Priya's push campaign offers a record about ten seconds in.
shoot push-preview 13 --agent Priya
echo "screenshots in $out"
