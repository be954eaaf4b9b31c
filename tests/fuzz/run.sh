#!/usr/bin/env bash
# Short libFuzzer runs of the parser fuzz targets: bash tests/fuzz/run.sh [target...]
#   targets: roles scenario contacts script (all when none is named)
#   SECONDS_PER_TARGET=60 by default; UPDATE_CORPUS=1 merges what a run found into corpus/.
# Needs a nightly toolchain and cargo-fuzz (`rustup toolchain install nightly`,
# `cargo install cargo-fuzz`); only crates.io is fetched. The first build instruments every
# dependency, eframe included, and takes a while (about 30 min on 2 cores); later ones reuse it.
# Each run starts from corpus/<target> (the shipped files plus inputs earlier runs kept) and
# works in a scratch copy, so the committed corpus changes only when asked to. The stable
# test suite replays the same corpus through the same checks (tests/fuzz_parsers.rs).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
cd "$here/../.."

seconds=${SECONDS_PER_TARGET:-60}
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(roles scenario contacts script)

for tool in "cargo +nightly --version" "cargo +nightly fuzz --version"; do
    if ! $tool >/dev/null 2>&1; then
        echo "error: '$tool' failed; install a nightly toolchain and cargo-fuzz" >&2
        exit 1
    fi
done

status=0
for target in "${targets[@]}"; do
    scratch=$(mktemp -d)
    cp "$here/corpus/$target/"* "$scratch/"
    echo "--- $target: ${seconds}s from $(ls "$scratch" | wc -l) corpus inputs"
    # Inputs over 64 KiB only make each run slower; the size limit has its own test.
    if ! cargo +nightly fuzz run --fuzz-dir "$here" "$target" "$scratch" -- \
        -max_total_time="$seconds" -max_len=65536 -print_final_stats=1; then
        echo "error: $target found a failing input; see $here/artifacts/$target/" >&2
        status=1
    elif [ "${UPDATE_CORPUS:-0}" = 1 ]; then
        # Keep only inputs that reach code corpus/ does not, counting edges rather than hit
        # counts, so the committed corpus stays small (a few hundred files in all).
        cargo +nightly fuzz run --fuzz-dir "$here" "$target" "$here/corpus/$target" "$scratch" \
            -- -merge=1 -set_cover_merge=1 -use_counters=0 -use_value_profile=0
    fi
    rm -rf "$scratch"
done
exit $status
