package dev.freezeframe.coordinator.introspect.mem;

import dev.freezeframe.coordinator.introspect.mem.Read.Fault;
import dev.freezeframe.vmm.GuestMemory;
import dev.freezeframe.vmm.GuestPhysAddr;
import dev.freezeframe.vmm.VmmException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The one reader of guest kernel memory: little-endian integers, pointers, byte ranges and bounded C strings at
 * {@link KernelVirtAddr}esses, translated through an {@link AddressSpace} and read from {@link GuestMemory}. Reads that
 * cross a page are split at every mapping boundary. Every failure — not mapped, outside guest RAM, the VM gone — is a
 * {@link Read.Unavailable} with the reason.
 *
 * <p>Translations are cached per instance (page by page), so make a new instance per capture: the guest's page tables
 * change while it runs. Not thread-safe.
 */
public final class KernelMemory {
    /** Largest single read (a whole 16 MiB BTF blob or a large map value fits). */
    public static final int MAX_READ = 64 << 20;
    /** Largest C string read. */
    public static final int MAX_STRING = 1 << 20;
    private static final int CACHE_PAGES = 1 << 16;

    private final AddressSpace space;
    private final GuestMemory phys;
    private final Map<Long, AddressSpace.Translation> pageCache = new HashMap<>();
    private long lastPage = -1;
    private AddressSpace.Translation lastTranslation;

    public KernelMemory(AddressSpace space) {
        this.space = Objects.requireNonNull(space, "space");
        this.phys = space.physicalMemory();
    }

    public AddressSpace addressSpace() {
        return space;
    }

    public Read<GuestPhysAddr> translate(KernelVirtAddr va) {
        try {
            return Read.ok(GuestPhysAddr.of(translation(va.value()).phys()));
        } catch (Fault f) {
            return Read.unavailable(f.getMessage());
        }
    }

    private AddressSpace.Translation translation(long va) throws Fault {
        AddressSpace.Translation cached = pageTranslation(va);
        long off = va & 0xfff;
        return new AddressSpace.Translation(cached.phys() + off, cached.contiguous() - off, cached.via());
    }

    /** The translation of the page {@code va} is on (cached; {@code contiguous} at most the page). */
    private AddressSpace.Translation pageTranslation(long va) throws Fault {
        long page = va >>> 12;
        // the last page looked up, kept aside: runs of reads on one page skip the map (and boxing its key)
        AddressSpace.Translation cached = page == lastPage ? lastTranslation : pageCache.get(page);
        if (cached == null) {
            AddressSpace.Translation t = space.translation(va & ~0xfffL);
            cached = new AddressSpace.Translation(t.phys(), Math.min(t.contiguous(), 4096), t.via());
            if (pageCache.size() >= CACHE_PAGES) {
                pageCache.clear();
            }
            pageCache.put(page, cached);
        }
        lastPage = page;
        lastTranslation = cached;
        return cached;
    }

    public Read<Long> u8(KernelVirtAddr va) {
        return number(va, 1);
    }

    public Read<Long> u16(KernelVirtAddr va) {
        return number(va, 2);
    }

    public Read<Long> u32(KernelVirtAddr va) {
        return number(va, 4);
    }

    public Read<Long> u64(KernelVirtAddr va) {
        return number(va, 8);
    }

    /** An unsigned little-endian integer of 1, 2, 4 or 8 bytes (zero-extended into the long). */
    public Read<Long> number(KernelVirtAddr va, int size) {
        if (size != 1 && size != 2 && size != 4 && size != 8) {
            throw new IllegalArgumentException("integer size " + size);
        }
        try {
            return Read.ok(readNumber(va.value(), size));
        } catch (Fault f) {
            return Read.unavailable(f.getMessage());
        }
    }

    /** A pointer stored at {@code va}. */
    public Read<KernelVirtAddr> pointer(KernelVirtAddr va) {
        return u64(va).map(KernelVirtAddr::of);
    }

    /** {@code length} bytes from {@code va} (at most {@link #MAX_READ}). */
    public Read<byte[]> bytes(KernelVirtAddr va, long length) {
        if (length < 0 || length > MAX_READ) {
            return Read.unavailable("a read of " + length + " bytes at " + va + " is outside 0.." + MAX_READ);
        }
        byte[] out = new byte[(int) length];
        try {
            copy(va.value(), out, 0, out.length);
            return Read.ok(out);
        } catch (Fault f) {
            return Read.unavailable(f.getMessage());
        }
    }

