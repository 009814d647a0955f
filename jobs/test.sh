#!/usr/bin/env bash
# The tests, as the README gives them and CI runs them (.ci/run): installs what a fresh Debian machine
# lacks (saying what first), then the unit tests, the cluster jar and the cluster tests
# (mvn -B -Pcluster verify: spark-submit in local mode, Spark standalone, YARN and HDFS), and the
# CUDA jar's check. How long each takes on 2 cores: docs/performance.md, its one place.
#   jobs/test.sh          # the full suite (CI runs this)
#   jobs/test.sh --fast   # the fast tier for the edit-test loop: the unit tests not tagged @Slow (no
#                         # cluster, no training of more than a few seconds), for a loop of minutes
set -euo pipefail
cd "$(dirname "$0")/.."
fast=false
case "${1:-}" in
  --fast) fast=true ;;
  "") ;;
  *) echo "jobs/test.sh: the only option is --fast, not '$1'" >&2; exit 2 ;;
esac

# What a fresh machine lacks, by Debian package: the JDK and Maven, the Fashion-MNIST package the
# training tests read, chromium and its driver (the report test opens the HTML report in a real
# headless browser), fonts (XChart draws its PNG charts with Java2D), shellcheck (the scripts' lint), python3
# (the Airflow DAG's syntax), jemalloc (the allocator children train with, jobs/allocator.sh).
need_apt=()
command -v mvn >/dev/null 2>&1 || need_apt+=(maven)
[ -d /usr/lib/jvm/java-17-openjdk-amd64 ] || need_apt+=(openjdk-17-jdk-headless)
[ -f /usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz ] || need_apt+=(dataset-fashion-mnist)
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
[ -x /usr/bin/chromedriver ] || need_apt+=(chromium-driver)
fc-list 2>/dev/null | grep -q . || need_apt+=(fontconfig fonts-dejavu-core)
command -v shellcheck >/dev/null 2>&1 || need_apt+=(shellcheck)
command -v python3 >/dev/null 2>&1 || need_apt+=(python3)
[ -f /usr/lib/x86_64-linux-gnu/libjemalloc.so.2 ] || [ -f /usr/lib/aarch64-linux-gnu/libjemalloc.so.2 ] \
  || need_apt+=(libjemalloc2)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "jobs/test.sh: installing what the tests need: ${need_apt[*]}"
  if [ "$(id -u)" = 0 ]; then
    sudo=()
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo=(sudo)
  else
    echo "jobs/test.sh: cannot install as $(id -un) (not root, no password-less sudo). Run:" >&2
    echo "  sudo apt-get install -y ${need_apt[*]}" >&2
    exit 1
  fi
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "jobs/test.sh: no apt-get here; install these Debian packages' equivalents: ${need_apt[*]}" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" apt-get install -y -qq "${need_apt[@]}"
fi

# shellcheck source=jobs/java17.sh
. jobs/java17.sh

shellcheck -x .ci/run jobs/*.sh jobs/nasnet bench/*.sh src/test/cluster/bin/*

if $fast; then
  SECONDS=0
  mvn -B -Pfast test
  echo "jobs/test.sh: the fast tier took ${SECONDS} s"
  exit 0
fi

# the unit tests, the cluster jar, then the cluster tests (*IT: Spark standalone, YARN and HDFS
# started on this machine)
SECONDS=0
mvn -B -Pcluster verify
echo "jobs/test.sh: unit and cluster tests took ${SECONDS} s"
SECONDS=0

# The GPU jar (-Pcluster,cuda) builds, and on this machine, which has no GPU, its executors refuse to
# train, naming what is missing, and the search exits non-zero.
mvn -q -B -Pcluster,cuda -Dmaven.test.skip=true package
rm -rf target/cuda-probe
# shellcheck disable=SC2086
if java -Xmx2g $SPARK_OPENS -cp "$(cat target/spark-distribution.txt)" org.apache.spark.deploy.SparkSubmit \
    --master "local[2]" --conf spark.ui.enabled=false --class io.nasnet.cli.Main target/nasnet-spark-cluster-cuda.jar \
    search --conf conf/local.conf --set search.id=cuda-probe --set "data.path=$PWD/data/fashion-mnist-small" \
    --set history.path=target/cuda-probe/history --set checkpoint.path=target/cuda-probe/ckpt \
    > target/cuda-probe.log 2>&1; then
  echo "the CUDA jar trained on a machine without a GPU" >&2
  exit 1
fi
if ! grep -q "^error: .*ND4J's backend did not load on executor host .*The CUDA runtime does not load: .*libcuda.so.1" target/cuda-probe.log; then
  echo "the CUDA jar failed without naming the missing CUDA library" >&2
  tail -30 target/cuda-probe.log
  exit 1
fi
echo "CUDA jar: $(du -m target/nasnet-spark-cluster-cuda.jar | cut -f1) MB; without a GPU its executors say: $(grep -o "The CUDA runtime does not load: [^ ]* [^ ]*" target/cuda-probe.log | head -1) (${SECONDS} s)"
