package dev.freezeframe.persistence;

import java.time.Instant;
import java.util.Optional;

/**
 * Which runs to list. Every part is optional; present parts must all match.
 *
 * @param scheduler     substring of the scheduler name (case-insensitive)
 * @param kernel        substring of the kernel image or its version (case-insensitive)
 * @param verdict       a verdict wire name, or {@code running} / {@code unfinished} / {@code interrupted}
 * @param startedFrom   runs started at or after
 * @param startedBefore runs started before
 * @param text          free text searched in the runs' console lines and event texts (all words must occur) and
 *                      in their verdict reasons
 * @param limit         at most this many runs (newest first); 0 = no limit
 */
public record RunFilter(Optional<String> scheduler, Optional<String> kernel, Optional<String> verdict,
                        Optional<Instant> startedFrom, Optional<Instant> startedBefore, Optional<String> text,
                        int limit) {
    public static final RunFilter ALL = new RunFilter(Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty(), Optional.empty(), Optional.empty(), 0);

    public RunFilter withScheduler(String s) {
        return new RunFilter(Optional.ofNullable(s), kernel, verdict, startedFrom, startedBefore, text, limit);
    }

    public RunFilter withKernel(String s) {
        return new RunFilter(scheduler, Optional.ofNullable(s), verdict, startedFrom, startedBefore, text, limit);
    }

    public RunFilter withVerdict(String s) {
        return new RunFilter(scheduler, kernel, Optional.ofNullable(s), startedFrom, startedBefore, text, limit);
    }

    public RunFilter withStartedFrom(Instant i) {
        return new RunFilter(scheduler, kernel, verdict, Optional.ofNullable(i), startedBefore, text, limit);
    }

    public RunFilter withStartedBefore(Instant i) {
        return new RunFilter(scheduler, kernel, verdict, startedFrom, Optional.ofNullable(i), text, limit);
    }

    public RunFilter withText(String s) {
        return new RunFilter(scheduler, kernel, verdict, startedFrom, startedBefore, Optional.ofNullable(s), limit);
    }

    public RunFilter withLimit(int n) {
        return new RunFilter(scheduler, kernel, verdict, startedFrom, startedBefore, text, n);
    }
}
