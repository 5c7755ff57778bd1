package dev.freezeframe.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.freezeframe.coordinator.model.Lane;
import dev.freezeframe.coordinator.model.RunEvent;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** The lines `freezeframe run` prints while a run goes on. */
class RunProgressLineTest {

    private static String line(RunEvent event) {
        StringWriter out = new StringWriter();
        RunCommand.printProgress(new PrintWriter(out), event);
        return out.toString().strip();
    }

    @Test
    void aStepIsPrintedWithItsNumberAndAnExecsExitWithoutOne() {
        assertEquals("[   1.50s] steps      step 2 pingpong",
                line(new RunEvent(1, 1_500_000_000L, Lane.STEPS, "step", "pingpong", 2.0, null)));
        // the exit status is the event's value: "step 0 exec mo …" read as if the exec were a step numbered 0
        assertEquals("[   3.00s] steps      exec mo (step 1, worker 0) exited with code 0",
                line(new RunEvent(2, 3_000_000_000L, Lane.STEPS, "exec_exit",
                        "exec mo (step 1, worker 0) exited with code 0", 0.0, null)));
    }
}
