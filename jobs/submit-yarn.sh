#!/usr/bin/env bash
# Submits a search (or any nasnet command) to YARN in cluster mode, on GPU executors:
#   mvn -B -Pcluster,cuda -DskipTests package       # the GPU jar (CPU executors: -Pcluster)
#   jobs/submit-yarn.sh                              # search --conf yarn.conf, the nightly time budget
#   jobs/submit-yarn.sh search --time-budget 2h --set child.epochs=3
#   jobs/submit-yarn.sh train --genotype ARCH_ID --distributed
# Settings from the environment (defaults in brackets): NASNET_JAR [target/nasnet-spark-cluster.jar],
# NASNET_CONF [conf/yarn.conf], EXECUTORS [4], EXECUTOR_CORES [4], GPUS_PER_EXECUTOR [1] (0 = CPU only),
# EXECUTOR_MEMORY [8g] heap, EXECUTOR_OFFHEAP [24g] ND4J's native memory, DRIVER_MEMORY [4g], QUEUE [default].
set -euo pipefail
cd "$(dirname "$0")/.."

jar=${NASNET_JAR:-target/nasnet-spark-cluster.jar}
conf=${NASNET_CONF:-conf/yarn.conf}
executors=${EXECUTORS:-4}
cores=${EXECUTOR_CORES:-4}
gpus=${GPUS_PER_EXECUTOR:-1}
heap=${EXECUTOR_MEMORY:-8g}
offheap=${EXECUTOR_OFFHEAP:-24g}
[ -f "$jar" ] || { echo "no $jar: build it with mvn -B -Pcluster[,cuda] -DskipTests package" >&2; exit 1; }
[ -f "$conf" ] || { echo "no configuration file $conf" >&2; exit 1; }

args=("$@")
if [ ${#args[@]} -eq 0 ]; then
  args=(search)
fi
# the configuration travels with --files and is read from the driver's working directory
args+=(--conf "$(basename "$conf")")

# DL4J keeps tensors off the JVM heap (JavaCPP): cap it below YARN's memory overhead, and let DL4J
# install its oneDNN layer helpers (off by default in M2.1).
dl4j_opts="-Dorg.bytedeco.javacpp.maxbytes=${offheap^^} -Dorg.bytedeco.javacpp.maxphysicalbytes=${offheap^^}"
dl4j_opts+=" -Dorg.eclipse.deeplearning4j.helpers.disable=false"

gpu_conf=()
files="$conf"
if [ "$gpus" -gt 0 ]; then
  # one child (one Spark task) per GPU; all the executor's cores feed it
  gpu_conf=(--conf "spark.executor.resource.gpu.amount=$gpus"
            --conf "spark.task.resource.gpu.amount=1"
            --conf "spark.task.cpus=$((cores / gpus))"
            --conf "spark.executor.resource.gpu.discoveryScript=./gpu-discovery.sh")
  files="$files,jobs/gpu-discovery.sh"
fi

exec spark-submit \
  --master yarn --deploy-mode cluster \
  --name "nasnet-${args[0]}" \
  --queue "${QUEUE:-default}" \
  --class io.nasnet.cli.Main \
  --num-executors "$executors" --executor-cores "$cores" \
  --executor-memory "$heap" --conf "spark.executor.memoryOverhead=$offheap" \
  --driver-memory "${DRIVER_MEMORY:-4g}" --conf "spark.driver.memoryOverhead=4g" \
  --conf "spark.executor.extraJavaOptions=$dl4j_opts" \
  --conf "spark.driver.extraJavaOptions=$dl4j_opts" \
  --conf spark.serializer=org.apache.spark.serializer.KryoSerializer \
  --conf spark.kryo.registrator=org.nd4j.kryo.Nd4jRegistrator \
  --conf spark.sql.sources.partitionOverwriteMode=dynamic \
  --conf spark.yarn.maxAppAttempts=1 \
  "${gpu_conf[@]}" \
  --files "$files" \
  "$jar" "${args[@]}"
