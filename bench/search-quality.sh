#!/usr/bin/env bash
# The strategy study of docs/search-quality.md: strategies at equal child-seconds on the full
# Fashion-MNIST at the proxy and reward the proxy study chose (conf/fashion-full.conf, section 6),
# each search's best re-evaluated with 3 fresh seeds. Resumable: run it again and it continues where
# it stopped (across days); TIME_BUDGET (default 3h) bounds one run and says first how far it will get.
# The test phase also trains each side's 3 best at the proxy study's final-like budget.
#   bench/search-quality.sh screen [child-seconds=400] [seeds=1-5]          every variant
#   bench/search-quality.sh test VARIANT [child-seconds=400] [seeds=6-15]   VARIANT against random, on seeds
#                                                                            the screening did not use
#   bench/search-quality.sh real [VARIANT=ppo-paper] [child-seconds=12100] [seeds=16-25]
#       the strategy the benchmark ranks first against random, sized by the benchmark's power table
#       (docs/search-quality.md, section 7: 10 seeds of 1,000 children, power 0.98), population 10 as
#       there; a -paper variant is the strategy with controller.preset = paper (searches real-paper-*)
# Writes work/studies/screen/ or work/studies/test/ (anytime.png, anytime.csv, study.md, index.html).
set -euo pipefail
cd "$(dirname "$0")/.."
phase=${1:?screen or test}
proxy=(--conf conf/fashion-full.conf)
case "$phase" in
  screen)
    budget=${2:-400}
    seeds=${3:-1-5}
    exec jobs/nasnet compare "${proxy[@]}" --study screen \
      --strategies random,ppo,evolution,evolution-predictor,random-rungs,evolution-rungs \
      --seeds "$seeds" --child-seconds "$budget" --reevaluate 3 --checkpoints 2 \
      --time-budget "${TIME_BUDGET:-3h}" --out work/studies/screen ;;
  test)
    variant=${2:?the variant the screening chose, e.g. evolution-rungs}
    budget=${3:-400}
    seeds=${4:-6-15}
    exec jobs/nasnet compare "${proxy[@]}" --study test --strategies "random,$variant" \
      --seeds "$seeds" --child-seconds "$budget" --reevaluate 3 --checkpoints 4 \
      --final-top 3 --final "train.n=1,train.f=8,train.epochs=2,train.aux-weight=0,data.train-limit=6000" \
      --time-budget "${TIME_BUDGET:-3h}" --out work/studies/test ;;
  real)
    variant=${2:-ppo-paper}
    budget=${3:-12100}
    seeds=${4:-16-25}
    study=real
    case "$variant" in
      *-paper) proxy+=(--set controller.preset=paper); variant=${variant%-paper}; study=real-paper ;;
    esac
    exec jobs/nasnet compare "${proxy[@]}" --set search.population=10 --study "$study" --strategies "random,$variant" \
      --seeds "$seeds" --child-seconds "$budget" --reevaluate 3 --checkpoints 4 \
      --final-top 3 --final "train.n=1,train.f=8,train.epochs=2,train.aux-weight=0,data.train-limit=6000" \
      --time-budget "${TIME_BUDGET:-3h}" --out "work/studies/$study" ;;
  *)
    echo "bench/search-quality.sh: the phase is screen, test or real, not '$phase'" >&2
    exit 2 ;;
esac
