#!/usr/bin/env bash
# Child-training speed and memory: images/s and peak RSS (the kernel's high-water mark, warm-up
# included) of NASNet-A children, one JVM per line.
#   bench/child-speed.sh            the standard set (about 3 minutes on 2 cores)
#   ITERATIONS=20 bench/child-speed.sh
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B compile
cp=$(mvn -q -B dependency:build-classpath -Dmdep.includeScope=runtime -Dmdep.outputFile=/dev/stdout)
it=${ITERATIONS:-6}
run() { java "${jvm[@]}" -cp "target/classes:$cp" io.nasnet.bench.ChildSpeed "$@" 2>/dev/null | grep "images/s"; }

jvm=()
echo "# one child, ND4J on all cores"
run 1 16 32 3 64 "$it"
run 2 16 32 3 64 "$it"
run 1 16 28 1 64 "$it"
run 2 16 28 1 64 "$it"
echo "# two children at once, one thread each (spark.task.cpus=1 on a 2-core executor)"
OMP_NUM_THREADS=1 run 1 16 32 3 64 "$it" 2
echo "# with child.memory-limit"
jvm=(-Dnasnet.child.memory-limit=1200M)
run 1 16 32 3 64 "$it"
jvm=(-Dnasnet.child.memory-limit=1G)
run 1 16 32 3 32 "$it"
OMP_NUM_THREADS=1 run 1 16 32 3 64 "$it" 2
echo "# oneDNN layer helpers off (DL4J's built-in kernels)"
jvm=(-Dorg.eclipse.deeplearning4j.helpers.disable=true)
run 1 16 32 3 64 2
