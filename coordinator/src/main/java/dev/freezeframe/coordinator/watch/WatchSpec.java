package dev.freezeframe.coordinator.watch;

import dev.freezeframe.coordinator.CoordinatorException;
import dev.freezeframe.vmm.WatchKind;
import java.util.Locale;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a user asks to watch, before it is resolved against the guest's symbols:
 * {@code SYMBOL[+OFF][:SIZE][:KIND][@LABEL]}, for example {@code total_forks}, {@code jiffies_64:8},
 * {@code init_task+0x5c0:4:write} or {@code sysctl_sched_features:read}; or a kernel address,
 * {@code 0xADDR[:SIZE][:KIND][@LABEL]}, for example {@code 0xffffc90000a01008:8@scx_qmap.bss:nr_enqueued} (a BPF map
 * value's field, whose address the snapshot report gives).
 *
 * <ul>
 *   <li>{@code OFF}: bytes from the symbol's address, hexadecimal with {@code 0x} or decimal;</li>
 *   <li>{@code SIZE}: 1, 2, 4 or 8 bytes; without it the watch takes 8 bytes when the address is 8-byte aligned and the
 *       symbol extends that far, else 4 (see {@link WatchSlots});</li>
 *   <li>{@code KIND}: {@code write} (the default), {@code read} or {@code access};</li>
 *   <li>{@code LABEL}: what tags, events and lists call the watch (after {@code @}: letters, digits and {@code _.:$+-[]>/});
 *       without it the symbol (with its offset) or the address.</li>
 * </ul>
 *
 * @param symbol    the kallsyms name
 * @param offset    bytes past the symbol's address, &ge; 0
 * @param hasOffset whether the user wrote an offset (even {@code +0}): the label then shows it
 * @param size      the requested size, empty for the default
 * @param kind      which accesses stop the guest
 * @param address   the kernel address watched when the spec names one instead of a symbol ({@code symbol} is then empty)
 * @param name      the label the user gave ({@code @LABEL}), empty for none
 */
public record WatchSpec(String symbol, long offset, boolean hasOffset, OptionalInt size, WatchKind kind,
                        OptionalLong address, String name) {
    /** The largest offset accepted: far past any variable, small enough to never wrap an address. */
    public static final long MAX_OFFSET = 1L << 30;
    public static final String SYNTAX = "SYMBOL[+OFF][:SIZE][:KIND][@LABEL] or 0xADDR[:SIZE][:KIND][@LABEL]";
    /** Longest label accepted: it becomes part of a snapshot tag. */
    public static final int MAX_LABEL = 120;

    private static final Pattern SYMBOL = Pattern.compile("[A-Za-z_.$][A-Za-z0-9_.$]*");
    private static final Pattern OFFSET = Pattern.compile("0[xX][0-9a-fA-F]{1,16}|[0-9]{1,19}");
    private static final Pattern ADDRESS = Pattern.compile("0[xX][0-9a-fA-F]{1,16}");
    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9_.:$+\\-\\[\\]>/]{1," + MAX_LABEL + "}");

    public WatchSpec {
        Objects.requireNonNull(symbol, "symbol");
        Objects.requireNonNull(size, "size");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(name, "name");
        if (address.isPresent() != symbol.isEmpty()) throw new IllegalArgumentException("a symbol or an address");
        if (address.isPresent() && hasOffset) throw new IllegalArgumentException("an address takes no offset");
        if (offset < 0 || offset > MAX_OFFSET) throw new IllegalArgumentException("offset " + offset);
        if (!hasOffset && offset != 0) throw new IllegalArgumentException("an offset without hasOffset");
        if (size.isPresent() && !validSize(size.getAsInt())) throw new IllegalArgumentException("size " + size);
    }

    /** A watch on a symbol, without a label of its own. */
    public WatchSpec(String symbol, long offset, boolean hasOffset, OptionalInt size, WatchKind kind) {
        this(symbol, offset, hasOffset, size, kind, OptionalLong.empty(), "");
    }

    /** A write watch on the symbol itself, default size. */
    public static WatchSpec of(String symbol) {
        return new WatchSpec(symbol, 0, false, OptionalInt.empty(), WatchKind.WRITE);
    }

    /**
     * A watch on a kernel address, labelled (a map value's field: {@code scx_qmap.bss:nr_enqueued}).
     *
     * @throws CoordinatorException when the label is empty, too long or has spaces or {@code @}
     */
    public static WatchSpec ofAddress(long address, int size, WatchKind kind, String label) {
        if (!validSize(size)) throw new CoordinatorException("A watch covers 1, 2, 4 or 8 bytes, not " + size + ".");
        String name = checkLabel(label, hex(address));
        return new WatchSpec("", 0, false, OptionalInt.of(size), kind, OptionalLong.of(address), name);
    }

    /** Whether the spec names an address rather than a symbol. */
    public boolean byAddress() {
        return address.isPresent();
    }

    /**
     * Parses {@code SYMBOL[+OFF][:SIZE][:KIND]}; SIZE and KIND may come in either order.
     *
     * @throws CoordinatorException with a sentence saying what is wrong and what is expected
     */
    public static WatchSpec parse(String text) {
        Objects.requireNonNull(text, "text");
        String t = text.strip();
        if (t.isEmpty()) throw refuse(text, "it is empty");
        String name = "";
        int at = t.indexOf('@');
        if (at >= 0) {
            String given = t.substring(at + 1).strip();
            if (given.isEmpty()) throw refuse(text, "the label after '@' is empty");
            if (!LABEL.matcher(given).matches()) {
                throw refuse(text, "the label '" + given + "' must be at most " + MAX_LABEL + " letters, digits or"
                        + " _ . : $ + - [ ] > /");
            }
            name = given;
            t = t.substring(0, at).strip();
        }
        String[] parts = t.split(":", -1);
        String target = parts[0];
        OptionalInt size = OptionalInt.empty();
        WatchKind kind = null;
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i].strip().toLowerCase(Locale.ROOT);
            if (p.isEmpty()) throw refuse(text, "there is an empty field after a ':'");
            if (p.chars().allMatch(Character::isDigit)) {
                if (size.isPresent()) throw refuse(text, "it gives the size twice");
                int n = p.length() > 2 ? -1 : Integer.parseInt(p);
                if (!validSize(n)) throw refuse(text, "a watch covers 1, 2, 4 or 8 bytes, not " + p);
                size = OptionalInt.of(n);
            } else {
                WatchKind k = kindOf(p);
                if (k == null) {
                    throw refuse(text, "'" + parts[i].strip() + "' is neither a size (1, 2, 4, 8) nor a kind (write, "
                            + "read, access)");
                }
                if (kind != null) throw refuse(text, "it gives the kind twice");
                kind = k;
            }
        }
        WatchKind chosen = kind == null ? WatchKind.WRITE : kind;
        String bare = target.strip();
        if (ADDRESS.matcher(bare).matches()) {
            long address = Long.parseUnsignedLong(bare.substring(2), 16);
            return new WatchSpec("", 0, false, size, chosen, OptionalLong.of(address), name);
        }
        int plus = target.indexOf('+');
        String symbolName = (plus < 0 ? target : target.substring(0, plus)).strip();
        if (!SYMBOL.matcher(symbolName).matches()) {
            throw refuse(text, symbolName.isEmpty() ? "the symbol is missing"
                    : "'" + symbolName + "' is not a kernel symbol name (letters, digits, '_', '.', '$') nor an"
                    + " address (0x and up to 16 hex digits)");
        }
        long offset = 0;
        if (plus >= 0) {
            String off = target.substring(plus + 1).strip();
            Matcher m = OFFSET.matcher(off);
            if (!m.matches()) {
                throw refuse(text, "the offset '" + off + "' is not a number (hexadecimal with 0x, or decimal)");
            }
            try {
                offset = off.length() > 2 && (off.charAt(1) == 'x' || off.charAt(1) == 'X')
                        ? Long.parseUnsignedLong(off.substring(2), 16) : Long.parseLong(off);
            } catch (NumberFormatException e) {
                offset = -1;
            }
            if (offset < 0 || offset > MAX_OFFSET) {
                throw refuse(text, "the offset " + off + " is beyond 0x" + Long.toHexString(MAX_OFFSET)
                        + " bytes past the symbol");
            }
        }
        return new WatchSpec(symbolName, offset, plus >= 0, size, chosen, OptionalLong.empty(), name);
    }

    /**
     * How the watch is named in tags, events and lists: the user's label, else {@code total_forks},
     * {@code jiffies_64+0x0}, or the address ({@code 0xffffc90000a01008}).
     */
    public String label() {
        return name.isEmpty() ? target() : name;
    }

    /** What is watched, without the label: {@code total_forks}, {@code jiffies_64+0x0}, {@code 0xffffc90000a01008}. */
    public String target() {
        if (address.isPresent()) return hex(address.getAsLong());
        return hasOffset ? symbol + "+0x" + Long.toHexString(offset) : symbol;
    }

    /** The spec written back in the syntax {@link #parse} reads. */
    public String text() {
        String s = target();
        if (size.isPresent()) s += ":" + size.getAsInt();
        if (kind != WatchKind.WRITE) s += ":" + kind.word();
        if (!name.isEmpty()) s += "@" + name;
        return s;
    }

    private static String checkLabel(String label, String fallback) {
        String l = label == null ? "" : label.strip();
        if (l.isEmpty()) return "";
        if (!LABEL.matcher(l).matches()) {
            throw new CoordinatorException("Cannot label the watch on " + fallback + " '" + l + "': a label is at most "
                    + MAX_LABEL + " letters, digits or _ . : $ + - [ ] > /.");
        }
        return l;
    }

    static String hex(long address) {
        return "0x" + Long.toHexString(address);
    }

    static boolean validSize(int n) {
        return n == 1 || n == 2 || n == 4 || n == 8;
    }

    private static WatchKind kindOf(String word) {
        for (WatchKind k : WatchKind.values()) {
            if (k.word().equals(word)) return k;
        }
        return null;
    }

    private static CoordinatorException refuse(String text, String why) {
        return new CoordinatorException("Cannot read the watch '" + text.strip() + "': " + why + ". Expected "
                + SYNTAX + ", e.g. total_forks, jiffies_64:8, init_task+0x5c0:4:write or 0xffffc90000a01008:8@nr_enqueued.");
    }

    @Override
    public String toString() {
        return text();
    }
}
