#!/usr/bin/env bash
# Peak memory of the TUI on the L repository (issue 6, benchmark 5): open it
# in tmux, scroll through the whole list, open a draft whose last revision is
# the 20,000-line pair and page through its diff; read VmHWM of the process.
# Usage: benches/memory.sh [L.git]   (after `cargo bench` generated it)
set -euo pipefail
cd "$(dirname "$0")/.."
src=${1:-target/bench-repos/L.git}
bin=target/release/duyet
cargo build --release --quiet
cargo build --release --quiet --example bigpair
work=$(mktemp -d)
trap 'tmux -L duyet-mem kill-server 2>/dev/null || true; rm -rf "$work"' EXIT
git clone -q --bare --shared "$src" "$work/L.git"
target/release/examples/bigpair "$work/L.git"
tmux -L duyet-mem -f /dev/null new-session -d -s m -x 160 -y 50 \
  "DUYET_CONFIG=/nonexistent '$bin' --repo '$work/L.git' --lang en; sleep 5"
wait_for() { for _ in $(seq 600); do tmux -L duyet-mem capture-pane -p -t m | grep -q "$1" && return 0; sleep 0.1; done; echo "timeout: $1" >&2; exit 1; }
wait_for "Filter: waiting"
pid=$(pgrep -f "$bin --repo $work/L.git" | head -1)
tmux -L duyet-mem send-keys -t m f
for _ in $(seq 120); do tmux -L duyet-mem send-keys -t m PageDown; done
tmux -L duyet-mem send-keys -t m / b i g Enter
wait_for "(1/"
tmux -L duyet-mem send-keys -t m Enter
wait_for "from #1 to #2"
sleep 1
for _ in $(seq 60); do tmux -L duyet-mem send-keys -t m n; done
for _ in $(seq 100); do tmux -L duyet-mem send-keys -t m PageDown; done
tmux -L duyet-mem send-keys -t m t
sleep 1
grep -E "VmHWM|VmRSS|RssAnon|RssFile" "/proc/$pid/status"; tmux -L duyet-mem capture-pane -p -t m | head -3 >&2
tmux -L duyet-mem send-keys -t m q
