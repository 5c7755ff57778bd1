#!/usr/bin/env bash
# Builds and runs the workload-metrics overhead benchmark (metrics_overhead.c) against the guest agent's sources.
# Prints one JSON line: iterations per worker CPU-second with and without metrics (sides alternating, and together),
# the median paired ratio, the agent's end-of-step read cost and the overhead in percent. See docs/metrics-and-ab.md.
# Usage: vmm/bench/metrics-overhead.sh [rounds] [window_ms] [workers] [warmup_ms] [cpus_hex_mask]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
agent="$here/../src/main/c/agent"
bin="$(mktemp -d)/metrics_overhead"
trap 'rm -rf "$(dirname "$bin")"' EXIT
gcc -O2 -Wall -Wextra -DFFA_VERSION='"bench"' -I"$agent" -o "$bin" "$here/metrics_overhead.c" \
  "$agent/ffa_work.c" "$agent/ffa_cgroup.c" "$agent/ffa_metrics.c" "$agent/ffa_util.c" "$agent/ffa_report.c" -lm
"$bin" "$@"
