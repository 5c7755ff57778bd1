# Shared shell functions of ./freezeframe, ./run-tests and .ci/run. Source it; it defines functions only.

# Prints the JAVA_HOME of a JDK 25: $JAVA_HOME if it is one, else the newest /usr/lib/jvm/*25*.
ff_find_jdk() {
  local candidate
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/*25*; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] && [ -x "$candidate/bin/javac" ] || continue
    if "$candidate/bin/java" -XshowSettings:properties -version 2>&1 | grep -q 'java.specification.version = 25'; then
      echo "$candidate"
      return 0
    fi
  done
  echo "freezeframe: no JDK 25 found (checked JAVA_HOME and /usr/lib/jvm/*25*). Install one, e.g. Temurin 25" \
       "(package temurin-25-jdk from Adoptium's apt repository), or set JAVA_HOME to a JDK 25." >&2
  return 1
}

# Reads package names (one per line, # comments allowed) from the given list files.
ff_package_list() {
  sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$@" | tr -s ' \t' '\n' | sort -u
}

# Installs the Debian packages named in the given list files that are missing. As root it installs them quietly;
# otherwise it prints the exact apt-get line and returns 1.
ff_ensure_packages() {
  local missing=() pkg
  for pkg in $(ff_package_list "$@"); do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    echo "freezeframe: missing Debian packages; install them with:" >&2
    echo "  sudo apt-get install --no-install-recommends ${missing[*]}" >&2
    return 1
  fi
  echo "freezeframe: installing ${missing[*]}" >&2
  local apt=(apt-get -q -o DPkg::Lock::Timeout=600)
  # A fresh machine may have empty package lists; refresh them once if an install cannot find a package.
  if ! DEBIAN_FRONTEND=noninteractive "${apt[@]}" install -y --no-install-recommends "${missing[@]}" >/tmp/freezeframe-apt.log 2>&1; then
    "${apt[@]}" update >>/tmp/freezeframe-apt.log 2>&1 || true
    if ! DEBIAN_FRONTEND=noninteractive "${apt[@]}" install -y --no-install-recommends "${missing[@]}" >>/tmp/freezeframe-apt.log 2>&1; then
      echo "freezeframe: installing ${missing[*]} failed; see /tmp/freezeframe-apt.log" >&2
      return 1
    fi
  fi
}

# Builds the application when any build input changed since the last successful build.
ff_build_if_changed() {
  local root="$1" stamp="$1/.freezeframe-build.stamp"
  local jar
  jar=$(ls "$root"/app/target/app-*.jar 2>/dev/null | head -n 1 || true) # none yet in a fresh clone: build
  if [ -f "$stamp" ] && [ -n "$jar" ] && [ -d "$root/app/target/lib" ] && [ -z "$(
      find "$root/pom.xml" "$root/.mvn" "$root"/*/pom.xml "$root"/*/src -newer "$stamp" -print -quit 2>/dev/null)" ]; then
    return 0
  fi
  echo "freezeframe: building (sources changed since the last build)…" >&2
  local log=/tmp/freezeframe-build.$$.log
  if ! (cd "$root" && ./mvnw -q -B package -Dmaven.test.skip=true) >"$log" 2>&1; then
    tail -n 40 "$log" >&2
    echo "freezeframe: the build failed; the full log is $log" >&2
    return 1
  fi
  rm -f "$log"
  touch "$stamp"
}

# On Debian bookworm, brings QEMU to 10 from bookworm-backports: bookworm's own 7.2 cannot run TCG with one thread per
# vCPU safely (docs/guest-kit.md, "Multi-threaded TCG"), so guests would boot single-threaded, about twice as slow.
# Never fatal: when it cannot install, it says why and the older QEMU stays (the backend then picks single-threaded TCG).
# A failed attempt is not repeated for a day (the stamp below), so every command does not wait on apt.
ff_ensure_qemu_10() {
  local codename major stamp="${XDG_CACHE_HOME:-$HOME/.cache}/freezeframe/qemu-backports-failed"
  codename=$(. /etc/os-release 2>/dev/null && echo "${VERSION_CODENAME:-}")
  [ "$codename" = bookworm ] || return 0
  major=$(qemu-system-x86_64 --version 2>/dev/null | sed -n 's/^QEMU emulator version \([0-9]*\)\..*/\1/p')
  [ -n "$major" ] && [ "$major" -ge 10 ] && return 0
  local now="QEMU ${major:-(none)}.x"
  if [ "$(id -u)" -ne 0 ]; then
    echo "freezeframe: $now is installed; guests boot on one TCG thread. For QEMU 10 (both vCPUs in parallel):" >&2
    echo "  echo 'deb http://deb.debian.org/debian bookworm-backports main' | sudo tee /etc/apt/sources.list.d/bookworm-backports.list" >&2
    echo "  sudo apt-get update && sudo apt-get install -t bookworm-backports --no-install-recommends qemu-system-x86" >&2
    return 0
  fi
  [ -n "$(find "$stamp" -mmin -1440 2>/dev/null)" ] && return 0
  echo "freezeframe: installing QEMU 10 from bookworm-backports (bookworm's $now runs guests on one TCG thread)" >&2
  local apt=(apt-get -q -o DPkg::Lock::Timeout=600) log=/tmp/freezeframe-apt.log
  if ! grep -rqs '^[^#]*bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/; then
    echo 'deb http://deb.debian.org/debian bookworm-backports main' >/etc/apt/sources.list.d/bookworm-backports.list
  fi
  if "${apt[@]}" update >>"$log" 2>&1 && DEBIAN_FRONTEND=noninteractive "${apt[@]}" install -y --no-install-recommends \
      -t bookworm-backports qemu-system-x86 >>"$log" 2>&1; then
    rm -f "$stamp"
    echo "freezeframe: $(qemu-system-x86_64 --version | head -n 1)" >&2
  else
    mkdir -p "$(dirname "$stamp")" && touch "$stamp"
    echo "freezeframe: installing QEMU 10 from bookworm-backports failed (see $log); $now stays and guests boot on" \
         "one TCG thread, about twice as slow. Retried in a day, or delete $stamp." >&2
  fi
}
