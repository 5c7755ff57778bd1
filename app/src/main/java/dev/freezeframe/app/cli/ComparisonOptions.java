package dev.freezeframe.app.cli;

import dev.freezeframe.app.AppException;
import dev.freezeframe.coordinator.metrics.MetricComparison;
import picocli.CommandLine.Option;

/** The options every metric comparison takes ({@code compare}, {@code ab}): the test's level and the size threshold. */
final class ComparisonOptions {
    @Option(names = "--alpha", paramLabel = "P", defaultValue = "0.05",
            description = "Significance level of the t-test. Default: ${DEFAULT-VALUE}.")
    double alpha;

    @Option(names = "--threshold", paramLabel = "PERCENT", defaultValue = "5",
            description = "Smallest relative change of a mean that counts. Default: ${DEFAULT-VALUE} %%.")
    double thresholdPercent;

    @Option(names = "--json", description = "Print one JSON object with the comparison instead of the table.")
    boolean json;

    MetricComparison.Thresholds thresholds() {
        if (!(alpha > 0 && alpha < 1)) throw AppException.usage("--alpha must be between 0 and 1; got " + alpha + ".");
        if (!(thresholdPercent >= 0 && thresholdPercent < 1000)) {
            throw AppException.usage("--threshold must be a percentage of 0 or more; got " + thresholdPercent + ".");
        }
        return new MetricComparison.Thresholds(alpha, thresholdPercent / 100);
    }
}
