# Sourced by jobs/nasnet and the bench scripts: Java 17 (jobs/java17.sh), then the project compiled if
# any source or the pom is newer than the last build (Maven's output on stderr: a command's stdout is
# its own), and NASNET_CP set to its classpath.
#   . jobs/classpath.sh          the product's classes and runtime dependencies
#   . jobs/classpath.sh bench    also the test classes, where the benchmarks (io.nasnet.bench) and
#                                the test doubles live; they are not part of the product jar
# shellcheck shell=bash
# shellcheck source=jobs/java17.sh
. jobs/java17.sh
if [ "${1:-}" = bench ]; then
  if [ ! -f target/test-classpath.txt ] || [ pom.xml -nt target/test-classpath.txt ] \
      || [ -n "$(find src/main src/test -newer target/test-classpath.txt -print -quit)" ]; then
    mvn -q -B -DskipTests test-compile dependency:build-classpath -Dmdep.includeScope=test \
      -Dmdep.outputFile=target/test-classpath.txt >&2
  fi
  NASNET_CP="target/test-classes:target/classes:$(cat target/test-classpath.txt)"
else
  if [ ! -f target/classpath.txt ] || [ pom.xml -nt target/classpath.txt ] \
      || [ -n "$(find src/main -newer target/classpath.txt -print -quit)" ]; then
    mvn -q -B -DskipTests compile dependency:build-classpath -Dmdep.includeScope=runtime \
      -Dmdep.outputFile=target/classpath.txt >&2
  fi
  NASNET_CP="target/classes:$(cat target/classpath.txt)"
fi
export NASNET_CP
