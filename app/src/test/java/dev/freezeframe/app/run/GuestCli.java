package dev.freezeframe.app.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.freezeframe.app.AppDirs;
import dev.freezeframe.app.cli.CommandLines;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;

/**
 * The freezeframe command line run in-process for guest ITs: app directories and the archive in a test's directory, the
 * guest kit from the tests' cache.
 *
 * @param exit its exit code
 * @param out  what it printed on standard output
 * @param err  its progress and messages
 */
record GuestCli(int exit, String out, String err) {
    static GuestCli run(Path dir, String... args) {
        CommandLine cli = CommandLines.create(new AppDirs(dir.resolve("data"), dir.resolve("config"),
                dir.resolve("state"), GuestKitForTests.USER_DIRS.cacheDir()));
        StringWriter out = new StringWriter(), err = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--db", dir.resolve("archive.db").toString()));
        int exit = cli.execute(all.toArray(String[]::new));
        return new GuestCli(exit, out.toString(), err.toString());
    }

    /** The last line of the output, a {@code --json} result. */
    JsonNode lastJson() throws Exception {
        return new ObjectMapper().readTree(out.lines().reduce((a, b) -> b).orElseThrow());
    }

    /** A {@code run --json} result's metrics by {@code step/group/metric}. */
    static Map<String, Double> metrics(JsonNode run) {
        Map<String, Double> byKey = new HashMap<>();
        for (JsonNode m : run.get("metrics")) {
            byKey.put(m.get("step_name").asText() + "/" + m.get("group").asText() + "/" + m.get("metric").asText(),
                    m.get("value").asDouble());
        }
        return byKey;
    }
}
