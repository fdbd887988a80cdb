#!/usr/bin/env bash
# NAT lab: an emulated internet of Linux network namespaces with one NAT router of every RFC 4787
# class, a real UPnP IGD (miniupnpd), a non-hairpinning router with two hosts, a public host and a
# dual-stack pair. Everything lives in namespaces named "mmlab-<id>-<name>"; nothing touches the
# host's interfaces, routes or nftables ruleset. README.md beside this file has the picture.
#
#   natlab.sh up [--owner PID]      build the lab; a no-op when it is already up. With --owner the
#                                   lab counts as stale once PID has exited (see "down")
#   natlab.sh down [--all]          tear the lab down, and every stale lab of any id
#                                   (--all: every mmlab-* lab)
#   natlab.sh env                   KEY=VALUE lines describing the lab (works before "up" too)
#   natlab.sh exec HOST -- CMD...   run CMD inside HOST's namespace; exits with CMD's status
#   natlab.sh check [--keep]        self-check with coturn's turnutils_natdiscovery, upnpc and
#                                   UDP probes; brings the lab up if needed and, unless --keep,
#                                   takes down a lab it brought up
#   natlab.sh natdiscovery HOST SERVER [PORT]
#                                   coturn's turnutils_natdiscovery (-m, then -f) from HOST against
#                                   SERVER; prints mapping=… filtering=… reflexive=… in RFC 4787 words
#   natlab.sh install               apt-get what the lab needs (up and check do it when missing)
#   natlab.sh impair on [--loss PCT] [--reorder PCT] | off | status
#                                   fault injection in every NAT router: nftables drops PCT% (default
#                                   5) of forwarded UDP (numgen random) and holds back --reorder PCT%
#                                   (default 10) ~18 ms in a slow htb class so later datagrams overtake
#                                   it; status prints "ROUTER DROPPED HELD DELAYED" lines
#
# NATLAB_ID (default "lab", [a-z0-9]{1,8}) names the lab, so several can run side by side.
# Needs root (network namespaces); every wait is a bounded poll on a condition, never a bare sleep.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
LAB_ID=${NATLAB_ID:-lab}
if [[ ! $LAB_ID =~ ^[a-z0-9]{1,8}$ ]]; then
    echo "natlab: NATLAB_ID must be 1-8 characters of [a-z0-9]" >&2
    exit 2
fi
NS_BASE=mmlab
PREFIX="$NS_BASE-$LAB_ID-"
RUN_ROOT=/run/mmlab
STATE="$RUN_ROOT/$LAB_ID"
WAIT_LIMIT=20 # seconds any single readiness wait may take

# ---------------------------------------------------------------------------------------------
# Topology. Every address is lab-only: the "internet" is 198.51.100.0/24 (servers),
# 203.0.113.0/24 (the NAT routers' WAN side) and 2001:db8::/32; LANs are 10.0.N.0/24.
# ---------------------------------------------------------------------------------------------
INET_SRV4=198.51.100.1
INET_NAT4=203.0.113.1
INET_SRV6=2001:db8::1
INET_NAT6=2001:db8:0:1::1

# Routers: name | NAT class | WAN IPv4 | LAN IPv4 (router side) | WAN IPv6 | LAN IPv6 /64 prefix
ROUTER_TABLE=(
    "nat-full|full-cone|203.0.113.10|10.0.1.1||"
    "nat-addr|address-restricted|203.0.113.20|10.0.2.1||"
    "nat-port|port-restricted|203.0.113.30|10.0.3.1||"
    "nat-sym|symmetric|203.0.113.40|10.0.4.1||"
    "nat-upnp|port-restricted|203.0.113.50|10.0.5.1||"
    "nat-hairpin|port-restricted|203.0.113.60|10.0.6.1||"
    "nat-v6a|port-restricted|203.0.113.70|10.0.7.1|2001:db8:0:1::70|2001:db8:7::"
    "nat-v6b|port-restricted|203.0.113.80|10.0.8.1|2001:db8:0:1::80|2001:db8:8::"
    "nat-sym2|symmetric|203.0.113.90|10.0.9.1||"
)
# Hosts: name | router ("-" = directly on the internet) | IPv4 (comma list) | IPv6
HOST_TABLE=(
    "gw|-|198.51.100.10,198.51.100.11|2001:db8::10"
    "public|-|198.51.100.20|2001:db8::20"
    "full-cone|nat-full|10.0.1.2|"
    "addr-restricted|nat-addr|10.0.2.2|"
    "port-restricted|nat-port|10.0.3.2|"
    "symmetric|nat-sym|10.0.4.2|"
    "upnp|nat-upnp|10.0.5.2|"
    "hairpin-a|nat-hairpin|10.0.6.2|"
    "hairpin-b|nat-hairpin|10.0.6.3|"
    "v6-a|nat-v6a|10.0.7.2|2001:db8:7::2"
    "v6-b|nat-v6b|10.0.8.2|2001:db8:8::2"
    "symmetric-b|nat-sym2|10.0.9.2|"
)
UPNP_ROUTER=nat-upnp
UPNP_HTTP_PORT=5000
STUN_HOST=gw
STUN_PORT=3478
STUN_ALT_PORT=3479

