# shellcheck shell=bash
# The NAT lab's self-check ("natlab.sh check"); sourced by natlab.sh, not run on its own.
#
# Every router's class is judged by a third party: coturn's turnutils_natdiscovery against coturn's
# turnserver (RFC 5780) on gw's two addresses. Then upnpc against miniupnpd, hairpinning, IPv6
# and the hole-punch order that conntrack could break. Negative results ("this packet must not
# arrive") are proven with the routers' nftables drop counters, not by waiting for silence.

PROBE="$HERE/natprobe.py"
CHECK_TMP=""
declare -a ROW_CHECK=() ROW_WANT=() ROW_GOT=() ROW_OK=()
declare -a CHECK_PIDS=()
declare -A RECV_PID=() ND_PID=()

row() { # row CHECK EXPECTED OBSERVED OK(0|1)
    ROW_CHECK+=("$1")
    ROW_WANT+=("$2")
    ROW_GOT+=("$3")
    ROW_OK+=("$4")
}
verdict() { # verdict CHECK EXPECTED OBSERVED: passes when they are equal
    if [[ $2 == "$3" ]]; then row "$1" "$2" "$3" 1; else row "$1" "$2" "$3" 0; fi
}

probe() { # probe HOST natprobe-args...
    local h=$1
    shift
    inns "$h" python3 "$PROBE" "$@"
}

counter() { # counter ROUTER NAME -> packets
    inns "$1" nft list counter ip natlab "$2" | awk '$1 == "packets" {print $2}'
}
counter_reaches() { # counter_reaches ROUTER NAME N
    local v
    v=$(counter "$1" "$2") && ((v >= $3))
}

# A background receiver; its output goes to $CHECK_TMP/NAME.out, readiness to NAME.ready.
start_recv() { # start_recv NAME HOST natprobe-recv-args...
    local name=$1 h=$2
    shift 2
    ip netns exec "$PREFIX$h" python3 "$PROBE" recv --ready "$CHECK_TMP/$name.ready" "$@" \
        >"$CHECK_TMP/$name.out" 2>&1 &
    RECV_PID[$name]=$!
    CHECK_PIDS+=($!)
    wait_for "receiver $name to bind" test -e "$CHECK_TMP/$name.ready"
}
wait_recv() { # wait_recv NAME -> receiver's exit status
    wait "${RECV_PID[$1]}"
}

# Starts from a clean NAT state, so a check on a kept lab sees no entries from an earlier run.
reset_nat_state() {
    local r m
    for r in "${ROUTERS[@]}"; do
        inns "$r" conntrack -F >/dev/null 2>&1 || true
        for m in eif adf; do inns "$r" nft flush map ip natlab "$m" 2>/dev/null || true; done
    done
}

# --------------------------------------------------------------------------------------------
# natdiscovery: one background job per host, -m and -f as separate runs (separate mappings, so
# the filtering test does not inherit the mapping test's destinations). -L binds the host's own
# address, so "Local addr" in the output can be compared with the reflexive address.
# --------------------------------------------------------------------------------------------
DISCOVERY_HOSTS=(public full-cone addr-restricted port-restricted symmetric upnp hairpin-a v6-a v6-b)

start_discovery() {
    local h ip
    for h in "${DISCOVERY_HOSTS[@]}"; do
        ip=${H_IP4[$h]%%,*}
        (
            inns "$h" turnutils_natdiscovery -m -L "$ip" "$GW_IP4" >"$CHECK_TMP/nd-$h.m" 2>&1
            inns "$h" turnutils_natdiscovery -f -L "$ip" "$GW_IP4" >"$CHECK_TMP/nd-$h.f" 2>&1
        ) &
        CHECK_PIDS+=($!)
        ND_PID[$h]=$!
    done
}

