package dev.freezeframe.app.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.freezeframe.coordinator.model.RunConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

class ShellWordsTest {
    @Test
    void quotesOnlyWhatTheShellWouldTouch() {
        assertEquals("scx_qmap", ShellWords.quote("scx_qmap"));
        assertEquals("/tmp/a-b_c.json", ShellWords.quote("/tmp/a-b_c.json"));
        assertEquals("'-e 50'", ShellWords.quote("-e 50"));
        assertEquals("''", ShellWords.quote(""));
        assertEquals("'it'\\''s'", ShellWords.quote("it's"));
        assertEquals("'$HOME'", ShellWords.quote("$HOME"));
    }

    @Test
    void splitsLikeAShell() {
        assertEquals(List.of("run", "-e 50", "it's", "a\"b", "x y", "", "tab"),
                ShellWords.split("run '-e 50' it\\'s \"a\\\"b\" x\\ y '' \t tab  "));
        assertEquals(List.of("ab"), ShellWords.split("a\\\nb"), "a backslash-newline joins lines");
        assertThrows(IllegalArgumentException.class, () -> ShellWords.split("run 'open"));
        assertThrows(IllegalArgumentException.class, () -> ShellWords.split("run \"open"));
        assertThrows(IllegalArgumentException.class, () -> ShellWords.split("run \\"));
    }

    @Test
    void theCommandLineLeavesOutWhatIsTheDefaultOrEmpty() {
        RunConfig plain = new RunConfig("scx_simple", List.of(), "cpu", 1, 768, "kit", 0, List.of(), false);
        assertEquals("freezeframe run --scheduler scx_simple --scenario cpu --vcpus 1 --memory 768M",
                RunCommandLine.toCommandLine(plain));
        RunConfig full = new RunConfig("/opt/my sched", List.of("-e", "50"), "/tmp/s.json", 8, 4096,
                "/boot/vmlinuz-7.3", 3, List.of("total_forks", "jiffies_64:8"), true);
        assertEquals("freezeframe run --scheduler '/opt/my sched' --sched-args '-e 50' --scenario /tmp/s.json --vcpus 8"
                + " --memory 4G --kernel /boot/vmlinuz-7.3 --snapshots 3 --watch total_forks --watch jiffies_64:8"
                + " --freeze-on-enable", RunCommandLine.toCommandLine(full));
        RunConfig shipping = plain.withSwapsAndIncludes(List.of(), List.of(new RunConfig.IncludedFile("/b/tool", "tool"),
                new RunConfig.IncludedFile("/b/my tool", "t2"), new RunConfig.IncludedFile("/b/x:y", "xy")));
        assertEquals("freezeframe run --scheduler scx_simple --scenario cpu --vcpus 1 --memory 768M --include /b/tool"
                + " --include '/b/my tool:t2' --include /b/x:y:xy", RunCommandLine.toCommandLine(shipping),
                "a path with a colon is always named: the last colon splits PATH from NAME");
    }
}
