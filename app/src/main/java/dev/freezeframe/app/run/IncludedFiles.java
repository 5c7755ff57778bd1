package dev.freezeframe.app.run;

import dev.freezeframe.app.AppException;
import dev.freezeframe.coordinator.model.RunConfig.IncludedFile;
import dev.freezeframe.coordinator.wire.WireMessage;
import dev.freezeframe.vmm.VmmException;
import dev.freezeframe.vmm.kit.ElfInfo;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;
import java.util.zip.Deflater;

/**
 * {@code --include PATH[:NAME]}: user files shipped into the guest's {@code /run.d/include/NAME}, for a scenario's
 * {@code exec} workloads. The guest has busybox and no dynamic loader, so a binary must be statically linked (a
 * {@code #!} script for busybox's shells works too). A cold boot carries them in its per-run archive; a boot
 * template's guest, whose initramfs is shared, receives each as one zlib-compressed INCLUDE_FILE frame after its plan.
 */
public final class IncludedFiles {
    public static final int MAX_FILES = 8;
    /** A file's size in the guest (its RAM-backed initramfs). */
    public static final long MAX_BYTES = 16L << 20;
    /** A frame's payload is at most 1 MiB; the name and size go with the compressed bytes. */
    static final int MAX_COMPRESSED = (1 << 20) - 64;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,48}");

    private IncludedFiles() {
    }

    /**
     * Checks each {@code PATH[:NAME]} as typed: the file exists, is small enough, is a static binary or a script,
     * and the names are well formed and unique.
     *
     * @throws AppException a usage error naming the option and the file
     */
    public static List<IncludedFile> check(Collection<String> typed) {
        if (typed.size() > MAX_FILES) {
            throw AppException.usage("--include can be given at most " + MAX_FILES + " times; got " + typed.size()
                    + ".");
        }
        List<IncludedFile> files = new ArrayList<>();
        for (String spec : typed) {
            IncludedFile file = parse(spec);
            if (files.stream().anyMatch(f -> f.name().equals(file.name()))) {
                throw AppException.usage("--include " + spec + ": the name '" + file.name() + "' is shipped twice;"
                        + " give one of them another name (PATH:NAME).");
            }
            checkFile(spec, Path.of(file.path()));
            files.add(file);
        }
        return files;
    }

    /**
     * The file as {@code --include} takes it: its path, with {@code :NAME} when the name in the guest differs from the
     * file's name or the path holds a colon (the last colon splits PATH from NAME); it parses back to the same file.
     */
    public static String spec(IncludedFile file) {
        boolean sameName = Path.of(file.path()).getFileName().toString().equals(file.name());
        return sameName && !file.path().contains(":") ? file.path() : file.path() + ":" + file.name();
    }

    private static IncludedFile parse(String spec) {
        String path = spec;
        String name = null;
        int colon = spec.lastIndexOf(':');
        if (colon > 0) {
            path = spec.substring(0, colon);
            name = spec.substring(colon + 1);
        }
        try {
            Path file = Path.of(path).toAbsolutePath();
            if (name == null) name = file.getFileName() == null ? "" : file.getFileName().toString();
            if (!NAME.matcher(name).matches()) {
                throw AppException.usage("--include " + spec + ": the name in the guest must be 1-48 letters, digits,"
                        + " '_', '.' or '-' (give one as PATH:NAME).");
            }
            return new IncludedFile(file.toString(), name);
        } catch (InvalidPathException e) {
            throw AppException.usage("--include " + spec + ": '" + path + "' is not a file path.");
        }
    }

    private static void checkFile(String spec, Path file) {
        try {
            if (!Files.isRegularFile(file)) {
                throw AppException.usage("--include " + spec + ": there is no file " + file + ".");
            }
            long size = Files.size(file);
            if (size > MAX_BYTES) {
                throw AppException.usage("--include " + spec + ": the file is " + (size >> 20) + " MiB; at most "
                        + (MAX_BYTES >> 20) + " MiB can be shipped into the guest.");
            }
            byte[] start = new byte[4];
            int read;
            try (var in = Files.newInputStream(file)) {
                read = in.readNBytes(start, 0, 4);
            }
            if (read >= 2 && start[0] == '#' && start[1] == '!') return;
            if (read < 4 || start[0] != 0x7f || start[1] != 'E' || start[2] != 'L' || start[3] != 'F') {
                throw AppException.usage("--include " + spec + ": " + file + " is neither an ELF binary nor a #!"
                        + " script, so the guest cannot run it.");
            }
            if (!ElfInfo.read(file).isStatic()) {
                throw AppException.usage("--include " + spec + ": " + file + " is dynamically linked; the guest has no"
                        + " dynamic loader or libraries, so ship a statically linked binary (e.g. gcc -static).");
            }
        } catch (IOException | VmmException e) {
            throw AppException.usage("--include " + spec + ": cannot read " + file + " (" + e.getMessage() + ").");
        }
    }

    /** The file's bytes as the INCLUDE_FILE frame a template's guest receives. */
    public static WireMessage.IncludeFile message(IncludedFile file) {
        byte[] bytes = read(file);
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
        deflater.setInput(bytes);
        deflater.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length / 2 + 64);
        byte[] buffer = new byte[64 * 1024];
        while (!deflater.finished()) out.write(buffer, 0, deflater.deflate(buffer));
        deflater.end();
        if (out.size() > MAX_COMPRESSED) {
            throw AppException.usage("--include " + file.path() + ": compressed it is still " + (out.size() >> 10)
                    + " KiB, more than the " + (MAX_COMPRESSED >> 10) + " KiB one channel frame carries to a boot"
                    + " template's guest; run with --cold-boot to ship it in the boot archive.");
        }
        return new WireMessage.IncludeFile(file.name(), bytes.length, out.toByteArray());
    }

    /** The file's bytes, as the per-run archive of a cold boot carries them. */
    public static byte[] read(IncludedFile file) {
        try {
            byte[] bytes = Files.readAllBytes(Path.of(file.path()));
            if (bytes.length > MAX_BYTES) throw AppException.usage("--include " + file.path() + " grew past "
                    + (MAX_BYTES >> 20) + " MiB since the run was checked.");
            return bytes;
        } catch (IOException e) {
            throw new AppException("Cannot read the included file " + file.path() + " (" + e.getMessage() + ").", e);
        }
    }
}
