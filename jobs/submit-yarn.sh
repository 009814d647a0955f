#!/usr/bin/env bash
# Submits a search (or any nasnet command) to YARN in cluster mode: the driver runs inside the
# ApplicationMaster's container, the children on the executors.
#   mvn -B -Pcluster,cuda -DskipTests package       # the GPU jar (CPU executors: -Pcluster)
#   jobs/submit-yarn.sh                              # search --conf yarn.conf, the nightly time budget
#   jobs/submit-yarn.sh search --time-budget 2h --set child.epochs=3
#   jobs/submit-yarn.sh train --genotype ARCH_ID --distributed
# Settings from the environment (defaults in brackets):
#   SPARK_SUBMIT [spark-submit]       the cluster's spark-submit (HADOOP_CONF_DIR/YARN_CONF_DIR set for it)
#   NASNET_JAR [target/nasnet-spark-cluster.jar] (or its copy on HDFS), NASNET_CONF [conf/yarn.conf], QUEUE [default]
#   EXECUTORS [4], EXECUTOR_CORES [4], GPUS_PER_EXECUTOR [1] (0 = CPU executors, one child per core)
#   EXECUTOR_MEMORY [8g] heap, EXECUTOR_OFFHEAP [24g] ND4J's native memory (YARN's memory overhead;
#     the process is capped at their sum, the container's size)
#   DRIVER_MEMORY [4g] heap, DRIVER_OFFHEAP [4g]
#   CONTAINER_JAVA_HOME [/usr/lib/jvm/java-17-openjdk-amd64] a Java 17 on every node: the containers'
#     JAVA_HOME (most YARN clusters default to an older Java, on which Spark 3.5's launch fails)
#   MAX_APP_ATTEMPTS [2] ApplicationMaster attempts: a lost driver (node failure, preemption) is run
#     again by YARN and the search resumes from its checkpoint (its lease lets the new attempt in)
# The driver's output (the round lines, the summary) is in the ApplicationMaster container's log:
#   yarn logs -applicationId APP_ID -log_files stdout,stderr
set -euo pipefail
cd "$(dirname "$0")/.."

submit=${SPARK_SUBMIT:-spark-submit}
jar=${NASNET_JAR:-target/nasnet-spark-cluster.jar}
conf=${NASNET_CONF:-conf/yarn.conf}
executors=${EXECUTORS:-4}
cores=${EXECUTOR_CORES:-4}
gpus=${GPUS_PER_EXECUTOR:-1}
heap=${EXECUTOR_MEMORY:-8g}
offheap=${EXECUTOR_OFFHEAP:-24g}
driver_heap=${DRIVER_MEMORY:-4g}
driver_offheap=${DRIVER_OFFHEAP:-4g}
java_home=${CONTAINER_JAVA_HOME:-/usr/lib/jvm/java-17-openjdk-amd64}
# a jar already on the cluster's FileSystem (hdfs://..., s3a://...) is not uploaded again each night
case "$jar" in
  *://*) ;;
  *) [ -f "$jar" ] || { echo "no $jar: build it with mvn -B -Pcluster[,cuda] -DskipTests package" >&2; exit 1; } ;;
esac
[ -f "$conf" ] || { echo "no configuration file $conf" >&2; exit 1; }
command -v "$submit" >/dev/null 2>&1 || { echo "no $submit: install Spark 3.5 or set SPARK_SUBMIT" >&2; exit 1; }

args=("$@")
if [ ${#args[@]} -eq 0 ]; then
  args=(search)
fi
# the configuration travels with --files and is read from the driver's working directory
args+=(--conf "$(basename "$conf")")

# a size as spark-submit takes it (512m, 8g) in MiB
mib() {
  local v=${1,,}
  local n=${v%[kmgt]}
  case "$v" in
    *t) echo $((n * 1024 * 1024)) ;;
    *g) echo $((n * 1024)) ;;
    *m) echo "$n" ;;
    *k) echo $((n / 1024)) ;;
    *) echo $((n / 1024 / 1024)) ;;
  esac
}
# DL4J keeps tensors off the JVM heap (JavaCPP): cap them at YARN's memory overhead, and the whole
# process (JavaCPP's physical bytes are the RSS, heap included) at the container's size; let DL4J
# install its oneDNN layer helpers (off by default in M2.1).
opts() {
  echo "-Dorg.bytedeco.javacpp.maxbytes=$(mib "$2")M -Dorg.bytedeco.javacpp.maxphysicalbytes=$(($(mib "$1") + $(mib "$2")))M" \
    "-Dorg.eclipse.deeplearning4j.helpers.disable=false"
}

resources=()
files="$conf"
if [ "$gpus" -gt 0 ]; then
  # one child (one Spark task) per GPU; all the executor's cores feed it
  resources=(--conf "spark.executor.resource.gpu.amount=$gpus"
             --conf "spark.task.resource.gpu.amount=1"
             --conf "spark.task.cpus=$((cores / gpus))"
             --conf "spark.executor.resource.gpu.discoveryScript=./gpu-discovery.sh")
  files="$files,jobs/gpu-discovery.sh"
else
  # CPU executors: one child per core, each on one thread (a child's results depend on its threads)
  resources=(--conf "spark.task.cpus=1")
fi

exec "$submit" \
  --master yarn --deploy-mode cluster \
  --name "nasnet-${args[0]}" \
  --queue "${QUEUE:-default}" \
  --class io.nasnet.cli.Main \
  --num-executors "$executors" --executor-cores "$cores" \
  --executor-memory "$heap" --conf "spark.executor.memoryOverhead=$offheap" \
  --driver-memory "$driver_heap" --conf "spark.driver.memoryOverhead=$driver_offheap" \
  --conf "spark.executor.extraJavaOptions=$(opts "$heap" "$offheap")" \
  --conf "spark.driver.extraJavaOptions=$(opts "$driver_heap" "$driver_offheap")" \
  --conf "spark.yarn.appMasterEnv.JAVA_HOME=$java_home" \
  --conf "spark.executorEnv.JAVA_HOME=$java_home" \
  --conf spark.serializer=org.apache.spark.serializer.KryoSerializer \
  --conf spark.kryo.registrator=org.nd4j.kryo.Nd4jRegistrator \
  --conf spark.sql.sources.partitionOverwriteMode=dynamic \
  --conf "spark.yarn.maxAppAttempts=${MAX_APP_ATTEMPTS:-2}" \
  "${resources[@]}" \
  --files "$files" \
  "$jar" "${args[@]}"
