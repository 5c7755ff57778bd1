package dev.freezeframe.vmm.kit;

import dev.freezeframe.vmm.testing.Prerequisites;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Boots the cached guest kit under QEMU TCG with 2 vCPUs and checks, from what the guest agent printed, that the kernel
 * is the kit's, both CPUs are online, sched_ext is there, and that scx_simple, scx_qmap and scx_central each get
 * enabled, show up in {@code root/ops} and unload cleanly.
 *
 * <p>Needs a built kit ({@code freezeframe kit build}). Without one the test is skipped — except under CI
 * ({@code CI} set), where a missing kit is a failure.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KitBootIT {
    /** Scheduler → the name its BPF ops register under (what {@code root/ops} shows). */
    static final Map<String, String> EXPECTED_OPS = Map.of("scx_simple", "simple", "scx_qmap", "qmap",
            "scx_central", "central");
    /** TCG is slow and the machine may be shared; the boot itself takes ~5 s, each scheduler ~5-10 s. */
    static final long TIMEOUT_SECONDS = 300;
    static final int LOAD_SECONDS = 3;

    Kit kit;
    List<String> console;
    List<Map<String, String>> facts;
    int qemuExit;

    @BeforeAll
    void bootTheKit(@TempDir Path tmp) throws Exception {
        KitCache cache = KitCache.defaultCache();
        Optional<Kit> current = cache.current();
        if (current.isEmpty() || !KitBuilder.isComplete(current.get())) {
            String why = current.isEmpty() ? "no guest kit in " + cache.root()
                    : "the guest kit in " + current.get().dir() + " is incomplete: " + KitBuilder.problems(current.get());
            Prerequisites.require(false, why, "run `freezeframe kit build`");
        }
        kit = current.get();
        List<String> commands = new ArrayList<>();
        for (String s : List.of("scx_simple", "scx_qmap", "scx_central")) {
            commands.add("sched-check " + LOAD_SECONDS + " " + kit.schedulers().get(s));
        }
        Path initrd = tmp.resolve("initrd");
        Initramfs.concat(kit.baseInitramfs(), Initramfs.perRunArchive(commands, Map.of()), initrd);
        Path log = tmp.resolve("console.log");
        qemuExit = boot(kit, initrd, log);
        console = Files.readAllLines(log, StandardCharsets.ISO_8859_1);
        facts = parseFacts(console);
        System.out.println("guest console (" + console.size() + " lines): " + log);
        console.stream().filter(l -> l.startsWith("FFAGENT ")).forEach(System.out::println);
    }

    /** Starts QEMU directly; the QEMU backend proper belongs to the vmm backends, not to the kit. */
    static int boot(Kit kit, Path initrd, Path consoleLog) throws IOException, InterruptedException {
        Path binary = dev.freezeframe.vmm.qemu.QemuBackend.locateQemu();
        List<String> cmd = new ArrayList<>(List.of(binary.toString()));
        // TCG threads as the backend picks them (multi-threaded from QEMU 10, single on older QEMU)
        cmd.addAll(dev.freezeframe.vmm.qemu.QemuCommandLine.acceleratorOptions(dev.freezeframe.vmm.Accelerator.TCG, binary));
        cmd.addAll(List.of("-smp", "2", "-m", "1G", "-nographic", "-no-reboot", "-nodefaults", "-serial", "stdio",
                "-monitor", "none", "-kernel", kit.bzImage().toString(), "-initrd", initrd.toString(),
                "-append", GuestContract.KERNEL_CMDLINE));
        Process qemu = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(consoleLog.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE).start();
        if (!qemu.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            qemu.destroyForcibly().waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
            fail("the guest did not power off within " + TIMEOUT_SECONDS + " s; console in " + consoleLog + ":\n"
                    + tail(consoleLog));
        }
        return qemu.exitValue();
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log, StandardCharsets.ISO_8859_1);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    /** Each {@code FFAGENT event k=v ...} line as a map with the event under {@code "event"}; values %XX-decoded. */
    static List<Map<String, String>> parseFacts(List<String> console) {
        List<Map<String, String>> facts = new ArrayList<>();
        for (String line : console) {
            int at = line.indexOf("FFAGENT ");
            if (at < 0) {
                continue;
            }
            String[] words = line.substring(at).strip().split(" ");
            Map<String, String> fact = new LinkedHashMap<>();
            fact.put("event", words.length > 1 ? words[1] : "");
            for (int i = 2; i < words.length; i++) {
                int eq = words[i].indexOf('=');
                if (eq > 0) {
                    fact.put(words[i].substring(0, eq),
                            URLDecoder.decode(words[i].substring(eq + 1).replace("+", "%2B"), StandardCharsets.UTF_8));
                }
            }
            facts.add(fact);
        }
        return facts;
    }

    private Map<String, String> only(String event) {
        List<Map<String, String>> matching = facts.stream().filter(f -> f.get("event").equals(event)).toList();
        assertEquals(1, matching.size(), "expected one '" + event + "' line, got " + matching + "\n" + String.join("\n", console));
        return matching.getFirst();
    }

    private Map<String, String> result(String scheduler) {
        return facts.stream().filter(f -> f.get("event").equals("sched-result") && scheduler.equals(f.get("name")))
                .findFirst().orElseThrow(() -> new AssertionError("no sched-result for " + scheduler + "\n"
                        + String.join("\n", console)));
    }

    @Test
    void guestRunsTheKitKernel() {
        assertEquals(kit.kernelVersion(), only("boot").get("kernel"));
    }

    @Test
    void twoCpusAreOnline() {
        Map<String, String> boot = only("boot");
        assertEquals("0-1", boot.get("cpus_online"));
        assertEquals("2", boot.get("ncpus"));
    }

    @Test
    void schedExtIsPresent() {
        Map<String, String> schedExt = only("sched_ext");
        assertEquals("1", schedExt.get("present"));
        assertEquals("disabled", schedExt.get("state"));
    }

    @Test
    void scxSimpleEnablesAndUnloadsCleanly() {
        assertSchedulerRanCleanly("scx_simple");
    }

    @Test
    void scxQmapEnablesAndUnloadsCleanly() {
        assertSchedulerRanCleanly("scx_qmap");
    }

    @Test
    void scxCentralEnablesAndUnloadsCleanly() {
        assertSchedulerRanCleanly("scx_central");
    }

    @Test
    void guestPowersOffAfterItsCommands() {
        assertEquals("0", only("done").get("failed"));
        only("poweroff");
        assertEquals(0, qemuExit, "qemu exit code");
    }

    private void assertSchedulerRanCleanly(String scheduler) {
        Map<String, String> r = result(scheduler);
        String ops = EXPECTED_OPS.get(scheduler);
        assertEquals("1", r.get("enabled"), scheduler + " never reached state 'enabled': " + r);
        assertEquals(ops, r.get("ops"), scheduler + " root/ops: " + r);
        assertTrue(facts.stream().anyMatch(f -> f.get("event").equals("sched-running") && scheduler.equals(f.get("name"))
                && "enabled".equals(f.get("state")) && ops.equals(f.get("ops"))),
                scheduler + " did not stay enabled under load");
        assertEquals("exited", r.get("how"), scheduler + ": " + r);
        assertEquals("0", r.get("code"), scheduler + " exit code: " + r);
        assertEquals("disabled", r.get("final_state"), scheduler + ": " + r);
        assertEquals("unregistered from user space", r.get("reason"), scheduler + " unload reason: " + r);
        assertEquals("1", r.get("clean"), scheduler + ": " + r);
    }
}
