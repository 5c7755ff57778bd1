#!/usr/bin/env bash
# Start-up benchmark (workbench issue, B7): cold start of the workbench to a usable window (shown, the runs list of an
# archive loaded, a frame rendered after it), against a bare JavaFX window started with the same JVM and flags in the
# same run. Runs under Xvfb (the SW pipeline). Prints one JSON object on stdout.
#   app/bench/startup.sh [ROUNDS]     (default 5)
# Needs: xvfb-run (package xvfb), JDK 25; builds the app first when the sources changed.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
. scripts/lib.sh
JAVA_HOME="$(ff_find_jdk)"
export JAVA_HOME
ff_ensure_packages "$ROOT/scripts/xvfb-packages.txt"
rounds=${1:-5}
ff_build_if_changed "$ROOT" >&2
out="$ROOT/app/target/bench-startup"
mkdir -p "$out/classes"
LIB="$ROOT/app/target/lib"
module_path=$(ls "$LIB"/javafx-*-linux.jar | paste -sd:)
"$JAVA_HOME/bin/javac" -d "$out/classes" --module-path "$module_path" --add-modules javafx.controls \
    app/bench/src/main/java/dev/freezeframe/app/bench/BareWindow.java
home=$(mktemp -d)
trap 'rm -rf "$home"' EXIT

ms_of() { sed -n 's/.*"usable_ms":\([0-9]*\).*/\1/p' | head -n 1; }
now_ms() { date +%s%3N; }

workbench=() baseline=() wall=()
for i in $(seq "$rounds"); do
  t0=$(now_ms)
  ms=$(XDG_DATA_HOME="$home/data" XDG_CONFIG_HOME="$home/config" XDG_STATE_HOME="$home/state" \
       FREEZEFRAME_JAVA_OPTS="-Dfreezeframe.bench.exitWhenUsable=true" \
       xvfb-run -a -s "-screen 0 1600x1000x24" ./freezeframe 2>/dev/null | ms_of)
  wall+=($(( $(now_ms) - t0 )))
  workbench+=("$ms")
  ms=$(xvfb-run -a -s "-screen 0 1600x1000x24" "$JAVA_HOME/bin/java" --module-path "$module_path" \
       --add-modules javafx.controls --enable-native-access=javafx.graphics -cp "$out/classes" \
       dev.freezeframe.app.bench.BareWindow 2>/dev/null | ms_of)
  baseline+=("$ms")
done

median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
w=$(median "${workbench[@]}")
b=$(median "${baseline[@]}")
wl=$(median "${wall[@]}")
printf '{"bench":"startup","rounds":%d,"cpus":%d,"workbench_usable_ms_median":%d,"bare_window_ms_median":%d,' \
  "$rounds" "$(nproc)" "$w" "$b"
printf '"ratio_to_bare_window":%.2f,"workbench_wall_ms_incl_launcher_median":%d,"target_ms":2000,' \
  "$(echo "$w / $b" | bc -l)" "$wl"
printf '"workbench_samples_ms":[%s],"bare_samples_ms":[%s]}\n' "$(IFS=,; echo "${workbench[*]}")" \
  "$(IFS=,; echo "${baseline[*]}")"
