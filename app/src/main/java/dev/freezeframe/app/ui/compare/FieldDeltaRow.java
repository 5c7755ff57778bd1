package dev.freezeframe.app.ui.compare;

import dev.freezeframe.persistence.RunComparison;
import java.util.OptionalDouble;

/**
 * One row of the compare view's delta table: a numeric map field in the snapshot of run A and of run B (a side
 * without the field is empty).
 */
public record FieldDeltaRow(String map, String field, OptionalDouble a, OptionalDouble b) {

    public static FieldDeltaRow of(RunComparison.FieldDelta d) {
        return new FieldDeltaRow(d.map(), d.field(), d.a(), d.b());
    }

    /** A − B, when both sides have the field. */
    public OptionalDouble aMinusB() {
        return a.isPresent() && b.isPresent() ? OptionalDouble.of(a.getAsDouble() - b.getAsDouble())
                : OptionalDouble.empty();
    }

    /** A / B, when both sides have the field and B is not zero. */
    public OptionalDouble ratio() {
        return a.isPresent() && b.isPresent() && b.getAsDouble() != 0
                ? OptionalDouble.of(a.getAsDouble() / b.getAsDouble()) : OptionalDouble.empty();
    }
}
