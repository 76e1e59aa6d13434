#!/bin/bash
# Where the peering path's extra TCP connect cost comes from (run as root; takes about a minute).
# Builds bare topologies with ip netns, no Cloister code: one veth hop (a -> b), the shape of a connection
# inside one VPC and, now, across a peering (e -> router -> f: two veth pairs, one forward), and the old
# peering shape (c -> router1 -> router2 -> d: three veth pairs, two forwards); first without any nftables,
# then with the hosts' stateful security-group tables (conntrack) as the fabric installs them.
# Usage: bench/Cloister.Network.Bench/hops.sh [connects per measure, default 2000]
set -euo pipefail
N=${1:-2000}
. "$(dirname "$0")/bare-netns.sh" clh
cat > "$DIR/serve.py" <<'PY'
import socket, sys
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((sys.argv[1], int(sys.argv[2]))); s.listen(4096)
while True:
    c, _ = s.accept(); c.close()
PY
cat > "$DIR/probe.py" <<'PY'
import socket, sys, time, statistics
res = []
for _ in range(int(sys.argv[3])):
    s = socket.socket(); t = time.perf_counter_ns(); s.connect((sys.argv[1], int(sys.argv[2]))); res.append((time.perf_counter_ns() - t) / 1000); s.close()
print(f"{statistics.median(res):.1f}")
PY
for n in a b c d e f r r1 r2; do ip netns add "$P$n"; ip -n "$P$n" link set lo up; done
ip link add va netns "${P}a" type veth peer name vb netns "${P}b"
ip -n "${P}a" addr add 192.168.1.1/24 dev va; ip -n "${P}a" link set va up
ip -n "${P}b" addr add 192.168.1.2/24 dev vb; ip -n "${P}b" link set vb up
ip link add eth0 netns "${P}c" type veth peer name e0 netns "${P}r1"
ip link add p0 netns "${P}r1" type veth peer name p0 netns "${P}r2"
ip link add e0 netns "${P}r2" type veth peer name eth0 netns "${P}d"
ip -n "${P}c" addr add 10.1.1.5/24 dev eth0; ip -n "${P}c" link set eth0 up; ip -n "${P}c" route add default via 10.1.1.1
ip -n "${P}d" addr add 10.2.1.5/24 dev eth0; ip -n "${P}d" link set eth0 up; ip -n "${P}d" route add default via 10.2.1.1
ip -n "${P}r1" addr add 10.1.1.1/32 dev e0; ip -n "${P}r1" link set e0 up; ip -n "${P}r1" route add 10.1.1.5/32 dev e0 src 10.1.1.1
ip -n "${P}r2" addr add 10.2.1.1/32 dev e0; ip -n "${P}r2" link set e0 up; ip -n "${P}r2" route add 10.2.1.5/32 dev e0 src 10.2.1.1
ip -n "${P}r1" addr add 169.254.0.1/30 dev p0; ip -n "${P}r1" link set p0 up; ip -n "${P}r1" route add 10.2.0.0/16 via 169.254.0.2
ip -n "${P}r2" addr add 169.254.0.2/30 dev p0; ip -n "${P}r2" link set p0 up; ip -n "${P}r2" route add 10.1.0.0/16 via 169.254.0.1
ip link add eth0 netns "${P}e" type veth peer name e1 netns "${P}r"
ip link add e2 netns "${P}r" type veth peer name eth0 netns "${P}f"
ip -n "${P}e" addr add 10.3.1.5/24 dev eth0; ip -n "${P}e" link set eth0 up; ip -n "${P}e" route add default via 10.3.1.1
ip -n "${P}f" addr add 10.4.1.5/24 dev eth0; ip -n "${P}f" link set eth0 up; ip -n "${P}f" route add default via 10.4.1.1
ip -n "${P}r" addr add 10.3.1.1/32 dev e1; ip -n "${P}r" link set e1 up; ip -n "${P}r" route add 10.3.1.5/32 dev e1 src 10.3.1.1
ip -n "${P}r" addr add 10.4.1.1/32 dev e2; ip -n "${P}r" link set e2 up; ip -n "${P}r" route add 10.4.1.5/32 dev e2 src 10.4.1.1
for n in r r1 r2; do
    ip netns exec "$P$n" sh -c 'echo 1 > /proc/sys/net/ipv4/ip_forward; for f in /proc/sys/net/ipv4/conf/*/proxy_arp; do echo 1 > $f; done; for f in /proc/sys/net/ipv4/conf/*/rp_filter; do echo 0 > $f; done'
done
ip netns exec "${P}b" python3 "$DIR/serve.py" 192.168.1.2 8080 &
ip netns exec "${P}d" python3 "$DIR/serve.py" 10.2.1.5 8080 &
ip netns exec "${P}f" python3 "$DIR/serve.py" 10.4.1.5 8080 &
sleep 1
measure() {
    for round in 1 2 3; do
        v=$(ip netns exec "${P}a" python3 "$DIR/probe.py" 192.168.1.2 8080 "$N")
        s=$(ip netns exec "${P}e" python3 "$DIR/probe.py" 10.4.1.5 8080 "$N")
        p=$(ip netns exec "${P}c" python3 "$DIR/probe.py" 10.2.1.5 8080 "$N")
        echo "$1 round $round: one hop ${v} µs; one router ${s} µs ($(python3 -c "print(f'{$s/$v:.2f}')")x); two routers ${p} µs ($(python3 -c "print(f'{$p/$v:.2f}')")x)"
    done
}
measure "no nftables                                  "
SG='table inet cloister { chain input { type filter hook input priority filter; policy drop; iif "lo" accept; ct state established,related accept; ct state invalid drop; tcp dport 8080 accept; }; chain output { type filter hook output priority filter; policy drop; oif "lo" accept; ct state established,related accept; ct state invalid drop; accept; }; }'
for n in b c d e f; do echo "$SG" | ip netns exec "$P$n" nft -f -; done
measure "security groups: server only / both ends     "
