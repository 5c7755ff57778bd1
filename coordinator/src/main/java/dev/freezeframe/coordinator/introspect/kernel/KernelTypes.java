package dev.freezeframe.coordinator.introspect.kernel;

import dev.freezeframe.coordinator.introspect.btf.Btf;
import dev.freezeframe.coordinator.introspect.btf.BtfException;
import dev.freezeframe.coordinator.introspect.btf.BtfType;
import dev.freezeframe.coordinator.introspect.mem.Read;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Struct layouts and enum names of the guest kernel, from its vmlinux BTF — never hard-coded. Lookups are cached; a
 * missing type or member is a {@link Read.Unavailable} naming it (a kernel version where a field was renamed or moved
 * fails with that reason rather than reading the wrong bytes). Thread-safe: the caches are concurrent and the BTF is
 * read-only, so a background warm-up and a capture may share it.
 */
public final class KernelTypes {
    private final Btf btf;
    private final Map<String, Read<Long>> offsets = new ConcurrentHashMap<>();
    private final Map<String, Read<Long>> sizes = new ConcurrentHashMap<>();

    public KernelTypes(Btf vmlinux) {
        this.btf = Objects.requireNonNull(vmlinux, "vmlinux");
    }

    public Btf btf() {
        return btf;
    }

    /** {@code offsetof(type, path)} in bytes, e.g. {@code offsetOf("struct bpf_map", "name")}. */
    public Read<Long> offsetOf(String cType, String path) {
        return offsets.computeIfAbsent(cType + "\0" + path, k -> {
            try {
                return Read.ok(btf.offsetOf(cType, path));
            } catch (BtfException e) {
                return Read.unavailable("layout of " + cType + "." + path + " unknown: " + e.getMessage());
            }
        });
    }

    /** {@code sizeof(((type *)0)->path)}. */
    public Read<Long> memberSize(String cType, String path) {
        return sizes.computeIfAbsent(cType + "\0" + path, k -> {
            try {
                return Read.ok(btf.sizeOf(btf.member(btf.requireType(cType).id(), path).typeId()));
            } catch (BtfException e) {
                return Read.unavailable("size of " + cType + "." + path + " unknown: " + e.getMessage());
            }
        });
    }

    /** {@code sizeof(type)}. */
    public Read<Long> sizeOf(String cType) {
        return sizes.computeIfAbsent(cType, k -> {
            try {
                return Read.ok(btf.sizeOf(btf.requireType(cType).id()));
            } catch (BtfException e) {
                return Read.unavailable("size of " + cType + " unknown: " + e.getMessage());
            }
        });
    }

    /** The type id of a type named in C ({@code "struct sched_ext_ops"}). */
    public Read<Integer> typeId(String cType) {
        try {
            return Read.ok(btf.requireType(cType).id());
        } catch (BtfException e) {
            return Read.unavailable(cType + " is not in the kernel's BTF: " + e.getMessage());
        }
    }

    /** The enumerator of {@code enumType} ({@code "enum bpf_map_type"}) with this value, if any. */
    public Optional<String> enumName(String enumType, long value) {
        try {
            if (btf.resolve(btf.requireType(enumType).id()) instanceof BtfType.Enum e) {
                for (BtfType.Enumerator v : e.values()) {
                    if (v.value() == value) {
                        return Optional.of(v.name());
                    }
                }
            }
        } catch (BtfException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /** The value of an enumerator ({@code "SCX_EXIT_ERROR"}) of {@code enumType}. */
    public Optional<Long> enumValue(String enumType, String name) {
        try {
            if (btf.resolve(btf.requireType(enumType).id()) instanceof BtfType.Enum e) {
                for (BtfType.Enumerator v : e.values()) {
                    if (v.name().equals(name)) {
                        return Optional.of(v.value());
                    }
                }
            }
        } catch (BtfException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }
}
