package dev.freezeframe.coordinator.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The guest's {@code ffwire_send_exec_exit} and the host's decoder agree: a C program built against {@code ffwire.h}
 * (strict flags, as the other cross-language checks) writes EXEC_EXIT frames, and the Java side reads back what it
 * meant — an output longer than the limit arrives as its last 512 bytes.
 */
class ExecExitCrossLanguageTest {
    private static final String PROGRAM = """
            #include "ffwire.h"

            int main(void)
            {
                static char out[600];
                for (size_t i = 0; i < sizeof out; i++)
                    out[i] = (char)('a' + (char)(i % 26));
                struct ffwire_out o = ffwire_out_fd(1);
                if (ffwire_send_exec_exit(&o, 2, 0, FFWIRE_EXEC_STATE_EXITED, 7, "tool", out, sizeof out) != 0)
                    return 10;
                if (ffwire_send_exec_exit(&o, 2, 1, FFWIRE_EXEC_STATE_RUNNING, 0, "tool", "", 0) != 0)
                    return 11;
                if (ffwire_send_exec_exit(&o, 2, 1, 9, 0, "tool", "", 0) != -1 || errno != EINVAL)
                    return 12; /* an unknown state is refused */
                return 0;
            }
            """;

    @Test
    void framesSentByTheCHeaderDecodeToWhatTheyMeant(@TempDir Path dir) throws Exception {
        byte[] stream = FfwireHeader.stdoutOfCProgram(dir, "exec", PROGRAM);

        List<Frame> frames = new FrameAssembler().push(stream, 0, stream.length);
        assertEquals(2, frames.size());
        StringBuilder all = new StringBuilder();
        for (int i = 0; i < 600; i++) all.append((char) ('a' + i % 26));
        assertEquals(new WireMessage.ExecExit(2, 0, ExecState.EXITED, 7, "tool", all.substring(600 - 512)),
                MessageCodec.decode(frames.get(0)).orElseThrow());
        assertEquals(new WireMessage.ExecExit(2, 1, ExecState.RUNNING, 0, "tool", ""),
                MessageCodec.decode(frames.get(1)).orElseThrow());
    }
}
