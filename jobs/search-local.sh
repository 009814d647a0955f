#!/usr/bin/env bash
# The main job on one machine: a real NASNet search with embedded Spark (local mode) on the shipped
# Fashion-MNIST subset, then its HTML report in work/report/index.html. Builds the project first if
# needed. Extra arguments go to `nasnet search`:
#   jobs/search-local.sh                          # conf/local.conf, 3 rounds
#   jobs/search-local.sh --rounds 5 --set child.epochs=2
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -d /usr/lib/jvm/java-17-openjdk-amd64 ]; then
  export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/java-17-openjdk-amd64}
  export PATH="$JAVA_HOME/bin:$PATH"
fi
if [ ! -f target/classpath.txt ] || [ pom.xml -nt target/classpath.txt ] || [ -n "$(find src/main -newer target/classpath.txt -print -quit)" ]; then
  mvn -q -B -DskipTests compile dependency:build-classpath -Dmdep.includeScope=runtime -Dmdep.outputFile=target/classpath.txt
fi
# Spark 3.5 on Java 17: the module openings of Spark's JavaModuleOptions
opens=$(sed -n 's:.*<spark.add.opens>\(.*\)</spark.add.opens>.*:\1:p' pom.xml)
# shellcheck disable=SC2086
exec java -Xmx2g $opens -cp "target/classes:$(cat target/classpath.txt)" io.nasnet.cli.Main search \
  --conf conf/local.conf --report work/report "$@"