# Parsed once, so building the lab forks as little as possible.
declare -a ROUTERS=() HOSTS=()
declare -A R_CLASS=() R_WAN4=() R_LAN4=() R_WAN6=() R_LAN6=() H_ROUTER=() H_IP4=() H_IP6=()
for _rec in "${ROUTER_TABLE[@]}"; do
    IFS='|' read -r _n _c _w4 _l4 _w6 _l6 <<<"$_rec"
    ROUTERS+=("$_n")
    R_CLASS[$_n]=$_c R_WAN4[$_n]=$_w4 R_LAN4[$_n]=$_l4 R_WAN6[$_n]=$_w6 R_LAN6[$_n]=$_l6
done
for _rec in "${HOST_TABLE[@]}"; do
    IFS='|' read -r _n _r _i4 _i6 <<<"$_rec"
    HOSTS+=("$_n")
    H_ROUTER[$_n]=$_r H_IP4[$_n]=$_i4 H_IP6[$_n]=$_i6
done
unset _rec _n _c _w4 _l4 _w6 _l6 _r _i4 _i6
NAMES=(inet "${ROUTERS[@]}" "${HOSTS[@]}")
GW_IP4=${H_IP4[gw]%%,*}
GW_IP4_ALT=${H_IP4[gw]#*,}

die() {
    echo "natlab: $*" >&2
    exit 1
}
log() { echo "natlab: $*" >&2; }
inns() { # inns NAME CMD...
    local n=$1
    shift
    ip netns exec "$PREFIX$n" "$@"
}
is_name() {
    local n
    for n in "${NAMES[@]}"; do [[ $n == "$1" ]] && return 0; done
    return 1
}

# Polls "$@" until it succeeds, for at most $WAIT_LIMIT seconds. With --while-alive PID it gives
# up as soon as that process has exited (a daemon that died will never become ready).
wait_for() {
    local pid=""
    if [[ $1 == --while-alive ]]; then
        pid=$2
        shift 2
    fi
    local what=$1
    shift
    local end=$((SECONDS + WAIT_LIMIT))
    until "$@" >/dev/null 2>&1; do
        if [[ -n $pid ]] && proc_gone "$pid"; then
            log "gave up waiting for $what: process $pid exited"
            return 1
        fi
        if ((SECONDS >= end)); then
            log "timed out waiting for $what"
            return 1
        fi
        sleep 0.05
    done
}

proc_gone() { # exited (a zombie waiting for its parent to reap it counts as gone)
    local st
    st=$(proc_stat "$1" 1)
    [[ -z $st || $st == Z ]]
}

# ---------------------------------------------------------------------------------------------
# install
# ---------------------------------------------------------------------------------------------
cmd_install() {
    local needed=()
    command -v nft >/dev/null || needed+=(nftables)
    command -v ip >/dev/null || needed+=(iproute2)
    command -v turnserver >/dev/null || needed+=(coturn)
    command -v upnpc >/dev/null || needed+=(miniupnpc)
    command -v conntrack >/dev/null || needed+=(conntrack)
    command -v python3 >/dev/null || needed+=(python3)
    command -v flock >/dev/null || needed+=(util-linux)
    command -v curl >/dev/null || needed+=(curl)
    # Debian ships miniupnpd's iptables and nftables backends as two packages; the lab uses nft.
    if ! command -v miniupnpd >/dev/null || ! miniupnpd --version 2>&1 | grep -q nftables; then
        needed+=(miniupnpd miniupnpd-nftables)
    fi
    ((${#needed[@]})) || return 0
    [[ $(id -u) == 0 ]] || die "missing ${needed[*]} and not root"
    log "installing ${needed[*]}"
    # Neither package's service runs: miniupnpd's debconf default is not to start it, and the lab
    # runs its own turnserver and miniupnpd inside namespaces.
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${needed[@]}" >/dev/null
}

# ---------------------------------------------------------------------------------------------
# Bookkeeping. $STATE/owner holds "PID STARTTIME" of a process whose exit makes the lab stale
# (empty: the lab lives until "down"). A lab is stale when its state directory is gone, when it
# was never finished ("up" builds under the lock, and stale labs are looked for under it too),
# or when its owner has exited; "up" and "down" remove stale labs of any id.
# ---------------------------------------------------------------------------------------------
# Fields of /proc/PID/stat after the ") " that closes the command name (which may hold spaces):
# 1 = state, 20 = start time.
proc_stat() { sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | awk -v f="$2" '{print $f}' || true; }
proc_start() { proc_stat "$1" 20; }

lab_ids() {
    ip netns list 2>/dev/null | awk '{print $1}' | sed -n "s/^$NS_BASE-\([a-z0-9]\{1,8\}\)-.*/\1/p" | sort -u
}

lab_is_stale() {
    local dir="$RUN_ROOT/$1" owner pid start
    [[ -f $dir/ready ]] || return 0
    owner=$(cat "$dir/owner" 2>/dev/null || true)
    [[ -n $owner ]] || return 1
    read -r pid start <<<"$owner"
    [[ $(proc_start "$pid") == "$start" ]] && return 1
    return 0
}

# Ends the lab's processes (found through its namespaces, so only what the lab started), then
# deletes the namespaces; that removes their interfaces, nftables tables and conntrack entries.
destroy_lab() {
    local id=$1 n pids end
    local -a names
    mapfile -t names < <(ip netns list 2>/dev/null | awk '{print $1}' | grep "^$NS_BASE-$id-" || true)
    for n in "${names[@]}"; do
        pids=$(ip netns pids "$n" 2>/dev/null || true)
        # shellcheck disable=SC2086
        [[ -z $pids ]] || kill $pids 2>/dev/null || true
    done
    end=$((SECONDS + 5))
    for n in "${names[@]}"; do
        while pids=$(ip netns pids "$n" 2>/dev/null) && [[ -n $pids ]]; do
            # shellcheck disable=SC2086
            ((SECONDS < end)) || kill -KILL $pids 2>/dev/null || true
            sleep 0.05
        done
    done
    for n in "${names[@]}"; do ip netns delete "$n" 2>/dev/null || true; done
    rm -rf "${RUN_ROOT:?}/$id"
}

take_lock() {
    mkdir -p "$RUN_ROOT"
    exec 9>"$RUN_ROOT/.lock"
    flock -w 60 9 || die "another natlab up/down holds $RUN_ROOT/.lock"
}
drop_lock() { flock -u 9 2>/dev/null || true; }

remove_stale_labs() {
    local id
    for id in $(lab_ids); do
        [[ $id == "$LAB_ID" ]] && continue
        if lab_is_stale "$id"; then
            log "removing stale lab '$id'"
            destroy_lab "$id"
        fi
    done
}

lab_is_up() {
    [[ -f $STATE/ready ]] || return 1
    local n pid
    for n in "${NAMES[@]}"; do [[ -e /run/netns/$PREFIX$n ]] || return 1; done
    pid=$(cat "$STATE/miniupnpd.pid" 2>/dev/null) || return 1
    [[ -n $pid && " $(ip netns pids "$PREFIX$UPNP_ROUTER" 2>/dev/null | tr '\n' ' ') " == *" $pid "* ]]
}

cmd_down() {
    local all=0 id
    while (($#)); do
        case $1 in
        --all) all=1 ;;
        *) die "down: unknown option $1" ;;
        esac
        shift
    done
    [[ $(id -u) == 0 ]] || die "down needs root"
    take_lock
    destroy_lab "$LAB_ID"
    for id in $(lab_ids); do
        if ((all)) || lab_is_stale "$id"; then destroy_lab "$id"; fi
    done
    drop_lock
}

# ---------------------------------------------------------------------------------------------
# Building blocks
# ---------------------------------------------------------------------------------------------
# Per-namespace batches of `ip` commands: one `ip -b` process per namespace and phase keeps "up"
# to a few seconds (each process start costs tens of milliseconds).
declare -A BATCH=()
b() { BATCH[$1]+="$2"$'\n'; }
flush() {
    local n
    for n in "${NAMES[@]}"; do
        [[ -n ${BATCH[$n]:-} ]] || continue
        ip -n "$PREFIX$n" -b - <<<"${BATCH[$n]}" || die "ip batch in $n failed"
    done
    BATCH=()
}

# The NAT router's nftables ruleset. README.md "How each class is built" explains the why.
nat_ruleset() {
    local router=$1 class=${R_CLASS[$1]} wan=${R_WAN4[$1]}
    local snat_flags="" maps="" pre="" track="" stun_in=""
    case $class in
    full-cone)
        # EIF: a mapped external port (kept alive by traffic through it) admits any remote
        # endpoint and leads to the internal endpoint that owns the mapping.
        maps='
    map eif {
        type inet_service : ipv4_addr . inet_service
        flags dynamic,timeout
        timeout 120s
    }
'
        track='
        oifname "wan" meta l4proto udp ct direction original update @eif { udp sport : ct original ip saddr . ct original proto-src }
        oifname "wan" meta l4proto udp ct direction reply update @eif { udp sport : ct reply ip saddr . ct reply proto-src }'
        pre='
        iifname "wan" meta l4proto udp dnat ip to udp dport map @eif'
        ;;
    address-restricted)
        # ADF: a mapped external port admits any port of a remote address it has sent to.
        maps='
    map adf {
        type ipv4_addr . inet_service : ipv4_addr . inet_service
        flags dynamic,timeout
        timeout 120s
    }
'
        track='
        oifname "wan" meta l4proto udp ct direction original update @adf { ip daddr . udp sport : ct original ip saddr . ct original proto-src }
        oifname "wan" meta l4proto udp ct direction reply update @adf { ip daddr . udp sport : ct reply ip saddr . ct reply proto-src }'
        pre='
        iifname "wan" meta l4proto udp dnat ip to ip saddr . udp dport map @adf'
        ;;
    port-restricted) ;; # EIM + APDF is what plain conntrack with port-preserving snat does.
    symmetric) snat_flags=" random" ;; # a port per destination IP:port: APDM
    *) die "unknown NAT class $class" ;;
    esac
    if [[ $router == "$UPNP_ROUTER" ]]; then
        # miniupnpd runs an RFC 5780 test against the lab's STUN server at start (a TEST-NET WAN
        # address is "reserved" to it otherwise, and it refuses to forward). Its probe sockets
        # live on the router itself, so their change-IP/port answers must get in: only from the
        # STUN server's ports and only where a local socket waits (the socket match fails for
        # none), so nothing else reaches conntrack's confirm step.
        stun_in="
        iifname \"wan\" ip saddr { $GW_IP4, $GW_IP4_ALT } udp sport { $STUN_PORT, $STUN_ALT_PORT } socket transparent 0 accept"
    fi
    cat <<EOF
