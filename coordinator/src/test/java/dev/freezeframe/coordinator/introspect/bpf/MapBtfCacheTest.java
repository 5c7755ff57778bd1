package dev.freezeframe.coordinator.introspect.bpf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.freezeframe.coordinator.introspect.btf.Btf;
import dev.freezeframe.coordinator.introspect.btf.BtfException;
import dev.freezeframe.coordinator.introspect.testing.SchedulerFixture;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** A BPF object's BTF is parsed once per run; other bytes (a reloaded object) are parsed afresh. */
class MapBtfCacheTest {
    private final byte[] blob = new SchedulerFixture().progBlob;

    @Test
    void theSameBytesGiveTheSameParsedBtf() throws Exception {
        MapBtfCache cache = new MapBtfCache();
        Btf first = cache.parse(blob, null);
        assertSame(first, cache.parse(blob.clone(), null), "equal bytes read at the next capture");
        assertEquals(1, cache.size());
    }

    @Test
    void otherBytesOrAnotherBaseAreParsedAfresh() throws Exception {
        MapBtfCache cache = new MapBtfCache();
        Btf first = cache.parse(blob, null);
        byte[] changed = blob.clone();
        changed[changed.length - 2] ^= 1; // a string byte: still valid BTF, but not the same object
        assertNotSame(first, cache.parse(changed, null));
        assertEquals(2, cache.size());
        assertThrows(BtfException.class, () -> cache.parse(Arrays.copyOf(blob, 10), null));
        assertEquals(2, cache.size(), "a blob that does not parse is not kept");
    }

    @Test
    void theCacheIsBounded() throws Exception {
        MapBtfCache cache = new MapBtfCache();
        for (int i = 0; i < MapBtfCache.MAX_BLOBS + 5; i++) {
            byte[] b = blob.clone();
            b[b.length - 2] = (byte) ('a' + i % 26);
            b[b.length - 3] = (byte) ('a' + i / 26);
            cache.parse(b, null);
        }
        assertEquals(MapBtfCache.MAX_BLOBS, cache.size());
    }
}
