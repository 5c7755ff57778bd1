package dev.freezeframe.app.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freezeframe.app.AppDirs;
import dev.freezeframe.app.ui.run.RunTabView;
import dev.freezeframe.coordinator.model.RunConfig;
import dev.freezeframe.coordinator.model.SnapshotKind;
import dev.freezeframe.coordinator.model.SnapshotRecord;
import dev.freezeframe.coordinator.model.Verdict;
import dev.freezeframe.persistence.Archive;
import dev.freezeframe.persistence.EventIngest;
import dev.freezeframe.persistence.SnapshotInfo;
import dev.freezeframe.snapshots.model.FieldNode;
import dev.freezeframe.snapshots.model.SnapshotDiff;
import dev.freezeframe.snapshots.view.SnapshotViewer;
import dev.freezeframe.timeline.RunContext;
import dev.freezeframe.timeline.SeriesLane;
import dev.freezeframe.timeline.SeriesPoint;
import dev.freezeframe.timeline.TimeAxis;
import dev.freezeframe.timeline.TimelineSelection;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javafx.scene.control.TreeItem;
import javafx.scene.control.TreeTableColumn;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The snapshot viewer in a workbench run tab over an archive with known values: snapshot i (periodic_000…005, a watch
 * hit, periodic_006) holds {@code scx_qmap.bss:nr_enqueued = ENQUEUED[i]}, a per-CPU {@code stats} map over two CPUs
 * ({@code i} and {@code 2i}) that could not be read in periodic_004, and a hash {@code task_ctx} with keys 1,2 before
 * periodic_003 and 2,3 from it on; a failed capture comes last.
 */
@ExtendWith(ApplicationExtension.class)
class SnapshotViewerTest {
    static final long SECOND = 1_000_000_000L;
    static final long[] ENQUEUED = {0, 100, 200, 200, 300, 400, 450, 500};
    static final String[] TAGS = {"periodic_000", "periodic_001", "periodic_002", "periodic_003", "periodic_004",
            "periodic_005", "watch:total_forks", "periodic_006"};

    @TempDir
    Path dir;

    private Workbench workbench;
    private long runId;
    private Path db;

    @Start
    void start(Stage stage) {
        AppDirs dirs = new AppDirs(dir.resolve("data"), dir.resolve("config"), dir.resolve("state"), dir.resolve("cache"));
        db = dirs.defaultArchive();
        runId = write(db);
        workbench = new Workbench(dirs, "hint", (config, archive) -> {
            throw new IllegalStateException("no runs start in this test");
        }, ShellTest.VIEWS, w -> new javafx.scene.control.Label("launch form"));
        workbench.show(stage, dirs.defaultArchive());
    }

    static long write(Path file) {
        try (Archive archive = Archive.open(file)) {
            RunConfig config = new RunConfig("scx_qmap", List.of(), "cpu-pingpong", 2, 1024, "kit", 10, List.of());
            long id = archive.createRun(config, Instant.parse("2026-12-07T09:00:00Z"), Optional.of("7.3.4"));
            try (EventIngest ingest = archive.startIngest(id)) {
                for (int i = 0; i < TAGS.length; i++) {
                    SnapshotKind kind = TAGS[i].startsWith("watch") ? SnapshotKind.WATCH : SnapshotKind.PERIODIC;
                    ingest.append(new SnapshotRecord(TAGS[i], kind, (4 + i) * SECOND, Optional.of(i / 3), false,
                            Optional.empty(), report(ENQUEUED[i], i, i != 4, i < 3 ? new long[] {1, 2}
                            : new long[] {2, 3})));
                }
                ingest.append(SnapshotRecord.placeholder("manual_000", SnapshotKind.REQUESTED, 12 * SECOND,
                        Optional.of(2), "the guest did not stop within 2 s"));
                ingest.flush();
            }
            archive.finishRun(id, Verdict.PASSED, "scenario completed", Instant.parse("2026-12-07T09:00:13Z"));
            return id;
        }
    }

