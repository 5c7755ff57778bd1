#!/usr/bin/env bash
# Builds and runs the workload-metrics overhead benchmark (metrics_overhead.c) against the guest agent's sources.
# Prints one JSON line: median iterations/s with and without metrics, their ratio and the overhead in percent.
# Usage: vmm/bench/metrics-overhead.sh [rounds] [round_ms] [workers]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
agent="$here/../src/main/c/agent"
bin="$(mktemp -d)/metrics_overhead"
trap 'rm -rf "$(dirname "$bin")"' EXIT
gcc -O2 -Wall -Wextra -DFFA_VERSION='"bench"' -I"$agent" -o "$bin" "$here/metrics_overhead.c" \
  "$agent/ffa_work.c" "$agent/ffa_cgroup.c" "$agent/ffa_metrics.c" "$agent/ffa_util.c" "$agent/ffa_report.c"
"$bin" "$@"
