#!/bin/sh
# Snapshot viewer benchmark (issue 15): open a 10 k-entry map to first paint, diff two 100 k-entry snapshots, plot a
# field over 300 snapshots, each with a same-run baseline. Prints one JSON object. JavaFX runs on the headless glass.
#   snapshot-viewer/bench/run.sh [-Dbench.only=diff|text] [-Dbench.typed=true]
# -Dbench.only=diff: only the diff figures (text: only the diff from text); -Dbench.typed=true: also time the typed walk over two whole parses.
# The JSON object is the last line of standard output; progress goes to standard error.
# Builds the modules it needs in the reactor (no install) and runs from their class directories.
set -eu
cd "$(dirname "$0")/../.."
JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
export JAVA_HOME
out="$PWD/snapshot-viewer/target/bench"
mkdir -p "$out/classes"
./mvnw -o -q -B -pl snapshot-viewer -am compile dependency:build-classpath -Dmdep.outputFile="$out/classpath.txt" \
    -DincludeScope=runtime -DskipTests >/dev/null
cp="$PWD/snapshot-viewer/target/classes:$(cat "$out/classpath.txt")"
"$JAVA_HOME/bin/javac" -d "$out/classes" -cp "$cp" \
    snapshot-viewer/bench/src/main/java/dev/freezeframe/snapshots/view/SnapshotViewerBench.java
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Xmx2g -Dglass.platform=Headless -Dprism.order=sw \
    -Djava.awt.headless=true "$@" -cp "$out/classes:$cp" dev.freezeframe.snapshots.view.SnapshotViewerBench
