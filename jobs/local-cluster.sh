#!/usr/bin/env bash
# Real clusters on this machine, for trying the cluster path on a laptop: Spark standalone (a Master
# and two one-core Workers), HDFS and YARN (Hadoop's MiniDFSCluster and MiniYARNCluster), each its
# own process, everything under target/local-cluster (the same code the cluster tests start).
#   jobs/local-cluster.sh start      # about 20 s once built; prints the Spark master URL and the HDFS URI
#   . target/local-cluster/cluster.env   # SPARK_HOME, HADOOP_CONF_DIR, SPARK_SUBMIT, SPARK_MASTER_URL, HDFS
#   spark-submit --master "$SPARK_MASTER_URL" --class io.nasnet.cli.Main target/nasnet-spark-cluster.jar search ...
#   jobs/submit-yarn.sh search ...   # with EXECUTORS=2 EXECUTOR_CORES=1 GPUS_PER_EXECUTOR=0 and small memory
#   jobs/local-cluster.sh status
#   jobs/local-cluster.sh stop       # ends exactly the processes it started, and their executors
# Builds what it needs first (mvn -Pcluster package: the cluster jar, Spark's jars, the classpaths).
set -euo pipefail
cd "$(dirname "$0")/.."

# shellcheck source=jobs/java17.sh
. jobs/java17.sh
verb=${1:-status}
dir=${2:-target/local-cluster}
if [ "$verb" = start ]; then
  if [ ! -f target/spark-distribution.txt ] || [ ! -f target/nasnet-spark-cluster.jar ] \
      || [ pom.xml -nt target/spark-distribution.txt ] \
      || [ -n "$(find src/main src/test -newer target/nasnet-spark-cluster.jar -print -quit)" ]; then
    mvn -q -B -Pcluster -DskipTests package
  fi
fi
[ -f target/test-classpath.txt ] || { echo "no target/test-classpath.txt: run jobs/local-cluster.sh start first" >&2; exit 1; }
exec java -Xmx256m -cp "target/test-classes:target/classes:$(cat target/test-classpath.txt)" \
  io.nasnet.cluster.LocalCluster "$verb" "$dir"
