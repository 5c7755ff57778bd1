package dev.freezeframe.vmm.template;

import dev.freezeframe.vmm.Accelerator;
import dev.freezeframe.vmm.VmSpec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What makes two boots identical, so one's template serves the other: the contents of the kernel and every initramfs
 * (the kit's base archive holds the agent, so a new kit or agent gives a new key), the kernel command line, vCPUs,
 * memory, accelerator and the VMM binary. A changed input gives a different key; the old template is then stale.
 *
 * @param slot   what a user would call "the same machine": vCPUs, memory and accelerator; a store keeps one template per
 *               slot and drops the stale ones
 * @param digest sha-256 over everything above, hex
 */
public record TemplateKey(String slot, String digest) {
    /** Content hashes of large files, remembered by path, size, modification time and inode. */
    private static final Map<String, String> FILE_HASHES = new ConcurrentHashMap<>();

    public static TemplateKey of(VmSpec spec, Accelerator accelerator, Path vmmBinary, String cmdline) {
        MessageDigest digest = sha256();
        update(digest, "kernel " + spec.kernel().map(TemplateKey::contentHash).orElse("none"));
        for (Path initrd : spec.initrds()) update(digest, "initrd " + contentHash(initrd));
        update(digest, "cmdline " + cmdline);
        update(digest, "vcpus " + spec.vcpus() + " memory " + spec.memoryMiB() + " accelerator " + accelerator);
        update(digest, "vmm " + identity(vmmBinary));
        String slot = spec.vcpus() + "cpu-" + spec.memoryMiB() + "M-" + accelerator.name().toLowerCase();
        return new TemplateKey(slot, HexFormat.of().formatHex(digest.digest()));
    }

    /** The directory name: the slot, then enough of the digest to tell keys apart. */
    public String directoryName() {
        return slot + "-" + digest.substring(0, 16);
    }

    private static void update(MessageDigest digest, String text) {
        digest.update((text + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** Size, modification time and inode: a rebuilt VMM binary is a different VMM. */
    private static String identity(Path file) {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return file.toRealPath() + " " + a.size() + " " + a.lastModifiedTime().toMillis() + " " + a.fileKey();
        } catch (IOException e) {
            return file + " unreadable";
        }
    }

    private static String contentHash(Path file) {
        String identity = identity(file);
        return FILE_HASHES.computeIfAbsent(identity, ignored -> {
            MessageDigest digest = sha256();
            byte[] buffer = new byte[1 << 16];
            try (InputStream in = Files.newInputStream(file)) {
                int n;
                while ((n = in.read(buffer)) > 0) digest.update(buffer, 0, n);
            } catch (IOException e) {
                return "unreadable " + identity;
            }
            return HexFormat.of().formatHex(digest.digest());
        });
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
