/**
 * Kernel introspection of a frozen guest: reading the guest kernel's data structures host-side from guest RAM, the way
 * drgn and the kernel's {@code tools/sched_ext/scx_show_state.py} do.
 *
 * <ul>
 *   <li>{@code ...introspect.mem}: {@link dev.freezeframe.coordinator.introspect.mem.KernelVirtAddr} (never mixed up
 *       with {@link dev.freezeframe.vmm.GuestPhysAddr}), {@link dev.freezeframe.coordinator.introspect.mem.AddressSpace}
 *       (kernel image, direct map with {@code page_offset_base} read from memory, 4/5-level page-table walk) and
 *       {@link dev.freezeframe.coordinator.introspect.mem.KernelMemory}, the one reader; results are
 *       {@link dev.freezeframe.coordinator.introspect.mem.Read} values: the value or why it is unavailable.</li>
 *   <li>{@code ...introspect.kernel}: symbols, struct layouts from the vmlinux BTF
 *       ({@link dev.freezeframe.coordinator.introspect.kernel.KernelTypes}) and the helpers named like the kernel's
 *       ({@link dev.freezeframe.coordinator.introspect.kernel.KernelHelpers#xa_for_each}, {@code idr_for_each},
 *       {@code bpf_map_for_each}, {@code list_for_each_entry}), each bounded by a
 *       {@link dev.freezeframe.coordinator.introspect.kernel.WalkBudget}.</li>
 *   <li>{@code ...introspect.bpf}: {@link dev.freezeframe.coordinator.introspect.bpf.BpfMapReader} — every BPF map with
 *       its BTF-typed entries.</li>
 *   <li>{@code ...introspect.scx}: {@link dev.freezeframe.coordinator.introspect.scx.ScxStateReader} — {@code scx_root},
 *       ops name, exit kind (and its address, for the error watchpoint), exit info.</li>
 *   <li>{@code ...introspect.btf}: the BTF parser and value renderer.</li>
 * </ul>
 *
 * <p>Typical use, per capture: {@code AddressSpace.discover(vm.memory(), symbols, types.offsetOf("struct mm_struct",
 * "pgd"), registers)} → {@code new KernelMemory(space)} → {@code new KernelView(memory, types, symbols)} →
 * {@code new BpfMapReader(view, options).readAll()} and {@code ScxStateReader.read(view)};
 * {@link dev.freezeframe.coordinator.introspect.IntrospectionJson} gives the JSON form. Guest data is untrusted: no
 * walker throws for it, every walk is bounded, every failure is a reason.
 */
package dev.freezeframe.coordinator.introspect;
