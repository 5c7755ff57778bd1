package dev.freezeframe.coordinator.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
 * A real cross-language check, both directions. A small C program built against {@code ffwire.h} writes the
 * dialogue's frames to stdout — through an fd sink and through a gather-write sink like the shared-memory ring's — and
 * the Java assembler and codec must read back exactly what it meant, with every CRC good. Java also writes
 * host-to-guest frames (snapshot replies, one torn, one malformed; a fork's plan updates, one with an unknown mode) to its stdin; the C reader reports what it saw.
 */
class FfwireCrossLanguageTest {
    private static final int BIG_PAYLOAD = 200_000;

    private static final String PROGRAM = """
            #include "ffwire.h"
            #include <stdio.h>

            static unsigned char big[FFWIRE_MAX_PAYLOAD + 1];

            /* A gather-write sink like the shared-memory ring's: collects frames, flushed to stdout at the end. */
            struct collect { unsigned char bytes[4096]; size_t len; };

            static int collect_writev(void *ctx, struct iovec *iov, int n)
            {
                struct collect *c = ctx;
                for (int i = 0; i < n; i++) {
                    if (iov[i].iov_len > sizeof c->bytes - c->len) { errno = ENOSPC; return -1; }
                    memcpy(c->bytes + c->len, iov[i].iov_base, iov[i].iov_len);
                    c->len += iov[i].iov_len;
                }
                return 0;
            }

            /* host -> guest: read frames from stdin, answer each with a STDOUT line describing it */
            static int echo_host_frames(const struct ffwire_out *out)
            {
                static unsigned char in[65536];
                size_t have = 0, off = 0;
                ssize_t n;
                while ((n = read(0, in + have, sizeof in - have)) > 0) have += (size_t)n;
                while (have - off >= FFWIRE_HEADER_SIZE) {
                    struct ffwire_header h;
                    char line[128];
                    if (ffwire_read_header(in + off, &h) != 0 || h.length > have - off - FFWIRE_HEADER_SIZE) return 20;
                    const unsigned char *payload = in + off + FFWIRE_HEADER_SIZE;
                    uint32_t id, status, mode, text_len;
                    const char *text;
                    if (ffwire_crc32(payload, h.length) != h.crc32)
                        snprintf(line, sizeof line, "type=%08x crc=bad", h.type);
                    else if (h.type == FFWIRE_MSG_SNAPSHOT_REPLY && ffwire_decode_snapshot_reply(payload, h.length, &id, &status) == 0)
                        snprintf(line, sizeof line, "reply id=%u status=%u", id, status);
                    else if (h.type == FFWIRE_MSG_PLAN_UPDATE
                             && ffwire_decode_plan_update(payload, h.length, &mode, &text, &text_len) == 0)
                        snprintf(line, sizeof line, "plan %s text=%.*s",
                                 mode == FFWIRE_PLAN_REPLACE ? "replace" : mode == FFWIRE_PLAN_CONTINUE ? "continue" : "?",
                                 (int)text_len, text);
                    else
                        snprintf(line, sizeof line, "type=%08x undecodable", h.type);
                    if (ffwire_send_text(out, FFWIRE_MSG_STDOUT, line, strlen(line)) != 0) return 21;
                    off += FFWIRE_HEADER_SIZE + h.length;
                }
                return off == have ? 0 : 22;
            }

            #define CHECK(x) do { if ((x) != 0) { perror(#x); return 2; } } while (0)

            int main(void)
            {
                struct ffwire_out out = ffwire_out_fd(1);
                struct collect collected = { .len = 0 };
                struct ffwire_out ring = ffwire_out_fn(collect_writev, &collected);
                uint8_t hdr[FFWIRE_HEADER_SIZE] = {0};
                struct ffwire_header h;

                if (ffwire_crc32("123456789", 9) != 0xCBF43926u) return 10;
                if (ffwire_crc32_update(ffwire_crc32_update(0, "1234", 4), "56789", 5) != 0xCBF43926u) return 11;
                /* refused before anything is written */
                if (ffwire_write_frame(&out, FFWIRE_MSG_STDOUT, big, sizeof big) != -1 || errno != EMSGSIZE) return 12;
                if (ffwire_send_snapshot_request(&out, 1, FFWIRE_SNAPSHOT_KIND_CAPTURE,
                        "0123456789012345678901234567890123456789012345678901234567890123X") != -1) return 13;
                if (ffwire_send_text(&out, FFWIRE_MSG_EXIT, "x", 1) != -1 || errno != EINVAL) return 14;
                if (ffwire_read_header(hdr, &h) != -1) return 16; /* type 0: zero-filled memory */

                struct ffwire_kaddrs k;
                ffwire_kaddrs_init(&k);
                CHECK(ffwire_kaddrs_add(&k, "scx_root", 0xffffffff83001000ull));
                CHECK(ffwire_kaddrs_add(&k, "init_task", 0xffffffff82600940ull));
                if (ffwire_kaddrs_add(&k, "has space", 1) != -1 || errno != EINVAL) return 15;

                CHECK(ffwire_send_sys_rdy(&out));
                CHECK(ffwire_send_lifecycle(&out, FFWIRE_PHASE_SCHEDULER_STARTING, "scx_qmap -e 50"));
                CHECK(ffwire_send_kaddrs(&out, &k));
                CHECK(ffwire_send_lifecycle(&ring, FFWIRE_PHASE_SCHEDULER_ENABLED, NULL));
                CHECK(ffwire_send_step(&ring, 1, "cpu-bound \\xe2\\x9c\\x93"));
                CHECK(ffwire_writev_all(1, &(struct iovec){ .iov_base = collected.bytes, .iov_len = collected.len }, 1));
                CHECK(ffwire_send_text(&out, FFWIRE_MSG_STDOUT, "hello\\n", 6));
                CHECK(ffwire_send_text(&out, FFWIRE_MSG_STDERR, "warn: x", 7));
                CHECK(ffwire_send_text(&out, FFWIRE_MSG_SCHED_LOG, "sched_ext: BPF scheduler \\"qmap\\" disabled", 40));
                CHECK(ffwire_send_snapshot_request(&out, 7, FFWIRE_SNAPSHOT_KIND_CAPTURE, "snap"));
                CHECK(ffwire_send_sched_exit(&out, -9, 1025, "scx_bpf_error (injected)"));
                for (size_t i = 0; i < BIG_PAYLOAD; i++) big[i] = (unsigned char)(i * 31u);
                CHECK(ffwire_write_frame(&out, FFWIRE_MSG_STDOUT, big, BIG_PAYLOAD));
                CHECK(ffwire_write_frame(&out, 0x0BADC0DEu, "future", 6));
                int echoed = echo_host_frames(&out);
                if (echoed != 0) return echoed;
                CHECK(ffwire_send_exit(&out, 0, NULL));
                return 0;
            }
            """.replace("BIG_PAYLOAD", Integer.toString(BIG_PAYLOAD));

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
        dev.freezeframe.coordinator.Prerequisites.require(gccAvailable, "gcc, needed to build the guest-side test program, "
                + "is not installed", "install gcc");
        Path source = dir.resolve("emit.c");
        Files.writeString(source, PROGRAM);
        Path binary = dir.resolve("emit");
        run(dir, "gcc", "-std=c11", "-Wall", "-Wextra", "-Wpedantic", "-Wconversion", "-Werror", "-O2",
                "-I" + FfwireHeader.path().getParent(), source.toString(), "-o", binary.toString());

        Process emit = new ProcessBuilder(binary.toString()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] torn = FrameEncoder.encode(new WireMessage.SnapshotReply(8, SnapshotStatus.TAKEN));
        torn[FrameHeader.SIZE] ^= 1;
        try (var toGuest = emit.getOutputStream()) {
            toGuest.write(FrameEncoder.encode(new WireMessage.SnapshotReply(7, SnapshotStatus.TAKEN)));
            toGuest.write(torn);
            toGuest.write(FrameEncoder.encode(new WireMessage.SnapshotReply(9, SnapshotStatus.FAILED)));
            toGuest.write(FrameEncoder.encode(MessageType.SNAPSHOT_REPLY, new byte[3]));
            toGuest.write(FrameEncoder.encode(new WireMessage.PlanUpdate(PlanUpdateMode.CONTINUE, "seed ab")));
            toGuest.write(FrameEncoder.encode(new WireMessage.PlanUpdate(PlanUpdateMode.REPLACE, "plan 2\nend\n")));
            toGuest.write(FrameEncoder.encode(MessageType.PLAN_UPDATE, new byte[] {2, 0, 0, 0, 'x'}));
        }
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
        assertEquals(expected.size() + 10, frames.size());
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
        List<WireMessage> echoes = frames.subList(expected.size() + 2, expected.size() + 9).stream()
                .map(f -> MessageCodec.decode(f).orElseThrow()).toList();
        assertEquals(List.of(new WireMessage.Stdout("reply id=7 status=0"), new WireMessage.Stdout("type=4646000b crc=bad"),
                new WireMessage.Stdout("reply id=9 status=2"), new WireMessage.Stdout("type=4646000b undecodable"),
                new WireMessage.Stdout("plan continue text=seed ab"),
                new WireMessage.Stdout("plan replace text=plan 2\nend\n"),
                new WireMessage.Stdout("type=46460012 undecodable")),
                echoes, "the guest's reader must see Java's host-to-guest frames as Java meant them");
        assertEquals(new WireMessage.Exit(0, ""), MessageCodec.decode(frames.getLast()).orElseThrow());
    }

    private static void run(Path dir, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "gcc timed out");
        assertEquals(0, p.exitValue(), () -> String.join(" ", command) + "\n" + output);
    }
}