short_verdict() { # the verdict line of natdiscovery's output -> EIM/ADM/APDM, EIF/ADF/APDF
    local line
    line=$(grep -o "NAT with .* \(Mapping\|Filtering\)" "$1" | tail -n 1 || true)
    case $line in
    *"Endpoint Independent Mapping") echo EIM ;;
    *"Address Dependent Mapping") echo ADM ;;
    *"Address and Port Dependent Mapping") echo APDM ;;
    *"Endpoint Independent Filtering") echo EIF ;;
    *"Address Dependent Filtering") echo ADF ;;
    *"Address and Port Dependent Filtering") echo APDF ;;
    *) echo "none(${line:-no verdict})" ;;
    esac
}

expected_verdict() { # class -> "MAPPING FILTERING" in natdiscovery's terms
    case $1 in
    full-cone) echo "EIM EIF" ;;
    address-restricted) echo "EIM ADF" ;;
    port-restricted) echo "EIM APDF" ;;
    symmetric) echo "APDM APDF" ;;
    none) echo "EIM EIF" ;;
    esac
}

rfc4787_words() { # natdiscovery's short verdict -> RFC 4787's words, as natlab.sh env and mm nat print them
    case $1 in
    EIM | EIF) echo endpoint-independent ;;
    ADM | ADF) echo address-dependent ;;
    APDM | APDF) echo address-and-port-dependent ;;
    *) echo "none" ;;
    esac
}

# natdiscovery HOST SERVER [PORT]: turnutils_natdiscovery from HOST's own address against any RFC 5780
# server in the lab (the tests point it at Matchmaker's gateway), -m and -f as separate runs like the
# self-check, judged by the same short_verdict. Prints one line:
#   mapping=endpoint-independent filtering=address-and-port-dependent reflexive=203.0.113.30:40000
cmd_natdiscovery() {
    local h=${1:-} server=${2:-} port=${3:-$STUN_PORT} ip tmp m f refl
    [[ -n $h && -n $server ]] || die "usage: natdiscovery HOST SERVER [PORT]"
    is_name "$h" || die "unknown host '$h' (one of: ${NAMES[*]})"
    [[ -e /run/netns/$PREFIX$h ]] || die "lab '$LAB_ID' is not up"
    ip=${H_IP4[$h]%%,*}
    tmp=$(mktemp -d)
    # natdiscovery waits for answers on its own schedule; the timeout only bounds a hang.
    inns "$h" timeout 60 turnutils_natdiscovery -m -L "$ip" -p "$port" "$server" >"$tmp/m" 2>&1 || true
    inns "$h" timeout 60 turnutils_natdiscovery -f -L "$ip" -p "$port" "$server" >"$tmp/f" 2>&1 || true
    m=$(short_verdict "$tmp/m")
    f=$(short_verdict "$tmp/f")
    refl=$(grep -o "UDP reflexive addr: [0-9.:]*" "$tmp/m" | head -n 1 | awk '{print $4}' || true)
    rm -rf "$tmp"
    echo "mapping=$(rfc4787_words "$m") filtering=$(rfc4787_words "$f") reflexive=${refl:-none}"
}

collect_discovery() {
    local h class want got m f refl local_ep want_ip pub
    for h in "${DISCOVERY_HOSTS[@]}"; do
        wait "${ND_PID[$h]}" || true
        m=$(short_verdict "$CHECK_TMP/nd-$h.m")
        f=$(short_verdict "$CHECK_TMP/nd-$h.f")
        refl=$(grep -o "UDP reflexive addr: [0-9.:]*" "$CHECK_TMP/nd-$h.m" | head -n 1 | awk '{print $4}' || true)
        local_ep=$(grep -o "Local addr: : [0-9.:]*" "$CHECK_TMP/nd-$h.m" | head -n 1 | awk '{print $4}' || true)
        if [[ ${H_ROUTER[$h]} == - ]]; then
            class=none
            want_ip=${H_IP4[$h]%%,*}
            # natdiscovery has no "no NAT" verdict; no NAT is reflexive address == local address.
            if [[ -n $refl && $refl == "$local_ep" ]]; then pub="no NAT"; else pub="NAT ${refl:-?} (local ${local_ep:-?})"; fi
            verdict "natdiscovery $h" "no NAT, EIM EIF" "$pub, $m $f"
            continue
        fi
        class=${R_CLASS[${H_ROUTER[$h]}]}
        want_ip=${R_WAN4[${H_ROUTER[$h]}]}
        want=$(expected_verdict "$class")
        got="$m $f"
        [[ ${refl%:*} == "$want_ip" ]] || got="$got, reflexive ${refl:-none} not $want_ip"
        verdict "natdiscovery $h ($class)" "$want" "$got"
    done
}

