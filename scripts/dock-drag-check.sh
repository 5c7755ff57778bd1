#!/usr/bin/env bash
# A real mouse drag of the run tab's panels in the real window (GTK under Xvfb, the pointer moved through XTest):
# Console's tab into the inspector, then Events' tab onto the inspector's bottom edge to split it. Prints the resulting
# layout as JSON and a picture (app/target/screenshots/dock-drag.png, or the path given); exits 1 if a drag did not
# land. The unit tests cannot do this: JavaFX's headless glass has no platform drag-and-drop.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
. scripts/lib.sh
JAVA_HOME="$(ff_find_jdk)"
export JAVA_HOME
ff_build_if_changed "$ROOT" >&2
./mvnw -q -o -B -pl app -am test-compile -DskipTests -Dsurefire.failIfNoSpecifiedTests=false
cp="app/target/test-classes:$(ls app/target/app-*.jar | head -n 1):$(ls app/target/lib/*.jar | paste -sd:)"
xvfb-run -a -s "-screen 0 1280x800x24" "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED \
    -cp "$cp" dev.freezeframe.app.ui.DockDragCheck "${1:-app/target/screenshots/dock-drag.png}"
