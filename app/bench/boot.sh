#!/bin/sh
# Boot benchmark (issue 12): a real run's cold boot to SYS_RDY against a bare multi-threaded-TCG QEMU boot of the same
# kit, alternated in the same run.
# Prints one JSON object on stdout.
#   app/bench/boot.sh [-Dbench.rounds=5]
# Needs: the guest kit (`freezeframe kit build`), qemu-system-x86_64, JDK 25.
set -eu
cd "$(dirname "$0")/../.."
JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
export JAVA_HOME
out="$PWD/app/target/bench-boot"
mkdir -p "$out/classes"
./mvnw -o -q -pl app -am package -DskipTests -DskipITs
# private copies: a parallel build may rewrite target/ while the benchmark runs
rm -rf "$out/lib" && cp -r app/target/lib "$out/lib" && cp app/target/app-*-SNAPSHOT.jar "$out/app.jar"
cp="$out/app.jar:$out/lib/*"
"$JAVA_HOME/bin/javac" -d "$out/classes" -cp "$cp" app/bench/src/main/java/dev/freezeframe/app/bench/BootBench.java \
    app/bench/src/main/java/dev/freezeframe/app/bench/ProcStat.java
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Dlogback.configurationFile="$PWD/config/logback-test.xml" -cp "$out/classes:$cp" "$@" \
    dev.freezeframe.app.bench.BootBench
