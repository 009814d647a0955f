#!/usr/bin/env bash
# The cluster jar through Spark's own spark-submit entry point (org.apache.spark.deploy.SparkSubmit)
# with --master local[2]: what spark-submit does on YARN or Databricks, on one machine, with Spark on
# the classpath as the cluster would provide it. Builds target/nasnet-spark-cluster.jar if needed.
#   jobs/submit-local.sh search --conf conf/local.conf --rounds 1
set -euo pipefail
cd "$(dirname "$0")/.."

# shellcheck source=jobs/java17.sh
. jobs/java17.sh
jar=target/nasnet-spark-cluster.jar
if [ ! -f "$jar" ] || [ pom.xml -nt "$jar" ] || [ -n "$(find src/main -newer "$jar" -print -quit)" ]; then
  mvn -q -B -Pcluster -DskipTests package
fi
# what a Spark 3.5 cluster provides: the cluster profile's provided dependencies
if [ ! -f target/spark-provided.txt ] || [ pom.xml -nt target/spark-provided.txt ]; then
  mvn -q -B -Pcluster dependency:build-classpath -Dmdep.includeScope=provided \
    -Dmdep.outputFile=target/spark-provided.txt
fi
# shellcheck disable=SC2086
exec java -Xmx3g $SPARK_OPENS -cp "$(cat target/spark-provided.txt)" org.apache.spark.deploy.SparkSubmit \
  --master "local[2]" \
  --conf spark.ui.enabled=false \
  --conf spark.serializer=org.apache.spark.serializer.KryoSerializer \
  --conf spark.kryo.registrator=org.nd4j.kryo.Nd4jRegistrator \
  --class io.nasnet.cli.Main \
  "$jar" "$@"