# --------------------------------------------------------------------------------------------
# UPnP: discovery, AddPortMapping, inbound through it, DeletePortMapping.
# --------------------------------------------------------------------------------------------
check_upnp() {
    local h=upnp r=$UPNP_ROUTER ip=${H_IP4[upnp]} wan=${R_WAN4[$UPNP_ROUTER]} port=20500
    local url="http://${R_LAN4[$UPNP_ROUTER]}:$UPNP_HTTP_PORT/rootDesc.xml" out before got
    # miniupnpc 2.2 calls an IGD whose external address is reserved (all of the lab's are
    # documentation ranges) "not connected?"; -i uses it all the same.
    out=$(inns "$h" upnpc -i -s 2>&1 || true)
    got=$(grep -o "desc: $url" <<<"$out" | head -n 1 | sed 's/^desc: //' || true)
    got="${got:-no IGD}, ext $(sed -n 's/^ExternalIPAddress = //p' <<<"$out" | head -n 1)"
    verdict "upnp: SSDP discovery, GetExternalIPAddress" "$url, ext $wan" "$got"

    out=$(inns "$h" upnpc -i -u "$url" -e natlab-check -a "$ip" "$port" "$port" UDP 300 2>&1 || true)
    if grep -q "external $wan:$port UDP is redirected to internal $ip:$port" <<<"$out"; then
        got="$wan:$port -> $ip:$port"
    else
        got="failed: $(grep -i -m1 "fail\|error" <<<"$out" || echo "no confirmation")"
    fi
    verdict "upnp: AddPortMapping UDP $port" "$wan:$port -> $ip:$port" "$got"

    start_recv upnp-in "$h" --bind "$ip:$port" --until via-upnp --timeout 5
    probe public send "$wan" "$port" via-upnp
    if wait_recv upnp-in; then
        got="delivered from $(awk '{print $1}' "$CHECK_TMP/upnp-in.out")"
    else
        got="not delivered"
    fi
    verdict "upnp: inbound public -> $wan:$port" "delivered from ${H_IP4[public]}" "$got"

    inns "$h" upnpc -i -u "$url" -d "$port" UDP >/dev/null 2>&1 || true
    out=$(inns "$h" upnpc -i -u "$url" -l 2>&1 || true)
    if grep -q "UDP $port->$ip:$port" <<<"$out"; then got="still listed"; else got="gone"; fi
    # A new flow (fresh source port) must now be dropped. The earlier flow's conntrack entry
    # outlives the mapping, as on real Linux routers, so it is not the one tested.
    before=$(counter "$r" wan_unsolicited)
    start_recv upnp-gone "$h" --bind "$ip:$port" --timeout 10
    probe public send "$wan" "$port" after-delete
    if wait_for "the router to drop the packet" counter_reaches "$r" wan_unsolicited $((before + 1)); then
        got="$got, dropped"
    else
        got="$got, not dropped"
    fi
    kill "${RECV_PID[upnp-gone]}" 2>/dev/null || true
    wait "${RECV_PID[upnp-gone]}" 2>/dev/null || true
    [[ -s $CHECK_TMP/upnp-gone.out ]] && got="$got, but delivered"
    verdict "upnp: DeletePortMapping, then inbound" "gone, dropped" "$got"
}