table ip natlab {$maps
    counter wan_unsolicited {
    }

    counter no_hairpin {
    }

    chain prerouting {
        type nat hook prerouting priority dstnat; policy accept;$pre
    }

    chain postrouting {
        type nat hook postrouting priority srcnat; policy accept;
        oifname "wan" snat ip to $wan$snat_flags
    }

    # After srcnat, so packets already carry their external source port.
    chain mapping {
        type filter hook postrouting priority srcnat + 1; policy accept;$track
    }

    # Unsolicited packets for the router itself are dropped here, before conntrack confirms an
    # entry for them. A confirmed entry (remote:q -> wan:p) would make a later outbound flow
    # internal:p -> remote:q collide with it and get another external port: EIM would break
    # exactly when a peer's punch arrives first.
    chain input {
        type filter hook input priority filter; policy accept;
        iifname "wan" ct state established,related accept$stun_in
        iifname "wan" counter name "wan_unsolicited" drop
        iifname != "wan" ip daddr $wan counter name "no_hairpin" drop
    }

    chain forward {
        type filter hook forward priority filter; policy drop;
        ct state established,related accept
        iifname != "wan" accept
        ct status dnat accept
    }
}
EOF
}

# miniupnpd's nftables backend (2.3.x) keeps its rules in table "inet filter": forward chain
# "miniupnpd", NAT chains "prerouting_miniupnpd" and "postrouting_miniupnpd". It only fills
# them; the base chains hooking them in are ours (Debian's nft_init.sh would do the same, but
# it sources an iptables helper script).
upnp_ruleset() {
    cat <<'EOF'
table inet filter {
    chain miniupnpd {
    }

    chain prerouting_miniupnpd {
    }

    chain postrouting_miniupnpd {
    }

    chain forward {
        type filter hook forward priority filter - 1; policy accept;
        jump miniupnpd
    }

    chain prerouting {
        type nat hook prerouting priority dstnat - 1; policy accept;
        jump prerouting_miniupnpd
    }

    chain postrouting {
        type nat hook postrouting priority srcnat - 1; policy accept;
        jump postrouting_miniupnpd
    }
}
EOF
}

