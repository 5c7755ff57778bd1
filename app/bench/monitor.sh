#!/bin/sh
# Live-monitor benchmark (issue 13): the same scx_qmap CPU scenario with the monitor at 10 Hz and without, alternating,
# in pairs of alternating order; prints one JSON object on stdout with the median of the pairs' workload throughput
# ratios (target >= 0.99), the host CPU time per sample, and the load average.
#   app/bench/monitor.sh [-Dbench.rounds=6] [-Dbench.warmup=2] [-Dbench.seconds=8] [-Dbench.workers=8]
# Needs: the guest kit (`freezeframe kit build`), qemu-system-x86_64, JDK 25.
set -eu
cd "$(dirname "$0")/../.."
JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
export JAVA_HOME
out="$PWD/app/target/bench-monitor"
mkdir -p "$out/classes"
# package in the reactor (never install: ~/.m2 is shared); the last module written, app, leaves its class path
./mvnw -q -o -pl app -am package dependency:build-classpath -DskipTests -DskipITs \
    -Dmdep.outputFile="$out/classpath.txt" -Dmdep.includeScope=runtime >/dev/null
# private copies of this tree's jars: a build during the (long) benchmark may rewrite target/ under it
rm -rf "$out/lib" && mkdir -p "$out/lib"
cp app/target/app-*-SNAPSHOT.jar "$out/app.jar"
cp="$out/app.jar"
for entry in $(tr ':' ' ' < "$out/classpath.txt"); do
    case "$entry" in
        "$PWD"/*) cp -r "$entry" "$out/lib/" && entry="$out/lib/$(basename "$entry")" ;;
    esac
    cp="$cp:$entry"
done
"$JAVA_HOME/bin/javac" -d "$out/classes" -cp "$cp" -sourcepath app/bench/src/main/java \
    app/bench/src/main/java/dev/freezeframe/app/bench/MonitorBench.java
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "$out/classes:$cp" "$@" \
    dev.freezeframe.app.bench.MonitorBench
