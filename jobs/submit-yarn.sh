#!/usr/bin/env bash
# Submits a nasnet command to YARN in cluster mode: the driver runs inside the ApplicationMaster's
# container, the children on the executors.
#   jobs/submit-yarn.sh [SPARK-SUBMIT OPTIONS --] [COMMAND] [ARGS]
#   jobs/submit-yarn.sh                                  # search, conf/yarn.conf (its time budget: 8h)
#   jobs/submit-yarn.sh --set child.epochs=10            # options without a command: search
#   jobs/submit-yarn.sh search --time-budget 2h --set child.epochs=3
#   jobs/submit-yarn.sh compare --conf conf/local.conf --children 96   # your --conf wins and is shipped
#   jobs/submit-yarn.sh --principal nasnet@EXAMPLE.COM --keytab nasnet.keytab --jars extra.jar -- search
# Everything before a lone -- goes to spark-submit as it is (Kerberos, --jars, --conf spark.yarn.*,
# node labels); after it, the nasnet command. Settings from the environment (defaults in brackets):
#   SPARK_SUBMIT [spark-submit]       the cluster's spark-submit (HADOOP_CONF_DIR/YARN_CONF_DIR set for it)
#   GPUS_PER_EXECUTOR [1]             GPUs per executor: one child per GPU; 0 = CPU executors, one child per core
#   NASNET_JAR [target/nasnet-spark-cluster-cuda.jar with GPUs, target/nasnet-spark-cluster.jar
#     without] the jar, or its copy on the cluster's FileSystem; a CUDA jar (its name says cuda) goes
#     with GPU executors, a CPU jar with CPU executors: anything else is refused before submitting
#   NASNET_CONF [conf/yarn.conf]      the configuration when the command line has no --conf
#   QUEUE [default], EXECUTORS [4], EXECUTOR_CORES [4]
#   EXECUTOR_MEMORY, EXECUTOR_OFFHEAP  heap and memory beyond it (YARN's memoryOverhead: ND4J's native
#     memory; the process is capped at their sum, the container's size). For the commands that train
#     children (search, compare, fidelity, noise) both come from `nasnet plan`, which measures the
#     configuration's largest child here first (docs/cluster.md); sizes given are checked against it
#     and refused when below it. For the other commands: [8g] and [24g]
#   LARGEST_CONTAINER [yarn.scheduler.maximum-allocation-mb of $HADOOP_CONF_DIR/yarn-site.xml] the
#     largest container the cluster grants: a plan above it is refused before submitting
#   DRIVER_MEMORY [1g] heap, DRIVER_OFFHEAP [1g] the driver's container (the ApplicationMaster's): it
#     holds the strategy, the predictor and the night's rows, never a child (docs/cluster.md gives
#     what it was measured to need); checked, as the executors, against the largest container before
#     submitting
#   CONTAINER_JAVA_HOME [/usr/lib/jvm/java-17-openjdk-amd64] a Java 17 on every node: the containers'
#     JAVA_HOME (most YARN clusters default to an older Java, on which Spark 3.5's launch fails)
#   MAX_APP_ATTEMPTS [2] ApplicationMaster attempts: a lost driver (node failure, preemption) is run
#     again by YARN and the search resumes from its checkpoint (its lease lets the new attempt in)
# The driver's output (the round lines, the summary) is in the ApplicationMaster container's log:
#   yarn logs -applicationId APP_ID -log_files stdout,stderr
# and a search's report is written next to its history table (docs/cluster.md). When the application
# fails, the script prints YARN's diagnostics (a refusal's reason is there: the driver puts it there
# and asks for no second attempt) and that command, and exits with spark-submit's code.
set -euo pipefail
cd "$(dirname "$0")/.."

fail() { echo "jobs/submit-yarn.sh: $*" >&2; exit 2; }
# shellcheck source=jobs/java17.sh
. jobs/java17.sh

submit=${SPARK_SUBMIT:-spark-submit}
gpus=${GPUS_PER_EXECUTOR:-1}
[[ "$gpus" =~ ^[0-9]+$ ]] || fail "GPUS_PER_EXECUTOR=$gpus is not a whole number"
executors=${EXECUTORS:-4}
cores=${EXECUTOR_CORES:-4}
driver_heap=${DRIVER_MEMORY:-1g}
driver_offheap=${DRIVER_OFFHEAP:-1g}
java_home=${CONTAINER_JAVA_HOME:-/usr/lib/jvm/java-17-openjdk-amd64}

