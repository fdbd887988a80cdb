#!/usr/bin/env bash
# Grain calls through a separate gateway process: one silo (Gateway:Enabled=false) and one gateway
# process (Localhost clustering: no database needed for one silo), both Release builds on loopback.
# `control-load` registers PLAYERS players over UDP, then runs heartbeats and host+join pairs; `stun-load`
# against the same gateway (STUN Binding: answered by the gateway alone, no grain call) runs side by
# side as the reference, so the ratio shows what the grain hop costs on this machine.
#
#   bench/control-load.sh                      # 20000 players, 10 s per phase
#   PLAYERS=100000 RUN_SECONDS=10 bench/control-load.sh
#   SKIP_BUILD=1 bench/control-load.sh         # reuse the last Release builds
#
# Bounded: every step runs under `timeout`; processes it started are stopped on exit.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PLAYERS=${PLAYERS:-20000}
RUN_SECONDS=${RUN_SECONDS:-10}
SOCKETS=${SOCKETS:-2}
WINDOW=${WINDOW:-128}
# Ports in 5400-5499, away from the defaults, so a running silo is left alone.
GW_PORT=5478 GW_ALT_PORT=5479 SILO_HTTP=5464 GW_HTTP=5465 SILO_PORT=5411 ORLEANS_GW_PORT=5430

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
    for project in silo gateway-udp bench/Matchmaker.Bench; do
        timeout 900 dotnet build "$ROOT/$project" -c Release --verbosity quiet -clp:ErrorsOnly
    done
fi

SECRET=$(head -c 32 /dev/urandom | base64)
common=(--Logging:LogLevel:Default=Warning --Shutdown:ReadinessDrain=00:00:00 --Orleans:GatewayPort=$ORLEANS_GW_PORT)
dotnet "$ROOT/silo/bin/Release/net10.0/Matchmaker.Silo.dll" "${common[@]}" --Gateway:Enabled=false \
    --Http:Port=$SILO_HTTP --Orleans:SiloPort=$SILO_PORT >"$WORK/silo.log" 2>&1 &
SILO_PID=$!
dotnet "$ROOT/gateway-udp/bin/Release/net10.0/Matchmaker.Gateway.dll" "${common[@]}" --Http:Port=$GW_HTTP \
    --Gateway:Address=127.0.0.1 --Gateway:Port=$GW_PORT --Gateway:AlternatePort=$GW_ALT_PORT --Gateway:Secret="$SECRET" >"$WORK/gateway.log" 2>&1 &
GW_PID=$!
for _ in $(seq 1 300); do
    curl -fs "http://127.0.0.1:$GW_HTTP/health/ready" >/dev/null 2>&1 && break
    sleep 0.2
done
curl -fs "http://127.0.0.1:$GW_HTTP/health/ready" >/dev/null || { echo "gateway not ready; see $WORK" >&2; exit 1; }

BENCH="$ROOT/bench/Matchmaker.Bench/bin/Release/net10.0/Matchmaker.Bench.dll"
cpu() { awk '{print $14 + $15}' "/proc/$1/stat"; }
before_silo=$(cpu $SILO_PID) before_gw=$(cpu $GW_PID)
for op in heartbeat join; do
    timeout 900 dotnet "$BENCH" control-load --target 127.0.0.1:$GW_PORT --op $op --players "$PLAYERS" \
        --sockets "$SOCKETS" --window "$WINDOW" --seconds "$RUN_SECONDS"
done
timeout 120 dotnet "$BENCH" stun-load --target 127.0.0.1:$GW_PORT --seconds "$RUN_SECONDS" --sockets "$SOCKETS" --window "$WINDOW" --label binding-reference
echo "cpu ticks (1/100 s) used: silo $(( $(cpu $SILO_PID) - before_silo )), gateway $(( $(cpu $GW_PID) - before_gw ))"
echo "silo rss: $(( $(awk '/VmRSS/ {print $2}' /proc/$SILO_PID/status) / 1024 )) MB"
