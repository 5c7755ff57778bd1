#!/usr/bin/env bash
# Live-view benchmark (workbench issue, B8): the workbench's live run tab while a scripted run records 50 000 console
# lines a second into a real archive; FX frame gaps live vs idle in the same run, ingest lag, events recorded per
# second. Runs under Xvfb (the SW pipeline). Prints one JSON object on stdout.
#   app/bench/live.sh [-Dbench.rate=50000] [-Dbench.seconds=15]
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
. scripts/lib.sh
JAVA_HOME="$(ff_find_jdk)"
export JAVA_HOME
ff_ensure_packages "$ROOT/scripts/xvfb-packages.txt"
ff_build_if_changed "$ROOT" >&2
./mvnw -q -o -B -pl app -am test-compile -DskipTests >&2
out="$ROOT/app/target/bench-live"
mkdir -p "$out/classes"
cp="app/target/test-classes:$(ls app/target/app-*.jar | head -n 1):$(ls app/target/lib/*.jar | paste -sd:)"
"$JAVA_HOME/bin/javac" -d "$out/classes" -cp "$cp" app/bench/src/main/java/dev/freezeframe/app/bench/LiveBench.java
xvfb-run -a -s "-screen 0 1600x1000x24" "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Xmx1536m "$@" \
    -cp "$out/classes:$cp" dev.freezeframe.app.bench.LiveBench 2>/dev/null | grep '^{'
