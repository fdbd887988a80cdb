#!/usr/bin/env bash
# Coverage-guided fuzzing of every decoder with afl++ and SharpFuzz (see fuzz/README.md).
#   bash fuzz/fuzz.sh [--seconds N] [--out DIR] [TARGET...]
# Builds the harness, instruments the assemblies under test, runs afl-fuzz on each target for N
# seconds (default 60) from the checked-in corpus, and prints one line per target. Exit status: the
# number of targets that crashed or hung (0 = all clean). Findings stay in --out (default a temp dir).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=60
out=""
targets=()
while (($#)); do
    case "$1" in
        --seconds) seconds="$2"; shift 2 ;;
        --out) out="$2"; shift 2 ;;
        -h|--help) sed -n '2,6p' "$0"; exit 0 ;;
        *) targets+=("$1"); shift ;;
    esac
done

command -v afl-fuzz >/dev/null || { echo "afl-fuzz not found: apt-get install afl++" >&2; exit 2; }
work=$(mktemp -d /tmp/matchmaker-fuzz.XXXXXX)
out=${out:-$work/findings}
mkdir -p "$out"

dotnet tool restore --verbosity quiet >/dev/null
dotnet publish fuzz/Matchmaker.Fuzz -c Release -o "$work/bin" --verbosity quiet -clp:ErrorsOnly >/dev/null
# Instrument only the code under test: the coverage map then measures our decoders, not the runtime.
# Instrumented code writes to afl's shared map, so replays outside afl use the plain copy.
cp -r "$work/bin" "$work/instrumented"
for assembly in Matchmaker.Protocol Matchmaker.Gateway Matchmaker.Client Matchmaker.Relay; do
    dotnet sharpfuzz "$work/instrumented/$assembly.dll" >/dev/null
done
harness=(dotnet "$work/instrumented/Matchmaker.Fuzz.dll")
plain=(dotnet "$work/bin/Matchmaker.Fuzz.dll")
((${#targets[@]})) || mapfile -t targets < <("${plain[@]}" list)

# afl++ sees `dotnet`, not an instrumented binary; SharpFuzz speaks the fork-server protocol itself.
export AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_NO_AFFINITY=1 AFL_SKIP_CPUFREQ=1 \
    AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_FORKSRV_INIT_TMOUT=60000 AFL_QUIET=1 \
    DOTNET_TieredPGO=0 DOTNET_TieredCompilation=0

stat() { sed -n "s/^$1 *: *//p" "$2" 2>/dev/null | head -n 1; }
failed=0
for target in "${targets[@]}"; do
    corpus="fuzz/corpus/$target"
    [[ -d "$corpus" ]] || { echo "fuzz $target: no corpus at $corpus" >&2; failed=$((failed + 1)); continue; }
    log="$out/$target.log"
    # -V: stop after N seconds. -t: per-input timeout in ms (generous: the machine is shared).
    afl-fuzz -i "$corpus" -o "$out/$target" -t 5000 -m none -V "$seconds" -- "${harness[@]}" run "$target" >"$log" 2>&1 || true
    stats="$out/$target/default/fuzzer_stats"
    if [[ ! -f "$stats" ]]; then
        echo "fuzz $target: afl-fuzz did not start (log: $log)"
        tail -n 20 "$log" >&2
        failed=$((failed + 1))
        continue
    fi
    execs=$(stat execs_done "$stats")
    paths=$(stat corpus_count "$stats")
    crashes=$(find "$out/$target/default/crashes" -type f ! -name README.txt | wc -l)
    hangs=$(find "$out/$target/default/hangs" -type f | wc -l)
    verdict=ok
    if ((crashes + hangs > 0)); then
        verdict=FAILED
        failed=$((failed + 1))
        # Reproduce outside afl so the exception and its stack are in the log.
        "${plain[@]}" replay "$target" "$out/$target/default/crashes" "$out/$target/default/hangs" >&2 || true
    fi
    echo "fuzz $target: ${execs:-0} execs in ${seconds} s, ${paths:-0} paths, $crashes crashes, $hangs hangs: $verdict"
done
rm -rf "$work/bin" "$work/instrumented"
exit "$failed"
