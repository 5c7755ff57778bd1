#!/bin/sh
# Capture benchmark (issues 5, 13): freeze -> full capture of scx_qmap under 64 tasks -> resume, against a bare freeze -> resume measured
# in the same run on the same guest. Prints one JSON object on stdout.
#   app/bench/run.sh [-Dbench.captures=20]
# Needs: the guest kit (`freezeframe kit build`), qemu-system-x86_64, JDK 25.
set -eu
cd "$(dirname "$0")/../.."
JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
export JAVA_HOME
out="$PWD/app/target/bench"
mkdir -p "$out/classes"
# package in the reactor (never install: ~/.m2 is shared); the last module written, app, leaves its class path
./mvnw -q -o -pl app -am package dependency:build-classpath -DskipTests -DskipITs \
    -Dmdep.outputFile="$out/classpath.txt" -Dmdep.includeScope=runtime >/dev/null
# a private copy of the app jar: a parallel build may rewrite target/classes while the benchmark runs
cp app/target/app-*-SNAPSHOT.jar "$out/app.jar"
cp="$out/app.jar:$(cat "$out/classpath.txt")"
"$JAVA_HOME/bin/javac" -d "$out/classes" -cp "$cp" -sourcepath app/bench/src/main/java \
    app/bench/src/main/java/dev/freezeframe/app/bench/CaptureBench.java
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "$out/classes:$cp" "$@" \
    dev.freezeframe.app.bench.CaptureBench
