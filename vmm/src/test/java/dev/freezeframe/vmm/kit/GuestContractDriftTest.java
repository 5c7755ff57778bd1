package dev.freezeframe.vmm.kit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The guest agent's C copies of the guest contract agree with {@link GuestContract}: paths, the exit-kind table and
 * the error threshold. A change on one side without the other fails here, as the wire header's drift test does.
 */
class GuestContractDriftTest {
    private static final Path AGENT = Path.of("src/main/c/agent");

    private static String source(String file) throws IOException {
        return Files.readString(AGENT.resolve(file));
    }

    private static String define(String source, String name) {
        Matcher m = Pattern.compile("#define\\s+" + name + "\\s+\"([^\"]*)\"").matcher(source);
        assertTrue(m.find(), name + " is defined");
        return m.group(1);
    }

    @Test
    void theAgentsPathsAreTheContracts() throws IOException {
        assertEquals(GuestContract.COMMANDS_PATH, define(source("agent.c"), "DEFAULT_COMMANDS"));
        assertEquals(GuestContract.PLAN_PATH, define(source("agent.c"), "RUN_PLAN"));
        for (String file : List.of("ffa_run.c", "ffa_sched.c")) {
            assertEquals(GuestContract.SCHED_EXT_STATE, define(source(file), "STATE_PATH"), file);
            assertEquals(GuestContract.SCHED_EXT_OPS, define(source(file), "OPS_PATH"), file);
        }
    }

    @Test
    void theAgentsExitKindTableIsTheContracts() throws IOException {
        String run = source("ffa_run.c");
        Matcher table = Pattern.compile("EXIT_KINDS\\[\\]\\s*=\\s*\\{(.*?)\\};", Pattern.DOTALL).matcher(run);
        assertTrue(table.find(), "ffa_run.c has EXIT_KINDS");
        Map<String, Integer> kinds = new LinkedHashMap<>();
        Matcher entry = Pattern.compile("\\{\"([^\"]+)\",\\s*(\\d+)\\}").matcher(table.group(1));
        while (entry.find()) kinds.put(entry.group(1), Integer.parseInt(entry.group(2)));
        assertEquals(GuestContract.EXIT_KINDS, kinds);
    }

    /** Every place the agent tells an error exit from a clean one uses the contract's threshold. */
    @Test
    void theAgentsErrorThresholdIsTheContracts() throws IOException {
        List<Integer> thresholds = new ArrayList<>();
        for (String file : List.of("ffa_run.c", "ffa_sched.c", "ffa_report.c")) {
            Matcher m = Pattern.compile("exit_kind\\s*>=\\s*(\\d+)").matcher(source(file));
            while (m.find()) thresholds.add(Integer.parseInt(m.group(1)));
        }
        assertFalse(thresholds.isEmpty(), "the agent compares exit kinds somewhere");
        assertTrue(thresholds.stream().allMatch(t -> t == GuestContract.SCX_EXIT_ERROR), thresholds.toString());
        assertTrue(GuestContract.EXIT_KINDS.entrySet().stream()
                .allMatch(e -> (e.getValue() >= GuestContract.SCX_EXIT_ERROR) == e.getKey().matches(
                        "runtime error|scx_bpf_error|runnable task stall")), "the error kinds are the errors");
    }

    /**
     * A starved TCG guest misses the IO-APIC timer check's window and panics at boot ("IO-APIC + timer doesn't work",
     * 2 of 50 multi-threaded boots under load); the check is for broken board wiring QEMU does not have.
     */
    @Test
    void theKernelCommandLineSkipsTheTimerCheck() {
        assertTrue(List.of(GuestContract.KERNEL_CMDLINE.split(" ")).contains("no_timer_check"),
                GuestContract.KERNEL_CMDLINE);
    }

    /** The command line is spelled once: no other Java source or script in the repository repeats it. */
    @Test
    void theKernelCommandLineIsSpelledOnce() throws IOException {
        List<Path> repeats = new ArrayList<>();
        try (var files = Files.walk(Path.of(".."))) {
            files.filter(p -> p.toString().endsWith(".java") || p.toString().endsWith(".sh"))
                    .filter(p -> !p.toString().contains("/target/") && !p.endsWith("GuestContract.java"))
                    .forEach(p -> {
                        try {
                            if (Files.readString(p).contains("\"" + GuestContract.KERNEL_CMDLINE + "\"")) repeats.add(p);
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    });
        }
        assertEquals(List.of(), repeats);
    }
}
