#!/usr/bin/env bash
# Grain calls through the gateway, in one of two topologies (Release builds, loopback, Localhost clustering:
# no database needed for one silo):
#   TOPOLOGY=separate (default): one silo (Gateway:Enabled=false) and one gateway process, its Orleans client;
#   TOPOLOGY=embedded: one silo hosting its gateway in-process (the default single-process node).
# `control-load` registers PLAYERS players over UDP, then runs heartbeats and host+join pairs; `stun-load`
# against the same gateway (STUN Binding: answered by the gateway alone, no grain call) runs side by
# side as the reference, so the ratio shows what the grain hop costs on this machine. The server
# processes' CPU over each measured phase is printed per operation, and the load generator's own.
#
#   bench/control-load.sh                      # 20000 players, 10 s per phase
#   PLAYERS=100000 RUN_SECONDS=10 bench/control-load.sh
#   TOPOLOGY=embedded OPS=heartbeat bench/control-load.sh
#   SKIP_BUILD=1 bench/control-load.sh         # reuse the last Release builds
#   PORT_BASE=23400 bench/control-load.sh      # ports PORT_BASE..PORT_BASE+99 (default 5400)
#   PERIOD_MS=1000 PLAYERS=60000 WINDOW=1024 OPS=heartbeat bench/control-load.sh
#                                              # paced heartbeats: each player once per PERIOD_MS (offered
#                                              # rate PLAYERS*1000/PERIOD_MS), the silo's heartbeat interval
#                                              # INTERVAL_MS (default 1000) and its renewal lease LEASE_HEARTBEATS
#                                              # (default 3) intervals: production's 15 s and 45 s scaled alike, so
#                                              # the share of heartbeats forwarded to grains (printed) is production's
#                                              # Without PERIOD_MS heartbeats go back to back, each player far more
#                                              # often than every 15 s: leases would answer nearly all of them and
#                                              # flatter the figure, so that mode turns them off (one grain call per
#                                              # heartbeat, as before leases)
#   REF_WINDOW=128                             # the Binding reference's window (default WINDOW)
#   SOCKETS=8 WINDOW=256                       # more client flows: the kernel spreads flows over the gateway's
#                                              # SO_REUSEPORT receive loops (one per CPU) by their source port, so
#                                              # with 2 flows both land on one loop about half the time and one
#                                              # receive thread caps the run; real players are many flows
#   SERVER_ROOT=/tmp/main bench/control-load.sh # the silo and gateway built in another tree (the bench tool stays this one's)
#   PIN=1 bench/control-load.sh                # server processes on CPU 0, load tools on CPU 1 (one core's capacity)
#
# Bounded: every step runs under `timeout`; processes it started are stopped on exit.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PLAYERS=${PLAYERS:-20000}
RUN_SECONDS=${RUN_SECONDS:-10}
SOCKETS=${SOCKETS:-2}
WINDOW=${WINDOW:-128}
TOPOLOGY=${TOPOLOGY:-separate}
OPS=${OPS:-heartbeat join}
PORT_BASE=${PORT_BASE:-5400}
PERIOD_MS=${PERIOD_MS:-}
INTERVAL_MS=${INTERVAL_MS:-1000}
LEASE_HEARTBEATS=${LEASE_HEARTBEATS:-3}
SERVER_ROOT=${SERVER_ROOT:-$ROOT}
[[ $TOPOLOGY == separate || $TOPOLOGY == embedded ]] || { echo "TOPOLOGY must be separate or embedded" >&2; exit 1; }
[[ $PORT_BASE =~ ^[0-9]+$ ]] && ((PORT_BASE >= 1024 && PORT_BASE <= 65400)) || { echo "PORT_BASE must be 1024..65400" >&2; exit 1; }
# Ports PORT_BASE..PORT_BASE+99, away from the defaults, so a running silo is left alone.
GW_PORT=$((PORT_BASE + 78)) GW_ALT_PORT=$((PORT_BASE + 79)) SILO_HTTP=$((PORT_BASE + 64)) GW_HTTP=$((PORT_BASE + 65))
SILO_PORT=$((PORT_BASE + 11)) ORLEANS_GW_PORT=$((PORT_BASE + 30))

[[ $PLAYERS =~ ^[0-9]+$ ]] && ((PLAYERS >= 4 && PLAYERS <= 1000000)) || { echo "PLAYERS must be 4..1000000" >&2; exit 1; }
[[ $RUN_SECONDS =~ ^[0-9]+$ ]] && ((RUN_SECONDS >= 2 && RUN_SECONDS <= 30)) || { echo "RUN_SECONDS must be 2..30" >&2; exit 1; }

