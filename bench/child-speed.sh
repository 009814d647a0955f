#!/usr/bin/env bash
# Child-training speed and memory: images/s and peak RSS of NASNet-A children, one JVM per line.
#   bench/child-speed.sh            the standard set (about 5 minutes on 2 cores)
#   ITERATIONS=20 bench/child-speed.sh
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B compile
cp=$(mvn -q -B dependency:build-classpath -Dmdep.includeScope=runtime -Dmdep.outputFile=/dev/stdout)
it=${ITERATIONS:-6}
run() { java -cp "target/classes:$cp" io.nasnet.bench.ChildSpeed "$@" 2>/dev/null | grep "images/s"; }

echo "# one child, ND4J on all cores"
run 1 16 32 3 64 "$it"
run 2 16 32 3 64 "$it"
run 1 16 28 1 64 "$it"
run 2 16 28 1 64 "$it"
echo "# two children at once, one thread each (spark.task.cpus=1 on a 2-core executor)"
OMP_NUM_THREADS=1 run 1 16 32 3 64 "$it" 2
echo "# DL4J as shipped: oneDNN layer helpers off"
java -Dorg.eclipse.deeplearning4j.helpers.disable=true -cp "target/classes:$cp" \
  io.nasnet.bench.ChildSpeed 1 16 32 3 64 2 2>/dev/null | grep "images/s"