udp_listening() { # udp_listening NAME ADDR:PORT...
    local n=$1 ep socks
    shift
    socks=$(inns "$n" ss -Huln) || return 1
    for ep in "$@"; do grep -qF " $ep " <<<"$socks" || return 1; done
}

tcp_listening() { # tcp_listening NAME PORT
    [[ -n $(inns "$1" ss -Htln "sport = :$2") ]]
}

# coturn as an RFC 5780 STUN server on both of gw's addresses, primary and alternate port.
start_turnserver() {
    [[ -s $STATE/turnserver.pid ]] && stop_turnserver
    if udp_listening "$STUN_HOST" "$GW_IP4:$STUN_PORT" || udp_listening "$STUN_HOST" "$GW_IP4_ALT:$STUN_PORT"; then
        log "something already listens on $GW_IP4:$STUN_PORT in $STUN_HOST; stop it first"
        return 1
    fi
    ip netns exec "$PREFIX$STUN_HOST" turnserver -n --stun-only --no-cli --no-tls --no-dtls --no-tcp \
        -L "$GW_IP4" -L "$GW_IP4_ALT" --listening-port "$STUN_PORT" --alt-listening-port "$STUN_ALT_PORT" \
        --pidfile "$STATE/turnserver.pid.tmp" --log-file "$STATE/turnserver.log" --simple-log --no-stdout-log \
        >/dev/null 2>&1 </dev/null &
    # A simple command in the background, and "ip netns exec" execs: $! is turnserver itself.
    echo $! >"$STATE/turnserver.pid"
    wait_for --while-alive $! "turnserver on $GW_IP4/$GW_IP4_ALT ports $STUN_PORT/$STUN_ALT_PORT" udp_listening "$STUN_HOST" \
        "$GW_IP4:$STUN_PORT" "$GW_IP4:$STUN_ALT_PORT" "$GW_IP4_ALT:$STUN_PORT" "$GW_IP4_ALT:$STUN_ALT_PORT"
}

