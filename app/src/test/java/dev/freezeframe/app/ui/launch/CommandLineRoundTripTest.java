package dev.freezeframe.app.ui.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freezeframe.app.AppDirs;
import dev.freezeframe.app.cli.CommandLines;
import dev.freezeframe.app.cli.FreezeframeCommand;
import dev.freezeframe.app.cli.RunCommand;
import dev.freezeframe.app.run.RunOptions;
import dev.freezeframe.app.run.ShellWords;
import dev.freezeframe.coordinator.model.RunConfig;
import dev.freezeframe.coordinator.scenario.ScenarioLoader;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Check L2: the command line the launch form shows asks for the same run. For a few hundred random valid forms, the
 * shown command is split as a shell would, parsed by the real {@code freezeframe run} (picocli, without running) and
 * checked by the same {@link RunOptions}; the config must equal the form's.
 */
class CommandLineRoundTripTest {
    private static final int FORMS = 300;
    private static final long SEED = 0x5eed_f0f0L;
    /** Words users put in scheduler arguments, including ones a shell or picocli would take for their own. */
    private static final List<String> ARG_WORDS = List.of("-e", "50", "-v", "-h", "--help", "--json", "--vcpus",
            "-s", "20000", "$HOME", "a'b", "\"q\"", "*", ";", "&&", "\\x", "é", "--slice-us=5000", "-p", "#c", "~",
            "`id`", "!", "(x)");
    private static final List<String> SYMBOLS = List.of("total_forks", "jiffies_64", "nr_threads", "max_pfn",
            "init_task", "scx_watchdog_timeout", "sysctl_sched_features", "_text", "a.b$c");

    @TempDir
    Path dir;

    private AppDirs dirs;
    private List<Path> schedulerFiles;
    private List<Path> kernelFiles;
    private List<Path> scenarioFiles;
    private List<Path> includeFiles;

    @BeforeEach
    void files() throws Exception {
        dirs = new AppDirs(dir.resolve("data"), dir.resolve("config"), dir.resolve("state"), dir.resolve("cache"));
        Path odd = Files.createDirectories(dir.resolve("with space/it's \"odd\" $dir"));
        schedulerFiles = new ArrayList<>();
        for (String name : List.of("scx_mine", "my sched", "sched'quote", "-dash")) {
            schedulerFiles.add(Files.writeString(odd.resolve(name), "#!/bin/sh\n"));
        }
        kernelFiles = new ArrayList<>();
        for (String name : List.of("bzImage", "vmlinuz 7.3", "kernel$(x)")) {
            kernelFiles.add(Files.write(odd.resolve(name), bzImageHeader()));
        }
        includeFiles = new ArrayList<>();
        for (String name : List.of("tool", "my tool.sh", "x:y.sh", "-bench")) {
            includeFiles.add(Files.writeString(odd.resolve(name), "#!/bin/sh\nexit 0\n"));
        }
        scenarioFiles = new ArrayList<>();
        for (String name : List.of("mine.json", "two words.json")) {
            scenarioFiles.add(Files.writeString(odd.resolve(name), """
                    {"schema": 1, "name": "mine", "steps": [
                      {"name": "spin", "duration_ms": 700, "workload": {"kind": "cpu", "workers": 1}}]}"""));
        }
    }

    @Test
    void randomValidFormsParseBackToTheSameConfig() {
        Random random = new Random(SEED);
        LaunchFormModel model = new LaunchFormModel(LaunchChoices.DEFAULTS, new FakeKit(true).model(Runnable::run),
                dirs.defaultArchive(), dirs.defaultArchive(), choices -> { });
        // one parser for all forms, as picocli resets every option before each parse (a leftover would fail here)
        CommandLine cli = CommandLines.create(dirs);
        for (int i = 0; i < FORMS; i++) {
            fillRandomly(model, random);
            RunConfig shown = model.configProperty().get();
            assertNotNull(shown, "form " + i + " should be valid: " + model.startBlockedByProperty().get());
            String line = model.commandLineProperty().get();
            List<String> words = ShellWords.split(line);
            assertEquals("freezeframe", words.getFirst(), line);

            CommandLine.ParseResult parsed = cli.parseArgs(words.subList(1, words.size()).toArray(String[]::new));
            RunCommand run = (RunCommand) parsed.subcommand().commandSpec().userObject();
            RunConfig back = run.options().checked(RunOptions.kitSchedulers(Optional.empty())).config();
            assertEquals(shown, back, "form " + i + ": " + line);
            Path archive = ((FreezeframeCommand) cli.getCommand()).archivePath();
            assertEquals(model.archiveProperty().get(), archive, "form " + i + ": " + line);
        }
    }

    /** What {@link ShellWords} quotes, a real POSIX shell reads back word for word. */
    @Test
    void aRealShellReadsTheQuotedWordsBack() throws Exception {
        Path sh = Path.of("/bin/sh");
        if (!Files.isExecutable(sh)) return;
        Random random = new Random(SEED + 1);
        List<String> words = new ArrayList<>(ARG_WORDS);
        schedulerFiles.forEach(p -> words.add(p.toString()));
        for (int i = 0; i < 20; i++) words.add(randomText(random));
        // printf prints each word NUL-terminated: exactly the words the shell made of the line
        Process p = new ProcessBuilder(sh.toString(), "-c", "printf '%s\\0' " + ShellWords.join(words))
                .redirectErrorStream(true).start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        p.getInputStream().transferTo(out);
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        String printed = out.toString(StandardCharsets.UTF_8);
        assertEquals(words, Arrays.asList(printed.substring(0, printed.length() - 1).split("\0", -1)));
        assertEquals(words, ShellWords.split(ShellWords.join(words)), "and so does ShellWords.split");
    }

