package dev.freezeframe.coordinator.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real cross-language check: a small C program built against {@code ffwire.h} writes the dialogue's frames to
 * stdout, and the Java assembler and codec must read back exactly what it meant, with every CRC good.
 */
class FfwireCrossLanguageTest {
    private static final int BIG_PAYLOAD = 200_000;

    private static final String PROGRAM = """
            #include "ffwire.h"
            #include <stdio.h>

            static unsigned char big[FFWIRE_MAX_PAYLOAD + 1];

            #define CHECK(x) do { if ((x) != 0) { perror(#x); return 2; } } while (0)

            int main(void)
            {
                if (ffwire_crc32("123456789", 9) != 0xCBF43926u) return 10;
                if (ffwire_crc32_update(ffwire_crc32_update(0, "1234", 4), "56789", 5) != 0xCBF43926u) return 11;
                /* refused before anything is written */
                if (ffwire_write_frame(1, FFWIRE_MSG_STDOUT, big, sizeof big) != -1 || errno != EMSGSIZE) return 12;
                if (ffwire_send_snapshot_request(1, 1, FFWIRE_SNAPSHOT_KIND_CAPTURE,
                        "0123456789012345678901234567890123456789012345678901234567890123X") != -1) return 13;
                if (ffwire_send_text(1, FFWIRE_MSG_EXIT, "x", 1) != -1 || errno != EINVAL) return 14;

                struct ffwire_kaddrs k;
                ffwire_kaddrs_init(&k);
                CHECK(ffwire_kaddrs_add(&k, "scx_root", 0xffffffff83001000ull));
                CHECK(ffwire_kaddrs_add(&k, "init_task", 0xffffffff82600940ull));
                if (ffwire_kaddrs_add(&k, "has space", 1) != -1 || errno != EINVAL) return 15;

                CHECK(ffwire_send_sys_rdy(1));
                CHECK(ffwire_send_lifecycle(1, FFWIRE_PHASE_SCHEDULER_STARTING, "scx_qmap -e 50"));
                CHECK(ffwire_send_kaddrs(1, &k));
                CHECK(ffwire_send_lifecycle(1, FFWIRE_PHASE_SCHEDULER_ENABLED, NULL));
                CHECK(ffwire_send_step(1, 1, "cpu-bound \\xe2\\x9c\\x93"));
                CHECK(ffwire_send_text(1, FFWIRE_MSG_STDOUT, "hello\\n", 6));
                CHECK(ffwire_send_text(1, FFWIRE_MSG_STDERR, "warn: x", 7));
                CHECK(ffwire_send_text(1, FFWIRE_MSG_SCHED_LOG, "sched_ext: BPF scheduler \\"qmap\\" disabled", 40));
                CHECK(ffwire_send_snapshot_request(1, 7, FFWIRE_SNAPSHOT_KIND_CAPTURE, "snap"));
                CHECK(ffwire_send_sched_exit(1, -9, 1025, "scx_bpf_error (injected)"));
                for (size_t i = 0; i < %d; i++) big[i] = (unsigned char)(i * 31u);
                CHECK(ffwire_write_frame(1, FFWIRE_MSG_STDOUT, big, %d));
                CHECK(ffwire_write_frame(1, 0x0BADC0DEu, "future", 6));
                CHECK(ffwire_send_exit(1, 0, NULL));
                return 0;
            }
            """.formatted(BIG_PAYLOAD, BIG_PAYLOAD);

    private static boolean gccAvailable;

    @BeforeAll
    static void findGcc() {
        try {
            Process p = new ProcessBuilder("gcc", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            gccAvailable = p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            gccAvailable = false;
        }
    }

    @Test
    void framesWrittenByTheCHeaderAreReadBackExactly(@TempDir Path dir) throws Exception {
        assumeTrue(gccAvailable, "gcc is needed to build the guest-side test program");
        Path source = dir.resolve("emit.c");
        Files.writeString(source, PROGRAM);
        Path binary = dir.resolve("emit");
        run(dir, "gcc", "-std=c11", "-Wall", "-Wextra", "-Wpedantic", "-Wconversion", "-Werror", "-O2",
                "-I" + FfwireHeader.path().getParent(), source.toString(), "-o", binary.toString());

        Process emit = new ProcessBuilder(binary.toString()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] stream = emit.getInputStream().readAllBytes();
        assertTrue(emit.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, emit.exitValue(), "the C program's own checks (see its exit codes)");

        FrameAssembler assembler = new FrameAssembler();
        List<Frame> frames = new ArrayList<>();
        Random random = new Random(11);
        for (int off = 0; off < stream.length; ) {
            int n = Math.min(stream.length - off, 1 + random.nextInt(9000));
            frames.addAll(assembler.push(stream, off, n));
            off += n;
        }

        assertEquals(0, assembler.stats().garbageBytes());
        assertEquals(0, assembler.pendingBytes());
        assertTrue(frames.stream().allMatch(Frame::crcOk), "every C-computed CRC must match java.util.zip.CRC32");
        LinkedHashMap<String, Long> addresses = new LinkedHashMap<>();
        addresses.put("scx_root", 0xffff_ffff_8300_1000L);
        addresses.put("init_task", 0xffff_ffff_8260_0940L);
        List<WireMessage> expected = List.of(
                new WireMessage.SysReady(),
                new WireMessage.Lifecycle(LifecyclePhase.SCHEDULER_STARTING, "scx_qmap -e 50"),
                new WireMessage.KernelAddresses(addresses),
                new WireMessage.Lifecycle(LifecyclePhase.SCHEDULER_ENABLED, ""),
                new WireMessage.StepStarted(1, "cpu-bound ✓"),
                new WireMessage.Stdout("hello\n"),
                new WireMessage.Stderr("warn: x"),
                new WireMessage.SchedulerLog("sched_ext: BPF scheduler \"qmap\" disabled"),
                new WireMessage.SnapshotRequest(7, SnapshotRequestKind.CAPTURE, "snap"),
                new WireMessage.SchedulerExit(-9, 1025, "scx_bpf_error (injected)"));
        assertEquals(expected.size() + 3, frames.size());
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i), MessageCodec.decode(frames.get(i)).orElseThrow(), "frame " + i);
        }
        byte[] big = new byte[BIG_PAYLOAD];
        for (int i = 0; i < big.length; i++) big[i] = (byte) (i * 31);
        Frame bigFrame = frames.get(expected.size());
        assertEquals(MessageType.STDOUT.code(), bigFrame.typeCode());
        assertArrayEquals(big, bigFrame.payloadBytes());
        Frame unknown = frames.get(expected.size() + 1);
        assertEquals(0x0BAD_C0DE, unknown.typeCode());
        assertEquals("future", new String(unknown.payloadBytes(), StandardCharsets.US_ASCII));
        assertEquals(new WireMessage.Exit(0, ""), MessageCodec.decode(frames.getLast()).orElseThrow());
    }

    private static void run(Path dir, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "gcc timed out");
        assertEquals(0, p.exitValue(), () -> String.join(" ", command) + "\n" + output);
    }
}