stop_turnserver() {
    local pid
    pid=$(cat "$STATE/turnserver.pid" 2>/dev/null || true)
    rm -f "$STATE/turnserver.pid" "$STATE/turnserver.pid.tmp"
    [[ -n $pid ]] || return 0
    kill "$pid" 2>/dev/null || return 0
    wait_for "turnserver to exit" proc_gone "$pid" ||
        kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true # reap it when it is our child
}

start_miniupnpd() {
    local r=$UPNP_ROUTER lan=${R_LAN4[$UPNP_ROUTER]}
    cat >"$STATE/miniupnpd.conf" <<EOF
ext_ifname=wan
listening_ip=lan
http_port=$UPNP_HTTP_PORT
enable_upnp=yes
enable_natpmp=yes
ipv6_disable=yes
secure_mode=yes
system_uptime=no
ext_perform_stun=yes
ext_stun_host=$GW_IP4
ext_stun_port=$STUN_PORT
lease_file=$STATE/upnp.leases
uuid=$(cat /proc/sys/kernel/random/uuid)
friendly_name=natlab UPnP router
allow 1024-65535 ${lan%.*}.0/24 1024-65535
deny 0-65535 0.0.0.0/0 0-65535
EOF
    inns "$r" nft -f - < <(upnp_ruleset)
    start_turnserver
    # -d: stay in the foreground with the log on stderr (to a file); "ip netns exec" execs, so $!
    # is miniupnpd itself.
    ip netns exec "$PREFIX$r" miniupnpd -d -f "$STATE/miniupnpd.conf" -P "$STATE/miniupnpd.pid.tmp" \
        >"$STATE/miniupnpd.log" 2>&1 </dev/null &
    echo $! >"$STATE/miniupnpd.pid"
    # The HTTP socket opens only after its STUN test, so this also waits for that.
    wait_for --while-alive $! "miniupnpd on $lan:$UPNP_HTTP_PORT" tcp_listening "$r" "$UPNP_HTTP_PORT"
    stop_turnserver
    grep -q "Port forwarding is now enabled" "$STATE/miniupnpd.log" ||
        die "miniupnpd did not enable port forwarding; see $STATE/miniupnpd.log"
}

