package dev.freezeframe.vmm.kit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 helpers. Whole-file hashing of the kit (~90 MB) takes ~0.2 s, so a warm build can afford to hash it all. */
final class Hashing {
    private Hashing() {
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-256", e);
        }
    }

    /**
     * The file's sha256. Large files go to coreutils' sha256sum: it uses the CPU's SHA extensions from the first byte,
     * while the JDK's intrinsic only kicks in once the JIT has compiled the digest loop (62 MB: ~0.1 s against ~1.4 s in
     * a fresh JVM), and a warm {@code kit build} is one fresh JVM.
     */
    static String sha256(Path file) throws IOException {
        if (Files.size(file) > EXTERNAL_THRESHOLD && Files.isExecutable(SHA256SUM)) {
            String external = sha256sum(file);
            if (external != null) {
                return external;
            }
        }
        return sha256InJava(file);
    }

    private static final long EXTERNAL_THRESHOLD = 4L << 20;
    private static final Path SHA256SUM = Path.of("/usr/bin/sha256sum");

    private static String sha256sum(Path file) {
        try {
            Process p = new ProcessBuilder(SHA256SUM.toString(), "-b", "--", file.toString())
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII);
            // no deadline: its output was read to the end above
            if (p.waitFor() == 0 && out.length() >= 64 && out.substring(0, 64).matches("[0-9a-f]{64}")) {
                return out.substring(0, 64);
            }
            return null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    static String sha256InJava(Path file) throws IOException {
        MessageDigest digest = sha256();
        ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            while (channel.read(buffer) >= 0) {
                buffer.flip();
                digest.update(buffer);
                buffer.clear();
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    static String sha256Unchecked(Path file) {
        try {
            return sha256(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String sha256(byte[] data) {
        return HexFormat.of().formatHex(sha256().digest(data));
    }
}
