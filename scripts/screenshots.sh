#!/usr/bin/env bash
# Screenshots of the real workbench window under Xvfb, driving the real engine (the guest kit must be built): the
# launch form, a live run, a frozen run, a failed run, the palette, the keyboard help and the Runs browser, light and
# dark, at 1600x1000 and 1280x800. Output: app/target/screenshots/.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
JAVA_HOME="$(ff_find_jdk)"
export JAVA_HOME
./mvnw -q -o -B -pl app -am test-compile -DskipTests
./mvnw -q -o -B -pl app dependency:build-classpath -Dmdep.outputFile=app/target/tour-classpath.txt \
    -Dmdep.includeScope=test >/dev/null
cp="app/target/test-classes:app/target/classes:$(cat app/target/tour-classpath.txt)"
for p in coordinator persistence vmm timeline-view snapshot-viewer; do cp="$p/target/classes:$cp"; done
out=app/target/screenshots
for size in "1600 1000" "1280 800"; do
  set -- $size
  xvfb-run -a -s "-screen 0 ${1}x${2}x24" "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Dprism.order=sw \
      -cp "$cp" dev.freezeframe.app.ui.ScreenshotTour "$out" "$1" "$2"
done
