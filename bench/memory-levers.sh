#!/usr/bin/env bash
# What each memory lever does to a child (docs/performance.md, "Bringing it down"): the ChildSpeed
# network (NASNet-A, N=1, F=16, 32x32x3, batch 64, 2 threads) trained in one JVM per run, each lever
# once per round, the levers interleaved so that the machine's drift falls on all of them; prints
# every run, then per lever the median images/s and peak RSS over the rounds. Then 20 children in a
# row in one JVM (10 steps each) with glibc, glibc trimmed after each child, and jemalloc as the
# scripts run it: the steady-state RSS of the 20th child against the first's.
#   bench/memory-levers.sh        3 rounds (about 20 minutes on 2 cores)
#   bench/memory-levers.sh 5      5 rounds
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
# shellcheck source=jobs/classpath.sh
. jobs/classpath.sh bench
# shellcheck source=jobs/allocator.sh
. jobs/allocator.sh
[ -n "$NASNET_JEMALLOC" ] || { echo "bench/memory-levers.sh: needs libjemalloc2" >&2; exit 1; }
jemalloc=(LD_PRELOAD="$NASNET_JEMALLOC" MALLOC_CONF="$NASNET_MALLOC_CONF")
decaying=(LD_PRELOAD="$NASNET_JEMALLOC" MALLOC_CONF="background_thread:true,dirty_decay_ms:1000,muzzy_decay_ms:0")

# label; environment; JVM options (the default heap is a quarter of the machine; NATIVE_ACCESS lets a
# child purge jemalloc's unused pages when a workspace is sized and after the child, jobs/java17.sh)
levers=(
  "glibc, default heap|-|-"
  "glibc, -Xmx1g|-|-Xmx1g"
  "glibc, MALLOC_ARENA_MAX=2|MALLOC_ARENA_MAX=2|-"
  "glibc, every buffer over 1 MB its own mapping|GLIBC_TUNABLES=glibc.malloc.mmap_threshold=1048576|-"
  "glibc, oneDNN primitive cache off|ONEDNN_PRIMITIVE_CACHE_CAPACITY=0 DNNL_PRIMITIVE_CACHE_CAPACITY=0|-"
  "jemalloc, freed pages purged after 1 s|${decaying[*]}|-"
  "jemalloc, never purged|${jemalloc[*]}|-"
  "jemalloc, purged when a workspace is sized (the scripts' setting)|${jemalloc[*]}|$NATIVE_ACCESS"
  "jemalloc, purged when a workspace is sized, -Xmx1g|${jemalloc[*]}|-Xmx1g $NATIVE_ACCESS"
)
out=$(mktemp)
trap 'rm -f "$out"' EXIT
for r in $(seq "$rounds"); do
  for lever in "${levers[@]}"; do
    IFS='|' read -r label environment options <<< "$lever"
    env_args=()
    [ "$environment" = - ] || read -r -a env_args <<< "$environment"
    jvm=()
    [ "$options" = - ] || read -r -a jvm <<< "$options"
    line=$(env -u LD_PRELOAD -u MALLOC_CONF "${env_args[@]}" java "${jvm[@]}" -cp "$NASNET_CP" \
      io.nasnet.bench.ChildSpeed 1 16 32 3 64 20 2>/dev/null | grep "images/s")
    speed=$(sed -E 's/.* ([0-9.]+) images\/s.*/\1/' <<< "$line")
    peak=$(sed -E 's/.*peak RSS ([0-9.]+) GB.*/\1/' <<< "$line")
    echo "round $r | $label | $speed images/s | peak RSS $peak GB"
    echo "$label|$speed|$peak" >> "$out"
  done
done
echo
echo "| lever | images/s (median of $rounds) | peak RSS GB (median of $rounds) |"
echo "|---|---|---|"
median() { sort -n | awk '{v[NR] = $1} END {print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2)}'; }
for lever in "${levers[@]}"; do
  label=${lever%%|*}
  s=$(grep -F "$label|" "$out" | cut -d'|' -f2 | median)
  p=$(grep -F "$label|" "$out" | cut -d'|' -f3 | median)
  echo "| $label | $s | $p |"
done

echo
echo "20 children in a row in one JVM:"
growth() {
  local label=$1
  shift
  echo "$label: $("$@" 2>/dev/null | grep "steady-state RSS")"
}
growth "glibc" env -u LD_PRELOAD -u MALLOC_CONF java -cp "$NASNET_CP" io.nasnet.bench.ChildMemory speed 20 10 keep
growth "glibc, trimmed after each child" env -u LD_PRELOAD -u MALLOC_CONF java -cp "$NASNET_CP" \
  io.nasnet.bench.ChildMemory speed 20 10
# shellcheck disable=SC2086
growth "jemalloc, the scripts' setting (purged after each child)" env "${jemalloc[@]}" java $NATIVE_ACCESS \
  -cp "$NASNET_CP" io.nasnet.bench.ChildMemory speed 20 10
