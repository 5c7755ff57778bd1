package dev.freezeframe.app.run;

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

/** Writes a run's result as a JUnit XML report (one test case), the format CI systems show natively. */
public final class JunitReport {
    private JunitReport() {
    }

    public static void write(Path file, RunConfig config, Scenario scenario, RunResult result) {
        Verdict verdict = result.outcome().decision().verdict();
        String reason = result.outcome().decision().reason();
        String seconds = String.format(Locale.ROOT, "%.3f", result.outcome().durationNs() / 1e9);
        String name = config.scheduler() + (config.schedulerArgs().isEmpty() ? "" : " "
                + String.join(" ", config.schedulerArgs())) + " under " + scenario.name();
        try {
            if (file.toAbsolutePath().getParent() != null) Files.createDirectories(file.toAbsolutePath().getParent());
            try (OutputStream out = Files.newOutputStream(file)) {
                XMLStreamWriter xml = XMLOutputFactory.newFactory().createXMLStreamWriter(out, "UTF-8");
                xml.writeStartDocument("UTF-8", "1.0");
                xml.writeStartElement("testsuite");
                xml.writeAttribute("name", "freezeframe");
                xml.writeAttribute("tests", "1");
                xml.writeAttribute("failures", verdict == Verdict.SCHEDULER_FAILED ? "1" : "0");
                xml.writeAttribute("errors", verdict == Verdict.ERROR || verdict == Verdict.INCONCLUSIVE ? "1" : "0");
                xml.writeAttribute("time", seconds);
                xml.writeStartElement("testcase");
                xml.writeAttribute("classname", "freezeframe." + scenario.name());
                xml.writeAttribute("name", name);
                xml.writeAttribute("time", seconds);
                switch (verdict) {
                    case PASSED -> { }
                    case SCHEDULER_FAILED -> element(xml, "failure", verdict.wireName(), reason);
                    case ERROR, INCONCLUSIVE -> element(xml, "error", verdict.wireName(), reason);
                }
                xml.writeStartElement("system-out");
                xml.writeCharacters("run " + result.runId() + ": " + verdict.wireName() + " - " + reason + "\n");
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

    private static void element(XMLStreamWriter xml, String tag, String type, String message) throws XMLStreamException {
        xml.writeStartElement(tag);
        xml.writeAttribute("type", type);
        xml.writeAttribute("message", message);
        xml.writeCharacters(message);
        xml.writeEndElement();
    }
}
