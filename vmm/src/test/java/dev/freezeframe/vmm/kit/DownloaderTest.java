package dev.freezeframe.vmm.kit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.freezeframe.vmm.VmmException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Downloads against a local HTTP server (loopback only) that honours Range requests, like Debian's mirrors. */
class DownloaderTest {
    @TempDir
    Path tmp;

    private final byte[] deb = new byte[300_000];
    private final List<String> ranges = new ArrayList<>();
    private HttpServer server;

    @BeforeEach
    void serve() throws IOException {
        new Random(42).nextBytes(deb);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/pool/pkg.deb", exchange -> {
            String range = exchange.getRequestHeaders().getFirst("Range");
            ranges.add(String.valueOf(range));
            int from = range == null ? 0 : Integer.parseInt(range.replaceAll("bytes=(\\d+)-", "$1"));
            exchange.sendResponseHeaders(range == null ? 200 : 206, deb.length - from);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(deb, from, deb.length - from);
            }
        });
        server.createContext("/pool/gone.deb", exchange -> {
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private PrivateApt.Uri uri(String path, byte[] content) {
        return new PrivateApt.Uri("http://127.0.0.1:" + server.getAddress().getPort() + path, "pkg.deb", content.length,
                Hashing.sha256(content));
    }

    @Test
    void resumesAPartialDownloadAndVerifiesIt() throws IOException {
        Path target = tmp.resolve("pkg.deb");
        Files.write(tmp.resolve("pkg.deb.partial"), java.util.Arrays.copyOf(deb, 100_000));
        List<Long> progress = new ArrayList<>();
        KitProgress recording = new KitProgress() {
            @Override public void step(String name, String detail) { }
            @Override public void done(String name, String detail) { }
            @Override public void bytes(String name, long done, long total) { progress.add(done); }
            @Override public void note(String text) { }
        };
        assertTrue(new Downloader(recording).fetch(uri("/pool/pkg.deb", deb), target, "pkg"));
        assertArrayEquals(deb, Files.readAllBytes(target));
        assertEquals(List.of("bytes=100000-"), ranges);
        assertFalse(Files.exists(tmp.resolve("pkg.deb.partial")));
        assertEquals(deb.length, progress.getLast());

        // already there and intact: nothing is fetched
        assertFalse(new Downloader(KitProgress.silent()).fetch(uri("/pool/pkg.deb", deb), target, "pkg"));
        assertEquals(1, ranges.size());
    }

    @Test
    void aCorruptPartialIsDiscardedAndFetchedAgain() throws IOException {
        Path target = tmp.resolve("pkg.deb");
        byte[] wrong = java.util.Arrays.copyOf(deb, 100_000);
        wrong[10] ^= 1;
        Files.write(tmp.resolve("pkg.deb.partial"), wrong);
        assertTrue(new Downloader(KitProgress.silent()).fetch(uri("/pool/pkg.deb", deb), target, "pkg"));
        assertArrayEquals(deb, Files.readAllBytes(target));
        assertEquals(List.of("bytes=100000-", "null"), ranges);
    }

    @Test
    void aPackageGoneFromTheArchiveIsOneSentence() {
        VmmException e = assertThrows(VmmException.class, () -> new Downloader(KitProgress.silent())
                .fetch(uri("/pool/gone.deb", deb), tmp.resolve("pkg.deb"), "pkg"));
        assertTrue(e.getMessage().contains("is gone from Debian's archive"), e.getMessage());
    }

    @Test
    void anUnreachableMirrorIsOneSentence() throws IOException {
        int port;
        try (var socket = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        PrivateApt.Uri dead = new PrivateApt.Uri("http://127.0.0.1:" + port + "/pool/pkg.deb", "pkg.deb", 1, "00");
        VmmException e = assertThrows(VmmException.class,
                () -> new Downloader(KitProgress.silent()).fetch(dead, tmp.resolve("pkg.deb"), "pkg"));
        assertTrue(e.getMessage().startsWith("Cannot reach Debian's archive"), e.getMessage());
    }
}