# --------------------------------------------------------------------------------------------
# Hairpin: hairpin-a must not reach hairpin-b through the router's public address; the LAN
# address works.
# --------------------------------------------------------------------------------------------
check_hairpin() {
    local r=nat-hairpin b_ip=${H_IP4[hairpin-b]} a_ip=${H_IP4[hairpin-a]} port=20600 mapped before got
    mapped=$(probe hairpin-b stun "$GW_IP4" "$STUN_PORT" --bind "$b_ip:$port" || echo "none")
    verdict "hairpin: hairpin-b's mapping" "${R_WAN4[$r]} $port" "$mapped"
    read -r mip mport <<<"$mapped"
    [[ $mip == "${R_WAN4[$r]}" ]] || return 0
    before=$(counter "$r" no_hairpin)
    start_recv hairpin "hairpin-b" --bind "$b_ip:$port" --until via-lan --timeout 10
    probe hairpin-a send "$mip" "$mport" via-wan --count 3
    if wait_for "the router to drop the hairpin packets" counter_reaches "$r" no_hairpin $((before + 3)); then
        got="dropped by router"
    else
        got="not dropped"
    fi
    probe hairpin-a send "$b_ip" "$port" via-lan
    if wait_recv hairpin; then
        grep -q " via-wan$" "$CHECK_TMP/hairpin.out" && got="$got, yet delivered"
        verdict "hairpin: a -> b via $mip:$mport" "dropped by router" "$got"
        if grep -q "^$a_ip [0-9]* via-lan$" "$CHECK_TMP/hairpin.out"; then
            got="delivered from $a_ip"
        else
            got="delivered from $(grep " via-lan$" "$CHECK_TMP/hairpin.out" | awk '{print $1}' || true)"
        fi
    else
        verdict "hairpin: a -> b via $mip:$mport" "dropped by router" "$got"
        got="not delivered"
    fi
    verdict "hairpin: a -> b via $b_ip:$port (LAN)" "delivered from $a_ip" "$got"
}

# --------------------------------------------------------------------------------------------
# IPv6: the dual-stack pair reaches each other directly, unsolicited, without NAT66.
# --------------------------------------------------------------------------------------------
check_ipv6() {
    local from to port=20700 got out
    for pair in "v6-a v6-b" "v6-b v6-a"; do
        read -r from to <<<"$pair"
        start_recv "v6-$to" "$to" --bind "[${H_IP6[$to]}]:$port" --echo --until "from-$from" --timeout 5
        out=$(probe "$from" ping "${H_IP6[$to]}" "$port" "from-$from" --bind "[${H_IP6[$from]}]:0" || true)
        if wait_recv "v6-$to"; then
            got="seen from $(awk '{print $1}' "$CHECK_TMP/v6-$to.out"), $([[ -n $out ]] && echo "echo back" || echo "no echo")"
        else
            got="not delivered"
        fi
        verdict "ipv6: $from -> [${H_IP6[$to]}]:$port" "seen from ${H_IP6[$from]}, echo back" "$got"
    done
}

