package dev.freezeframe.snapshots.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * A diff of two reports read as text pairs map entries by their key text and parses only entries whose text differs;
 * it must find exactly what the typed walk over two whole parses finds ({@link SnapshotDiff#findings()}).
 */
class TextDiffTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int ENTRIES = 2500; // more than a chunk: changes are counted per chunk too

    private static String int64(long v) {
        return ReportModelTest.int64(v);
    }

    private static String entry(long key, long seq) {
        return entry(key, seq, "");
    }

    /** An entry, with {@code "valueAddress":ADDRESS} after its key unless {@code address} is empty. */
    private static String entry(long key, long seq, String address) {
        return "{\"key\":" + int64(key) + (address.isEmpty() ? "" : ",\"valueAddress\":\"" + address + "\"")
                + ",\"value\":{\"kind\":\"struct\",\"type\":\"struct task_ctx\",\"size\":16,"
                + "\"fields\":[{\"name\":\"seq\",\"offset\":0,\"value\":" + int64(seq) + "},{\"name\":\"comm\","
                + "\"offset\":8,\"value\":{\"kind\":\"text\",\"type\":\"char[8]\",\"length\":8,\"text\":\"w" + key
                + "\",\"terminated\":true,\"truncated\":false}}]}}";
    }

    private static List<String> entries() {
        List<String> out = new ArrayList<>();
        for (long k = 0; k < ENTRIES; k++) out.add(entry(k, k * 10));
        return out;
    }

    /** A per-CPU hash (two CPUs, two keys) and a 2 500-entry hash of structs. */
    private static String report(List<String> entries, String cpus0, String cpus1) {
        return """
                {"schema":"freezeframe-snapshot/1","maps":[
                 {"id":2,"name":"stats","type":"BPF_MAP_TYPE_PERCPU_HASH","valueType":"u64","entries":[
                   {"key":%s,"perCpu":[%s]},{"key":%s,"perCpu":[%s]}]},
                 {"id":3,"name":"task_ctx","type":"BPF_MAP_TYPE_HASH","valueType":"struct task_ctx","entries":[%s]}]}"""
                .formatted(int64(0), cpus0, int64(1), cpus1, String.join(",", entries));
    }

    private static String cpus(long a, long b) {
        return int64(a) + "," + int64(b);
    }

    private static String base() {
        return report(entries(), cpus(5, 7), cpus(1, 1));
    }

    private static String with(UnaryOperator<List<String>> change) {
        return report(change.apply(entries()), cpus(5, 7), cpus(1, 1));
    }

    /** The text diff, after checking it finds what the typed walk over whole parses finds. */
    private static SnapshotDiff diffAsText(String base, String shown) throws Exception {
        SnapshotDiff typed = SnapshotDiff.between(ReportModel.of(JSON.readTree(base)),
                ReportModel.of(JSON.readTree(shown)));
        SnapshotDiff text = SnapshotDiff.between(ReportModel.parse(JSON, base), ReportModel.parse(JSON, shown));
        assertEquals(0, typed.entriesParsed() + typed.entriesEqualAsText(), "the typed walk reads no text");
        assertEquals(typed.findings(), text.findings());
        // the base side's entries parsed on the walking thread alone, and on a pool that never gets to them (the
        // walking thread takes them back): the same findings, the same entries parsed
        for (java.util.concurrent.Executor threads : List.<java.util.concurrent.Executor>of(Runnable::run,
                task -> { })) {
            SnapshotDiff alone = assertTimeoutPreemptively(java.time.Duration.ofSeconds(10), () -> SnapshotDiff.between(
                    ReportModel.parse(JSON, base), ReportModel.parse(JSON, shown), threads));
            assertEquals(text.findings(), alone.findings());
            assertEquals(text.entriesParsed(), alone.entriesParsed());
            assertEquals(text.entriesEqualAsText(), alone.entriesEqualAsText());
        }
        ReportModel shownRows = ReportModel.parse(JSON, shown);
        for (FieldNode chunk : chunks(shownRows)) { // what a folded chunk says is what its rows add up to
            int sum = 0;
            for (FieldNode c : chunk.children()) {
                sum += text.changesUnder(c.path()) + (text.state(c.path()) == SnapshotDiff.State.SAME ? 0 : 1);
            }
            assertEquals(sum, text.changesInChunk(chunk.path()), chunk.path());
        }
        return text;
    }

    private static List<FieldNode> chunks(ReportModel m) {
        List<FieldNode> out = new ArrayList<>();
        for (FieldNode map : m.sections().getFirst().children()) {
            for (FieldNode c : map.children()) if (c.role() == FieldNode.Role.CHUNK) out.add(c);
        }
        return out;
    }

    @Test
    void identicalSnapshotsParseNoEntry() throws Exception {
        SnapshotDiff d = diffAsText(base(), base());
        assertEquals(0, d.changeCount());
        assertEquals(0, d.entriesParsed());
        assertEquals(ENTRIES + 2, d.entriesEqualAsText());
    }

    @Test
    void oneChangedFieldIsTheOnlyEntryParsed() throws Exception {
        SnapshotDiff d = diffAsText(base(), with(l -> {
            l.set(1234, entry(1234, 99));
            return l;
        }));
        assertEquals(SnapshotDiff.State.CHANGED, d.state("task_ctx:[1234].seq"));
        assertEquals(Optional.of(new BigDecimal(99 - 12340)), d.change("task_ctx:[1234].seq").get().delta());
        assertEquals(1, d.changeCount());
        assertEquals(1, d.changesInChunk("task_ctx#1000"), "the folded chunk counts it");
        assertEquals(0, d.changesInChunk("task_ctx#0"));
        assertEquals(2, d.entriesParsed(), "one entry of each side");
    }

    @Test
    void addedAndRemovedEntries() throws Exception {
        SnapshotDiff d = diffAsText(base(), with(l -> {
            l.remove(2000);
            l.remove(5);
            l.add(entry(99_999, 1));
            return l;
        }));
        assertEquals(SnapshotDiff.State.ADDED, d.state("task_ctx:[99999]"));
        assertEquals(SnapshotDiff.State.ADDED, d.state("task_ctx:[99999].seq"));
        assertEquals(SnapshotDiff.State.REMOVED, d.state("task_ctx:[5]"));
        assertEquals(List.of("task_ctx:[5]", "task_ctx:[2000]"), d.removedUnder("task_ctx").stream()
                .map(FieldNode::path).toList());
        assertEquals(3, d.changesUnder("task_ctx"));
        assertEquals(3, d.entriesParsed());
    }

    @Test
    void reorderedEntriesAreFollowedByKey() throws Exception {
        SnapshotDiff d = diffAsText(base(), with(l -> {
            l.set(7, entry(7, 8));
            return new ArrayList<>(l.reversed());
        }));
        assertEquals(1, d.changeCount());
        assertEquals(SnapshotDiff.State.CHANGED, d.state("task_ctx:[7].seq"));
        assertEquals(1, d.changesInChunk("task_ctx#2000"), "entry 7 is listed last now");
        assertEquals(2, d.entriesParsed());
    }

    @Test
    void perCpuValuesDifferEvenWhenTheirSumDoesNot() throws Exception {
        SnapshotDiff d = diffAsText(base(), report(entries(), cpus(7, 5), cpus(1, 2)));
        assertEquals(SnapshotDiff.State.CHANGED, d.state("stats:[0]"));
        assertEquals(Optional.of(BigDecimal.ZERO), d.change("stats:[0]").get().delta(), "Σ is the same");
        assertEquals(Optional.of(BigDecimal.ONE), d.change("stats:[1]").get().delta());
        assertEquals(2, d.changesUnder("stats"));
    }

    @Test
    void textThatDiffersOnlyInSpacingOrMemberOrderIsEqual() throws Exception {
        SnapshotDiff d = diffAsText(base(), with(l -> {
            l.set(3, entry(3, 30).replace(",\"", ", \"").replace(":", ": ")); // the key's text differs too
            l.set(1500, entry(1500, 15000).replace("{\"kind\":\"int\",\"type\":\"u64\",\"signed\":false,",
                    "{\"signed\":false,\"type\":\"u64\",\"kind\":\"int\",")); // members in another order
            l.set(2400, entry(2400, 24000).replace("{\"key\":", "{ \"key\" :"));
            return l;
        }));
        assertEquals(0, d.changeCount());
        assertEquals(6, d.entriesParsed(), "three entries of each side, compared typed");
    }

    /** An entry keyed by text rather than a number. */
    private static String entryNamed(String key, long seq) {
        return entry(0, seq).replaceFirst("\\{\"key\":\\{[^}]*}", "{\"key\":{\"kind\":\"text\",\"type\":\"char[8]\","
                + "\"length\":8,\"text\":\"" + key + "\",\"terminated\":true,\"truncated\":false}");
    }

    @Test
    void keysThatDifferOnlyInCharactersBeyondLatin1ArePairedByTheirText() throws Exception {
        // the reader scans one byte a character, where both become '?': only the text itself may pair them
        SnapshotDiff d = diffAsText(with(l -> {
            l.set(10, entryNamed("k\u03a9", 1));
            l.set(11, entryNamed("k\u03a3", 2));
            return l;
        }), with(l -> {
            l.set(10, entryNamed("k\u03a3", 1));
            l.set(11, entryNamed("k\u03a9", 2));
            return l;
        }));
        assertEquals(2, d.changeCount(), "each key's seq changed (1 -> 2 and 2 -> 1)");
        assertEquals(4, d.entriesParsed(), "the two entries of each side, paired by key, not by position");
    }

    @Test
    void aReportWithCharactersOutsideTheBasicPlaneIsParsedWhole() throws Exception {
        // a surrogate pair would shift the one-byte scan's indexes: such a report is parsed whole, with the same result
        String emoji = new String(Character.toChars(0x1F600));
        SnapshotDiff d = diffAsText(with(l -> {
            l.set(7, entryNamed("w" + emoji, 70));
            return l;
        }), with(l -> {
            l.set(7, entryNamed("w" + emoji, 71));
            l.set(8, entry(8, 81));
            return l;
        }));
        assertEquals(2, d.changeCount());
        assertEquals(0, d.entriesParsed() + d.entriesEqualAsText(), "no entry read as indexed text");
    }

    @Test
    void entriesThatDifferOnlyInTheirValueAddressAreEqualWithoutParsing() throws Exception {
        UnaryOperator<List<String>> placed = l -> { // another run: every hash element elsewhere in memory
            for (int k = 0; k < l.size(); k++) l.set(k, entry(k, k * 10L, "0xffff8880" + Integer.toHexString(k * 64)));
            return l;
        };
        String base = with(placed);
        SnapshotDiff d = diffAsText(base, with(l -> {
            placed.apply(l);
            for (int k = 0; k < l.size(); k++) l.set(k, l.get(k).replace("0xffff8880", "0xffff8881"));
            l.set(42, entry(42, 7, "0xffff88815"));
            return l;
        }));
        assertEquals(1, d.changeCount());
        assertEquals(SnapshotDiff.State.CHANGED, d.state("task_ctx:[42].seq"));
        assertEquals(2, d.entriesParsed(), "only the entry whose seq changed");
    }

    @Test
    void manyChangedEntriesOfAReorderedMap() throws Exception {
        SnapshotDiff d = diffAsText(base(), with(l -> { // more than one parsing batch, base positions not in order
            for (int k = 0; k < l.size(); k += 3) l.set(k, entry(k, k * 10L + 1));
            return new ArrayList<>(l.reversed());
        }));
        assertEquals((ENTRIES + 2) / 3, d.changeCount());
        assertEquals(2 * ((ENTRIES + 2) / 3), d.entriesParsed());
    }
}
