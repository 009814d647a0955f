#!/usr/bin/env bash
# How far the controller's policy moves on real rewards, per setting (docs/search-quality.md): the
# rows of random searches replayed to fresh PPO controllers of the paper's and other settings.
#   bench/controller-learning.sh [history=work/history] [search ids=quality-random-seed1,...] [controller seeds=3]
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=jobs/classpath.sh
. jobs/classpath.sh bench
# shellcheck disable=SC2086
java -Xmx2g $SPARK_OPENS -cp "$NASNET_CP" io.nasnet.bench.ControllerLearning \
  "${1:-work/history}" "${2:-quality-random-seed1,quality-random-seed2,quality-random-seed3}" "${3:-3}" 2>/dev/null