build() {
    local n r h router a fwd lan4 lan6
    local -A has_lan=()

    # Phase 1: namespaces and sysctls. No DAD, so IPv6 addresses are usable at once (nothing
    # waits for "tentative" to clear); no RAs; forwarding on routers.
    for n in "${NAMES[@]}"; do
        ip netns add "$PREFIX$n"
        fwd=""
        [[ $n == inet || -n ${R_CLASS[$n]:-} ]] && fwd="net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1"
        # shellcheck disable=SC2086
        inns "$n" sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0 \
            net.ipv6.conf.all.accept_ra=0 net.ipv6.conf.default.accept_ra=0 $fwd
        b "$n" "link set lo up"
    done

    # Phase 2: the "internet", a router namespace with two bridges, no NAT and no filtering.
    # Every veth is created directly inside the two namespaces it joins, never in the host's.
    b inet "link add srv type bridge"
    b inet "link add nat type bridge"
    b inet "addr add $INET_SRV4/24 dev srv"
    b inet "addr add $INET_NAT4/24 dev nat"
    b inet "addr add $INET_SRV6/64 dev srv nodad"
    b inet "addr add $INET_NAT6/64 dev nat nodad"
    b inet "link set srv up"
    b inet "link set nat up"
    for r in "${ROUTERS[@]}"; do
        b inet "link add r-$r type veth peer name wan netns $PREFIX$r"
        b inet "link set r-$r master nat up"
        [[ -z ${R_WAN6[$r]} ]] || b inet "route add ${R_LAN6[$r]}/64 via ${R_WAN6[$r]}"
    done
    for h in "${HOSTS[@]}"; do
        [[ ${H_ROUTER[$h]} == - ]] || continue
        b inet "link add h-$h type veth peer name eth0 netns $PREFIX$h"
        b inet "link set h-$h master srv up"
    done
    flush

    # Phase 3: routers: WAN side, then the LAN links to their hosts.
    for r in "${ROUTERS[@]}"; do
        b "$r" "addr add ${R_WAN4[$r]}/24 dev wan"
        b "$r" "link set wan up"
        b "$r" "route add default via $INET_NAT4"
        if [[ -n ${R_WAN6[$r]} ]]; then
            b "$r" "addr add ${R_WAN6[$r]}/64 dev wan nodad"
            b "$r" "route add default via $INET_NAT6"
        fi
    done
    for h in "${HOSTS[@]}"; do
        router=${H_ROUTER[$h]}
        [[ $router == - ]] && continue
        lan4=${R_LAN4[$router]}
        lan6=${R_LAN6[$router]}
        if [[ $router == nat-hairpin ]]; then
            # Two hosts on one LAN: a bridge in the router.
            if [[ -z ${has_lan[$router]:-} ]]; then
                b "$router" "link add lan type bridge"
                b "$router" "addr add $lan4/24 dev lan"
                b "$router" "link set lan up"
            fi
            b "$router" "link add p-$h type veth peer name eth0 netns $PREFIX$h"
            b "$router" "link set p-$h master lan up"
        else
            b "$router" "link add lan type veth peer name eth0 netns $PREFIX$h"
            b "$router" "addr add $lan4/24 dev lan"
            [[ -z $lan6 ]] || b "$router" "addr add ${lan6}1/64 dev lan nodad"
            b "$router" "link set lan up"
        fi
        has_lan[$router]=1
    done
    flush

    # Phase 4: hosts.
    for h in "${HOSTS[@]}"; do
        router=${H_ROUTER[$h]}
        for a in ${H_IP4[$h]//,/ }; do b "$h" "addr add $a/24 dev eth0"; done
        [[ -z ${H_IP6[$h]} ]] || b "$h" "addr add ${H_IP6[$h]}/64 dev eth0 nodad"
        b "$h" "link set eth0 up"
        if [[ $router == - ]]; then
            b "$h" "route add default via $INET_SRV4"
            [[ -z ${H_IP6[$h]} ]] || b "$h" "route add default via $INET_SRV6"
        else
            b "$h" "route add default via ${R_LAN4[$router]}"
            [[ -z ${H_IP6[$h]} ]] || b "$h" "route add default via ${R_LAN6[$router]}1"
        fi
    done
    flush

    # Phase 5: NAT rulesets, then the UPnP IGD.
    for r in "${ROUTERS[@]}"; do
        inns "$r" nft -f - < <(nat_ruleset "$r")
    done
    start_miniupnpd
}

cmd_up() {
    local owner=""
    while (($#)); do
        case $1 in
        --owner)
            [[ ${2:-} =~ ^[0-9]+$ ]] || die "--owner needs a PID"
            owner="$2 $(proc_start "$2")"
            [[ $owner != *" " ]] || die "--owner $2: no such process"
            shift
            ;;
        *) die "up: unknown option $1" ;;
        esac
        shift
    done
    [[ $(id -u) == 0 ]] || die "up needs root (network namespaces)"
    cmd_install
    take_lock
    remove_stale_labs
    if lab_is_up; then
        [[ -z $owner ]] || echo "$owner" >"$STATE/owner"
        drop_lock
        return 0
    fi
    destroy_lab "$LAB_ID"
    mkdir -p "$STATE"
    echo "$owner" >"$STATE/owner"
    trap 'log "up failed; tearing the lab down"; destroy_lab "$LAB_ID"' EXIT
    build
    touch "$STATE/ready"
    trap - EXIT
    drop_lock
    log "lab '$LAB_ID' is up: ${#NAMES[@]} namespaces named $PREFIX*"
}

# ---------------------------------------------------------------------------------------------
# env / exec
# ---------------------------------------------------------------------------------------------
key() { # "full-cone" -> "FULL_CONE"
    local k=${1^^}
    echo "${k//-/_}"
}

nat_props() { # class -> "MAPPING FILTERING" (RFC 4787 terms)
    case $1 in
    full-cone) echo "endpoint-independent endpoint-independent" ;;
    address-restricted) echo "endpoint-independent address-dependent" ;;
    port-restricted) echo "endpoint-independent address-and-port-dependent" ;;
    symmetric) echo "address-and-port-dependent address-and-port-dependent" ;;
    none) echo "none none" ;;
    esac
}

