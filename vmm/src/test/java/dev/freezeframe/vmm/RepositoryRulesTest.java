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
import org.junit.jupiter.api.Test;

/**
 * Issue 12's rules checked over the whole repository, from the module's parent folder: the README, docs and code
 * comments never point outside it (the design notes they relied on live in docs/), and no test draws randomness that a
 * rerun cannot repeat (fuzz seeds are fixed by default, FuzzSeed).
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
}
