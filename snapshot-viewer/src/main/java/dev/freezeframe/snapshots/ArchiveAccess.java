package dev.freezeframe.snapshots;

import dev.freezeframe.persistence.Archive;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/** Runs a read against the archive off the FX thread (the run tab's reader: {@code reader::read}). */
@FunctionalInterface
public interface ArchiveAccess {
    <T> CompletableFuture<T> read(Function<Archive, T> query);
}
