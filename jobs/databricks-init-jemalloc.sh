#!/usr/bin/env bash
# Databricks cluster init script (jobs/databricks-nightly-*.json, upload it to the workspace path they
# name): installs jemalloc on every node before Spark starts, so that the LD_PRELOAD of the jobs'
# spark_env_vars loads; children trained with glibc's malloc take about three times the memory
# (docs/performance.md).
set -euo pipefail
if [ ! -f /usr/lib/x86_64-linux-gnu/libjemalloc.so.2 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq libjemalloc2 || { apt-get update -qq && apt-get install -y -qq libjemalloc2; }
fi
