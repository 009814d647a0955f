#!/usr/bin/env bash
# The nightly search on YARN, as jobs/nightly-yarn.cron and jobs/nasnet_nightly_dag.py run it:
#   jobs/nightly.sh [SEARCH OPTIONS]
# Reads conf/nightly.env (or NASNET_NIGHTLY_ENV), the one place for the night's environment: CPU or
# GPU executors, said explicitly; the cluster's client configuration; any jobs/submit-yarn.sh
# setting. Creates logs/ and appends the submission's output to logs/nightly-YYYY-MM-DD.log (the
# UTC date) as well as printing it, then continues the search of conf/yarn.conf ("nightly") for at
# most 8 hours, exiting with jobs/submit-yarn.sh's code.
set -euo pipefail
cd "$(dirname "$0")/.."

fail() { echo "jobs/nightly.sh: $*" >&2; exit 2; }
env_file=${NASNET_NIGHTLY_ENV:-conf/nightly.env}
[ -f "$env_file" ] || fail "no $env_file: it holds the night's environment (GPUS_PER_EXECUTOR, HADOOP_CONF_DIR); see conf/nightly.env in the project"
set -a
# shellcheck source=conf/nightly.env
. "$env_file"
set +a
[ -n "${GPUS_PER_EXECUTOR:-}" ] || fail "$env_file sets no GPUS_PER_EXECUTOR: say 0 for CPU executors (one child per core) or the GPUs each executor has"
if [ -z "${HADOOP_CONF_DIR:-}" ] || [ ! -f "$HADOOP_CONF_DIR/yarn-site.xml" ]; then
  fail "HADOOP_CONF_DIR=${HADOOP_CONF_DIR:-} (from $env_file) holds no yarn-site.xml: set it to the cluster's client configuration folder"
fi
mkdir -p logs
log="logs/nightly-$(date -u +%F).log"
echo "jobs/nightly.sh: $(date -u '+%F %T') UTC, GPUS_PER_EXECUTOR=$GPUS_PER_EXECUTOR, HADOOP_CONF_DIR=$HADOOP_CONF_DIR, output also in $log" | tee -a "$log"
jobs/submit-yarn.sh search --time-budget 8h "$@" 2>&1 | tee -a "$log"
