#!/usr/bin/env bash
# Where a child's memory is (docs/performance.md): JVM heap, JavaCPP's native bytes and the process's
# RSS after each phase of a child (built, first step, steady, released), one JVM per line, for the
# ChildSpeed network, conf/local.conf's child and conf/yarn.conf's child; then 20 children in a row in
# one JVM (does an executor's memory grow?).
#   bench/child-memory.sh            the standard set (a few minutes on 2 cores)
#   HEAP=1g bench/child-memory.sh    with another -Xmx (default: the JVM's, a quarter of the machine)
#   NASNET_ALLOCATOR=glibc bench/child-memory.sh    with glibc's malloc instead of jemalloc
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=jobs/classpath.sh
. jobs/classpath.sh bench
# shellcheck source=jobs/allocator.sh
. jobs/allocator.sh
nasnet_preload
jvm=()
if [ -n "${HEAP:-}" ]; then
  jvm=("-Xmx$HEAP")
fi
# shellcheck disable=SC2086
run() { java "${jvm[@]}" $NATIVE_ACCESS -cp "$NASNET_CP" io.nasnet.bench.ChildMemory "$@" 2>/dev/null | grep -v "^[0-9][0-9]:"; }
run speed
run local
run yarn
run speed 20 10
