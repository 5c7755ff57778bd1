#!/bin/sh
# Before/after benchmarks (issue 12: "nothing may cost more than 2 % on the capture, ingest or decode benchmarks").
#   scripts/bench-before-after.sh [--quick] [--rounds N] [--base-cache DIR] BASE_COMMIT
# Builds BASE_COMMIT and HEAD (the committed HEAD, not the work tree) in temporary git worktrees, then runs each
# benchmark for both, alternating (base, head, base, head, ...) for N rounds (default 3, at least 3), with the same
# settings and thread counts, and prints one JSON line per measure on stdout: the medians of both, the ratio
# HEAD/BASE and whether lower or higher is better. Progress goes to stderr; every run's own JSON is kept in the
# report directory it names. See docs/run-engine.md, "Before/after benchmarks".
#   capture: app/bench CaptureBench (freeze -> full capture of scx_qmap -> resume on a real kit guest)
#   ingest:  persistence/bench ArchiveBench (events/s appended to a run archive)
#   decode:  coordinator/bench WireDecodeBenchmark through WireBenchMain (JMH, 1 fork, 1 thread)
# HEAD's benchmark sources are used for both trees where they compile against BASE's classes; otherwise BASE's own
# source runs and the line says so ("base_source": "base") and which measure of it is compared.
# --quick: a smoke run (few captures, 200 000 events, JMH's quick mode); its numbers mean nothing.
# --base-cache DIR: XDG_CACHE_HOME for BASE's capture runs, for a BASE whose host code needs the kit of its own time
# (`XDG_CACHE_HOME=DIR ./freezeframe kit build` in a checkout of BASE first); without it both use the current kit.
# A benchmark run that fails is reported in its line ("error") and the others go on.
# Needs: the guest kit (`freezeframe kit build`), qemu-system-x86_64, JDK 25, python3; Maven fetches what the base
# commit or the benchmarks need and ~/.m2 lacks (JMH, older dependencies) once.
set -eu
quick=0
rounds=3
base_cache=
while [ $# -gt 1 ]; do
    case "$1" in
        --quick) quick=1; shift ;;
        --rounds) rounds=$2; shift 2 ;;
        --base-cache) base_cache=$2; shift 2 ;;
        *) break ;;
    esac