# --------------------------------------------------------------------------------------------
# Punch order: the peer's packet reaches the NAT before the host's own first packet to it. The
# early packet must be dropped without a conntrack entry, so the host's mapping keeps its port
# (EIM) and the punch succeeds both ways.
# --------------------------------------------------------------------------------------------
check_punch() {
    local h=$1 port=$2 peer_port=$3 r=${H_ROUTER[$1]} ip=${H_IP4[$1]} pub=${H_IP4[public]}
    local wan=${R_WAN4[${H_ROUTER[$1]}]} before got mapped reply
    before=$(counter "$r" wan_unsolicited)
    start_recv "punch-$h" public --bind "$pub:$peer_port" --hello "$wan" "$port" --echo --until punch --timeout 10
    if wait_for "the early packet to be dropped" counter_reaches "$r" wan_unsolicited $((before + 1)); then
        got="early packet dropped"
    else
        got="early packet not dropped"
    fi
    mapped=$(probe "$h" stun "$GW_IP4" "$STUN_PORT" --bind "$ip:$port" || echo "no answer")
    got="$got, STUN $mapped"
    reply=$(probe "$h" ping "$pub" "$peer_port" punch --bind "$ip:$port" || true)
    if wait_recv "punch-$h"; then
        got="$got, peer saw $(awk '$3 == "punch" {print $1 ":" $2}' "$CHECK_TMP/punch-$h.out")"
    else
        got="$got, peer saw nothing"
    fi
    [[ -n $reply ]] && got="$got, reply in" || got="$got, no reply"
    verdict "punch: peer first, then $h" \
        "early packet dropped, STUN $wan $port, peer saw $wan:$port, reply in" "$got"
}

print_table() {
    local i w=5 pass=0 fail=0
    for i in "${!ROW_CHECK[@]}"; do ((${#ROW_CHECK[i]} <= w)) || w=${#ROW_CHECK[i]}; done
    printf "\n%-8s  %-${w}s  %s\n" RESULT CHECK OBSERVED
    for i in "${!ROW_CHECK[@]}"; do
        if ((ROW_OK[i])); then
            pass=$((pass + 1))
            printf "%-8s  %-${w}s  %s\n" ok "${ROW_CHECK[i]}" "${ROW_GOT[i]}"
        else
            fail=$((fail + 1))
            printf "%-8s  %-${w}s  %s\n%-8s  %-${w}s  %s\n" MISMATCH "${ROW_CHECK[i]}" "${ROW_GOT[i]}" \
                "" "" "expected: ${ROW_WANT[i]}"
        fi
    done
    echo
    echo "natlab: $pass passed, $fail failed"
    ((fail == 0))
}

check_cleanup() {
    local status=$? pid
    for pid in "${CHECK_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${CHECK_PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
    if ((CHECK_BROUGHT_UP)) && ((!CHECK_KEEP)); then
        take_lock
        destroy_lab "$LAB_ID"
        drop_lock
    else
        stop_turnserver
        ((CHECK_KEEP)) && [[ -d $STATE ]] && : >"$STATE/owner" # kept: lives until "down"
    fi
    [[ -n $CHECK_TMP ]] && rm -rf "$CHECK_TMP"
    exit "$status"
}

cmd_check() {
    CHECK_KEEP=0
    CHECK_BROUGHT_UP=0
    while (($#)); do
        case $1 in
        --keep) CHECK_KEEP=1 ;;
        *) die "check: unknown option $1" ;;
        esac
        shift
    done
    [[ $(id -u) == 0 ]] || die "check needs root (network namespaces)"
    local started=$SECONDS
    if ! lab_is_up; then
        # Owned by this shell: if it dies without cleaning up, the next up/down removes the lab.
        cmd_up --owner $$ # tears down what it built if it fails
        CHECK_BROUGHT_UP=1
    fi
    trap check_cleanup EXIT # after "up", which sets and clears its own EXIT trap
    set -E
    trap 'log "check aborted: \"$BASH_COMMAND\" failed (check.sh line $LINENO)"' ERR
    CHECK_TMP=$(mktemp -d /tmp/natlab-check.XXXXXX)
    reset_nat_state
    start_turnserver
    # natdiscovery first (all hosts at once), the rest after it: their proofs read drop
    # counters, which natdiscovery's unanswered filtering probes would move too.
    start_discovery
    collect_discovery
    check_upnp
    check_hairpin
    check_ipv6
    check_punch full-cone 20801 20901
    check_punch addr-restricted 20802 20902
    check_punch port-restricted 20803 20903
    check_punch upnp 20804 20904
    log "check took $((SECONDS - started)) s"
    print_table
}
