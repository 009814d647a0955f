#!/usr/bin/env bash
# The search pipeline's own cost per child: a whole search with a zero-cost test-double trainer.
#   bench/pipeline-overhead.sh [children=20000] [population=200] [strategy=ppo]
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=jobs/classpath.sh
. jobs/classpath.sh bench
# shellcheck disable=SC2086
java -Xmx4g $SPARK_OPENS -cp "$NASNET_CP" \
  io.nasnet.search.PipelineOverhead "$@" 2>/dev/null | grep "pipeline overhead"
