package dev.freezeframe.vmm.kit;

import dev.freezeframe.vmm.VmmException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the kit needs to know about an ELF file: is it an x86-64 program, is it static, which shared libraries it needs
 * ({@code DT_NEEDED}, for user schedulers) and which sections it has ({@code .BTF}, for vmlinux).
 */
public record ElfInfo(Path path, int elfClass, int machine, int type, Optional<String> interpreter,
                      List<String> needed, List<String> runPath, Map<String, Section> sections) {
    public static final int CLASS_64 = 2;
    public static final int EM_X86_64 = 62;
    public static final int ET_EXEC = 2;
    public static final int ET_DYN = 3;
    private static final int PT_LOAD = 1;
    private static final int PT_DYNAMIC = 2;
    private static final int PT_INTERP = 3;
    private static final long DT_NEEDED = 1;
    private static final long DT_STRTAB = 5;
    private static final long DT_RPATH = 15;
    private static final long DT_RUNPATH = 29;

    /** A section's place in the file. */
    public record Section(String name, long offset, long size) {
    }

    public boolean isX86_64Program() {
        return elfClass == CLASS_64 && machine == EM_X86_64 && (type == ET_EXEC || type == ET_DYN);
    }

    public boolean isStatic() {
        return interpreter.isEmpty() && needed.isEmpty();
    }

    /** True if {@code path} starts with the ELF magic. */
    public static boolean isElf(Path path) {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            ByteBuffer magic = ByteBuffer.allocate(4);
            ch.read(magic, 0);
            return magic.position() == 4 && magic.get(0) == 0x7f && magic.get(1) == 'E' && magic.get(2) == 'L'
                    && magic.get(3) == 'F';
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Parses an ELF file.
     *
     * @throws VmmException if the file cannot be read or is not a little-endian ELF64 file
     */
    public static ElfInfo read(Path path) {
        if (!Files.isRegularFile(path)) {
            throw new VmmException(path + " does not exist or is not a regular file.");
        }
        if (!isElf(path)) {
            throw new VmmException(path + " is not an ELF binary.");
        }
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            MappedByteBuffer map = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size());
            map.order(ByteOrder.LITTLE_ENDIAN);
            int elfClass = map.get(4);
            int data = map.get(5);
            int type = Short.toUnsignedInt(map.getShort(16));
            int machine = Short.toUnsignedInt(map.getShort(18));
            if (elfClass != CLASS_64 || data != 1) {
                return new ElfInfo(path, elfClass, machine, type, Optional.empty(), List.of(), List.of(), Map.of());
            }
            return parse64(path, map, type, machine);
        } catch (IOException | IndexOutOfBoundsException | IllegalArgumentException e) {
            throw new VmmException(path + " is not a readable ELF binary.", e);
        }
    }

    private static ElfInfo parse64(Path path, ByteBuffer map, int type, int machine) {
        long phoff = map.getLong(32);
        long shoff = map.getLong(40);
        int phentsize = Short.toUnsignedInt(map.getShort(54));
        int phnum = Short.toUnsignedInt(map.getShort(56));
        int shentsize = Short.toUnsignedInt(map.getShort(58));
        int shnum = Short.toUnsignedInt(map.getShort(60));
        int shstrndx = Short.toUnsignedInt(map.getShort(62));

        String interpreter = null;
        long dynOffset = -1;
        long dynSize = 0;
        List<long[]> loads = new ArrayList<>(); // {vaddr, offset, filesz}
        for (int i = 0; i < phnum; i++) {
            int p = Math.toIntExact(phoff + (long) i * phentsize);
            int pType = map.getInt(p);
            long offset = map.getLong(p + 8);
            long vaddr = map.getLong(p + 16);
            long filesz = map.getLong(p + 32);
            switch (pType) {
                case PT_INTERP -> interpreter = cString(map, offset);
                case PT_DYNAMIC -> {
                    dynOffset = offset;
                    dynSize = filesz;
                }
                case PT_LOAD -> loads.add(new long[] {vaddr, offset, filesz});
                default -> { }
            }
        }

        List<String> needed = new ArrayList<>();
        List<String> runPath = new ArrayList<>();
        if (dynOffset >= 0) {
            List<Long> neededOffsets = new ArrayList<>();
            List<Long> pathOffsets = new ArrayList<>();
            long strtabVaddr = -1;
            for (long d = dynOffset; d + 16 <= dynOffset + dynSize; d += 16) {
                long tag = map.getLong(Math.toIntExact(d));
                long val = map.getLong(Math.toIntExact(d + 8));
                if (tag == 0) {
                    break;
                }
                if (tag == DT_NEEDED) {
                    neededOffsets.add(val);
                } else if (tag == DT_STRTAB) {
                    strtabVaddr = val;
                } else if (tag == DT_RPATH || tag == DT_RUNPATH) {
                    pathOffsets.add(val);
                }
            }
            long strtab = fileOffset(loads, strtabVaddr);
            if (strtab >= 0) {
                for (long n : neededOffsets) {
                    needed.add(cString(map, strtab + n));
                }
                for (long n : pathOffsets) {
                    runPath.addAll(List.of(cString(map, strtab + n).split(":")));
                }
            }
        }

        Map<String, Section> sections = new LinkedHashMap<>();
        if (shoff != 0 && shnum > 0 && shstrndx < shnum) {
            long names = map.getLong(Math.toIntExact(shoff + (long) shstrndx * shentsize + 24));
            for (int i = 0; i < shnum; i++) {
                int s = Math.toIntExact(shoff + (long) i * shentsize);
                String name = cString(map, names + Integer.toUnsignedLong(map.getInt(s)));
                sections.put(name, new Section(name, map.getLong(s + 24), map.getLong(s + 32)));
            }
        }
        return new ElfInfo(path, CLASS_64, machine, type, Optional.ofNullable(interpreter), List.copyOf(needed),
                List.copyOf(runPath), Map.copyOf(sections));
    }

    private static long fileOffset(List<long[]> loads, long vaddr) {
        for (long[] load : loads) {
            if (vaddr >= load[0] && vaddr < load[0] + load[2]) {
                return vaddr - load[0] + load[1];
            }
        }
        return -1;
    }

    private static String cString(ByteBuffer map, long offset) {
        int start = Math.toIntExact(offset);
        int end = start;
        while (map.get(end) != 0) {
            end++;
        }
        byte[] bytes = new byte[end - start];
        map.get(start, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** Reads a section's bytes (e.g. {@code .BTF}). */
    public byte[] sectionBytes(String name) {
        Section section = sections.get(name);
        if (section == null) {
            throw new VmmException(path + " has no " + name + " section.");
        }
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            ByteBuffer buffer = ByteBuffer.allocate(Math.toIntExact(section.size()));
            while (buffer.hasRemaining() && ch.read(buffer, section.offset() + buffer.position()) > 0) {
                // keep reading
            }
            return buffer.array();
        } catch (IOException e) {
            throw new VmmException("Cannot read " + name + " of " + path + ".", e);
        }
    }

    /** Where the libraries of a dynamic program live on this host. */
    static final List<Path> LIBRARY_DIRS = List.of(Path.of("/lib/x86_64-linux-gnu"), Path.of("/usr/lib/x86_64-linux-gnu"),
            Path.of("/lib64"), Path.of("/usr/lib64"), Path.of("/lib"), Path.of("/usr/lib"), Path.of("/usr/local/lib"));

    /**
     * Resolves {@code DT_NEEDED} transitively, the way the dynamic loader would without an ld.so.cache: RPATH/RUNPATH
     * (with {@code $ORIGIN}), then the standard directories.
     *
     * @return soname → host file, in load order
     * @throws VmmException naming the first library that cannot be found
     */
    public Map<String, Path> resolveLibraries(List<Path> searchDirs) {
        Map<String, Path> found = new LinkedHashMap<>();
        resolveInto(this, searchDirs, found);
        return found;
    }

    private static void resolveInto(ElfInfo elf, List<Path> searchDirs, Map<String, Path> found) {
        for (String soname : elf.needed()) {
            if (found.containsKey(soname)) {
                continue;
            }
            Path lib = locate(elf, soname, searchDirs);
            if (lib == null) {
                throw new VmmException(elf.path() + " needs " + soname + ", which is not installed on this machine"
                        + " (searched " + searchDirs + "); install it or link the scheduler statically.");
            }
            found.put(soname, lib);
            resolveInto(read(lib), searchDirs, found);
        }
    }

    private static Path locate(ElfInfo elf, String soname, List<Path> searchDirs) {
        if (soname.contains("/")) {
            Path direct = Path.of(soname);
            return Files.isRegularFile(direct) ? direct : null;
        }
        List<Path> dirs = new ArrayList<>();
        Path origin = elf.path().toAbsolutePath().getParent();
        for (String entry : elf.runPath()) {
            if (!entry.isEmpty()) {
                dirs.add(Path.of(entry.replace("$ORIGIN", origin.toString()).replace("${ORIGIN}", origin.toString())));
            }
        }
        dirs.addAll(searchDirs);
        for (Path dir : dirs) {
            Path candidate = dir.resolve(soname);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        return null;
    }
}