WORK=$(mktemp -d /tmp/control-load.XXXXXX)
SILO_PID= GW_PID=
stop() {
    local pid=$1
    [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null || return 0
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.2; done
    kill -KILL "$pid" 2>/dev/null || true
}
cleanup() { stop "$GW_PID"; stop "$SILO_PID"; echo "logs: $WORK"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

if [[ -z ${SKIP_BUILD:-} ]]; then
    for project in silo gateway-udp; do
        timeout 900 dotnet build "$SERVER_ROOT/$project" -c Release --verbosity quiet -clp:ErrorsOnly
    done
    timeout 900 dotnet build "$ROOT/bench/Matchmaker.Bench" -c Release --verbosity quiet -clp:ErrorsOnly
fi

SECRET=$(head -c 32 /dev/urandom | base64)
common=(--Logging:LogLevel:Default=Warning --Shutdown:ReadinessDrain=00:00:00 --Orleans:GatewayPort=$ORLEANS_GW_PORT)
paced=()
silo_players=(--Players:LeaseHeartbeats=0)
if [[ -n $PERIOD_MS ]]; then
    [[ $PERIOD_MS =~ ^[0-9]+$ && $INTERVAL_MS =~ ^[0-9]+$ && $LEASE_HEARTBEATS =~ ^[0-9]+$ ]] || { echo "PERIOD_MS, INTERVAL_MS, LEASE_HEARTBEATS must be whole numbers" >&2; exit 1; }
    # Production: a 15 s interval and a lease of 3 intervals (the gateway's window 2.5 of them), so one heartbeat
    # in three reaches a grain. Scaled down here, interval and lease alike, so that every player of a bench-sized
    # population heartbeats many times in the run. Registrations last 20 intervals: registering every player
    # takes longer than 3 intervals, and the bench is about renewals, not expiry.
    silo_players=(--Players:HeartbeatInterval=$(printf '00:00:%02d.%03d' $((INTERVAL_MS / 1000)) $((INTERVAL_MS % 1000)))
        --Players:MissedHeartbeats=20 --Players:LeaseHeartbeats=$LEASE_HEARTBEATS)
    paced=(--period-ms "$PERIOD_MS" --metrics-url "http://127.0.0.1:$GW_HTTP/metrics" --warmup "${WARMUP:-4}")
fi
# The load generator registers every player from one address (127.0.0.1), and each registration's first step
# is answered with a cookie challenge, which counts against the per-source-IP error-reply limit (20/s by
# default): left as it is, 20,000 registrations would take over 1,000 s. Real players each have their own address.
gateway=(--Gateway:Address=127.0.0.1 --Gateway:Port=$GW_PORT --Gateway:AlternatePort=$GW_ALT_PORT --Gateway:Secret="$SECRET"
    --Gateway:ErrorRepliesPerSecond=1000000)
# PIN=1: the server on CPU 0 and the load tools on CPU 1, so the server's CPU is one whole core the
# load generator never takes: what one core serves, not what two cores shared with the generator do.
server_pin=() tool_pin=()
if [[ -n ${PIN:-} ]]; then
    server_pin=(taskset -c 0) tool_pin=(taskset -c 1)
fi
if [[ $TOPOLOGY == embedded ]]; then
    "${server_pin[@]}" dotnet "$SERVER_ROOT/silo/bin/Release/net10.0/Matchmaker.Silo.dll" "${common[@]}" "${gateway[@]}" "${silo_players[@]}" --Relay:Enabled=false \
        --Http:Port=$GW_HTTP --Orleans:SiloPort=$SILO_PORT >"$WORK/silo.log" 2>&1 &
    SILO_PID=$!
    WATCH=$SILO_PID
else
    "${server_pin[@]}" dotnet "$SERVER_ROOT/silo/bin/Release/net10.0/Matchmaker.Silo.dll" "${common[@]}" "${silo_players[@]}" --Gateway:Enabled=false --Relay:Enabled=false \
        --Http:Port=$SILO_HTTP --Orleans:SiloPort=$SILO_PORT >"$WORK/silo.log" 2>&1 &
    SILO_PID=$!
    "${server_pin[@]}" dotnet "$SERVER_ROOT/gateway-udp/bin/Release/net10.0/Matchmaker.Gateway.dll" "${common[@]}" "${gateway[@]}" --Http:Port=$GW_HTTP \
        >"$WORK/gateway.log" 2>&1 &
    GW_PID=$!
    WATCH=$SILO_PID,$GW_PID
fi
for _ in $(seq 1 300); do
    curl -fs "http://127.0.0.1:$GW_HTTP/health/ready" >/dev/null 2>&1 && break
    sleep 0.2
done
curl -fs "http://127.0.0.1:$GW_HTTP/health/ready" >/dev/null || { echo "gateway not ready; see $WORK" >&2; exit 1; }

BENCH="$ROOT/bench/Matchmaker.Bench/bin/Release/net10.0/Matchmaker.Bench.dll"
echo "topology=$TOPOLOGY pin=${PIN:-no} players=$PLAYERS sockets=$SOCKETS window=$WINDOW period_ms=${PERIOD_MS:-none} server=$SERVER_ROOT load: $(cut -d' ' -f1-3 /proc/loadavg)"
for op in $OPS; do
    timeout 900 "${tool_pin[@]}" dotnet "$BENCH" control-load --target 127.0.0.1:$GW_PORT --op "$op" --players "$PLAYERS" \
        --sockets "$SOCKETS" --window "$WINDOW" --seconds "$RUN_SECONDS" --watch-pids "$WATCH" "${paced[@]}"
done
timeout 120 "${tool_pin[@]}" dotnet "$BENCH" stun-load --target 127.0.0.1:$GW_PORT --seconds "$RUN_SECONDS" --sockets "$SOCKETS" --window "${REF_WINDOW:-$WINDOW}" --label binding-reference
echo "silo rss: $(( $(awk '/VmRSS/ {print $2}' /proc/$SILO_PID/status) / 1024 )) MB"
