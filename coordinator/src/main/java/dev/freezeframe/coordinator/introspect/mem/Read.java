package dev.freezeframe.coordinator.introspect.mem;

import java.util.Objects;
import java.util.function.Function;

/**
 * The result of reading something out of guest memory: the value, or {@link Unavailable} with a sentence saying why it
 * could not be read (not mapped, outside guest RAM, a corrupt pointer, a budget used up). Bad guest data is never an
 * exception for the caller.
 *
 * <p>Inside a walk, {@link #orFault()} turns an unavailable result into a checked {@link Fault} so that long chains of
 * reads stay readable; walkers catch it at their public boundary and return it as an {@code Unavailable} again.
 */
public sealed interface Read<T> {

    record Ok<T>(T value) implements Read<T> {
        public Ok {
            Objects.requireNonNull(value, "value");
        }
    }

    record Unavailable<T>(String reason) implements Read<T> {
        public Unavailable {
            Objects.requireNonNull(reason, "reason");
        }

        /** The same reason, as a result of another type. */
        @SuppressWarnings("unchecked")
        public <U> Unavailable<U> cast() {
            return (Unavailable<U>) this;
        }
    }

    static <T> Read<T> ok(T value) {
        return new Ok<>(value);
    }

    static <T> Read<T> unavailable(String reason) {
        return new Unavailable<>(reason);
    }

    /** Runs a walk body that signals failure with {@link Fault}, as a {@code Read}. */
    static <T> Read<T> attempt(Body<T> body) {
        try {
            return ok(body.run());
        } catch (Fault f) {
            return unavailable(f.getMessage());
        }
    }

    /** A computation that may fail with a {@link Fault}. */
    @FunctionalInterface
    interface Body<T> {
        T run() throws Fault;
    }

    default boolean isOk() {
        return this instanceof Ok;
    }

    /** The value; a {@link Fault} with the reason when unavailable. */
    default T orFault() throws Fault {
        return switch (this) {
            case Ok<T> ok -> ok.value();
            case Unavailable<T> u -> throw new Fault(u.reason());
        };
    }

    /** The value, or the fallback when unavailable. */
    default T orElse(T fallback) {
        return this instanceof Ok<T> ok ? ok.value() : fallback;
    }

    /** The reason, or null when the value is there. */
    default String reasonOrNull() {
        return this instanceof Unavailable<T> u ? u.reason() : null;
    }

    default <U> Read<U> map(Function<? super T, ? extends U> f) {
        return switch (this) {
            case Ok<T> ok -> ok(f.apply(ok.value()));
            case Unavailable<T> u -> u.cast();
        };
    }

    default <U> Read<U> flatMap(Function<? super T, Read<U>> f) {
        return switch (this) {
            case Ok<T> ok -> f.apply(ok.value());
            case Unavailable<T> u -> u.cast();
        };
    }

    /** Prefixes the reason with what was being read ({@code "scx_root: "}); a value passes through. */
    default Read<T> context(String what) {
        return this instanceof Unavailable<T> u ? unavailable(what + ": " + u.reason()) : this;
    }

    /**
     * A read failed inside a walk. Checked and without a stack trace (walks over corrupt images raise many); never
     * leaves a walker's public method.
     */
    final class Fault extends Exception {
        public Fault(String reason) {
            super(reason, null, false, false);
        }
    }
}