    /**
     * Copies {@code length} bytes from {@code va} into {@code out[offset, offset+length)} without allocating, for
     * readers that poll the same fields again and again (the live monitor); false when any of it cannot be read.
     */
    public boolean readInto(long va, byte[] out, int offset, int length) {
        long cur = va;
        int done = 0;
        try {
            while (done < length) {
                AddressSpace.Translation page = pageTranslation(cur);
                long off = cur & 0xfff;
                int chunk = (int) Math.min(page.contiguous() - off, length - done);
                if (!phys.copyInto(page.phys() + off, out, offset + done, chunk)) return false;
                done += chunk;
                cur += chunk;
            }
            return true;
        } catch (Fault f) {
            return false;
        }
    }

    /**
     * The NUL-terminated string at {@code va}, at most {@code maxLength} bytes (UTF-8, malformed bytes replaced); when
     * no NUL comes within the cap, the text read so far followed by {@code "…"}.
     */
    public Read<String> cString(KernelVirtAddr va, int maxLength) {
        if (va.isNull()) {
            return Read.unavailable("NULL string pointer");
        }
        int max = Math.max(0, Math.min(maxLength, MAX_STRING));
        byte[] buf = new byte[Math.min(max, 256)];
        int len = 0;
        long cur = va.value();
        try {
            while (len < max) {
                AddressSpace.Translation t = translation(cur);
                int chunk = (int) Math.min(Math.min(t.contiguous(), 4096), max - len);
                byte[] part = physBytes(t.phys(), chunk);
                for (byte b : part) {
                    if (b == 0) {
                        return Read.ok(new String(buf, 0, len, StandardCharsets.UTF_8));
                    }
                    if (len == buf.length) {
                        buf = java.util.Arrays.copyOf(buf, Math.min(max, buf.length * 2));
                    }
                    buf[len++] = b;
                }
                cur += chunk;
            }
        } catch (Fault f) {
            return Read.unavailable(f.getMessage());
        }
        return Read.ok(new String(buf, 0, len, StandardCharsets.UTF_8) + "…"); // no NUL within the cap
    }

    private long readNumber(long va, int size) throws Fault {
        AddressSpace.Translation t = translation(va);
        if (t.contiguous() >= size) {
            return physNumber(t.phys(), size);
        }
        byte[] b = new byte[size];
        copy(va, b, 0, size);
        ByteBuffer le = ByteBuffer.wrap(Arrays8.pad(b)).order(ByteOrder.LITTLE_ENDIAN);
        return le.getLong(0);
    }

    private void copy(long va, byte[] out, int offset, int length) throws Fault {
        long cur = va;
        int done = 0;
        while (done < length) {
            AddressSpace.Translation t = translation(cur);
            int chunk = (int) Math.min(t.contiguous(), length - done);
            GuestPhysAddr at = GuestPhysAddr.of(t.phys());
            try {
                if (!phys.isReadable(at, chunk)) {
                    throw new Fault(String.format("0x%016x maps to guest-physical 0x%x, outside guest RAM", cur,
                            t.phys()));
                }
                phys.readBytes(at, out, offset + done, chunk);
            } catch (VmmException e) {
                throw new Fault(e.getMessage());
            }
            done += chunk;
            cur += chunk;
        }
    }

    private long physNumber(long pa, int size) throws Fault {
        GuestPhysAddr at = GuestPhysAddr.of(pa);
        try {
            if (!phys.isReadable(at, size)) {
                throw new Fault(String.format("guest-physical 0x%x is outside guest RAM", pa));
            }
            return switch (size) {
                case 1 -> Byte.toUnsignedLong(phys.readU8(at));
                case 2 -> Short.toUnsignedLong(phys.readU16(at));
                case 4 -> Integer.toUnsignedLong(phys.readU32(at));
                default -> phys.readU64(at);
            };
        } catch (VmmException e) {
            throw new Fault(e.getMessage());
        }
    }

    private byte[] physBytes(long pa, int length) throws Fault {
        GuestPhysAddr at = GuestPhysAddr.of(pa);
        try {
            if (!phys.isReadable(at, length)) {
                throw new Fault(String.format("guest-physical 0x%x is outside guest RAM", pa));
            }
            return phys.readBytes(at, length);
        } catch (VmmException e) {
            throw new Fault(e.getMessage());
        }
    }

    /** Pads to 8 bytes for a little-endian long. */
    private static final class Arrays8 {
        static byte[] pad(byte[] b) {
            return java.util.Arrays.copyOf(b, 8);
        }
    }
}
