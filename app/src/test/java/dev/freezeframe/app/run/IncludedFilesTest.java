package dev.freezeframe.app.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freezeframe.app.AppException;
import dev.freezeframe.coordinator.model.RunConfig;
import dev.freezeframe.coordinator.wire.WireMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.Inflater;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IncludedFilesTest {
    @TempDir
    Path dir;

    private Path script(String name) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, "#!/bin/sh\necho hello\n");
        return file;
    }

    private static String refusal(List<String> typed) {
        AppException e = assertThrows(AppException.class, () -> IncludedFiles.check(typed));
        assertTrue(e.isUsageError(), e.getMessage());
        return e.getMessage();
    }

    @Test
    void aScriptIsShippedUnderItsFileNameOrTheNameGiven() throws Exception {
        Path tool = script("tool.sh");
        assertEquals(List.of(new RunConfig.IncludedFile(tool.toString(), "tool.sh"),
                        new RunConfig.IncludedFile(tool.toString(), "other")),
                IncludedFiles.check(List.of(tool.toString(), tool + ":other")));
    }

    @Test
    void whatTheGuestCannotRunOrNameIsRefusedNamingTheOption() throws Exception {
        Path tool = script("tool.sh");
        assertTrue(refusal(List.of(dir.resolve("missing").toString())).contains("there is no file"));
        assertTrue(refusal(List.of(tool + ":bad/name")).contains("1-48 letters"));
        assertTrue(refusal(List.of(tool.toString(), tool.toString())).contains("shipped twice"));
        Path data = dir.resolve("data.bin");
        Files.write(data, new byte[] {1, 2, 3, 4, 5});
        assertTrue(refusal(List.of(data.toString())).contains("neither an ELF binary nor a #! script"));
        String dynamic = refusal(List.of("/usr/bin/true"));
        assertTrue(dynamic.startsWith("--include /usr/bin/true: ") && dynamic.contains("dynamically linked"), dynamic);
    }

    @Test
    void aTemplatesGuestGetsTheFileZlibCompressedWithItsSize() throws Exception {
        Path tool = script("tool.sh");
        WireMessage.IncludeFile message = IncludedFiles.message(new RunConfig.IncludedFile(tool.toString(), "t"));
        byte[] original = Files.readAllBytes(tool);
        assertEquals(original.length, message.size());
        Inflater inflater = new Inflater();
        inflater.setInput(message.compressed());
        byte[] back = new byte[original.length];
        assertEquals(original.length, inflater.inflate(back));
        assertTrue(inflater.finished());
        assertEquals(new String(original), new String(back));
    }

    @Test
    void aScenarioRunningAFileNoIncludeShipsIsRefusedBeforeBoot() throws Exception {
        Path scenario = dir.resolve("s.json");
        Files.writeString(scenario, """
                {"schema": 2, "name": "s", "steps": [{"name": "a", "duration_ms": 10, "workloads": [
                  {"kind": "exec", "workers": 1, "path": "tool"}]}]}""");
        RunOptions options = new RunOptions("scx_simple", "", scenario.toString(), 2, "1G", null, 0, List.of(), false,
                List.of(script("other").toString()));
        RunOptions.Invalid invalid = (RunOptions.Invalid) options.check(List.of("scx_simple"));
        String sentence = invalid.of(RunOption.SCENARIO).orElseThrow().sentence();
        assertTrue(sentence.contains("runs 'tool' (an exec workload's \"path\"), but no --include ships a file of that"
                + " name (shipped: other)"), sentence);
    }

    @Test
    void twoSwappedInBinariesWithOneFileNameAreRefusedBeforeBoot() throws Exception {
        Files.createDirectories(dir.resolve("a"));
        Files.createDirectories(dir.resolve("b"));
        Path one = script("a/sched"), two = script("b/sched");
        Path scenario = dir.resolve("s.json");
        Files.writeString(scenario, """
                {"schema": 2, "name": "s", "steps": [
                  {"name": "a", "duration_ms": 10, "actions": [{"swap_scheduler": "%s"}]},
                  {"name": "b", "duration_ms": 10, "actions": [{"swap_scheduler": "%s"}]}]}""".formatted(one, two));
        RunOptions options = new RunOptions("scx_simple", "", scenario.toString(), 2, "1G", null, 0, List.of(), false);
        RunOptions.Invalid invalid = (RunOptions.Invalid) options.check(List.of("scx_simple"));
        String sentence = invalid.of(RunOption.SCENARIO).orElseThrow().sentence();
        assertTrue(sentence.contains("step b: \"swap_scheduler\" " + two + " has the same file name as " + one),
                sentence);
    }
}
