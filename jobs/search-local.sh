#!/usr/bin/env bash
# The main job on one machine: a real NASNet search with embedded Spark (local mode) on the shipped
# Fashion-MNIST subset, then its HTML report in work/report/index.html. Builds the project first if
# needed. Extra arguments go to `nasnet search`:
#   jobs/search-local.sh                          # conf/local.conf, 3 rounds
#   jobs/search-local.sh --rounds 5 --set child.epochs=2
set -euo pipefail
cd "$(dirname "$0")/.."
NASNET_JAVA_OPTS=${NASNET_JAVA_OPTS:--Xmx2g} exec jobs/nasnet search --conf conf/local.conf --report work/report "$@"