    private static String int64(long v) {
        return "{\"kind\":\"int\",\"type\":\"u64\",\"signed\":false,\"bits\":64,\"value\":" + v + "}";
    }

    static String report(long nrEnqueued, long i, boolean statsReadable, long[] keys) {
        List<String> hash = new ArrayList<>();
        for (long k : keys) {
            hash.add("{\"key\":" + int64(k) + ",\"value\":{\"kind\":\"struct\",\"type\":\"struct task_ctx\",\"size\":8,"
                    + "\"fields\":[{\"name\":\"seq\",\"offset\":0,\"value\":" + int64(k * 10) + "}]}}");
        }
        String stats = statsReadable ? "\"entries\":[{\"key\":" + int64(0) + ",\"perCpu\":[" + int64(i) + ","
                + int64(2 * i) + "]}],\"unavailable\":null" : "\"entries\":[],\"unavailable\":\"the per-CPU area could"
                + " not be read\"";
        return """
                {"schema":"freezeframe-snapshot/1","sched_ext":{"attached":true,"opsName":"qmap","exitKindName":"SCX_EXIT_NONE","exitInfo":null},
                 "vcpus":[{"vcpu":0,"rip":"0xffffffff81f3a1c0","rip_symbol":"default_idle+0x10"}],
                 "maps":[
                  {"id":1,"name":"scx_qmap.bss","type":"BPF_MAP_TYPE_ARRAY","valueType":"datasec .bss","entries":[{"key":%s,
                    "valueAddress":"0xffffc90000121000","value":{"kind":"struct","type":"datasec .bss","size":16,"fields":[
                      {"name":"nr_enqueued","offset":0,"value":%s},
                      {"name":"nr_reenqueued","offset":8,"value":%s}]}}],"truncated":false,"summary":null,"unavailable":null},
                  {"id":2,"name":"stats","type":"BPF_MAP_TYPE_PERCPU_ARRAY","valueType":"u64",%s,"truncated":false,"summary":null},
                  {"id":3,"name":"task_ctx","type":"BPF_MAP_TYPE_HASH","valueType":"struct task_ctx","entries":[%s],
                   "truncated":false,"summary":null,"unavailable":null}],
                 "unavailable":{}}""".formatted(int64(0), int64(nrEnqueued), int64(0), stats, String.join(",", hash));
    }

