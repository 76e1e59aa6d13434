# Sourced by hops.sh and router-ab.sh: bare namespaces under a prefix of this run ($P, given as $1), a scratch
# folder ($DIR), and their removal when the script exits, also on failure (killing what still runs in them).
P=$1$$-
DIR=$(mktemp -d)
cleanup() {
    for n in $(ip netns list | awk '{print $1}' | grep "^$P" || true); do
        ip netns pids "$n" | xargs -r kill 2>/dev/null || true
        ip netns del "$n"
    done
    rm -rf "$DIR"
}
trap cleanup EXIT
