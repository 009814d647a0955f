#!/usr/bin/env bash
# The cluster jar through Spark's own spark-submit entry point (org.apache.spark.deploy.SparkSubmit)
# with --master local[2]: what spark-submit does on YARN or Databricks, on one machine, with Spark on
# the classpath as the cluster would provide it. Builds target/nasnet-spark-cluster.jar if needed.
#   jobs/submit-local.sh search --conf conf/local.conf --rounds 1
set -euo pipefail
cd "$(dirname "$0")/.."

# shellcheck source=jobs/java17.sh
. jobs/java17.sh
# shellcheck source=jobs/allocator.sh
. jobs/allocator.sh
nasnet_preload
jar=target/nasnet-spark-cluster.jar
if [ ! -f "$jar" ] || [ pom.xml -nt "$jar" ] || [ -n "$(find src/main -newer "$jar" -print -quit)" ]; then
  mvn -q -B -Pcluster -DskipTests package
fi
# what a Spark 3.5 cluster provides: the jars of a Spark distribution, resolved apart from the
# application's by the cluster profile's build (src/test/cluster/spark-distribution.xml)
if [ ! -f target/spark-distribution.txt ] || [ pom.xml -nt target/spark-distribution.txt ]; then
  mvn -q -B -Pcluster -DskipTests package
fi
# shellcheck disable=SC2086
exec java -Xmx3g $SPARK_OPENS $NATIVE_ACCESS -cp "$(cat target/spark-distribution.txt)" org.apache.spark.deploy.SparkSubmit \
  --master "local[2]" \
  --conf spark.ui.enabled=false \
  --conf spark.serializer=org.apache.spark.serializer.KryoSerializer \
  --conf spark.kryo.registrator=org.nd4j.kryo.Nd4jRegistrator \
  --class io.nasnet.cli.Main \
  "$jar" "$@"
