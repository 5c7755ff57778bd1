package dev.freezeframe.coordinator.wire;

import java.util.zip.CRC32;

/** CRC-32 (IEEE, reflected polynomial 0xEDB88320) as the wire uses it; the guest's {@code ffwire_crc32} matches. */
final class Crc {
    private Crc() {
    }

    static int of(byte[] bytes, int offset, int length) {
        CRC32 crc = new CRC32();
        crc.update(bytes, offset, length);
        return (int) crc.getValue();
    }
}
