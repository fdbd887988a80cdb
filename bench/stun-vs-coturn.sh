#!/usr/bin/env bash
# STUN Binding throughput of the Matchmaker gateway against coturn (`turnserver --stun-only`), both on
# loopback, both driven by the same `stun-load` generator, alternating gateway/coturn each round so
# drift on a shared machine hits both alike. Prints every run, both medians and gateway/coturn.
#
#   bench/stun-vs-coturn.sh                     # 3 rounds x 10 s each, 4 sockets, window 64
#   ROUNDS=5 RUN_SECONDS=10 bench/stun-vs-coturn.sh
#   SKIP_BUILD=1 bench/stun-vs-coturn.sh        # reuse the last Release build
#   GATEWAY_ARGS="--Gateway:ReceiveLoops=1" bench/stun-vs-coturn.sh   # extra silo settings
#   SILO_DIR=/tmp/old/silo/bin/Release/net10.0 SKIP_BUILD=1 bench/stun-vs-coturn.sh   # another build
#
# Everything is bounded: at most 5 rounds of at most 15 s, every step under `timeout`, and the script
# refuses to start a run that could not finish inside its total budget (< 5 minutes).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ROUNDS=${ROUNDS:-3}
RUN_SECONDS=${RUN_SECONDS:-10}
WARMUP_SECONDS=${WARMUP_SECONDS:-1}
SOCKETS=${SOCKETS:-4}
WINDOW=${WINDOW:-64}
MAX_REQUESTS=${MAX_REQUESTS:-20000000}
GATEWAY_ARGS=${GATEWAY_ARGS:-}
BUDGET_SECONDS=290

# Ports next to, never on, the defaults (3478/3479, 9464, 11111/30000), so a running silo is left alone.
GW_PORT=3578 GW_ALT_PORT=3579 HTTP_PORT=9565 SILO_PORT=11112 ORLEANS_GW_PORT=30001
COTURN_PORT=3678 COTURN_ALT_PORT=3679

die() { echo "stun-vs-coturn: $*" >&2; exit 1; }

[[ $ROUNDS =~ ^[1-5]$ ]] || die "ROUNDS must be 1..5"
[[ $RUN_SECONDS =~ ^[0-9]+$ ]] && ((RUN_SECONDS >= 2 && RUN_SECONDS <= 15)) || die "RUN_SECONDS must be 2..15"
[[ $WARMUP_SECONDS =~ ^[0-3]$ ]] || die "WARMUP_SECONDS must be 0..3"
command -v turnserver >/dev/null || die "coturn is not installed (apt-get install -y coturn)"

START=$SECONDS
WORK=$(mktemp -d /tmp/stun-vs-coturn.XXXXXX)
SILO_PID= COTURN_PID=

