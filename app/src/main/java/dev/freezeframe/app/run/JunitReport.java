package dev.freezeframe.app.run;

import dev.freezeframe.coordinator.metrics.WorkloadMetric;
import java.util.List;

import dev.freezeframe.app.AppException;
import dev.freezeframe.coordinator.model.RunConfig;
import dev.freezeframe.coordinator.model.Verdict;
import dev.freezeframe.coordinator.scenario.Scenario;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * Writes a run's result as a JUnit XML report (one test case), the format CI systems show natively. Every text in it
 * (scheduler arguments, the kernel's exit message...) is cleaned of characters XML 1.0 cannot hold — a control
 * character in a reason would otherwise make the whole report unreadable to the CI — by showing them as {@code \xNN}
 * or {@code \\uNNNN}.
 */
public final class JunitReport {
    private JunitReport() {
    }

    /** @param headline the findings' headline ({@code freezeframe findings}), or null when they found nothing */
    public static void write(Path file, RunConfig config, Scenario scenario, RunResult result, String headline) {
        Verdict verdict = result.outcome().decision().verdict();
        String reason = result.outcome().decision().reason();
        String seconds = String.format(Locale.ROOT, "%.3f", result.outcome().durationNs() / 1e9);
        String name = config.scheduler() + (config.schedulerArgs().isEmpty() ? "" : " "
                + String.join(" ", config.schedulerArgs())) + " under " + scenario.name();
        write(file, scenario.name(), name, verdict, reason, headline, seconds, result.runId(),
                result.outcome().metrics());
    }

    static void write(Path file, String scenarioName, String caseName, Verdict verdict, String rawReason,
                      String seconds, long runId) {
        write(file, scenarioName, caseName, verdict, rawReason, null, seconds, runId, List.of());
    }

    /**
     * The headline goes into the case's properties ({@code headline}), the failure's text and the output, so a CI page
     * shows what went wrong in one line; the workload metrics go into the properties ({@code step/group/metric} =
     * value).
     */
    static void write(Path file, String scenarioName, String caseName, Verdict verdict, String rawReason,
                      String rawHeadline, String seconds, long runId, List<WorkloadMetric> metrics) {
        String reason = xmlSafe(rawReason == null ? "" : rawReason);
        String headline = rawHeadline == null || rawHeadline.isBlank() ? null : xmlSafe(rawHeadline);
        String details = headline == null || reason.contains(headline) ? reason : reason + "\nheadline: " + headline;
        String name = xmlSafe(caseName);
        String classname = xmlSafe("freezeframe." + scenarioName);
        try {
            if (file.toAbsolutePath().getParent() != null) Files.createDirectories(file.toAbsolutePath().getParent());
            try (OutputStream out = Files.newOutputStream(file)) {
                XMLStreamWriter xml = XMLOutputFactory.newFactory().createXMLStreamWriter(out, "UTF-8");
                xml.writeStartDocument("UTF-8", "1.0");
                xml.writeStartElement("testsuite");
                xml.writeAttribute("name", "freezeframe");
                xml.writeAttribute("tests", "1");
                xml.writeAttribute("failures", verdict == Verdict.SCHEDULER_FAILED
                        || verdict == Verdict.FAILED_EXPECTATION ? "1" : "0");
                xml.writeAttribute("errors", verdict == Verdict.ERROR || verdict == Verdict.INCONCLUSIVE ? "1" : "0");
                xml.writeAttribute("time", seconds);
                xml.writeStartElement("testcase");
                xml.writeAttribute("classname", classname);
                xml.writeAttribute("name", name);
                xml.writeAttribute("time", seconds);
                if (!metrics.isEmpty() || headline != null) {
                    xml.writeStartElement("properties");
                    if (headline != null) {
                        xml.writeStartElement("property");
                        xml.writeAttribute("name", "headline");
                        xml.writeAttribute("value", headline);
                        xml.writeEndElement();
                    }
                    for (WorkloadMetric m : metrics) {
                        xml.writeStartElement("property");
                        xml.writeAttribute("name", xmlSafe(m.key()));
                        xml.writeAttribute("value", String.format(Locale.ROOT, "%.6g", m.value()));
                        xml.writeEndElement();
                    }
                    xml.writeEndElement();
                }
                switch (verdict) {
                    case PASSED -> { }
                    case SCHEDULER_FAILED, FAILED_EXPECTATION -> element(xml, "failure", verdict.wireName(), reason,
                            details);
                    case ERROR, INCONCLUSIVE -> element(xml, "error", verdict.wireName(), reason, details);
                }
                xml.writeStartElement("system-out");
                xml.writeCharacters("run " + runId + ": " + verdict.wireName() + " - " + reason + "\n"
                        + (headline == null ? "" : "headline: " + headline + "\n"));
                xml.writeEndElement();
                xml.writeEndElement();
                xml.writeEndElement();
                xml.writeEndDocument();
                xml.close();
            }
        } catch (IOException | XMLStreamException e) {
            throw new AppException("Cannot write the JUnit report " + file + " (" + e.getMessage() + ").", e);
        }
    }

    private static void element(XMLStreamWriter xml, String tag, String type, String message, String text)
            throws XMLStreamException {
        xml.writeStartElement(tag);
        xml.writeAttribute("type", type);
        xml.writeAttribute("message", message);
        xml.writeCharacters(text);
        xml.writeEndElement();
    }

    /**
     * {@code text} with every character XML 1.0 forbids (controls other than tab, newline and carriage return, lone
     * surrogates, U+FFFE and U+FFFF) replaced by a visible escape, so the report stays well-formed and shows them.
     */
    static String xmlSafe(String text) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            int n = Character.charCount(cp);
            boolean legal = cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF)
                    || (cp >= 0xE000 && cp <= 0xFFFD) || (cp >= 0x10000 && cp <= 0x10FFFF);
            if (!legal) {
                if (out == null) out = new StringBuilder(text.length() + 16).append(text, 0, i);
                out.append(cp < 0x100 ? String.format(Locale.ROOT, "\\x%02X", cp)
                        : String.format(Locale.ROOT, "\\u%04X", cp));
            } else if (out != null) {
                out.appendCodePoint(cp);
            }
            i += n;
        }
        return out == null ? text : out.toString();
    }
}
