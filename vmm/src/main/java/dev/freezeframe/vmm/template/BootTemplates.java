package dev.freezeframe.vmm.template;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The folder of boot templates ({@code ${XDG_CACHE_HOME:-~/.cache}/freezeframe/templates} by default), one template per
 * {@linkplain TemplateKey#slot() slot}: when a new one is saved, the slot's stale ones (another kernel, kit, agent or
 * VMM) are deleted.
 */
public final class BootTemplates {
    private static final Logger LOG = LoggerFactory.getLogger(BootTemplates.class);
    private final Path root;

    public BootTemplates(Path root) {
        this.root = root;
    }

    /** The default folder, next to the guest kit's cache. */
    public static BootTemplates inCache() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path cache = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return new BootTemplates(cache.resolve("freezeframe").resolve("templates"));
    }

    public Path root() {
        return root;
    }

    /** The template for {@code key}: present or not yet made. */
    public BootTemplate of(TemplateKey key) {
        return new BootTemplate(root.resolve(key.directoryName()), key);
    }

    /** A fresh, empty folder to save into; {@link #publish} makes it the template. */
    public Path prepare(BootTemplate template) throws IOException {
        Files.createDirectories(root);
        Path work = root.resolve(template.dir().getFileName() + ".partial-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
        deleteTree(work);
        Files.createDirectories(work);
        return work;
    }

    /** Moves a saved folder into place and drops the slot's other templates. */
    public void publish(Path work, BootTemplate template) throws IOException {
        Files.writeString(work.resolve(BootTemplate.COMPLETE), template.key().digest() + "\n");
        deleteTree(template.dir());
        Files.move(work, template.dir());
        try (Stream<Path> others = Files.list(root)) {
            others.filter(p -> p.getFileName().toString().startsWith(template.key().slot() + "-"))
                    .filter(p -> !p.equals(template.dir()))
                    .forEach(stale -> {
                        LOG.info("Deleting the stale boot template {}", stale);
                        deleteTree(stale);
                    });
        }
    }

    /** Deletes a template that failed to restore, so the next run makes a new one. */
    public void discard(BootTemplate template) {
        deleteTree(template.dir());
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) return;
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            LOG.warn("Could not delete {}", dir, e);
        }
    }
}