# the jar that matches the executors: the CUDA backend for GPUs, the CPU backend for cores
if [ "$gpus" -gt 0 ]; then
  jar=${NASNET_JAR:-target/nasnet-spark-cluster-cuda.jar}
  build="mvn -B -Pcluster,cuda -Dmaven.test.skip=true package"
  case "$(basename "$jar")" in
    *cuda*) ;;
    *) fail "GPUS_PER_EXECUTOR=$gpus asks for GPU executors, but $jar is a CPU jar (its name has no 'cuda'): its tasks would be refused on the cluster. Either submit the CUDA jar (NASNET_JAR=target/nasnet-spark-cluster-cuda.jar, built by: $build) or run on CPU executors: GPUS_PER_EXECUTOR=0 NASNET_JAR=$jar jobs/submit-yarn.sh ..." ;;
  esac
else
  jar=${NASNET_JAR:-target/nasnet-spark-cluster.jar}
  build="mvn -B -Pcluster -DskipTests package"
  case "$(basename "$jar")" in
    *cuda*) fail "GPUS_PER_EXECUTOR=0 asks for CPU executors, but $jar is a CUDA jar: its tasks would be refused on the cluster. Either submit the CPU jar (NASNET_JAR=target/nasnet-spark-cluster.jar, built by: $build) or ask for GPUs: GPUS_PER_EXECUTOR=1 NASNET_JAR=$jar jobs/submit-yarn.sh ..." ;;
  esac
fi
# a jar already on the cluster's FileSystem (hdfs://..., s3a://...) is not uploaded again each night
case "$jar" in
  *://*) ;;
  *) [ -f "$jar" ] || fail "no $jar: build it with: $build" ;;
esac
command -v "$submit" >/dev/null 2>&1 || fail "no $submit: install Spark 3.5 or set SPARK_SUBMIT"

# spark-submit's own options: everything before a lone --
spark_opts=()
args=("$@")
for i in "${!args[@]}"; do
  if [ "${args[$i]}" = "--" ]; then
    spark_opts=("${args[@]:0:$i}")
    args=("${args[@]:$((i + 1))}")
    break
  fi
done
# options without a command mean search
if [ ${#args[@]} -eq 0 ] || [[ "${args[0]}" == -* ]]; then
  args=(search "${args[@]}")
fi
# the configuration travels with --files and is read from the driver's working directory: the
# command line's own --conf wins over NASNET_CONF
conf=""
for i in "${!args[@]}"; do
  case "${args[$i]}" in
    --conf)
      [ $((i + 1)) -lt ${#args[@]} ] || fail "--conf needs a file"
      conf=${args[$((i + 1))]}
      args[i + 1]=$(basename "$conf") ;;
    --conf=*)
      conf=${args[$i]#--conf=}
      args[i]="--conf=$(basename "$conf")" ;;
  esac
done
if [ -z "$conf" ]; then
  conf=${NASNET_CONF:-conf/yarn.conf}
  args+=(--conf "$(basename "$conf")")
fi
case "$conf" in
  *://*) ;;
  *) [ -f "$conf" ] || fail "no configuration file $conf" ;;
esac

# Executor memory. The commands that train children are sized from one child measured here
# (`nasnet plan`: the configuration's largest cell, this machine's backend and allocator); the
# executors get the same allocator (jemalloc, jobs/allocator.sh), which must be installed on every node.
# the largest container the cluster grants: the plan's executors and the driver must fit it
largest=${LARGEST_CONTAINER:-}
site=${HADOOP_CONF_DIR:-${YARN_CONF_DIR:-}}/yarn-site.xml
if [ -z "$largest" ] && [ -f "$site" ]; then
  mb=$(tr -d '\n' < "$site" | sed -n 's:.*<name>yarn.scheduler.maximum-allocation-mb</name>[[:space:]]*<value>\([0-9]*\)</value>.*:\1:p')
  [ -z "$mb" ] || largest="${mb}m"
fi
allocator_conf=()
case "${args[0]}" in
  search|compare|fidelity|noise)
    [[ "$conf" != *://* ]] || fail "the plan reads the configuration here: give a local --conf (it is shipped), not $conf"
    plan_args=(plan --conf "$conf" --format env)
    for i in "${!args[@]}"; do
      case "${args[$i]}" in
        --set) plan_args+=(--set "${args[$((i + 1))]:-}") ;;
        --set=*) plan_args+=("${args[$i]}") ;;
      esac
    done
    if [ "$gpus" -gt 0 ]; then plan_args+=(--cores "$cores" --gpus "$gpus"); else plan_args+=(--cores "$cores"); fi
    [ -z "${EXECUTOR_MEMORY:-}" ] || plan_args+=(--executor-memory "$EXECUTOR_MEMORY")
    [ -z "${EXECUTOR_OFFHEAP:-}" ] || plan_args+=(--executor-overhead "$EXECUTOR_OFFHEAP")
    [ -z "$largest" ] || plan_args+=(--largest-container "$largest")
    echo "jobs/submit-yarn.sh: sizing the executors from one child measured here (nasnet plan)" >&2
    plan_code=0
    plan=$(jobs/nasnet "${plan_args[@]}") || plan_code=$?
    case "$plan_code" in
      0) ;;
      1) fail "the executors cannot hold the children (the error above); nothing was submitted" ;;
      2) fail "the configuration or the command line was refused (the error above); nothing was submitted" ;;
      3) fail "the plan could not read the dataset's shape here (the error above): it reads only IDX files' headers, and nothing with data.format = cifar10; nothing was submitted" ;;
      4) fail "the plan's measured child failed here (the error above); nothing was submitted" ;;
      *) fail "nasnet plan failed (exit code $plan_code, the error above); nothing was submitted" ;;
    esac
    planned() { sed -n "s/^$1=//p" <<< "$plan"; }
    heap=${EXECUTOR_MEMORY:-$(planned EXECUTOR_MEMORY)}
    offheap=${EXECUTOR_OFFHEAP:-$(planned EXECUTOR_OFFHEAP)}
    if [ -z "$heap" ] || [ -z "$offheap" ]; then fail "nasnet plan printed no executor sizes: $plan"; fi
    echo "jobs/submit-yarn.sh: executors of $cores core(s): heap $heap, memoryOverhead $offheap; measured $(planned PLAN | tr -d "'")" >&2
    if [ "$(planned CHILD_ALLOCATOR)" = jemalloc ]; then
      # shellcheck source=jobs/allocator.sh
      . jobs/allocator.sh
      allocator_conf=(--conf "spark.executorEnv.LD_PRELOAD=$NASNET_JEMALLOC"
                      --conf "spark.executorEnv.MALLOC_CONF=$NASNET_MALLOC_CONF")
    fi ;;
  *)
    heap=${EXECUTOR_MEMORY:-8g}
    offheap=${EXECUTOR_OFFHEAP:-24g} ;;
