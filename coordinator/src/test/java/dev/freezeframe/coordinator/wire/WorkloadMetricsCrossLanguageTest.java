package dev.freezeframe.coordinator.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The guest's {@code ffwire_encode_workload_metrics} and the host's decoder agree: a C program built against
 * {@code ffwire.h} (with the same strict flags as the agent's other cross-language check) writes a WORKLOAD_METRICS
 * frame, and the Java side reads back exactly the samples it meant, u64 values beyond 2^32 included.
 */
class WorkloadMetricsCrossLanguageTest {
    private static final String PROGRAM = """
            #include "ffwire.h"

            int main(void)
            {
                static uint8_t buf[1024];
                struct ffwire_worker_sample w[2] = {
                    { FFWIRE_WORKER_CPU, 0, 5000000000ULL, 1, 2, 3, 4, 5, 6, 0 },
                    { FFWIRE_WORKER_LATENCY, 1, 1500, 10, 20, 1500, 1500, 0, 2, 0 },
                };
                struct ffwire_latency_summary l = { 1, 1500, 40000, 80000, 160000, 999999 };
                size_t len = ffwire_encode_workload_metrics(buf, sizeof buf, 3, 2000000123ULL, w, 2, &l, 1);
                if (len != FFWIRE_METRICS_HEADER_BYTES + 2 * FFWIRE_METRICS_WORKER_BYTES + FFWIRE_METRICS_LATENCY_BYTES)
                    return 10;
                if (ffwire_encode_workload_metrics(buf, 20, 3, 0, w, 2, &l, 1) != 0)
                    return 11; /* too small a buffer must be refused, not overrun */
                struct ffwire_out out = ffwire_out_fd(1);
                return ffwire_write_frame(&out, FFWIRE_MSG_WORKLOAD_METRICS, buf, len) == 0 ? 0 : 12;
            }
            """;

    @Test
    void aFrameEncodedByTheCHeaderDecodesToTheSamplesItHolds(@TempDir Path dir) throws Exception {
        byte[] stream = FfwireHeader.stdoutOfCProgram(dir, "metrics", PROGRAM);

        List<Frame> frames = new FrameAssembler().push(stream, 0, stream.length);
        assertEquals(1, frames.size());
        assertTrue(frames.getFirst().crcOk());
        assertEquals(new WireMessage.WorkloadMetrics(3, 2_000_000_123L, List.of(
                        new WireMessage.WorkerSample(WorkerRole.CPU, 0, 5_000_000_000L, 1, 2, 3, 4, 5, 6, 0),
                        new WireMessage.WorkerSample(WorkerRole.LATENCY, 1, 1500, 10, 20, 1500, 1500, 0, 2, 0)),
                        List.of(new WireMessage.LatencySummary(1, 1500, 40_000, 80_000, 160_000, 999_999))),
                MessageCodec.decode(frames.getFirst()).orElseThrow());
    }
}