done
if [ $# -ne 1 ]; then
    echo "usage: scripts/bench-before-after.sh [--quick] [--rounds N] [--base-cache DIR] BASE_COMMIT" >&2
    exit 64
fi
if [ "$rounds" -lt 3 ] 2>/dev/null; then
    echo "--rounds must be a number of at least 3, not '$rounds'" >&2
    exit 64
fi
cd "$(dirname "$0")/.."
repo=$PWD
base=$(git rev-parse --verify --quiet "$1^{commit}") || { echo "'$1' is not a commit of this repository" >&2; exit 64; }
head=$(git rev-parse HEAD)
JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
export JAVA_HOME
java="$JAVA_HOME/bin/java"
if [ $quick = 1 ]; then
    captures=3; events=200000; wire_args=__quick
else
    captures=20; events=2000000; wire_args=__full
fi

work=$(mktemp -d /tmp/bench-before-after.XXXXXX)
report="$work/report"
mkdir -p "$report"
cleanup() {
    for t in base head; do
        [ -d "$work/$t" ] && git -C "$repo" worktree remove --force "$work/$t" >/dev/null 2>&1 || true
    done
}
trap cleanup EXIT
trap 'exit 130' INT TERM
say() { echo "bench-before-after: $*" >&2; }

# One tree: its own worktree, built in the reactor (never installed: ~/.m2 is shared; an old commit may need
# dependencies fetched), with the class paths
# the three benchmarks need.
build() { # name commit
    tree="$work/$1"
    git -C "$repo" worktree add --detach "$tree" "$2" >/dev/null 2>&1
    say "building $1 ($2) in $tree"
    (cd "$tree" && ./mvnw -q -B -pl app -am package dependency:build-classpath -DskipTests -DskipITs \
        -Dmdep.outputFile="$tree/app-classpath.txt" -Dmdep.includeScope=runtime >"$report/build-$1.log" 2>&1) \
        || { say "the build of $1 failed: $report/build-$1.log"; exit 1; }
    # the decode benchmark: JMH's annotation processor over coordinator/bench (the bench profile's own tree)
    # (online where needed: JMH and the profile's plugins are only fetched for benchmarks)
    (cd "$tree" && ./mvnw -q -B -pl vmm,coordinator -Pbench test-compile dependency:build-classpath \
        -Dmdep.outputFile="$tree/wire-classpath.txt" -Dmdep.includeScope=test \
        >>"$report/build-$1.log" 2>&1) || { say "the decode benchmark of $1 did not build: $report/build-$1.log"; exit 1; }
    app_cp="$(ls "$tree"/app/target/app-*-SNAPSHOT.jar):$(cat "$tree/app-classpath.txt")"
    echo "$app_cp" >"$tree/app-cp"
    echo "$tree/coordinator/target/bench/test-classes:$tree/coordinator/target/bench/classes:$(cat "$tree/wire-classpath.txt")" \
        >"$tree/wire-cp"
    # the capture benchmark: HEAD's source if it compiles against this tree, else the tree's own
    mkdir -p "$tree/capture-classes"
    if "$JAVA_HOME/bin/javac" -nowarn -d "$tree/capture-classes" -cp "$app_cp" \
        "$repo_head/app/bench/src/main/java/dev/freezeframe/app/bench/CaptureBench.java" >>"$report/build-$1.log" 2>&1; then
        echo head >"$tree/capture-source"
    else
        say "HEAD's CaptureBench does not compile against $1: $1 runs its own CaptureBench"
        rm -rf "$tree/capture-classes" && mkdir -p "$tree/capture-classes"
        "$JAVA_HOME/bin/javac" -nowarn -d "$tree/capture-classes" -cp "$app_cp" \
            "$tree/app/bench/src/main/java/dev/freezeframe/app/bench/CaptureBench.java" >>"$report/build-$1.log" 2>&1
        echo base >"$tree/capture-source"
    fi
    # ingest: ArchiveBench is one file; HEAD's unless it does not compile against this tree
    mkdir -p "$tree/ingest-classes"
    if "$JAVA_HOME/bin/javac" -nowarn -d "$tree/ingest-classes" -cp "$app_cp" \
        "$repo_head/persistence/bench/src/main/java/dev/freezeframe/persistence/bench/ArchiveBench.java" \
        >>"$report/build-$1.log" 2>&1; then
        echo head >"$tree/ingest-source"
    else
        say "HEAD's ArchiveBench does not compile against $1: $1 runs its own"
        "$JAVA_HOME/bin/javac" -nowarn -d "$tree/ingest-classes" -cp "$app_cp" \
            "$tree/persistence/bench/src/main/java/dev/freezeframe/persistence/bench/ArchiveBench.java" \
            >>"$report/build-$1.log" 2>&1
        echo base >"$tree/ingest-source"
    fi
}

repo_head="$work/head"
build head "$head"
build base "$base"

# One run of one benchmark on one tree; its JSON (the last line starting with '{' .. '}') goes to the report.
run() { # bench tree round
    tree="$work/$2"
    out="$report/$1-$2-$3.json"
    case "$1" in
        capture)
            cache=${XDG_CACHE_HOME:-$HOME/.cache}
            [ "$2" = base ] && [ -n "$base_cache" ] && cache=$base_cache
            XDG_CACHE_HOME=$cache "$java" --enable-native-access=ALL-UNNAMED -Dbench.captures=$captures \
                -cp "$tree/capture-classes:$(cat "$tree/app-cp")" dev.freezeframe.app.bench.CaptureBench >"$out" \
                2>"$report/$1-$2-$3.err" ;;
        ingest)
            "$java" --enable-native-access=ALL-UNNAMED -Xmx2g -Dbench.events=$events -Dbench.queries=5 \
                -Dbench.snapshots=20 -cp "$tree/ingest-classes:$(cat "$tree/app-cp")" \
                dev.freezeframe.persistence.bench.ArchiveBench >"$out" 2>"$report/$1-$2-$3.err" ;;
        decode)
            # JMH writes its report to target/jmh-wire-decode.log relative to the working directory
            (cd "$tree/coordinator" && "$java" --sun-misc-unsafe-memory-access=allow -cp "$(cat "$tree/wire-cp")" \
                dev.freezeframe.coordinator.wire.bench.WireBenchMain $wire_args >"$out" 2>"$report/$1-$2-$3.err") ;;
    esac || { say "$1 on $2 (round $3) failed: $report/$1-$2-$3.err"; rm -f "$out"; }
}

