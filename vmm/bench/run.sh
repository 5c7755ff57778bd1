#!/bin/sh
# VMM benchmarks (issue 4): boot-to-first-agent-line through the QEMU backend vs bare qemu-system-x86_64 (same kit,
# same run) and guest -> host data-channel throughput. Prints one JSON object on stdout.
#   vmm/bench/run.sh [-Dbench.boots=5] [-Dbench.channelMiB=64] [-Dbench.kernel=... -Dbench.initrd=...]
# Needs: the guest kit (`freezeframe kit build`), qemu-system-x86_64, gcc, JDK 25.
# BENCH=FreezeBench vmm/bench/run.sh runs the freeze benchmark (issue 5) instead: freeze latency and guest-memory read
# rate vs QEMU's gdbstub.
set -eu
cd "$(dirname "$0")/../.."
JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
export JAVA_HOME
out="$PWD/vmm/target/bench"
mkdir -p "$out/classes"
./mvnw -q -pl vmm -am install -DskipTests -DskipITs
./mvnw -q -pl vmm dependency:build-classpath -Dmdep.outputFile="$out/classpath.txt" -DincludeScope=runtime >/dev/null
# a private copy of the vmm jar: a parallel build may rewrite target/classes while the benchmark runs
cp vmm/target/vmm-*-SNAPSHOT.jar "$out/vmm.jar"
cp="$out/vmm.jar:$(cat "$out/classpath.txt")"
"$JAVA_HOME/bin/javac" -d "$out/classes" -cp "$cp" $(find vmm/bench/src/main/java -name '*.java')
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Dbench.module=vmm -cp "$out/classes:$cp" "$@" \
    "dev.freezeframe.vmm.bench.${BENCH:-VmmBench}"
