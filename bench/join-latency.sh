#!/usr/bin/env bash
# Join latency across the NAT lab: time from `join` to the joiner's `connected` event (its first
# verified peer packet), p50/p99 per (hosting lab host, joining lab host) pair, against the lab's
# Binding RTT and the target "p50 under 2 round trips + 20 ms for direct methods".
#
#   sudo bench/join-latency.sh                           # the default pairs, 200 connections each
#   sudo COUNT=50 bench/join-latency.sh
#   sudo PAIRS=v6-a:v6-b,upnp:symmetric bench/join-latency.sh   # any natlab.sh host names, and
#                                                        # upnp+open-port (a forward made with upnpc, declared)
#   sudo SKIP_BUILD=1 bench/join-latency.sh              # reuse the last Release build
#   sudo SKIP_BUILD=1 BENCH_DLL=/tmp/old/bench/Matchmaker.Bench/bin/Release/net10.0/Matchmaker.Bench.dll bench/join-latency.sh   # another SDK build
#
# It brings the lab up (NATLAB_ID, default "bench"), runs the silo in `gw` with the two-IP gateway
# (plus the lab's IPv6 address) and its embedded relay, on ports 5200-5205 (the lab's defaults stay
# free), runs the benchmark and takes both down again
# (KEEP_LAB=1 leaves the lab up). Clients live inside the lab: one `join-latency-peer` process per
# side and pair (`natlab.sh exec HOST -- dotnet Matchmaker.Bench.dll ...`), each doing every
# iteration with a fresh client and socket, so every punch opens fresh NAT mappings.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export NATLAB_ID=${NATLAB_ID:-bench}
COUNT=${COUNT:-200}
# One pair per plan method: direct (both restricted cones, and with a public host), cone-to-symmetric,
# lan (same non-hairpinning NAT), ipv6 (the dual-stack pair), upnp and open-port (each toward a
# symmetric NAT, so nothing else could connect them), and relay (port-restricted x symmetric).
PAIRS=${PAIRS:-port-restricted:addr-restricted,public:port-restricted,full-cone:symmetric,hairpin-a:hairpin-b,v6-a:v6-b,upnp:symmetric,upnp+open-port:symmetric,port-restricted:symmetric}
NATLAB="$ROOT/tests/natlab/natlab.sh"
BENCH=${BENCH_DLL:-"$ROOT/bench/Matchmaker.Bench/bin/Release/net10.0/Matchmaker.Bench.dll"}
SILO="$ROOT/silo/bin/Release/net10.0/Matchmaker.Silo.dll"
GW_PORT=5200 GW_ALT_PORT=5201 HTTP_PORT=5202 SILO_PORT=5203 ORLEANS_GW_PORT=5204 RELAY_PORT=5205

die() { echo "join-latency: $*" >&2; exit 1; }
[[ $(id -u) == 0 ]] || die "needs root (network namespaces)"
[[ $COUNT =~ ^[0-9]+$ ]] && ((COUNT >= 1 && COUNT <= 1000)) || die "COUNT must be 1..1000"

if [[ -z ${SKIP_BUILD:-} ]]; then
    dotnet build "$ROOT/silo" -c Release -clp:ErrorsOnly >/dev/null
    dotnet build "$ROOT/bench/Matchmaker.Bench" -c Release -clp:ErrorsOnly >/dev/null
fi

SILO_PID=
cleanup() {
    if [[ -n $SILO_PID ]] && kill -0 "$SILO_PID" 2>/dev/null; then
        kill -TERM "$SILO_PID" 2>/dev/null || true
        wait "$SILO_PID" 2>/dev/null || true
    fi
    [[ -n ${KEEP_LAB:-} ]] || bash "$NATLAB" down
}
trap cleanup EXIT
trap 'exit 130' INT TERM

bash "$NATLAB" up --owner $$ >/dev/null
eval "$(bash "$NATLAB" env | grep -E '^NATLAB_(GW_NS|GW_IP4|GW_IP4_ALT|GW_IP6)=')"
ip netns exec "$NATLAB_GW_NS" dotnet "$SILO" \
    --Gateway:Address="$NATLAB_GW_IP4" --Gateway:AlternateAddress="$NATLAB_GW_IP4_ALT" \
    --Gateway:Address6="$NATLAB_GW_IP6" \
    --Gateway:Port=$GW_PORT --Gateway:AlternatePort=$GW_ALT_PORT --Http:Port=$HTTP_PORT \
    --Relay:Address="$NATLAB_GW_IP4" --Relay:Port=$RELAY_PORT --Relay:AllowDocumentationRanges=true \
    --Orleans:SiloPort=$SILO_PORT --Orleans:GatewayPort=$ORLEANS_GW_PORT \
    --Logging:LogLevel:Default=Warning >/tmp/join-latency-silo.$NATLAB_ID.log 2>&1 &
SILO_PID=$!

# Ready means a grain call answered; curl's own connect timeout paces the bounded poll.
for _ in $(seq 1 60); do
    ip netns exec "$NATLAB_GW_NS" curl -sf -m 2 "http://127.0.0.1:$HTTP_PORT/health/ready" >/dev/null 2>&1 && break
    kill -0 "$SILO_PID" 2>/dev/null || die "silo exited: $(tail -n 5 /tmp/join-latency-silo.$NATLAB_ID.log)"
    sleep 0.5
done
ip netns exec "$NATLAB_GW_NS" curl -sf -m 2 "http://127.0.0.1:$HTTP_PORT/health/ready" >/dev/null || die "silo not ready"

echo "join-latency: $COUNT connections per pair, lab '$NATLAB_ID', gateway $NATLAB_GW_IP4:$GW_PORT, $(date -u '+%F %H:%M UTC'), $(nproc) cpus"
dotnet "$BENCH" join-latency --natlab "$NATLAB" --server "$NATLAB_GW_IP4:$GW_PORT" --pairs "$PAIRS" --count "$COUNT"
