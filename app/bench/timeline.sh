#!/bin/sh
# Timeline benchmark (design check B1): a 10 M-event synthetic run (generated once into app/target/bench, reused after)
# opened in the TimelineView over the archive, on JavaFX's headless glass with the SW pipeline. Prints one JSON object.
#   app/bench/timeline.sh [-Dbench.events=1000000] [-Dbench.steps=240]
# Builds the modules it needs in the reactor (no install) and runs from their class directories.
set -eu
cd "$(dirname "$0")/../.."
JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
export JAVA_HOME
out="$PWD/app/target/bench"
mkdir -p "$out/timeline-classes"
# compile app and what it depends on; the reactor resolves the sibling modules to their target/classes
./mvnw -o -q -B -pl app -am compile dependency:build-classpath -Dmdep.outputFile="$out/timeline-classpath.txt" \
    -DincludeScope=runtime -DskipTests >/dev/null
cp="$PWD/app/target/classes:$(cat "$out/timeline-classpath.txt")"
"$JAVA_HOME/bin/javac" -d "$out/timeline-classes" -cp "$cp" app/bench/src/main/java/dev/freezeframe/app/bench/TimelineBench.java
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Xmx2g -Dglass.platform=Headless -Dprism.order=sw \
    -Djava.awt.headless=true -Dbench.dir="$out" "$@" -cp "$out/timeline-classes:$cp" dev.freezeframe.app.bench.TimelineBench
