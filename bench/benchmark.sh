#!/usr/bin/env bash
# The strategies on a benchmark whose truth is known (docs/search-quality.md, section 7): a surrogate
# fitted on the real children of data/benchmark/fashion-full-children.csv (conf/fashion-full.conf's
# proxy: a random search of bench-rows and the proxy study's F = 4 tier, 12 architectures x 3
# seeds, which measures the seed noise), then 100 seeded searches of 1,000 children for each
# strategy at three noise levels: the proxy's measured seed noise, the old proxy's (6% architecture)
# and none. Then Optuna's TPE through bench/optuna_peer.py (PEER_SEEDS seeds at the proxy's noise).
# Resumable: run it again and it continues. Writes work/studies/benchmark/{benchmark.md,curves.csv,*.png}.
#   bench/benchmark.sh [time budget=0: none]
# The rows are made with (about 55 minutes here):
#   jobs/nasnet search --conf conf/fashion-full.conf --strategy random --set search.id=bench-rows \
#     --set search.population=8 --set search.rounds=0 --set search.time-budget=55m --set search.seed=4242
#   jobs/nasnet sql --conf conf/fashion-full.conf --format csv "SELECT search_id, arch_id, seed, genotype,
#     CAST(exp(-train_loss_area) AS STRING) AS reward, CAST(child_seconds AS STRING) AS child_seconds
#     FROM nas_history WHERE search_id IN ('bench-rows', 'proxy-tier-f0a8b380') AND status = 'OK'"
set -euo pipefail
cd "$(dirname "$0")/.."
budget=${1:-0}
out=work/studies/benchmark
noises=proxy,share:0.06,none
common=(--conf conf/fashion-full.conf --rows data/benchmark/fashion-full-children.csv --min-tau "${MIN_TAU:-0.5}")
args=()
[ "$budget" = 0 ] || args+=(--time-budget "$budget")
# one ND4J thread a search, two searches at a time
export OMP_NUM_THREADS=1
jobs/nasnet benchmark "${common[@]}" --noise "$noises" --seeds 100 --threads 2 --out "$out" "${args[@]}"
if python3 -c "import optuna" 2>/dev/null || pip install -q optuna; then
  python3 bench/optuna_peer.py --out "$out" --seeds "${PEER_SEEDS:-20}" --children 1000 --population 10 \
    -- "${common[@]}" --noise proxy
  jobs/nasnet benchmark "${common[@]}" --noise "$noises" --seeds 100 --out "$out" --peers optuna-tpe --report-only
else
  echo "optuna cannot be installed here: the peer's row is left out" >&2
fi