i=1
while [ $i -le "$rounds" ]; do
    for bench in capture ingest decode; do
        for tree in base head; do
            say "round $i/$rounds: $bench on $tree"
            run $bench $tree $i
        done
    done
    i=$((i + 1))
done

python3 - "$report" "$rounds" "$base" "$head" "$(cat "$work/base/capture-source")" "$(cat "$work/base/ingest-source")" \
    "$quick" <<'PY'
import json, statistics, sys
report, rounds, base, head, capture_source, ingest_source, quick = sys.argv[1:8]
rounds = int(rounds)

def load(bench, tree, i):
    try:
        text = open(f"{report}/{bench}-{tree}-{i}.json").read()
        return json.loads(text[text.index("{"):text.rindex("}") + 1])
    except (OSError, ValueError):
        return None  # the run failed: its .err file says why

def dig(doc, path):
    for key in path.split("."):
        if not isinstance(doc, dict) or key not in doc:
            return None
        doc = doc[key]
    return doc

# bench, measure, better, the path in HEAD's source's JSON, the path in BASE's own source's JSON (if it differs)
measures = [
    ("capture", "freeze to resume with a full capture, ms (median of the run)", "lower",
     "capture_total_ms_median", "capture_ms_median", capture_source),
    ("ingest", "events appended per second", "higher",
     "ingest.archive_events_per_s", "ingest.archive_events_per_s", ingest_source),
    ("decode", "64 KiB frames decoded, GB/s", "higher",
     "large_frames.decode_gb_per_s", "large_frames.decode_gb_per_s", "head"),
    ("decode", "small frames decoded per second", "higher",
     "small_frames.decode_frames_per_s", "small_frames.decode_frames_per_s", "head"),
]
for bench, what, better, head_path, own_path, base_source in measures:
    base_path = head_path if base_source == "head" else own_path
    b = [dig(load(bench, "base", i), base_path) for i in range(1, rounds + 1)]
    h = [dig(load(bench, "head", i), head_path) for i in range(1, rounds + 1)]
    line = {"bench": bench, "measure": what, "better": better, "rounds": rounds, "quick": quick == "1",
            "base": base[:12], "head": head[:12], "base_source": base_source,
            "base_field": base_path, "head_field": head_path,
            "base_samples": b, "head_samples": h}
    if None in b or None in h:
        failed = [f"{bench}-{t}-{i}.err" for t, xs in (("base", b), ("head", h))
                  for i, x in enumerate(xs, 1) if x is None]
        line["error"] = "runs without a result (see their .err in the report): " + ", ".join(failed)
    else:
        mb, mh = statistics.median(b), statistics.median(h)
        line.update({"base_median": mb, "head_median": mh, "ratio_head_to_base": round(mh / mb, 4) if mb else None})
        if mb:
            cost = (mh / mb - 1) if better == "lower" else (mb / mh - 1 if mh else None)
            line["cost_pct"] = None if cost is None else round(100 * cost, 2)
    if base_source == "base":
        line["note"] = ("HEAD's source does not compile against BASE: BASE runs its own benchmark, whose " + own_path
                        + " times the same span (ask for the freeze until the capture returns) but may differ in"
                        + " workload; read the two as indicative only")
    line["report"] = report
    print(json.dumps(line))
PY
# keep the report; the worktrees go
trap - EXIT
cleanup
say "every run's JSON and log: $report"
