#!/usr/bin/env bash
# The proxy study (docs/search-quality.md, section 6): NASNet-A, the main job's best and worst
# architectures and 9 random ones, each trained with seeds 1-3 at the shipped proxy on the full
# Fashion-MNIST (the base tier) and at tiers that change one factor of it, and twice at a final-like
# budget that costs more than any tier; per tier and reward definition the architecture's share of a
# reward's variance, Kendall's tau and child-seconds; the zero-cost scores' tau. Resumable: run it
# again and it continues (the main job's search is run first if the table lacks it). Writes
# work/studies/proxy/{grid.md,grid.csv,finals.csv,share.png,tau.png,index.html}.
#   bench/proxy-study.sh [time budget=0: none] [more nasnet proxy-study options]
set -euo pipefail
cd "$(dirname "$0")/.."
budget=${1:-0}
shift $(($# > 1 ? 1 : $#))
if [ ! -d work/history/search_id=fashion-small ]; then
  jobs/search-local.sh
fi
args=()
[ "$budget" = 0 ] || args+=(--time-budget "$budget")
exec jobs/nasnet proxy-study --conf conf/local.conf --study proxy --from-search fashion-small \
  --set data.path=/usr/share/datasets/fashion-mnist --set data.validation=1000 \
  --set child.evaluations=2 --set child.mean-last-k=2 --set child.zero-cost=true \
  --random 9 --seeds 3 \
  --tier child.f=4 --tier child.batch-size=16 --tier data.train-limit=5000 --tier child.epochs=3 \
  --tier data.validation=10000 --tier child.f=16 --tier data.train-limit=10000 \
  --final "train.n=1,train.f=8,train.epochs=2,train.aux-weight=0,data.train-limit=6000" --final-seeds 2 \
  --out work/studies/proxy "${args[@]}" "$@"