    private void fillRandomly(LaunchFormModel model, Random random) {
        model.setScheduler(random.nextInt(3) == 0 ? pick(random, schedulerFiles).toString()
                : pick(random, List.of("scx_simple", "scx_qmap", "scx_central")));
        List<String> args = new ArrayList<>();
        for (int n = random.nextInt(4); n > 0; n--) args.add(pick(random, ARG_WORDS));
        String separator = random.nextBoolean() ? " " : "  \t";
        model.setSchedulerArgs((random.nextBoolean() ? " " : "") + String.join(separator, args));
        model.setScenario(random.nextInt(4) == 0 ? pick(random, scenarioFiles).toString()
                : pick(random, ScenarioLoader.BUILT_INS));
        model.setVcpus(2 + random.nextInt(RunOptions.MAX_VCPUS - 1)); // the isolation built-in pins work to CPU 1
        model.setMemory(randomMemory(random));
        if (random.nextInt(3) == 0) {
            model.setKernelPath(pick(random, kernelFiles).toString());
        } else {
            model.setKernelSource(LaunchFormModel.KernelSource.KIT);
        }
        model.setSnapshots(random.nextInt(4) == 0 ? random.nextInt(RunOptions.MAX_SNAPSHOTS + 1) : random.nextInt(12));
        while (!model.watches().isEmpty()) model.removeWatch(0);
        for (int n = random.nextInt(4); n > 0; n--) {
            model.setWatchEntry(randomWatch(random));
            assertTrue(model.addWatch(), model.watchEntryProblemProperty().get());
        }
        model.setFreezeOnEnable(random.nextBoolean());
        while (!model.includes().isEmpty()) model.removeInclude(0);
        for (int n = random.nextInt(4); n > 0; n--) {
            Path file = pick(random, includeFiles);
            String own = file.getFileName().toString();
            // a name the guest can take as it is may go without :NAME; the others are named
            boolean plain = own.matches("[A-Za-z0-9_.-]+") && random.nextBoolean();
            model.setIncludeEntry(plain ? file.toString() : file + ":f" + n + "." + random.nextInt(100));
            boolean added = model.addInclude();
            assertTrue(added, model.includeEntryProblemProperty().get());
            if (!model.problemProperty(dev.freezeframe.app.run.RunOption.INCLUDES).get().isEmpty()) {
                model.removeInclude(model.includes().size() - 1); // the same name twice: keep the form valid
            }
        }
        model.setArchive(random.nextInt(4) == 0 ? dir.resolve("runs " + random.nextInt(3) + ".db")
                : dirs.defaultArchive());
    }

    private static String randomMemory(Random random) {
        return switch (random.nextInt(5)) {
            case 0 -> (1 + random.nextInt(64)) + "G";
            case 1 -> (RunOptions.MIN_MEMORY_MIB + random.nextInt(8000)) + "M";
            case 2 -> (1 + random.nextInt(16)) + "GiB";
            case 3 -> Integer.toString(RunOptions.MIN_MEMORY_MIB + random.nextInt(4000));
            default -> (RunOptions.MIN_MEMORY_MIB + random.nextInt(4000)) + " MiB";
        };
    }

    private static String randomWatch(Random random) {
        StringBuilder w = new StringBuilder(pick(random, SYMBOLS));
        switch (random.nextInt(4)) {
            case 0 -> w.append("+0x").append(Integer.toHexString(random.nextInt(0x1000)));
            case 1 -> w.append('+').append(random.nextInt(4096));
            default -> { }
        }
        if (random.nextBoolean()) w.append(':').append(pick(random, List.of("1", "2", "4", "8")));
        if (random.nextInt(3) == 0) w.append(':').append(pick(random, List.of("write", "read", "access", "READ")));
        return w.toString();
    }

    private static String randomText(Random random) {
        String alphabet = "abc XYZ-_'\"$`\\!*?;&|<>(){}[]#~=%,.:/@é\t";
        StringBuilder s = new StringBuilder();
        for (int n = 1 + random.nextInt(12); n > 0; n--) s.append(alphabet.charAt(random.nextInt(alphabet.length())));
        return s.toString();
    }

    private static <T> T pick(Random random, List<T> from) {
        return from.get(random.nextInt(from.size()));
    }

    /** The setup header {@code BzImage.read} checks: enough for the form and the command to accept the file. */
    private static byte[] bzImageHeader() {
        ByteBuffer b = ByteBuffer.allocate(0x1000).order(ByteOrder.LITTLE_ENDIAN);
        b.put(0x1f1, (byte) 1);
        b.putInt(0x202, 0x53726448);
        b.putShort(0x206, (short) 0x020f);
        b.putInt(0x248, 0x10);
        b.putInt(0x24c, 0x20);
        return b.array();
    }
}
