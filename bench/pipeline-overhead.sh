#!/usr/bin/env bash
# The search pipeline's own cost per child: a whole search with a zero-cost test-double trainer.
#   bench/pipeline-overhead.sh [children=20000] [population=200] [strategy=ppo]
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=jobs/java17.sh
. jobs/java17.sh
mvn -q -B test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/test-classpath.txt
# shellcheck disable=SC2086
java -Xmx4g $SPARK_OPENS -cp "target/test-classes:target/classes:$(cat target/test-classpath.txt)" \
  io.nasnet.search.PipelineOverhead "$@" 2>/dev/null | grep "pipeline overhead"
