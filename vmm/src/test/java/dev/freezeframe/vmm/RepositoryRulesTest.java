package dev.freezeframe.vmm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Issue 12's rules checked over the whole repository, from the module's parent folder: the README, docs and code
 * comments never point outside it (the design notes they relied on live in docs/), no test draws randomness that a
 * rerun cannot repeat (fuzz seeds are fixed by default, FuzzSeed), and every wait has a deadline.
 */
class RepositoryRulesTest {
    private static final Set<String> TEXT = Set.of(".java", ".md", ".c", ".h", ".sh", ".xml", ".properties", ".css");
    // spelled in two pieces so this file does not match itself
    private static final List<String> OUTSIDE = List.of("../" + "shared", "DESIGN" + ".md");

    @Test
    void nothingPointsOutsideTheRepository() throws IOException {
        Path root = Path.of("..").toAbsolutePath().normalize();
        assertTrue(Files.isRegularFile(root.resolve("README.md")), "the repository root: " + root);
        List<String> found = new ArrayList<>();
        try (var files = Files.walk(root)) {
            files.filter(Files::isRegularFile)
                    .filter(p -> TEXT.stream().anyMatch(p.getFileName().toString()::endsWith)
                            || p.getFileName().toString().equals("freezeframe")
                            || p.getFileName().toString().equals("run-tests"))
                    .filter(p -> !root.relativize(p).toString().matches("(.*/)?(target|\\.git|node_modules)/.*"))
                    .forEach(p -> {
                        try {
                            String text = Files.readString(p);
                            for (String ref : OUTSIDE) {
                                if (text.contains(ref)) found.add(root.relativize(p) + " mentions " + ref);
                            }
                        } catch (java.nio.charset.MalformedInputException binary) {
                            // not text after all
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    });
        }
        assertEquals(List.of(), found);
    }

    @Test
    void everyTestsRandomnessIsSeededSoAFailureReproduces() throws IOException {
        Path root = Path.of("..").toAbsolutePath().normalize();
        List<String> unseeded = new ArrayList<>();
        try (var files = Files.walk(root)) {
            for (Path p : files.filter(f -> f.toString().endsWith(".java") && f.toString().contains("/src/test/"))
                    .filter(f -> !f.toString().contains("/target/")).toList()) {
                List<String> lines = Files.readAllLines(p);
                for (int i = 0; i < lines.size(); i++) {
                    String line = lines.get(i);
                    boolean clockSeed = line.toLowerCase(java.util.Locale.ROOT).contains("seed")
                            && (line.contains("nanoTime()") || line.contains("currentTimeMillis()"));
                    boolean unseededSource = line.contains("new Random()") || line.contains("ThreadLocalRandom")
                            || line.contains("Math.random(") || line.contains("new SplittableRandom()");
                    if ((clockSeed || unseededSource) && !p.endsWith("RepositoryRulesTest.java")) {
                        unseeded.add(root.relativize(p) + ":" + (i + 1) + ": " + line.strip());
                    }
                }
            }
        }
        assertEquals(List.of(), unseeded);
    }

    /**
     * Waits that block without a deadline, as written in Java: a latch's, condition's or barrier's {@code await()}, a
     * process's {@code waitFor()}, a thread's or future's {@code join()}, a queue's {@code take()}, a future's
     * {@code get()} (receivers named {@code *future}, {@code outcome()} or {@code exit()}; {@code Optional.get()} and
     * the like are not waits). Each takes a timeout instead; a wait that must not have one (a watcher thread that lives
     * as long as its process, a window open until the user closes it) says why in a {@code no deadline:} comment on its
     * line or the line before.
     */
    private static final List<Pattern> UNBOUNDED_WAITS = List.of(Pattern.compile("\\.await\\(\\)"),
            Pattern.compile("\\.waitFor\\(\\)"), Pattern.compile("\\.join\\(\\)"), Pattern.compile("\\.take\\(\\)"),
            Pattern.compile("(?i)(future|outcome\\(\\)|exit\\(\\))\\.get\\(\\)"));
    private static final Pattern STRING_LITERAL = Pattern.compile("\"(?:\\\\.|[^\"\\\\])*\"");
    private static final String EXEMPT = "no deadline" + ":"; // in two pieces so this file's own text is no exemption

    /** The lines of one Java source with a wait that has no deadline, as {@code path:line: text}. */
    static List<String> unboundedWaits(String path, List<String> lines) {
        List<String> found = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String code = STRING_LITERAL.matcher(lines.get(i)).replaceAll("\"\"");
            int comment = code.indexOf("//");
            if (comment >= 0) code = code.substring(0, comment);
            String finalCode = code;
            if (UNBOUNDED_WAITS.stream().noneMatch(p -> p.matcher(finalCode).find())) continue;
            boolean exempt = lines.get(i).contains(EXEMPT) || i > 0 && lines.get(i - 1).contains(EXEMPT);
            if (!exempt) found.add(path + ":" + (i + 1) + ": " + lines.get(i).strip());
        }
        return found;
    }

    @Test
    void everyWaitInTestAndMainCodeHasADeadline() throws IOException {
        Path root = Path.of("..").toAbsolutePath().normalize();
        List<String> found = new ArrayList<>();
        try (var files = Files.walk(root)) {
            for (Path p : files.filter(f -> f.toString().endsWith(".java"))
                    .filter(f -> f.toString().contains("/src/test/") || f.toString().contains("/src/main/"))
                    .filter(f -> !f.toString().contains("/target/") && !f.toString().contains("/bench/src/"))
                    .filter(f -> !f.endsWith("RepositoryRulesTest.java"))
                    .toList()) {
                found.addAll(unboundedWaits(root.relativize(p).toString(), Files.readAllLines(p)));
            }
        }
        assertEquals(List.of(), found);
    }

    @Test
    void theWaitRuleFindsPlantedUnboundedWaitsAndPassesBoundedOnes() {
        List<String> planted = List.of(
                "latch.await();",
                "int code = gcc.waitFor();",
                "reader.join();",
                "Frame next = queue.take();",
                "RunOutcome o = loop.outcome().get();",
                "VmExit e = vm.exit().get();",
                "return pendingFuture.get();");
        List<String> bounded = List.of(
                "assertTrue(latch.await(60, TimeUnit.SECONDS));",
                "assertTrue(gcc.waitFor(120, TimeUnit.SECONDS));",
                "reader.join(Duration.ofSeconds(5));",
                "Frame next = queue.poll(1, TimeUnit.SECONDS);",
                "RunOutcome o = loop.outcome().get(60, TimeUnit.SECONDS);",
                "String name = optional.get();",
                "String all = String.join(\", \", parts);",
                "log(\"call latch.await() here\"); // or thread.join()",
                "// no deadline" + ": the watcher lives as long as QEMU",
                "process.waitFor();",
                "closed.await(); // no deadline" + ": open until the user closes the window");
        assertEquals(planted.size(), unboundedWaits("Planted.java", planted).size(),
                () -> "found: " + unboundedWaits("Planted.java", planted));
        assertEquals(List.of("Planted.java:3: reader.join();"), unboundedWaits("Planted.java", planted).subList(2, 3));
        assertEquals(List.of(), unboundedWaits("Bounded.java", bounded));
    }
}
