#!/usr/bin/env bash
# Child-training speed and memory: images/s and peak RSS (the kernel's high-water mark, warm-up
# included) of NASNet-A children, one JVM per line.
#   bench/child-speed.sh            the standard set (about 3 minutes on 2 cores)
#   ITERATIONS=40 bench/child-speed.sh
#   NASNET_ALLOCATOR=glibc bench/child-speed.sh    with glibc's malloc instead of jemalloc
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=jobs/classpath.sh
. jobs/classpath.sh bench
# shellcheck source=jobs/allocator.sh
. jobs/allocator.sh
nasnet_preload
it=${ITERATIONS:-20}
# shellcheck disable=SC2086
run() { java "${jvm[@]}" $NATIVE_ACCESS -cp "$NASNET_CP" io.nasnet.bench.ChildSpeed "$@" 2>/dev/null | grep "images/s"; }

jvm=()
echo "# one child on all cores"
run 1 16 32 3 64 "$it"
run 2 16 32 3 64 "$it"
run 1 16 28 1 64 "$it"
run 2 16 28 1 64 "$it"
echo "# two children at once in one JVM, the cores shared (spark.task.cpus=1 on a 2-core executor)"
run 1 16 32 3 64 "$it" 2
echo "# with child.memory-limit"
jvm=(-Dnasnet.child.memory-limit=1200M)
run 1 16 32 3 64 "$it"
jvm=(-Dnasnet.child.memory-limit=1G)
run 1 16 32 3 32 "$it"
run 1 16 32 3 64 "$it" 2
echo "# oneDNN off: DL4J as shipped (its built-in kernels, a layer per ReLU, conv and BN)"
jvm=(-Dorg.eclipse.deeplearning4j.helpers.disable=true)
run 1 16 32 3 64 2
