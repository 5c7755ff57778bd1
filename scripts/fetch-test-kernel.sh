#!/usr/bin/env bash
# Fetches a second Debian kernel for ForeignKernelIT: the generic (not cloud) flavour of the kit's kernel release,
# e.g. linux-binary-unsigned-7.3.4+deb13-amd64 (about 14 MB), through the kit's private apt configuration (apt checks
# the .deb against its signed index). Writes ${XDG_CACHE_HOME:-~/.cache}/freezeframe/test-kernels/vmlinuz-<release>.
# Needs a Debian kit (`./freezeframe kit build`). Does nothing when the kernel is already there.
set -euo pipefail
cache="${XDG_CACHE_HOME:-$HOME/.cache}/freezeframe"
lock="$cache/kit/current/kit.lock.json"
[ -f "$lock" ] || { echo "fetch-test-kernel: no guest kit in $cache/kit; run ./freezeframe kit build first" >&2; exit 1; }
kit_release=$(sed -n 's/^ *"kernelVersion" *: *"\([^"]*\)".*/\1/p' "$lock" | head -n 1)
case "$kit_release" in
  *-cloud-amd64) release="${kit_release%-cloud-amd64}-amd64" ;;
  *) echo "fetch-test-kernel: the kit's kernel $kit_release is not a Debian cloud kernel; nothing to fetch" >&2; exit 1 ;;
esac
out="$cache/test-kernels/vmlinuz-$release"
[ -s "$out" ] && exit 0
mkdir -p "$cache/test-kernels"
work=$(mktemp -d "$cache/test-kernels/.fetch-XXXXXX")
trap 'rm -rf "$work"' EXIT
cd "$work"
# 7.x packaging (linux-binary-unsigned-*) first, then 6.x (linux-image-*-unsigned)
for pkg in "linux-binary-unsigned-$release" "linux-image-$release-unsigned"; do
  if apt-get -c "$cache/kit/apt/apt.conf" -q download "$pkg" >/dev/null 2>&1; then break; fi
done
deb=$(ls ./*.deb 2>/dev/null | head -n 1 || true)
[ -n "$deb" ] || { echo "fetch-test-kernel: no Debian package for $release in the kit's apt sources" >&2; exit 1; }
dpkg-deb -x "$deb" root
image=$(ls root/usr/lib/modules/"$release"/vmlinuz* root/boot/vmlinuz-"$release" 2>/dev/null | head -n 1 || true)
[ -n "$image" ] || { echo "fetch-test-kernel: $deb holds no kernel image" >&2; exit 1; }
mv "$image" "$out.tmp" && mv "$out.tmp" "$out"
echo "fetch-test-kernel: $out ($(du -h "$out" | cut -f1), from $(basename "$deb"))"
