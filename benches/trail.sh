#!/usr/bin/env bash
# Whole-process figures of the trail on a generated repository, each beside
# its git baseline from the same run (hyperfine, from Debian's packages).
#   benches/trail.sh [L.git] [duyet binary]
# L.git: `cargo run --release --example synth -- DIR l` then `git -C DIR repack -adq`
# (or the one `cargo bench` generates under target/bench-repos/).
set -euo pipefail
cd "$(dirname "$0")/.."
src=${1:-target/bench-repos/L.git}
bin=${2:-target/release/duyet}
command -v hyperfine >/dev/null || { echo "needs hyperfine (apt-get install hyperfine)" >&2; exit 2; }
[ -x "$bin" ] || cargo build --release --quiet
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
git clone -q --bare --shared "$src" "$work/L.git"
repo="$work/L.git"
# 21 decision commits, for the per-commit baseline of stock git.
git -C "$repo" log --format=%H --grep '^Decision:' -n 21 > "$work/sample"
"$bin" --repo "$repo" trust allowed-signers --output "$work/allowed" >/dev/null
cat > "$work/verify.sh" <<SH
#!/bin/sh
while read c; do git -C "$repo" -c gpg.ssh.allowedSignersFile="$work/allowed" verify-commit "\$c" 2>/dev/null; done < "$work/sample"
SH
chmod +x "$work/verify.sh"
decisions=$(git -C "$repo" log --format=%H --grep '^Decision:' | wc -l)
echo "decisions in the trail: $decisions"
hyperfine --warmup 1 --runs 5 -N \
  --export-markdown "$work/audit.md" \
  "$bin --repo $repo audit --full" \
  "$work/verify.sh"
echo "(the second line verifies 21 commits: divide by 21 for git per commit, and the first by $decisions)"
rm -rf "$repo/duyet"
hyperfine --runs 5 -N --prepare "rm -rf $repo/duyet/list.json" \
  "$bin --repo $repo list" "git -C $repo ls-tree -r HEAD drafts/"
hyperfine --warmup 2 --runs 10 -N \
  "$bin --repo $repo list" "git -C $repo ls-tree -r HEAD drafts/"
