package dev.freezeframe.snapshots.symbols;

import dev.freezeframe.coordinator.introspect.btf.Btf;
import dev.freezeframe.coordinator.introspect.btf.BtfKind;
import dev.freezeframe.coordinator.introspect.btf.BtfType;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The C type of a kernel symbol from the kernel's BTF, where the BTF has it: functions ({@code FUNC}: their prototype,
 * {@code struct task_struct *(struct pid *pid, ...)}) and the variables pahole encodes ({@code VAR}: the 7.3 kit
 * kernel's BTF has only its per-CPU variables, e.g. {@code runqueues} → {@code struct rq}). Looked up per name on demand
 * (only visible rows ask) and remembered.
 */
public final class BtfTypeNames {
    private final Btf btf;
    private final ConcurrentHashMap<String, Optional<String>> known = new ConcurrentHashMap<>();

    public BtfTypeNames(Btf btf) {
        this.btf = Objects.requireNonNull(btf, "btf");
    }

    /** The type of {@code name}, or empty when the BTF does not describe it. */
    public Optional<String> typeOf(String name) {
        return known.computeIfAbsent(name, this::lookup);
    }

    private Optional<String> lookup(String name) {
        Optional<BtfType> var = btf.find(name, BtfKind.VAR);
        if (var.isPresent() && var.get() instanceof BtfType.Var v) return Optional.of(btf.describe(v.type()));
        Optional<BtfType> func = btf.find(name, BtfKind.FUNC);
        if (func.isPresent() && func.get() instanceof BtfType.Func f) return Optional.of(btf.describe(f.proto()));
        return Optional.empty();
    }
}
