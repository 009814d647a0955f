#!/usr/bin/env bash
# Spark's GPU discovery script (spark.executor.resource.gpu.discoveryScript): prints the GPUs of this
# node as Spark expects, e.g. {"name": "gpu", "addresses": ["0", "1"]}. Needs nvidia-smi.
set -euo pipefail
addresses=$(nvidia-smi --query-gpu=index --format=csv,noheader | sed 's/^ *//;s/ *$//' | sed 's/.*/"&"/' | paste -sd, -)
echo "{\"name\": \"gpu\", \"addresses\": [${addresses}]}"