esac

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
# the driver's container, as the executors': refused here rather than by YARN after the plan
driver_mib=$(($(mib "$driver_heap") + $(mib "$driver_offheap")))
if [ -n "$largest" ] && [ "$driver_mib" -gt "$(mib "$largest")" ]; then
  fail "the driver's container, DRIVER_MEMORY=$driver_heap + DRIVER_OFFHEAP=$driver_offheap = ${driver_mib}m, is above the largest container the cluster grants ($largest): give sizes whose sum fits, e.g. DRIVER_MEMORY=1g DRIVER_OFFHEAP=1g (docs/cluster.md); nothing was submitted"
fi

# DL4J keeps tensors off the JVM heap (JavaCPP): cap them at YARN's memory overhead, and the whole
# process (JavaCPP's physical bytes are the RSS, heap included) at the container's size; let DL4J
# install its oneDNN layer helpers (off by default in M2.1); let children purge jemalloc's unused pages.
opts() {
  echo "-Dorg.bytedeco.javacpp.maxbytes=$(mib "$2")M -Dorg.bytedeco.javacpp.maxphysicalbytes=$(($(mib "$1") + $(mib "$2")))M" \
    "-Dorg.eclipse.deeplearning4j.helpers.disable=false $NATIVE_ACCESS"
}

resources=()
files="$conf"
# files the user ships as well join ours (spark-submit keeps only the last --files)
user_opts=()
i=0
while [ $i -lt ${#spark_opts[@]} ]; do
  case "${spark_opts[$i]}" in
    --files) files="$files,${spark_opts[$((i + 1))]:-}"; i=$((i + 2)) ;;
    --files=*) files="$files,${spark_opts[$i]#--files=}"; i=$((i + 1)) ;;
    *) user_opts+=("${spark_opts[$i]}"); i=$((i + 1)) ;;
  esac
done
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

# spark-submit waits for the application; its output is kept to name a failed one's reason
log=$(mktemp)
trap 'rm -f "$log"' EXIT
set +e
"$submit" \
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
  --conf "spark.yarn.maxAppAttempts=${MAX_APP_ATTEMPTS:-2}" \
  "${resources[@]}" \
  "${allocator_conf[@]}" \
  --files "$files" \
  "${user_opts[@]}" \
  "$jar" "${args[@]}" 2>&1 | tee "$log"
code=${PIPESTATUS[0]}
set -e
if [ "$code" -ne 0 ]; then
  app=$(grep -o 'application_[0-9]*_[0-9]*' "$log" | head -n 1 || true)
  if [ -n "$app" ]; then
    # the last report's diagnostics, every line of them (up to the report's next field)
    reason=$(awk '/^[[:space:]]*diagnostics: /{on=1; sub(/^[[:space:]]*diagnostics: /, ""); r=$0; next}
                  on && /^[[:space:]]*ApplicationMaster host: /{on=0} on{r=r "\n" $0} END{print r}' "$log")
    echo "jobs/submit-yarn.sh: $app failed: ${reason:-YARN gave no diagnostics}" >&2
    echo "jobs/submit-yarn.sh: the driver's log: yarn logs -applicationId $app -log_files stdout,stderr" >&2
  fi
fi
exit "$code"
