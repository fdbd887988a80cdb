#!/usr/bin/env bash
# Runs every test on a fresh Debian machine: installs what the tests need, builds once, tests once,
# and ends with the plain summary line "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# Third-party peers the tests talk to for real: coturn's STUN client, PostgreSQL for the
# multi-process cluster test (category Postgres; it starts its own server in a temp dir), Prometheus
# (the dashboard test starts its own on a free loopback port) and kubectl, whose built-in kustomize
# renders the k8s/ overlays for the manifest tests.
needed=()
command -v turnutils_stunclient >/dev/null || needed+=(coturn)
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || needed+=(postgresql)
command -v prometheus >/dev/null && command -v promtool >/dev/null || needed+=(prometheus)
command -v kubectl >/dev/null || needed+=(kubernetes-client)
# socat bridges the NAT lab's in-namespace Prometheus API to the tests through a unix socket.
command -v socat >/dev/null || needed+=(socat)
# afl++ drives the coverage-guided fuzz run (fuzz/fuzz.sh, SharpFuzz instruments the assemblies).
command -v afl-fuzz >/dev/null || needed+=(afl++)
if ((${#needed[@]})); then
    echo "Installing ${needed[*]}..."
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${needed[@]}" >/dev/null
fi
# coturn's and prometheus' packages start their services on install on some images; the tests need
# none running (and the system Prometheus would scrape nothing of ours).
systemctl stop coturn 2>/dev/null || true
systemctl stop prometheus 2>/dev/null || true
# The NAT lab's own needs (nftables, miniupnpd, conntrack, ...): real NATs in network namespaces.
bash tests/natlab/natlab.sh install

dotnet restore Matchmaker.sln --verbosity quiet
dotnet build Matchmaker.sln --no-restore --verbosity quiet -clp:ErrorsOnly
dotnet format Matchmaker.sln --verify-no-changes --no-restore

results=$(mktemp -d)
status=0
dotnet test tests/Matchmaker.Tests --no-build --logger "trx;LogFileName=results.trx" --results-directory "$results" || status=$?

counters=$(grep -o '<Counters [^>]*>' "$results"/*.trx 2>/dev/null | head -n 1 || true)
passed=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
failed=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
executed=$(sed -n 's/.* executed="\([0-9]*\)".*/\1/p' <<<"$counters")
rm -rf "$results"

# A short coverage-guided fuzz run of every decoder (fuzz/README.md): each target that finishes
# with no crash and no hang counts as one passed test, anything else as one failed.
fuzz_log=$(mktemp)
bash fuzz/fuzz.sh --seconds "${FUZZ_SECONDS:-45}" | tee "$fuzz_log" || status=1
fuzz_passed=$(grep -c ': ok$' "$fuzz_log" || true)
fuzz_total=$(grep -c '^fuzz ' "$fuzz_log" || true)
rm -f "$fuzz_log"
if ((fuzz_total == 0)); then
    echo "The fuzz run produced no result."
    fuzz_total=1
fi
fuzz_failed=$((fuzz_total - fuzz_passed))
((fuzz_failed == 0)) || status=1

if [[ -z "$passed" || "${executed:-0}" -eq 0 ]]; then
    echo "No test results were produced."
    echo "0 passed, 1 failed"
    exit 1
fi
passed=$((passed + fuzz_passed))
failed=$((failed + fuzz_failed))
echo "${passed} passed, ${failed} failed"
exit "$status"
