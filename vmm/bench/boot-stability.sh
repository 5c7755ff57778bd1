#!/usr/bin/env bash
# Boot stability of multi-threaded TCG (issue 12): boots the guest kit BOOTS times in a row under
# `-accel tcg,thread=multi` and counts kernel oopses (the stale-int3 oops seen once in CI on QEMU 7.2), and in the same
# run times single- against multi-threaded boots (launch to the agent's first console line). Prints one JSON object.
#   vmm/bench/boot-stability.sh [--qemu PATH] [--boots 50] [--timing-rounds 6] [--vcpus 2]
# --qemu defaults to $FREEZEFRAME_QEMU, else qemu-system-x86_64 on PATH. Needs the guest kit (`freezeframe kit build`).
# Each timing round is one single-threaded boot then one multi-threaded boot, interleaved so load swings hit both;
# the multi-threaded boots of the timing rounds count towards BOOTS.
set -euo pipefail
qemu="${FREEZEFRAME_QEMU:-qemu-system-x86_64}"
boots=50 timing=6 vcpus=2 limit=180
while [ $# -gt 0 ]; do
  case "$1" in
    --qemu) qemu="$2"; shift 2 ;;
    --boots) boots="$2"; shift 2 ;;
    --timing-rounds) timing="$2"; shift 2 ;;
    --vcpus) vcpus="$2"; shift 2 ;;
    *) echo "boot-stability: unknown option $1" >&2; exit 64 ;;
  esac
done
kit="${XDG_CACHE_HOME:-$HOME/.cache}/freezeframe/kit/current"
[ -f "$kit/bzImage" ] || { echo "boot-stability: no guest kit at $kit; run ./freezeframe kit build" >&2; exit 1; }
logs=$(mktemp -d /tmp/boot-stability-XXXXXX)
# the kernel command line of every run, from its one definition (GuestContract)
contract="$(dirname "$0")/../src/main/java/dev/freezeframe/vmm/kit/GuestContract.java"
cmdline=$(sed -n 's/.*KERNEL_CMDLINE = "\(.*\)";.*/\1/p' "$contract")
[ -n "$cmdline" ] || { echo "boot-stability: cannot read KERNEL_CMDLINE from $contract" >&2; exit 1; }
# what a broken boot prints: an oops (incl. "Oops: int3"), BUG, panic, a warning splat
bad='Oops|BUG:|Kernel panic|WARNING:|general protection|invalid opcode'

# the HMP monitor's answer to "info registers -a" (where each vCPU is) and the kernel symbol of each RIP
monitor_dump() {
  python3 - "$1" <<'PY'
import socket, sys, time
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); s.settimeout(5)
out = b""
s.sendall(b"info registers -a\n")
deadline = time.time() + 5
while time.time() < deadline:
    try:
        chunk = s.recv(65536)
    except socket.timeout:
        break
    if not chunk: break
    out += chunk
print(out.decode(errors="replace"))
PY
}

# boot MODE N: prints "ms stable oops" (ms = -1 when no agent line came within the limit)
boot() {
  local mode=$1 n=$2 log="$logs/$1-$2.log" start now ms=-1
  start=$(date +%s%N)
  # a boot still without the agent line shortly before the limit: keep every vCPU's registers (HMP) in $log.hang
  ( sleep $((limit - 10)); [ -f "$log.ms" ] || monitor_dump "$log.mon" >"$log.hang" 2>&1 ) & local watcher=$!
  {
    timeout "$limit" "$qemu" -nodefaults -no-user-config -nographic -no-reboot -accel "tcg,thread=$mode" -cpu max \
      -smp "$vcpus" -m 1024M -serial stdio -kernel "$kit/bzImage" -initrd "$kit/initramfs-base.cpio.gz" \
      -monitor "unix:$log.mon,server=on,wait=off" -append "$cmdline" </dev/null 2>&1 || true
  } | while IFS= read -r line; do
    printf '%s\n' "$line" >>"$log"
    if [ "$ms" = -1 ] && [[ "$line" == FFAGENT* ]]; then
      now=$(date +%s%N); ms=$(( (now - start) / 1000000 )); echo "$ms" >"$log.ms"
    fi
  done
  kill "$watcher" 2>/dev/null; wait "$watcher" 2>/dev/null || true
  echo "$(cat "$log.ms" 2>/dev/null || echo -1) $(grep -c 'sched_clock: Marking stable' "$log" || true) $(grep -Ec "$bad" "$log" || true)"
}

single=() multi=() oopses=() hung=0 stable=0 hung_logs=()
for i in $(seq 1 "$boots"); do
  if [ "$i" -le "$timing" ]; then
    read -r ms _ bad_lines < <(boot single "$i")
    [ "$bad_lines" -gt 0 ] && oopses+=("\"single-$i\"")
    [ "$ms" -ge 0 ] && single+=("$ms")
  fi
  read -r ms st bad_lines < <(boot multi "$i")
  stable=$((stable + st))
  [ "$bad_lines" -gt 0 ] && oopses+=("\"multi-$i\"")
  if [ "$ms" -ge 0 ]; then multi+=("$ms"); else hung=$((hung + 1)); hung_logs+=("\"multi-$i\""); fi
  echo "boot-stability: multi $i/$boots ${ms} ms, oopses so far ${#oopses[@]}" >&2
done

median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {if (NR==0) print "null"; else if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }
join() { local IFS=,; echo "$*"; }
st_med=$(median "${single[@]}") mt_med=$(median "${multi[@]:0:$timing}")
ratio=null
[ "$st_med" != null ] && [ "$mt_med" != null ] && ratio=$(awk -v a="$st_med" -v b="$mt_med" 'BEGIN {printf "%.3f", a / b}')
cat <<JSON
{"benchmark": "boot_stability", "qemu": "$("$qemu" --version | head -n 1)", "kernel": "$(basename "$(readlink -f "$kit")")",
 "vcpus": $vcpus, "host_cpus": $(nproc), "load_average_1m": $(cut -d' ' -f1 /proc/loadavg),
 "what": "launch to the agent's first console line; an oops is any line matching '$bad'",
 "multi_threaded_boots": $boots, "multi_threaded_boots_with_agent_line": ${#multi[@]}, "boots_without_agent_line_within_${limit}_s": $hung, "hung": [$(join "${hung_logs[@]}")],
 "boots_that_patched_sched_clock_stable": $stable, "oopses": [$(join "${oopses[@]}")],
 "timing_rounds": $timing, "single_threaded_ms": [$(join "${single[@]}")], "multi_threaded_ms_timing_rounds": [$(join "${multi[@]:0:$timing}")],
 "single_median_ms": $st_med, "multi_median_ms": $mt_med, "ratio_single_to_multi": $ratio,
 "multi_threaded_ms_all": [$(join "${multi[@]}")], "logs": "$logs"}
JSON
