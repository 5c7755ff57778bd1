#!/bin/sh
# Forkable-snapshot benchmark (issue 14): extra freeze time of a forkable capture against a plain freeze of the same
# guest, disk per forkable snapshot, fork -> guest running, restore page counts. 1 GiB scx_qmap guest, TCG.
# Prints one JSON object on stdout.
#   vmm/bench/fork.sh [-Dbench.captures=3] [-Dbench.memoryMiB=1024]
# Needs: the guest kit (`freezeframe kit build`), qemu-system-x86_64, JDK 25.
set -eu
cd "$(dirname "$0")/../.."
JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
export JAVA_HOME
out="$PWD/vmm/target/bench-fork"
mkdir -p "$out/classes"
./mvnw -o -q -pl vmm package -DskipTests -DskipITs
./mvnw -o -q -pl vmm dependency:build-classpath -Dmdep.outputFile="$out/classpath.txt" -DincludeScope=runtime >/dev/null
# a private copy of the vmm jar: a parallel build may rewrite target/ while the benchmark runs
cp vmm/target/vmm-*-SNAPSHOT.jar "$out/vmm.jar"
cp="$out/vmm.jar:$(cat "$out/classpath.txt")"
"$JAVA_HOME/bin/javac" -d "$out/classes" -cp "$cp" vmm/bench/src/main/java/dev/freezeframe/vmm/bench/ForkBench.java \
    vmm/bench/src/main/java/dev/freezeframe/vmm/bench/BenchGuest.java
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Dlogback.configurationFile="$PWD/config/logback-test.xml" \
    -cp "$out/classes:$cp" "$@" dev.freezeframe.vmm.bench.ForkBench
