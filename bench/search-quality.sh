#!/usr/bin/env bash
# Strategies at equal budget (docs/search-quality.md): PPO and random search, SEEDS seeds each, CHILDREN
# children per search, on the shipped Fashion-MNIST subset at conf/local.conf's proxy, into its history
# table (search ids quality-<strategy>-seed<n>). Resumable: run it again and it continues where it stopped.
# Writes work/studies/quality/{comparison.png,comparison.csv,searches.csv,comparison.md}.
#   bench/search-quality.sh [children=56] [seeds=3] [strategies=ppo,random] [more nasnet compare options]
set -euo pipefail
cd "$(dirname "$0")/.."
children=${1:-56}
seeds=${2:-3}
strategies=${3:-ppo,random}
shift $(($# > 3 ? 3 : $#))
exec jobs/nasnet compare --conf conf/local.conf --set search.population=8 --study quality \
  --strategies "$strategies" --seeds "$seeds" --children "$children" --out work/studies/quality "$@"
