#!/usr/bin/env bash
# How the history table's queries grow with a year of nightly searches, before and after
# `nasnet compact` (docs/performance.md "A year of history"). Writes its tables under DIR (about
# 0.5 GB at 365 nights); DuckDB (Python) is installed with pip when missing.
#   bench/history-growth.sh [DIR=/tmp/history-growth] [nights=30,90,365] [rounds=50] [population=8]
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -c "import duckdb" 2>/dev/null || pip install --quiet duckdb || pip install --quiet --break-system-packages duckdb
# shellcheck source=jobs/classpath.sh
. jobs/classpath.sh bench
. jobs/classpath.sh
dir=${1:-/tmp/history-growth}
mkdir -p "$dir"
# shellcheck disable=SC2086
java -Xmx4g $SPARK_OPENS -cp "target/test-classes:target/classes:$(cat target/test-classpath.txt)" \
  io.nasnet.search.HistoryGrowth "$dir" "${2:-30,90,365}" "${3:-50}" "${4:-8}" 2>/dev/null
