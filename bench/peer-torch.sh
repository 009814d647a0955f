#!/usr/bin/env bash
# The project's child beside the same network in PyTorch (bench/peer/nasnet_torch.py, Debian's
# python3-torch, installed here when missing): NASNet-A, N=1, F=16, 32x32x3, batch 64, 2 threads,
# the same parameter count (checked), trained in alternating processes so that the machine's drift
# falls on both; prints every run, then each side's median images/s and peak RSS and their ratios.
#   bench/peer-torch.sh           3 pairs of 20 timed steps (about 4 minutes on 2 cores)
#   bench/peer-torch.sh 5 40      5 pairs of 40
#   NASNET_ALLOCATOR=glibc bench/peer-torch.sh    the project's child with glibc's malloc
set -euo pipefail
cd "$(dirname "$0")/.."
pairs=${1:-3}
steps=${2:-20}
python=/usr/bin/python3
if ! "$python" -c "import torch" 2>/dev/null; then
  echo "installing python3-torch (Debian's PyTorch, CPU)" >&2
  as_root=()
  [ "$(id -u)" = 0 ] || as_root=(sudo -n)
  export DEBIAN_FRONTEND=noninteractive
  "${as_root[@]}" apt-get install -y -qq python3-torch >/dev/null 2>&1 \
    || { "${as_root[@]}" apt-get update -qq && "${as_root[@]}" apt-get install -y -qq python3-torch >/dev/null; } \
    || { echo "bench/peer-torch.sh: cannot install python3-torch; run: sudo apt-get install -y python3-torch" >&2; exit 1; }
fi
# shellcheck source=jobs/classpath.sh
. jobs/classpath.sh bench
# shellcheck source=jobs/allocator.sh
. jobs/allocator.sh
nasnet_preload
genotype="normal (0 sep5x5, 1 sep3x3, add) (1 sep5x5, 1 sep3x3, add) (0 avg3x3, 1 identity, add)"
genotype+=" (1 avg3x3, 1 avg3x3, add) (0 sep3x3, 0 identity, add) concat 1 2 3 4 5 6"
genotype+=" | reduction (0 sep5x5, 1 sep7x7, add) (0 max3x3, 1 sep7x7, add) (0 avg3x3, 1 sep5x5, add)"
genotype+=" (3 identity, 2 avg3x3, add) (2 sep3x3, 0 max3x3, add) concat 3 4 5 6"
threads=$(nproc)
allocator=glibc
[ -z "$NASNET_JEMALLOC" ] || allocator=jemalloc
echo "allocator of the project's child: $allocator"
field() { sed -E "s#.*$1.*#\\1#" <<< "$2"; }
java_speeds=(); java_peaks=(); torch_speeds=(); torch_peaks=()
for p in $(seq "$pairs"); do
  # shellcheck disable=SC2086
  j=$(java $NATIVE_ACCESS -cp "$NASNET_CP" io.nasnet.bench.ChildSpeed 1 16 32 3 64 "$steps" 2>/dev/null | grep "images/s")
  t=$(env -u LD_PRELOAD -u MALLOC_CONF OMP_NUM_THREADS="$threads" "$python" bench/peer/nasnet_torch.py \
    1 16 32 3 64 "$steps" "$threads" "$genotype")
  echo "pair $p: $j"
  echo "pair $p: $t"
  jp=$(field 'params=([0-9]+).*' "$j")
  tp=$(field 'params=([0-9]+).*' "$t")
  [ "$jp" = "$tp" ] || { echo "bench/peer-torch.sh: the networks differ: $jp parameters against $tp" >&2; exit 1; }
  java_speeds+=("$(field ' ([0-9.]+) images/s.*' "$j")")
  java_peaks+=("$(field 'peak RSS ([0-9.]+) GB.*' "$j")")
  torch_speeds+=("$(field ' ([0-9.]+) images/s.*' "$t")")
  torch_peaks+=("$(field 'peak RSS ([0-9.]+) GB.*' "$t")")
done
median() { printf '%s\n' "$@" | sort -n | awk '{v[NR] = $1} END {print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2)}'; }
js=$(median "${java_speeds[@]}"); jm=$(median "${java_peaks[@]}")
ts=$(median "${torch_speeds[@]}"); tm=$(median "${torch_peaks[@]}")
echo
echo "| side | images/s (median of $pairs) | peak RSS GB (median of $pairs) |"
echo "|---|---|---|"
echo "| nasnet-spark (DL4J, $allocator) | $js | $jm |"
echo "| PyTorch $("$python" -c 'import torch; print(torch.__version__)') | $ts | $tm |"
awk -v js="$js" -v ts="$ts" -v jm="$jm" -v tm="$tm" \
  'BEGIN {printf "throughput ratio (nasnet-spark / PyTorch) %.2f, peak RSS ratio %.2f\n", js / ts, jm / tm}'