cmd_env() {
    local h k router class mapping filtering
    local IFS=,
    echo "NATLAB_ID=$LAB_ID"
    echo "NATLAB_NS_PREFIX=$PREFIX"
    echo "NATLAB_STATE_DIR=$STATE"
    echo "NATLAB_SCRIPT=$HERE/natlab.sh"
    if lab_is_up; then echo "NATLAB_UP=1"; else echo "NATLAB_UP=0"; fi
    echo "NATLAB_HOSTS=${HOSTS[*]}"
    echo "NATLAB_ROUTERS=${ROUTERS[*]}"
    unset IFS
    echo "NATLAB_INET_NS=${PREFIX}inet"
    echo "NATLAB_STUN_HOST=$STUN_HOST"
    echo "NATLAB_STUN_PORT=$STUN_PORT"
    echo "NATLAB_STUN_ALT_PORT=$STUN_ALT_PORT"
    for h in "${HOSTS[@]}"; do
        k="NATLAB_$(key "$h")"
        router=${H_ROUTER[$h]}
        echo "${k}_NS=$PREFIX$h"
        echo "${k}_IP4=${H_IP4[$h]%%,*}"
        [[ ${H_IP4[$h]} != *,* ]] || echo "${k}_IP4_ALT=${H_IP4[$h]#*,}"
        [[ -z ${H_IP6[$h]} ]] || echo "${k}_IP6=${H_IP6[$h]}"
        if [[ $router == - ]]; then
            class=none
            echo "${k}_PUBLIC_IP4=${H_IP4[$h]%%,*}"
            echo "${k}_GATEWAY4=$INET_SRV4"
        else
            class=${R_CLASS[$router]}
            echo "${k}_PUBLIC_IP4=${R_WAN4[$router]}"
            echo "${k}_GATEWAY4=${R_LAN4[$router]}"
            echo "${k}_ROUTER=$router"
            echo "${k}_ROUTER_NS=$PREFIX$router"
        fi
        read -r mapping filtering <<<"$(nat_props "$class")"
        echo "${k}_NAT=$class"
        echo "${k}_MAPPING=$mapping"
        echo "${k}_FILTERING=$filtering"
        echo "${k}_UPNP=$([[ $router == "$UPNP_ROUTER" ]] && echo 1 || echo 0)"
    done
    echo "NATLAB_UPNP_IGD_URL=http://${R_LAN4[$UPNP_ROUTER]}:$UPNP_HTTP_PORT/rootDesc.xml"
    echo "NATLAB_UPNP_NATPMP_GATEWAY=${R_LAN4[$UPNP_ROUTER]}"
    echo "NATLAB_HAIRPIN=0"
}

