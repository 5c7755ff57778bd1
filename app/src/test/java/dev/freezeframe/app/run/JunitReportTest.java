package dev.freezeframe.app.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freezeframe.coordinator.model.Verdict;
import java.nio.file.Path;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/** Characters XML 1.0 cannot hold never reach the report: they are shown as escapes and the file stays readable. */
class JunitReportTest {
    @TempDir
    Path dir;

    @Test
    void controlCharactersAndLoneSurrogatesAreShownVisiblyAndTheReportParses() throws Exception {
        Path file = dir.resolve("report.xml");
        String reason = "scx_bpf_error (\u0000\u001b[31mboom\u0007) in \uD800 dispatch\ttab\nnext \uFFFE";
        JunitReport.write(file, "cpu-pingpong", "scx_qmap --x=\u0001 under cpu-pingpong", Verdict.SCHEDULER_FAILED,
                reason, "1.500", 7);
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile());
        Element failure = (Element) doc.getElementsByTagName("failure").item(0);
        String expected = "scx_bpf_error (\\x00\\x1B[31mboom\\x07) in \\uD800 dispatch\ttab\nnext \\uFFFE";
        assertEquals(expected, failure.getTextContent());
        Element testcase = (Element) doc.getElementsByTagName("testcase").item(0);
        assertEquals("scx_qmap --x=\\x01 under cpu-pingpong", testcase.getAttribute("name"));
        assertTrue(doc.getElementsByTagName("system-out").item(0).getTextContent().contains("\\x1B[31mboom"));
    }

    @Test
    void theFindingsHeadlineIsAPropertyAndInTheFailureAndTheOutput() throws Exception {
        Path file = dir.resolve("report.xml");
        String headline = "scx_bpf_error at scx_qmap.bpf.c:434: test triggering error";
        JunitReport.write(file, "cpu-pingpong", "scx_qmap -e 50 under cpu-pingpong", Verdict.SCHEDULER_FAILED,
                "the scheduler errored out (exit kind 1025)", headline, "1.500", 7, java.util.List.of());
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile());
        Element property = (Element) doc.getElementsByTagName("property").item(0);
        assertEquals("headline", property.getAttribute("name"));
        assertEquals(headline, property.getAttribute("value"));
        Element failure = (Element) doc.getElementsByTagName("failure").item(0);
        assertEquals("the scheduler errored out (exit kind 1025)", failure.getAttribute("message"));
        assertTrue(failure.getTextContent().endsWith("headline: " + headline), failure.getTextContent());
        assertTrue(doc.getElementsByTagName("system-out").item(0).getTextContent().contains("headline: " + headline));
    }

    @Test
    void withoutAHeadlineThereIsNoHeadlineProperty() throws Exception {
        Path file = dir.resolve("report.xml");
        JunitReport.write(file, "idle", "scx_simple under idle", Verdict.PASSED, "healthy", null, "1.0", 3,
                java.util.List.of());
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile());
        assertEquals(0, doc.getElementsByTagName("property").getLength());
    }

    @Test
    void legalTextIsLeftAsItIs() {
        String text = "déjà vu — 日本 \uD83D\uDE00 tab\t";
        assertTrue(text == JunitReport.xmlSafe(text));
    }
}
