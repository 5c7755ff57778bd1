/**
 * BTF (BPF Type Format) for kernel introspection: {@link dev.freezeframe.coordinator.introspect.btf.Btf} parses a raw
 * BTF blob — the kit vmlinux's {@code .BTF} section, or split/standalone BTF of a BPF map or program read from a
 * {@code struct btf} in guest memory — and answers lookups by id, by name and kind, member offsets by path, sizes,
 * alignments and C spellings; {@link dev.freezeframe.coordinator.introspect.btf.ValueRenderer} turns bytes into a typed
 * {@link dev.freezeframe.coordinator.introspect.btf.Value} tree, with {@link
 * dev.freezeframe.coordinator.introspect.btf.ValueJson} as its JSON form for snapshot reports.
 *
 * <p>Reading a map's or program's BTF from guest memory: on the 7.x kernels a {@code struct btf} holds the raw blob
 * (header included) at {@code data}, {@code data_size} bytes long, and its base at {@code base_btf} (non-NULL for module
 * BTF, which is split over vmlinux); pass those bytes to {@code Btf.parse(bytes, base)}.
 *
 * <p>All input is treated as untrusted: parse and lookup problems are checked {@link
 * dev.freezeframe.coordinator.introspect.btf.BtfException}s, rendering problems are {@code UnavailableValue} nodes with
 * a reason; every walk is bounded.
 */
package dev.freezeframe.coordinator.introspect.btf;
