#!/bin/bash
# The VPC router's forwarding cost, old configuration against new, in one interleaved run (as root; about a minute).
# Builds three bare shapes with ip netns and nft, no Cloister code, and measures TCP connects through each with
# connect-loop.c (a C loop, so that the kernel path is most of what is measured):
#   one  a -> b: one veth hop to a namespace with the region's nftables table (the bench's baseline)
#   old  client -> router -> server configured as the fabric was: policy rules by ingress interface (8, as in the
#        seeds' router), per-subnet tables whose local and peering routes throw to the main table, the local table
#        looked up first, the kernel's reverse-path source check (on whenever policy rules exist), early demux
#   new  the same router as the fabric now configures it: the hosts copied into the subnet tables, the local table
#        after the interface rules, accept_local (no reverse-path lookup) with nftables dropping router-owned
#        sources on new flows, no early demux
# Both routers carry the fabric's security-group table (conntrack, iifname/oifname verdict maps).
# Usage: bench/Cloister.Network.Bench/router-ab.sh [connects per round, default 500] [repetitions, default 3]
set -euo pipefail
N=${1:-500}
REPS=${2:-3}
. "$(dirname "$0")/bare-netns.sh" clr
gcc -O2 -o "$DIR/connect-loop" "$(dirname "$0")/connect-loop.c"
for n in a b oc or os nc nr ns; do ip netns add "$P$n"; ip -n "$P$n" link set lo up; done

ip link add va netns "${P}a" type veth peer name vb netns "${P}b"
ip -n "${P}a" addr add 198.19.254.10/24 dev va; ip -n "${P}a" link set va up
ip -n "${P}b" addr add 198.19.254.1/24 dev vb; ip -n "${P}b" link set vb up; ip -n "${P}b" addr add 198.18.1.10/32 dev lo
ip -n "${P}a" route add default via 198.19.254.1
echo 'table inet cloister { chain output { type filter hook output priority filter; policy drop; oif "lo" accept; ct state established,related accept; }; chain forward { type filter hook forward priority filter; policy drop; }; }' | ip netns exec "${P}b" nft -f -

router() { # $1 = o|n
    local c=$P${1}c r=$P${1}r s=$P${1}s fib=""
    ip link add eth0 netns "$c" type veth peer name c netns "$r"
    ip link add s netns "$r" type veth peer name eth0 netns "$s"
    ip -n "$c" addr add 10.1.1.4/24 dev eth0; ip -n "$c" link set eth0 up; ip -n "$c" route add default via 10.1.1.1
    ip -n "$s" addr add 10.2.1.4/24 dev eth0; ip -n "$s" link set eth0 up; ip -n "$s" route add default via 10.2.1.1
    ip netns exec "$r" sh -c 'echo 1 > /proc/sys/net/ipv4/ip_forward; for f in /proc/sys/net/ipv4/conf/*/proxy_arp; do echo 1 > $f; done; for f in /proc/sys/net/ipv4/conf/*/rp_filter; do echo 0 > $f; done'
    ip -n "$r" -batch - <<IP
link set c up
addr add 10.1.1.1/32 dev c
route add 10.1.1.4/32 dev c src 10.1.1.1
link set s up
addr add 10.2.1.1/32 dev s
route add 10.2.1.4/32 dev s src 10.2.1.1
route add throw 10.2.0.0/16 table 100
route replace throw 10.1.0.0/16 table 100
route add unreachable default table 100
route add throw 10.1.0.0/16 table 102
route replace throw 10.2.0.0/16 table 102
route add unreachable default table 102
rule add iif s lookup 100 pref 1000
rule add iif x0 lookup 100 pref 1000
rule add iif x1 lookup 100 pref 1000
rule add iif x2 lookup 101 pref 1001
rule add iif x3 lookup 101 pref 1001
rule add iif c lookup 102 pref 1002
rule add iif x4 lookup 102 pref 1002
rule add iif x5 lookup 103 pref 1003
IP
    if [ "$1" = n ]; then
        ip -n "$r" -batch - <<IP
route replace 10.1.1.4/32 dev c src 10.1.1.1 table 100
route replace 10.2.1.4/32 dev s src 10.2.1.1 table 100
route replace 10.1.1.4/32 dev c src 10.1.1.1 table 102
route replace 10.2.1.4/32 dev s src 10.2.1.1 table 102
rule add pref 32765 lookup local
rule del pref 0
IP
        ip netns exec "$r" sh -c 'echo 1 > /proc/sys/net/ipv4/conf/all/accept_local; echo 0 > /proc/sys/net/ipv4/ip_early_demux'
        fib="fib saddr type local drop;"
    fi
    ip netns exec "$r" nft -f - <<NFT
table inet cloister {
  chain sg_out_c { ip daddr 0.0.0.0/0 return; drop; }
  chain sg_in_c { ip saddr 10.1.0.0/16 meta l4proto tcp accept; drop; }
  chain sg_out_s { ip daddr 0.0.0.0/0 return; drop; }
  chain sg_in_s { ip saddr 0.0.0.0/0 meta l4proto tcp accept; drop; }
  chain forward {
    type filter hook forward priority filter; policy accept;
    ct state established,related accept
    ct state invalid drop
    $fib
    iifname vmap { "c" : jump sg_out_c, "s" : jump sg_out_s }
    oifname vmap { "c" : jump sg_in_c, "s" : jump sg_in_s }
  }
  chain input { type filter hook input priority filter; policy drop; iif "lo" accept; }
}
NFT
}
router o
router n
"$DIR/connect-loop" serve "${P}b" 198.18.1.10 8080 &
"$DIR/connect-loop" serve "${P}os" 10.2.1.4 8080 &
"$DIR/connect-loop" serve "${P}ns" 10.2.1.4 8080 &
sleep 0.5
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
for rep in $(seq 1 "$REPS"); do
    echo "repetition $rep ($N connects x 5 rounds per path, interleaved)"
    "$DIR/connect-loop" probe "$N" 5 "${P}a,198.18.1.10,8080" "${P}oc,10.2.1.4,8080" "${P}nc,10.2.1.4,8080"
done
