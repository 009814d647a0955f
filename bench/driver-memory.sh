#!/usr/bin/env bash
# What a search's driver holds over a night, measured (io.nasnet.bench.DriverMemory): a Spark session,
# the controller (PPO, the paper's settings) sampling and learning every round, the night's rows and
# the predictor refitted on them; heap and RSS after each part and the peak. The driver's container
# on YARN (DRIVER_MEMORY + DRIVER_OFFHEAP of jobs/submit-yarn.sh, docs/cluster.md) must hold it.
#   bench/driver-memory.sh [rounds=100] [population=8]
set -euo pipefail
cd "$(dirname "$0")/.."
. jobs/classpath.sh bench
. jobs/allocator.sh
nasnet_preload
# shellcheck disable=SC2086 # the JVM options are several words
java -Xmx1g $SPARK_OPENS $NATIVE_ACCESS -cp "$NASNET_CP" io.nasnet.bench.DriverMemory "$@" 2>/dev/null | grep -v "^[0-9][0-9]:"