    private SnapshotViewer open(FxRobot robot) throws Exception {
        robot.interact(() -> workbench.openRun(runId, Optional.empty()));
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> workbench.runs().tabOf(runId).isPresent());
        RunTabView view = workbench.runs().tabOf(runId).orElseThrow();
        SnapshotViewer v = view.snapshots();
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> v.rows().size() == TAGS.length + 1);
        robot.interact(() -> view.workspace().reveal(dev.freezeframe.app.ui.run.RunPanels.SNAPSHOT));
        return v;
    }

    private static void show(FxRobot robot, SnapshotViewer v, String tag) throws Exception {
        robot.interact(() -> v.selectTag(tag));
        settle(v, tag);
    }

    private static void settle(SnapshotViewer v, String tag) throws Exception {
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> v.shownProperty().get() != null
                && v.shownProperty().get().tag().equals(tag) && !v.loadingProperty().get());
        WaitForAsyncUtils.waitForFxEvents();
    }

    private static TreeItem<FieldNode> item(SnapshotViewer v, String path) {
        return find(v.tree().getRoot(), path);
    }

    private static TreeItem<FieldNode> find(TreeItem<FieldNode> from, String path) {
        for (TreeItem<FieldNode> c : from.getChildren()) {
            if (c.getValue() != null && c.getValue().path().equals(path)) return c;
            if (c.getValue() != null && (path.startsWith(c.getValue().path()) || c.getValue().path().equals("maps"))) {
                TreeItem<FieldNode> hit = find(c, path);
                if (hit != null) return hit;
            }
        }
        return null;
    }

    private static String cell(SnapshotViewer v, String column, TreeItem<FieldNode> item) {
        for (TreeTableColumn<FieldNode, ?> c : v.tree().getColumns()) {
            if (c.getText().equals(column)) return String.valueOf(c.getCellData(item));
        }
        throw new AssertionError("no column " + column);
    }

    @Test
    void stepsByKeyAndDiffsAgainstThePreviousSnapshot(FxRobot robot) throws Exception {
        SnapshotViewer v = open(robot);
        show(robot, v, "periodic_001");
        assertEquals("periodic_000 (previous)", v.baseTextProperty().get());
        SnapshotDiff d = v.currentDiff().orElseThrow();
        assertEquals(SnapshotDiff.State.CHANGED, d.state("scx_qmap.bss:nr_enqueued"));
        assertEquals("▲ +100", d.change("scx_qmap.bss:nr_enqueued").flatMap(SnapshotDiff.Change::delta)
                .map(dev.freezeframe.snapshots.model.ValueText::delta).orElseThrow());
        robot.clickOn("#runToolbar"); // focus in the tab; the keys are the KeyMap's run-tab actions
        robot.push(KeyCode.ALT, KeyCode.CLOSE_BRACKET);
        settle(v, "periodic_002");
        robot.push(KeyCode.F8);
        settle(v, "watch:total_forks");
        robot.interact(() -> v.stepSameKind(1)); // next of the same kind: there is no later watch hit
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals("watch:total_forks", v.shownProperty().get().tag());
        assertEquals("no later watch snapshot", v.messageProperty().get());
    }

    @Test
    void addedAndRemovedEntriesAreShownAndChangedOnlyHidesTheRest(FxRobot robot) throws Exception {
        SnapshotViewer v = open(robot);
        show(robot, v, "periodic_003");
        SnapshotDiff d = v.currentDiff().orElseThrow();
        assertEquals(SnapshotDiff.State.ADDED, d.state("task_ctx:[3]"));
        assertEquals(SnapshotDiff.State.REMOVED, d.state("task_ctx:[1]"));
        TreeItem<FieldNode> removed = item(v, "task_ctx:[1]");
        assertTrue(removed != null, "the removed entry is listed under its map");
        assertEquals("removed", cell(v, "Δ vs base", removed));
        assertEquals("2 changed", cell(v, "Δ vs base", item(v, "task_ctx")));
        robot.interact(() -> v.setChangedOnly(true));
        WaitForAsyncUtils.waitForFxEvents();
        Set<String> sections = v.tree().getRoot().getChildren().stream().map(i -> i.getValue().path())
                .collect(Collectors.toSet());
        assertEquals(Set.of("maps"), sections, "only the maps changed (3 and 1 swapped; stats and .bss grew)");
        assertTrue(item(v, "task_ctx:[2]") == null, "an unchanged entry is hidden");
        assertTrue(item(v, "task_ctx:[3]") != null && item(v, "task_ctx:[1]") != null);
    }

    @Test
    void aSnapshotsMenuDiffsItAgainstASnapshotOfAnotherRun(FxRobot robot) throws Exception {
        SnapshotViewer v = open(robot);
        // another run whose one snapshot has nr_enqueued 50 and task_ctx keys 1 and 2
        long other;
        try (Archive archive = Archive.open(db)) {
            other = archive.createRun(new RunConfig("scx_simple", List.of(), "cpu-pingpong", 2, 1024, "kit", 10,
                    List.of()), Instant.parse("2026-12-07T10:00:00Z"), Optional.of("7.3.4"));
            try (EventIngest ingest = archive.startIngest(other)) {
                ingest.append(new SnapshotRecord("error", SnapshotKind.ERROR, 3 * SECOND, Optional.empty(), false,
                        Optional.empty(), report(50, 1, true, new long[] {1, 2})));
            }
            archive.finishRun(other, Verdict.SCHEDULER_FAILED, "stall", Instant.parse("2026-12-07T10:00:05Z"));
        }
        show(robot, v, "periodic_003");
        @SuppressWarnings("unchecked")
        javafx.scene.control.TableRow<SnapshotInfo> row = robot.lookup("#snapshotList .table-row-cell")
                .queryAllAs(javafx.scene.control.TableRow.class).stream()
                .filter(r -> r.getItem() != null && ((SnapshotInfo) r.getItem()).tag().equals("periodic_003"))
                .findFirst().orElseThrow();
        robot.rightClickOn(row);
        robot.clickOn("Diff against a snapshot of another run…");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> robot.lookup("#pickRun").tryQuery().isPresent()
                && !robot.lookup("#pickRun").queryAs(javafx.scene.control.ListView.class).getItems().isEmpty());
        javafx.scene.control.ListView<?> runs = robot.lookup("#pickRun").queryAs(javafx.scene.control.ListView.class);
        assertEquals(1, runs.getItems().size(), "the other runs only");
        String runText = "#" + other + "  scx_simple · cpu-pingpong · scheduler failed";
        robot.clickOn(robot.lookup(n -> n instanceof javafx.scene.control.ListCell<?> c
                && runText.equals(c.getText())).queryAs(javafx.scene.Node.class));
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> !robot.lookup("#pickSnapshot")
                .queryAs(javafx.scene.control.ListView.class).getItems().isEmpty());
        assertTrue(robot.lookup("#pickDiff").query().isDisabled(), "no snapshot picked yet");
        robot.clickOn("error  +3.000 s");
        robot.clickOn("#pickDiff");
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> v.baseTextProperty().get().equals("#" + other
                + " error") && !v.loadingProperty().get() && v.currentDiff().isPresent());
        WaitForAsyncUtils.waitForFxEvents();
        long otherRun = other;
        assertTrue(v.baseProperty().get() instanceof SnapshotViewer.Base.Chosen c && c.runId() == otherRun,
                String.valueOf(v.baseProperty().get()));
        SnapshotDiff d = v.currentDiff().orElseThrow();
        assertEquals(SnapshotDiff.State.CHANGED, d.state("scx_qmap.bss:nr_enqueued"));
        assertEquals("▲ +150", d.change("scx_qmap.bss:nr_enqueued").flatMap(SnapshotDiff.Change::delta)
                .map(dev.freezeframe.snapshots.model.ValueText::delta).orElseThrow());
        assertEquals(SnapshotDiff.State.ADDED, d.state("task_ctx:[3]"));
        assertEquals(SnapshotDiff.State.REMOVED, d.state("task_ctx:[1]"));
        assertEquals("removed", cell(v, "Δ vs base", item(v, "task_ctx:[1]")));
    }

    @Test
    void perCpuValuesHaveAColumnPerCpuAndTheirSum(FxRobot robot) throws Exception {
        SnapshotViewer v = open(robot);
        show(robot, v, "periodic_005");
        TreeItem<FieldNode> stats = item(v, "stats:[0]");
        assertEquals("5", cell(v, "cpu0", stats));
        assertEquals("10", cell(v, "cpu1", stats));
        assertEquals("15", cell(v, "Value (Σ)", stats));
        assertEquals("added", cell(v, "Δ vs base", stats), "periodic_004 could not read stats: the entry is added");
    }

    @Test
    void nextChangeSkipsEqualValuesAndComesBack(FxRobot robot) throws Exception {
        SnapshotViewer v = open(robot);
        show(robot, v, "periodic_002");
        robot.interact(() -> v.selectPath("scx_qmap.bss:nr_enqueued"));
        robot.interact(() -> v.stepToChange(1));
        settle(v, "periodic_004");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> v.tree().getSelectionModel().getSelectedItem() != null
                && v.tree().getSelectionModel().getSelectedItem().getValue().path().equals("scx_qmap.bss:nr_enqueued"));
        robot.interact(() -> v.stepToChange(-1));
        settle(v, "periodic_003");
        robot.interact(() -> v.selectPath("scx_qmap.bss:nr_reenqueued"));
        robot.interact(() -> v.stepToChange(1));
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> v.messageProperty().get().startsWith("no later"));
    }

    @Test
    void pinnedFieldsFollowTheStepsAndPlotsHaveGapsWhereTheMapWasUnreadable(FxRobot robot) throws Exception {
        SnapshotViewer v = open(robot);
        show(robot, v, "periodic_001");
        robot.interact(() -> v.pin("scx_qmap.bss:nr_enqueued"));
        assertEquals(List.of("scx_qmap.bss:nr_enqueued = 100  (▲ +100)"), v.pinnedTexts());
        robot.interact(() -> v.step(1));
        settle(v, "periodic_002");
        assertEquals(List.of("scx_qmap.bss:nr_enqueued = 200  (▲ +100)"), v.pinnedTexts());

        robot.interact(() -> v.selectPath("stats:[0]"));
        robot.interact(v::plotSelected);
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> !v.plotLanes().lanes().isEmpty());
        SeriesLane lane = v.plotLanes().lanes().getFirst();
        List<SeriesPoint> points = lane.points();
        assertEquals(TAGS.length, points.size(), "one point per snapshot; the failed capture adds none");
        assertEquals(List.of(0.0, 3.0, 6.0, 9.0), points.subList(0, 4).stream().map(p -> p.value().getAsDouble())
                .toList(), "Σ of cpu0 = i and cpu1 = 2i");
        assertTrue(points.get(4).value().isEmpty(), "a gap where stats could not be read");
        assertTrue(points.get(6).hollow() && !points.get(5).hollow(), "the watch hit is hollow");
        // clicking the point of periodic_003 selects it on the timeline, and the viewer follows
        RunContext context = workbench.runs().tabOf(runId).orElseThrow().context();
        javafx.scene.Node plot = lane.getChildren().get(1);
        double x = TimeAxis.of(context.window(), plot.getLayoutBounds().getWidth()).x(points.get(3).atNs());
        javafx.geometry.Point2D at = plot.localToScene(x, 5); // an event's x and y are scene coordinates
        robot.interact(() -> plot.fireEvent(new javafx.scene.input.MouseEvent(
                javafx.scene.input.MouseEvent.MOUSE_CLICKED, at.getX(), at.getY(), 0, 0,
                javafx.scene.input.MouseButton.PRIMARY, 1,
                false, false, false, false, true, false, false, false, false, false, null)));
        settle(v, "periodic_003");
        assertTrue(context.selection() instanceof TimelineSelection.Snapshot s && s.tag().equals("periodic_003"));
    }

    @Test
    void steppingMovesTheTimelineSelectionAndTheTimelineMovesTheViewer(FxRobot robot) throws Exception {
        SnapshotViewer v = open(robot);
        RunContext context = workbench.runs().tabOf(runId).orElseThrow().context();
        show(robot, v, "periodic_001");
        robot.interact(() -> v.step(1));
        settle(v, "periodic_002");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> context.selection()
                instanceof TimelineSelection.Snapshot s && s.tag().equals("periodic_002"));
        SnapshotInfo fifth = v.rows().stream().filter(s -> s.tag().equals("periodic_005")).findFirst().orElseThrow();
        robot.interact(() -> context.select(new TimelineSelection.Snapshot(fifth.id(), fifth.tag(), fifth.atNanos())));
        settle(v, "periodic_005");
    }

    @Test
    void theBaseCanBeAnyChosenSnapshotOrNoneAndTheChipNamesIt(FxRobot robot) throws Exception {
        SnapshotViewer v = open(robot);
        show(robot, v, "periodic_005");
        SnapshotInfo first = v.rows().stream().filter(s -> s.tag().equals("periodic_000")).findFirst().orElseThrow();
        robot.interact(() -> v.setBase(new SnapshotViewer.Base.Chosen(first.id(), runId, "periodic_000 (chosen)")));
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> !v.loadingProperty().get() && v.currentDiff()
                .flatMap(d -> d.change("scx_qmap.bss:nr_enqueued")).flatMap(SnapshotDiff.Change::delta)
                .map(BigDecimal.valueOf(ENQUEUED[5] - ENQUEUED[0])::equals).orElse(false));
        assertTrue(v.baseTextProperty().get().contains("periodic_000"), v.baseTextProperty().get());
        robot.interact(() -> v.setBase(new SnapshotViewer.Base.None()));
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> !v.loadingProperty().get()
                && v.currentDiff().isEmpty());
        robot.interact(() -> v.setBase(new SnapshotViewer.Base.PreviousSameKind()));
        show(robot, v, "periodic_006");
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> v.baseTextProperty().get().startsWith("periodic_005"));
        assertEquals(Optional.of(BigDecimal.valueOf(ENQUEUED[7] - ENQUEUED[5])), v.currentDiff().orElseThrow()
                .change("scx_qmap.bss:nr_enqueued").flatMap(SnapshotDiff.Change::delta),
                "the watch hit between them is skipped");
    }

    @Test
    void copiesTheValueItsPathAndAFilterExpression(FxRobot robot) throws Exception {
        SnapshotViewer v = open(robot);
        show(robot, v, "periodic_002");
        robot.interact(() -> v.selectPath("scx_qmap.bss:nr_enqueued"));
        robot.interact(v::copyValue);
        assertEquals("200", clipboard(robot));
        robot.interact(v::copyPath);
        assertEquals("scx_qmap.bss:nr_enqueued", clipboard(robot));
        robot.interact(v::copyFilter);
        assertEquals("field:scx_qmap.bss:nr_enqueued==200", clipboard(robot));
        robot.interact(() -> v.selectPath("stats:[0]"));
        robot.interact(v::copyValue);
        assertEquals("6", clipboard(robot), "a per-CPU value copies its Σ");

        // the same through the tree's own menu (right-click on the field's row)
        robot.interact(() -> v.selectPath("scx_qmap.bss:nr_enqueued"));
        WaitForAsyncUtils.waitForFxEvents();
        TreeItem<FieldNode> field = item(v, "scx_qmap.bss:nr_enqueued");
        javafx.scene.control.TreeTableRow<?> row = robot.lookup(".tree-table-row-cell")
                .queryAllAs(javafx.scene.control.TreeTableRow.class).stream()
                .filter(r -> r.getTreeItem() == field).findFirst().orElseThrow();
        robot.rightClickOn(row);
        robot.clickOn("Copy as filter");
        assertEquals("field:scx_qmap.bss:nr_enqueued==200", clipboard(robot));
    }

    private static String clipboard(FxRobot robot) {
        String[] text = new String[1];
        robot.interact(() -> text[0] = javafx.scene.input.Clipboard.getSystemClipboard().getString());
        return text[0];
    }

    @Test
    void thePalettesHashModeFindsAMapFieldAndPlotsIt(FxRobot robot) throws Exception {
        SnapshotViewer v = open(robot);
        robot.press(KeyCode.CONTROL, KeyCode.SHIFT, KeyCode.P).release(KeyCode.P, KeyCode.SHIFT, KeyCode.CONTROL);
        robot.write("#stats");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> !workbench.palette().matches().isEmpty()
                && workbench.palette().matches().getFirst().title().startsWith("Plot "));
        assertEquals("Plot stats:[0]@cpu*", workbench.palette().matches().getFirst().title(),
                "the per-CPU paths are one field");
        assertEquals("Σ over 2 CPUs, above the timeline · Shift+Enter pins",
                workbench.palette().matches().getFirst().detail());
        robot.type(KeyCode.ENTER);
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> !v.plotLanes().lanes().isEmpty());
        assertEquals(List.of(0.0, 3.0, 6.0, 9.0), v.plotLanes().lanes().getFirst().points().subList(0, 4).stream()
                .map(p -> p.value().getAsDouble()).toList());

        // Shift+Enter pins the field instead: it stays under the tree with its value at every step
        robot.press(KeyCode.CONTROL, KeyCode.SHIFT, KeyCode.P).release(KeyCode.P, KeyCode.SHIFT, KeyCode.CONTROL);
        robot.write("#nr_enq");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> workbench.palette().matches().stream()
                .anyMatch(m -> m.title().equals("Plot scx_qmap.bss:nr_enqueued")));
        int row = workbench.palette().matches().stream().map(m -> m.title()).toList()
                .indexOf("Plot scx_qmap.bss:nr_enqueued");
        for (int i = 0; i < row; i++) robot.type(KeyCode.DOWN);
        robot.press(KeyCode.SHIFT).type(KeyCode.ENTER).release(KeyCode.SHIFT);
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> v.pinnedTexts().size() == 1);
        assertTrue(v.pinnedTexts().getFirst().startsWith("scx_qmap.bss:nr_enqueued = "), v.pinnedTexts().toString());
        assertEquals(1, v.plotLanes().lanes().size(), "pinned, not plotted");
    }

    @Test
    void aMarkedEntryIsLabelledAndFlagsTheSnapshotsHoldingIt(FxRobot robot) throws Exception {
        SnapshotViewer v = open(robot);
        show(robot, v, "periodic_004");
        robot.interact(() -> v.mark("task_ctx:[3]", "victim"));
        Set<Long> expected = v.rows().stream().filter(s -> !s.placeholder() && indexOf(s.tag()) >= 3)
                .map(SnapshotInfo::id).collect(Collectors.toSet());
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> v.flaggedSnapshots().equals(expected));
        assertEquals("[3]  ⚑victim", cell(v, "Name", item(v, "task_ctx:[3]")));
        show(robot, v, "periodic_006");
        assertEquals("[3]  ⚑victim", cell(v, "Name", item(v, "task_ctx:[3]")), "the label follows the key");
        robot.interact(() -> v.pin("scx_qmap.bss:nr_enqueued"));

        robot.interact(() -> workbench.runs().close(runId));
        SnapshotViewer again = open(robot);
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> again.marks().equals(Map.of("task_ctx:[3]", "victim")));
        show(robot, again, "periodic_006");
        // a shown snapshot locates the marked entry's fields in the index; then its snapshots are flagged again
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> again.flaggedSnapshots().equals(expected));
        assertEquals("[3]  ⚑victim", cell(again, "Name", item(again, "task_ctx:[3]")), "the mark outlives the tab");
        assertEquals(List.of("scx_qmap.bss:nr_enqueued = 500  (▲ +50)"), again.pinnedTexts(), "so does the pin");
    }

    @Test
    void aFailedCaptureShowsItsReasonAndTheWatchTargetIsTheFieldsAddress(FxRobot robot) throws Exception {
        SnapshotViewer v = open(robot);
        robot.interact(() -> v.selectTag("manual_000"));
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> v.shownProperty().get() != null
                && v.shownProperty().get().placeholder());
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(robot.lookup("the guest did not stop within 2 s").tryQuery().isPresent()
                || robot.lookup(n -> n instanceof javafx.scene.control.Label l && l.getText() != null
                && l.getText().contains("the guest did not stop within 2 s")).tryQuery().isPresent());
        assertEquals("—", v.baseTextProperty().get());
        show(robot, v, "periodic_000");
        assertFalse(v.currentDiff().isPresent(), "the first snapshot has no previous one");
        FieldNode nr = item(v, "scx_qmap.bss:nr_enqueued").getValue();
        assertEquals(0xffffc90000121000L, v.watchTargetOf(nr).orElseThrow().address());
        assertEquals(8, v.watchTargetOf(nr).orElseThrow().size());
        assertFalse(v.watchTargetOf(item(v, "vcpus").getValue()).isPresent());
    }

    private static int indexOf(String tag) {
        return List.of(TAGS).indexOf(tag);
    }
}