# Loss and reordering in each router's forward path, both directions. nftables' numgen drops PCT% of
# forwarded UDP; another numgen draw marks REORDER% of it (skb priority 1:20) for a slow htb class on
# the router's egress (wan and lan), which holds each marked datagram back about 18 ms (64 kbit/s,
# no burst) while unmarked ones overtake it. tc netem would be the usual tool, but minimal kernels
# such as the Firecracker guests CI runs on have no sch_netem (nor nft's queue); htb they have.
cmd_impair() {
    local action=${1:-status} loss=5 reorder=10 router dev dropped held delayed
    shift || true
    while (($#)); do
        case $1 in
        --loss) loss=$2; shift 2 ;;
        --reorder) reorder=$2; shift 2 ;;
        *) die "usage: impair on [--loss PCT] [--reorder PCT] | off | status" ;;
        esac
    done
    [[ $loss =~ ^[0-9]{1,2}$ ]] || die "--loss must be a percentage below 100"
    [[ $reorder =~ ^[0-9]{1,2}$ ]] || die "--reorder must be a percentage below 100"
    lab_is_up || die "lab '$LAB_ID' is not up"
    case $action in
    on)
        for router in "${ROUTERS[@]}"; do
            inns "$router" nft delete table inet natlab_impair 2>/dev/null || true
            inns "$router" nft -f - <<EOF
table inet natlab_impair {
    counter impaired_drops {}
    counter impaired_held {}
    chain loss {
        type filter hook forward priority -300; policy accept;
        meta l4proto udp numgen random mod 100 < $loss counter name "impaired_drops" drop
        meta l4proto udp numgen random mod 100 < $reorder counter name "impaired_held" meta priority set 1:20
    }
}
EOF
            for dev in wan lan; do
                inns "$router" tc qdisc replace dev "$dev" root handle 1: htb default 10 2>/dev/null \
                    || die "$router: tc htb is unavailable, so reordering cannot be injected"
                inns "$router" tc class add dev "$dev" parent 1: classid 1:10 htb rate 1gbit 2>/dev/null
                inns "$router" tc class add dev "$dev" parent 1: classid 1:20 htb rate 64kbit ceil 64kbit burst 1 cburst 1 2>/dev/null
            done
            log "$router: ${loss}% UDP loss, ${reorder}% held back ~18 ms and overtaken (htb)"
        done
        ;;
    off)
        for router in "${ROUTERS[@]}"; do
            inns "$router" nft delete table inet natlab_impair 2>/dev/null || true
            for dev in wan lan; do
                inns "$router" tc qdisc del dev "$dev" root 2>/dev/null || true
            done
        done
        ;;
    status)
        # ROUTER DROPPED HELD DELAYED: datagrams dropped, marked to be held, and held back by the slow class.
        for router in "${ROUTERS[@]}"; do
            dropped=$(inns "$router" nft list counter inet natlab_impair impaired_drops 2>/dev/null | sed -n 's/.*packets \([0-9]*\).*/\1/p')
            held=$(inns "$router" nft list counter inet natlab_impair impaired_held 2>/dev/null | sed -n 's/.*packets \([0-9]*\).*/\1/p')
            delayed=0
            for dev in wan lan; do
                delayed=$((delayed + $(inns "$router" tc -s class show dev "$dev" classid 1:20 2>/dev/null | sed -n 's/.*overlimits \([0-9]*\).*/\1/p' | head -1 | grep . || echo 0)))
            done
            echo "$router ${dropped:-off} ${held:-off} $delayed"
        done
        ;;
    *) die "usage: impair on [--loss PCT] [--reorder PCT] | off | status" ;;
    esac
}

cmd_exec() {
    local host=${1:-}
    shift || true
    [[ ${1:-} == -- ]] && shift
    [[ -n $host && $# -gt 0 ]] || die "usage: exec HOST -- CMD..."
    is_name "$host" || die "unknown host '$host' (one of: ${NAMES[*]})"
    [[ -e /run/netns/$PREFIX$host ]] || die "lab '$LAB_ID' is not up"
    exec ip netns exec "$PREFIX$host" "$@"
}

# The self-check lives beside this file to keep the lab's own code short.
# shellcheck source=check.sh
source "$HERE/check.sh"

main() {
    local cmd=${1:-}
    shift || true
    case $cmd in
    up) cmd_up "$@" ;;
    down) cmd_down "$@" ;;
    env) cmd_env "$@" ;;
    exec) cmd_exec "$@" ;;
    check) cmd_check "$@" ;;
    natdiscovery) cmd_natdiscovery "$@" ;;
    install) cmd_install ;;
    impair) cmd_impair "$@" ;;
    help | -h | --help | "") sed -n '2,27p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' ;;
    *)
        sed -n '2,27p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
        exit 2
        ;;
    esac
}
main "$@"
