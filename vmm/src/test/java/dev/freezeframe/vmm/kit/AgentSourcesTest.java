package dev.freezeframe.vmm.kit;

import dev.freezeframe.vmm.testing.Prerequisites;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentSourcesTest {
    private static final Path AGENT_DIR = Path.of(System.getProperty("user.dir"), "src/main/c/agent");

    @TempDir
    Path tmp;

    @Test
    void everySourceFileOfTheAgentIsShippedAndEveryIncludeResolves() throws IOException {
        List<String> onDisk;
        try (Stream<Path> files = Files.list(AGENT_DIR)) {
            onDisk = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".c") || n.endsWith(".h"))
                    .sorted().toList();
        }
        assertEquals(onDisk, KitBuilder.agentSources());
        Pattern include = Pattern.compile("^#include \"([^\"]+)\"", Pattern.MULTILINE);
        for (String name : KitBuilder.agentSources()) {
            Matcher m = include.matcher(new String(KitBuilder.agentSource(name), StandardCharsets.UTF_8));
            while (m.find()) {
                assertTrue(KitBuilder.agentSources().contains(m.group(1)), name + " includes " + m.group(1)
                        + ", which is not shipped");
            }
        }
    }

    /** Outside a guest (not PID 1) the agent touches nothing system-wide: it reports and exits. */
    @Test
    void agentBuildsStaticallyAndReportsStructuredLines() throws Exception {
        Prerequisites.require(Files.isExecutable(Path.of("/usr/bin/gcc")), "gcc is not installed", "install gcc");
        Path src = tmp.resolve("src");
        Files.createDirectories(src);
        List<String> cmd = new ArrayList<>(List.of("gcc", "-static", "-O2", "-Wall", "-Wextra", "-Werror",
                "-DFFA_VERSION=\"test\"", "-o", tmp.resolve("init").toString()));
        for (String name : KitBuilder.agentSources()) {
            Files.write(src.resolve(name), KitBuilder.agentSource(name));
            if (name.endsWith(".c")) {
                cmd.add(src.resolve(name).toString());
            }
        }
        cmd.addAll(KitBuilder.AGENT_LIBRARIES);
        Process gcc = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String gccOut = new String(gcc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        Prerequisites.require(!gccOut.contains("cannot find -lc"), "static libc is not installed", "install libc6-dev");
        assertTrue(gcc.waitFor(120, java.util.concurrent.TimeUnit.SECONDS), gccOut);
        assertEquals(0, gcc.exitValue(), gccOut);
        assertTrue(ElfInfo.read(tmp.resolve("init")).isStatic());

        Process agent = new ProcessBuilder(tmp.resolve("init").toString()).redirectErrorStream(true).start();
        List<String> lines = new String(agent.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        assertTrue(agent.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), "the agent ends");
        assertEquals(0, agent.exitValue());
        assertEquals(0, agent.exitValue(), lines.toString());
        assertEquals("FFAGENT agent version=test", lines.getFirst());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("FFAGENT boot kernel=") && l.contains(" ncpus=")), lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.matches("FFAGENT sched_ext present=[01].*")), lines.toString());
        assertTrue(lines.contains("FFAGENT done failed=0"), lines.toString());
        List<java.util.Map<String, String>> facts = KitBootIT.parseFacts(lines);
        assertEquals("commands", facts.get(3).get("event"));
        assertEquals("/run.d/commands", facts.get(3).get("path"));
    }
}