stop() {
    local pid=$1
    [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null || return 0
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do
        kill -0 "$pid" 2>/dev/null || return 0
        sleep 0.2
    done
    kill -KILL "$pid" 2>/dev/null || true
}

cleanup() {
    stop "$SILO_PID"
    stop "$COTURN_PID"
    echo "logs: $WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

for port in $GW_PORT $GW_ALT_PORT $COTURN_PORT $COTURN_ALT_PORT; do
    if ss -Hlun "sport = :$port" | grep -q .; then
        die "UDP port $port is already in use"
    fi
done

if [[ -z ${SKIP_BUILD:-} ]]; then
    echo "== building Release"
    timeout 240 dotnet build -c Release "$ROOT/silo/Matchmaker.Silo.csproj" -nologo -v q >"$WORK/build-silo.log" 2>&1 \
        || { tail -30 "$WORK/build-silo.log"; die "silo build failed"; }
    timeout 240 dotnet build -c Release "$ROOT/bench/Matchmaker.Bench/Matchmaker.Bench.csproj" -nologo -v q >"$WORK/build-bench.log" 2>&1 \
        || { tail -30 "$WORK/build-bench.log"; die "bench build failed"; }
fi

SILO_DIR=${SILO_DIR:-$ROOT/silo/bin/Release/net10.0}
BENCH=$ROOT/bench/Matchmaker.Bench/bin/Release/net10.0/Matchmaker.Bench.dll
[[ -f $SILO_DIR/Matchmaker.Silo.dll && -f $BENCH ]] || die "Release build missing; run without SKIP_BUILD"

# A run is warm-up + measurement + one 0.5 s drain; leave room for start-up and two warm-up runs.
PER_RUN=$((WARMUP_SECONDS + RUN_SECONDS + 2))
NEEDED=$(((2 * ROUNDS + 2) * PER_RUN + 60))
(((SECONDS - START) + NEEDED <= BUDGET_SECONDS)) || die "ROUNDS x RUN_SECONDS would exceed the ${BUDGET_SECONDS}s budget"

echo "== starting gateway (embedded silo) on 127.0.0.1:$GW_PORT"
# Run from the output folder so appsettings.json (quiet Orleans logging) is the content root.
# shellcheck disable=SC2086
(cd "$SILO_DIR" && exec dotnet Matchmaker.Silo.dll \
    --Gateway:Address=127.0.0.1 --Gateway:Port=$GW_PORT --Gateway:AlternatePort=$GW_ALT_PORT \
    --Http:Port=$HTTP_PORT --Orleans:SiloPort=$SILO_PORT --Orleans:GatewayPort=$ORLEANS_GW_PORT --Relay:Enabled=false \
    $GATEWAY_ARGS) >"$WORK/silo.log" 2>&1 </dev/null &
SILO_PID=$!

echo "== starting coturn --stun-only on 127.0.0.1:$COTURN_PORT"
# -n: no turnserver.conf, only these flags. --stun-only ignores every TURN request; no TCP, TLS, DTLS
# or CLI listeners; a private user DB file and pid file so nothing system-wide is touched. Relay
# threads are left at coturn's default (one UDP listener thread per CPU).
turnserver -n --stun-only \
    --listening-ip=127.0.0.1 --listening-port=$COTURN_PORT --alt-listening-port=$COTURN_ALT_PORT \
    --no-tcp --no-tls --no-dtls --no-cli --no-software-attribute \
    --db="$WORK/turndb" --pidfile="$WORK/turnserver.pid" \
    --log-file=stdout --simple-log >"$WORK/coturn.log" 2>&1 </dev/null &
COTURN_PID=$!

load() { # target-port label seconds warmup -> one stun-load summary line
    timeout $(($3 + $4 + 15)) dotnet "$BENCH" stun-load --target "127.0.0.1:$1" --label "$2" \
        --seconds "$3" --warmup "$4" --sockets "$SOCKETS" --window "$WINDOW" --max-requests "$MAX_REQUESTS"
}

wait_ready() { # port label pid
    for _ in $(seq 1 60); do
        kill -0 "$3" 2>/dev/null || die "$2 exited during start-up; see $WORK"
        if timeout 10 dotnet "$BENCH" stun-load --target "127.0.0.1:$1" --seconds 1 --warmup 0 \
            --sockets 1 --window 1 --max-requests 3 --timeout-ms 200 >/dev/null 2>&1; then
            echo "   $2 answers Binding on 127.0.0.1:$1"
            return 0
        fi
        sleep 0.5
    done
    die "$2 did not answer a Binding request within the start-up limit"
}

wait_ready $GW_PORT gateway "$SILO_PID"
wait_ready $COTURN_PORT coturn "$COTURN_PID"

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$2"; }

echo "== warm-up (not recorded): 3 s each"
load $GW_PORT gateway 3 0 >/dev/null
load $COTURN_PORT coturn 3 0 >/dev/null

declare -a GW_RATES=() COTURN_RATES=() GW_COST=() COTURN_COST=()
# cpu s is the server's own CPU time over the run (warm-up and drain included); cpu us/resp divides it
# by every response it sent, a figure that depends far less on what else the machine is doing.
printf '%-6s %-8s %12s %8s %10s %10s %7s %13s\n' round server "responses/s" "loss%" "p50 us" "p99 us" "cpu s" "cpu us/resp"
for round in $(seq 1 "$ROUNDS"); do
    for server in gateway coturn; do
        if [[ $server == gateway ]]; then port=$GW_PORT pid=$SILO_PID; else port=$COTURN_PORT pid=$COTURN_PID; fi
        kill -0 "$pid" 2>/dev/null || die "$server is no longer running; see $WORK"
        before=$(cpu_ticks "$pid")
        line=$(load "$port" "$server" "$RUN_SECONDS" "$WARMUP_SECONDS")
        after=$(cpu_ticks "$pid")
        echo "$line" >>"$WORK/runs.txt"
        rate=$(field rate "$line"); rate=${rate%/s}
        answered=$(($(field sent "$line") - $(field lost "$line")))
        cpu=$(awk -v t=$((after - before)) -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.1f", t / hz }')
        cost=$(awk -v t=$((after - before)) -v hz="$(getconf CLK_TCK)" -v n="$answered" 'BEGIN { printf "%.2f", (n > 0) ? 1e6 * t / hz / n : 0 }')
        printf '%-6s %-8s %12s %8s %10s %10s %7s %13s\n' "$round" "$server" "$rate" "$(field loss "$line" | tr -d %)" \
            "$(field rtt_p50_us "$line")" "$(field rtt_p99_us "$line")" "$cpu" "$cost"
        if [[ $server == gateway ]]; then GW_RATES+=("$rate") GW_COST+=("$cost"); else COTURN_RATES+=("$rate") COTURN_COST+=("$cost"); fi
    done
done

median() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
GW_MEDIAN=$(median "${GW_RATES[@]}")
COTURN_MEDIAN=$(median "${COTURN_RATES[@]}")
RATIO=$(awk -v g="$GW_MEDIAN" -v c="$COTURN_MEDIAN" 'BEGIN { printf "%.2f", (c > 0) ? g / c : 0 }')

echo
echo "settings: sockets=$SOCKETS window=$WINDOW seconds=$RUN_SECONDS warmup=$WARMUP_SECONDS rounds=$ROUNDS cpus=$(nproc)"
echo "gateway median: $GW_MEDIAN responses/s ($(median "${GW_COST[@]}") us CPU per response)"
echo "coturn  median: $COTURN_MEDIAN responses/s ($(median "${COTURN_COST[@]}") us CPU per response)"
echo "ratio gateway/coturn: $RATIO"
echo "elapsed: $((SECONDS - START)) s"
