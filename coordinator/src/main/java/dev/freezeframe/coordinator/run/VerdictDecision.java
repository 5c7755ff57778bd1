package dev.freezeframe.coordinator.run;

import dev.freezeframe.coordinator.model.Verdict;
import java.util.Objects;

/** A verdict with the sentence that explains it (the kernel's exit reason, the panic message, what hung...). */
public record VerdictDecision(Verdict verdict, String reason) {
    public VerdictDecision {
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(reason, "reason");
    }
}
