#!/usr/bin/env bash
# Reward noise (docs/search-quality.md): NASNet-A and RANDOM random architectures trained at
# conf/local.conf's proxy with the same SEEDS seeds each; the reward's variance split into the
# architecture's, the seed's and the rest. Resumable. Writes work/studies/noise/{noise.csv,noise.md}.
#   bench/reward-noise.sh [random=9] [seeds=4] [more nasnet noise options]
set -euo pipefail
cd "$(dirname "$0")/.."
random=${1:-9}
seeds=${2:-4}
shift $(($# > 2 ? 2 : $#))
exec jobs/nasnet noise --conf conf/local.conf --study noise --random "$random" --seeds "$seeds" \
  --out work/studies/noise "$@"
