#!/bin/sh
# Console and events-table benchmark (design benches B5, B6): the console's jump to the middle of a 1 M-line run and the
# events table's Ctrl+End on 10 M events, on JavaFX's headless platform, each against the query behind it measured in
# the same run. Prints one JSON object on stdout. The runs are generated into app/target/bench-drawers once (minutes)
# and reused; delete that folder to regenerate.
#   app/bench/drawers.sh [-Dbench.events=10000000] [-Dbench.consoleLines=1000000] [-Dbench.rounds=10]
# Builds the modules it needs (compile only, offline, nothing installed).
set -eu
cd "$(dirname "$0")/../.."
JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
export JAVA_HOME
out="$PWD/app/target/bench-drawers"
mkdir -p "$out/classes"
./mvnw -o -q -B -pl app -am compile dependency:build-classpath -Dmdep.outputFile=target/compile-classpath.txt \
    -Dmdep.includeScope=runtime >/dev/null
# private copies of the classes: a parallel build may rewrite target/classes while the benchmark runs
rm -rf "$out/snapshot" && mkdir -p "$out/snapshot"
for m in vmm coordinator persistence timeline-view snapshot-viewer app; do
    if [ -d "$m/target/classes" ]; then cp -r "$m/target/classes" "$out/snapshot/$m"; else mkdir -p "$out/snapshot/$m"; fi
done
cp="$out/snapshot/app:$out/snapshot/persistence:$out/snapshot/coordinator:$out/snapshot/vmm:$out/snapshot/timeline-view"
cp="$cp:$out/snapshot/snapshot-viewer:$(cat app/target/compile-classpath.txt)"
"$JAVA_HOME/bin/javac" -d "$out/classes" -cp "$cp" app/bench/src/main/java/dev/freezeframe/app/bench/DrawerBench.java
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Xmx2g -Dglass.platform=Headless -Dprism.order=sw \
    -Djava.awt.headless=true -Dlogback.configurationFile="$PWD/config/logback-test.xml" -cp "$out/classes:$cp" "$@" \
    dev.freezeframe.app.bench.DrawerBench
