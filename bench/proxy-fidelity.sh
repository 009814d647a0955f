#!/usr/bin/env bash
# Proxy fidelity (docs/search-quality.md): architectures of a search (spread over its rewards, plus
# NASNet-A and two random ones) evaluated at conf/local.conf's proxy and at cheaper and dearer ones,
# and trained once at a final-like budget; Kendall's tau and Spearman's rho between the rankings.
# Resumable. Writes work/studies/fidelity/{fidelity.png,fidelity.csv,fidelity.md}.
#   bench/proxy-fidelity.sh [search id=fashion-small] [architectures=8] [more nasnet fidelity options]
set -euo pipefail
cd "$(dirname "$0")/.."
search=${1:-fashion-small}
archs=${2:-8}
shift $(($# > 2 ? 2 : $#))
exec jobs/nasnet fidelity --conf conf/local.conf --study fidelity --from-search "$search" \
  --architectures "$archs" --random 2 \
  --proxy "child.f=4,data.train-limit=1000" --proxy "data.train-limit=1000" --proxy "child.epochs=2" \
  --final "train.n=1,train.f=12,train.epochs=2,train.aux-weight=0,data.train-limit=5000" \
  --out work/studies/fidelity "$@"
