#!/usr/bin/env bash
# Screenshots of the real workbench window under Xvfb, driving the real engine (the guest kit must be built): the
# launch form, a live run, a frozen run, a failed run, a snapshot diff with a plot, the Compare tab (aligned timelines
# and the metric table of the live run against a run of scx_simple), the palette, the keyboard help and
# the Runs browser, light and dark, at 1600x1000 and 1280x800. Output: app/target/screenshots/ (or the folder given).
# First, a real pointer drag of the run tab's panels (DockDragCheck: the headless unit tests have no platform
# drag-and-drop): it prints the resulting layout as JSON, writes <size>-dock-drag-{light,dark}.png and fails the script
# if a drag misses.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
. scripts/lib.sh
JAVA_HOME="$(ff_find_jdk)"
export JAVA_HOME
ff_ensure_packages "$ROOT/scripts/xvfb-packages.txt"
ff_build_if_changed "$ROOT" >&2
./mvnw -q -o -B -pl app -am test-compile -DskipTests -Dsurefire.failIfNoSpecifiedTests=false
out=${1:-app/target/screenshots}
cp="app/target/test-classes:$(ls app/target/app-*.jar | head -n 1):$(ls app/target/lib/*.jar | paste -sd:)"
for size in "1600 1000" "1280 800"; do
  set -- $size
  xvfb-run -a -s "-screen 0 ${1}x${2}x24" "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED \
      -cp "$cp" dev.freezeframe.app.ui.DockDragCheck "$out" "$1" "$2"
  xvfb-run -a -s "-screen 0 ${1}x${2}x24" "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED \
      -cp "$cp" dev.freezeframe.app.ui.ScreenshotTour "$out" "$1" "$2"
done
