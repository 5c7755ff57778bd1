package dev.freezeframe.coordinator.watch;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.freezeframe.coordinator.CoordinatorException;
import dev.freezeframe.coordinator.introspect.kernel.KernelSymbolTable;
import dev.freezeframe.coordinator.model.SnapshotRecord;
import dev.freezeframe.vmm.FrozenVm;
import dev.freezeframe.vmm.RunningVm;
import dev.freezeframe.vmm.WatchHit;
import dev.freezeframe.vmm.WatchHitListener;
import dev.freezeframe.vmm.WatchKind;
import dev.freezeframe.vmm.Watchpoint;
import dev.freezeframe.vmm.VmmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The user's watch slots of one run (docs/architecture.md §7): slots 1–3 hold data watchpoints on kernel symbols; slot 0 is the
 * scheduler-error trigger, armed and disarmed by the run itself and only ever reported here. The command line's
 * {@code --watch} and {@code --control stdin}, and later the UI, all go through this API.
 *
 * <p><b>Arming</b> resolves {@code SYMBOL[+OFF]} against the guest's kallsyms and refuses, with a sentence saying why
 * and a {@code refused} event: an unknown symbol (with close names when there are any), a function, a per-CPU variable
 * (its kallsyms value is an offset, not an address), an offset past the symbol, an address not aligned to the size, a
 * kind the VM cannot watch (naming those it can), an address already watched, and a fourth watch (naming what each
 * slot holds). Without a size a watch takes 8 bytes when the address is 8-byte aligned and the symbol extends 8 bytes
 * (up to the next kallsyms symbol), else 4.
 *
 * <p><b>Each hit</b> (delivered with the guest stopped) captures a snapshot tagged {@code watch:<label>} (kind
 * {@code watch}) whose report's {@code trigger} holds the slot, hit number, vCPU, old and new value (hex), and RIP with
 * its symbol, then resumes the guest; a {@code hit} event follows. The {@link WatchPolicy} bounds the cost: only the
 * first few hits of a watch get a snapshot, and a watch hit too often is disarmed with an {@code auto_disarmed} event.
 *
 * <p>Events (lane {@code watchpoints}): {@code armed}, {@code hit}, {@code disarmed}, {@code auto_disarmed},
 * {@code refused} (text = the reason); each carries a JSON detail.
 *
 * <p>Thread-safe: arm and disarm may come from any thread, hits from the VM's delivery thread.
 */
public final class WatchSlots implements WatchHitListener {
    private static final Logger LOG = LoggerFactory.getLogger(WatchSlots.class);
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    public static final int USER_SLOTS = 3;
    public static final String TAG_PREFIX = "watch:";

    /** The VM as far as watching goes; {@link #of(RunningVm)} adapts a running guest. */
    public interface Target {
        Set<WatchKind> supportedKinds();

        void arm(Watchpoint watchpoint);

        boolean disarm(Watchpoint watchpoint);

        List<Watchpoint> armed();

        static Target of(RunningVm vm) {
            return new Target() {
                @Override
                public Set<WatchKind> supportedKinds() {
                    return vm.supportedWatchKinds();
                }

                @Override
                public void arm(Watchpoint watchpoint) {
                    vm.arm(watchpoint);
                }

                @Override
                public boolean disarm(Watchpoint watchpoint) {
                    return vm.disarm(watchpoint);
                }

                @Override
                public List<Watchpoint> armed() {
                    return vm.armedWatchpoints();
                }
            };
        }
    }

    /** The run around the slots: its event stream, its capture engine and its slot 0. */
    public interface Host {
        /** Puts an event on the run's stream (lane watchpoints). */
        void event(String kind, String text, ObjectNode detail);

        /** Captures a snapshot from a stop the caller holds, stores and archives it, and returns it. */
        SnapshotRecord capture(FrozenVm frozen, String tag, ObjectNode trigger);

        /** Slot 0's watchpoint while the scheduler-error trigger is armed. */
        Optional<Watchpoint> errorTrigger();

        /**
         * Keeps the guest frozen after a hit of a "stay frozen on hit" slot: joins the hit's stop as the user's hold,
         * labelled with the hit's snapshot tag, so the guest runs again only on the user's resume.
         *
         * @throws CoordinatorException when the hold cannot be taken (the guest then resumes as after any hit)
         */
        void holdAfterHit(FrozenVm frozen, String tag);
    }

    private final Target target;
    private final Host host;
    private final KernelSymbolTable symbols;
    private final WatchPolicy policy;
    private final LongSupplier clock;
    private final ReentrantLock lock = new ReentrantLock();
    /** The next hit of any user slot keeps the guest frozen, once ("run to the next hit", F9); guarded by lock. */
    private boolean holdNextHit;
    private final Slot[] slots = new Slot[USER_SLOTS + 1]; // index 0 unused: slot 0 is the error trigger's

    /**
     * @param symbols the guest's symbol table (non-empty: the agent has sent it)
     * @param clock   monotonic nanoseconds for the hot-watch rate ({@code System::nanoTime})
     */
    public WatchSlots(Target target, Host host, KernelSymbolTable symbols, WatchPolicy policy, LongSupplier clock) {
        this.target = Objects.requireNonNull(target, "target");
        this.host = Objects.requireNonNull(host, "host");
        this.symbols = Objects.requireNonNull(symbols, "symbols");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public WatchPolicy policy() {
        return policy;
    }

    public KernelSymbolTable symbols() {
        return symbols;
    }

    // ---- arm ----

    /**
     * Arms {@code SYMBOL[+OFF][:SIZE][:KIND]} in the lowest free slot.
     *
     * @throws CoordinatorException when refused; the reason is also put on the run's stream as a {@code refused} event
     */
    public ArmedWatch arm(String text) {
        WatchSpec spec;
        try {
            spec = WatchSpec.parse(text);
        } catch (CoordinatorException e) {
            throw refused(text, e.getMessage());
        }
        return arm(spec);
    }

    /** Arms {@code spec} in the lowest free slot; see {@link #arm(String)}. */
    public ArmedWatch arm(WatchSpec spec) {
        lock.lock();
        try {
            int free = freeSlot();
            if (free < 0) {
                throw refused(spec.text(), "All " + USER_SLOTS + " user watch slots are in use (" + slotSummary()
                        + "); slot 0 is reserved for the scheduler-error trigger; disarm one first"
                        + " (unwatch SLOT|SYMBOL) to watch " + spec.label() + ".");
            }
            Set<WatchKind> kinds = target.supportedKinds();
            if (!kinds.contains(spec.kind())) {
                throw refused(spec.text(), "This VM cannot watch " + spec.kind().word() + "s of " + spec.label()
                        + (kinds.isEmpty() ? "; its backend has no watchpoints at all."
                        : "; it can watch " + kinds.stream().map(WatchKind::word).collect(Collectors.joining(", "))
                        + (spec.kind() == WatchKind.READ && kinds.contains(WatchKind.ACCESS)
                        ? " (:access stops on reads and writes)." : ".")));
            }
            KernelSymbolTable.Symbol symbol = spec.byAddress() ? resolveAddress(spec) : resolve(spec);
            Watchpoint watchpoint = watchpoint(spec, symbol);
            checkNotWatched(spec, watchpoint);
            try {
                target.arm(watchpoint);
            } catch (VmmException e) {
                throw refused(spec.text(), e.kind() == VmmException.Kind.VM_GONE
                        ? "The run has ended: " + spec.label() + " cannot be watched any more."
                        : "The VM refused to watch " + spec.label() + ": " + e.getMessage());
            }
            Slot slot = new Slot(free, spec, symbol, watchpoint);
            slots[free] = slot;
            ArmedWatch armed = slot.view();
            ObjectNode detail = watchJson(armed);
            detail.put("symbol_type", String.valueOf(symbol.type()));
            if (symbol.module() != null) detail.put("module", symbol.module());
            if (spec.byAddress()) symbols.symbolize(watchpoint.address()).ifPresent(w -> detail.put("where", w));
            host.event("armed", "slot " + free + ": " + armed.describe() + " armed", detail);
            return armed;
        } finally {
            lock.unlock();
        }
    }

    private KernelSymbolTable.Symbol resolve(WatchSpec spec) {
        Optional<KernelSymbolTable.Symbol> found = symbols.resolve(spec.symbol());
        if (found.isEmpty()) {
            List<String> close = symbols.search(spec.symbol(), 200).stream().map(KernelSymbolTable.Symbol::name)
                    .filter(n -> !n.startsWith("__pfx_")).distinct().limit(5).toList();
            throw refused(spec.text(), spec.symbol() + " is not in the guest kernel's symbol table (" + symbols.size()
                    + " kallsyms symbols)" + (close.isEmpty() ? "; check the name."
                    : "; names containing it: " + String.join(", ", close) + "."));
        }
        KernelSymbolTable.Symbol symbol = found.get();
        if (isCode(symbol)) {
            throw refused(spec.text(), spec.symbol() + " is a function (" + hex(symbol.address()) + " lies in the "
                    + "kernel's code): watchpoints watch data, so pick a variable it reads or writes.");
        }
        if (symbol.address() >= 0) {
            throw refused(spec.text(), spec.symbol() + " is a per-CPU variable (its kallsyms value "
                    + hex(symbol.address()) + " is an offset into each CPU's area, not an address); per-CPU watches are"
                    + " not supported.");
        }
        OptionalLong extent = symbols.extent(symbol);
        if (spec.offset() > 0 && extent.isPresent() && spec.offset() >= extent.getAsLong()) {
            throw refused(spec.text(), spec.label() + " lies past the end of " + spec.symbol() + ", which spans "
                    + extent.getAsLong() + " bytes up to the next symbol; watch that symbol instead.");
        }
        return symbol;
    }

    /**
     * An address spec: the address must be a kernel address outside the kernel's code (the same rules as for a
     * symbol); it resolves to the kallsyms symbol it lies in when it is inside the kernel image, else to a symbol named
     * by the spec's label (a BPF map value in vmalloc'd or direct-mapped memory has no kallsyms name).
     */
    private KernelSymbolTable.Symbol resolveAddress(WatchSpec spec) {
        long address = spec.address().orElseThrow();
        if (address >= 0) {
            throw refused(spec.text(), hex(address) + " is not a kernel address (kernel addresses have the top bit set,"
                    + " e.g. 0xffff888000000000); user-space addresses and per-CPU offsets cannot be watched.");
        }
        Optional<KernelSymbolTable.Symbol> container = symbols.containing(address);
        if (container.isPresent() && isCode(container.get())) {
            throw refused(spec.text(), spec.label() + " (" + hex(address) + ") lies in the kernel's code ("
                    + symbols.symbolize(address).orElse(container.get().name()) + "): watchpoints watch data, so pick"
                    + " a variable it reads or writes.");
        }
        return container.orElseGet(() -> new KernelSymbolTable.Symbol(spec.label(), address, '?', null));
    }

    /**
     * Whether a symbol is code. The kernel image's symbols are judged by address ({@code _stext.._etext} and the init
     * text), because their kallsyms type letters cannot be trusted: the 7.3 kit's kernel lists {@code .data} variables
     * such as {@code jiffies_64} as {@code T}. A module's letters come from its own symbol table and are used as given.
     */
    private boolean isCode(KernelSymbolTable.Symbol symbol) {
        if (symbol.module() != null) return Character.toLowerCase(symbol.type()) == 't';
        return within(symbol.address(), "_stext", "_etext") || within(symbol.address(), "_sinittext", "_einittext");
    }

    private boolean within(long address, String start, String end) {
        Optional<KernelSymbolTable.Symbol> from = symbols.resolve(start);
        Optional<KernelSymbolTable.Symbol> to = symbols.resolve(end);
        return from.isPresent() && to.isPresent() && Long.compareUnsigned(address, from.get().address()) >= 0
                && Long.compareUnsigned(address, to.get().address()) < 0;
    }

    /** The watched range: the size asked for, else 8 bytes when aligned and inside the symbol, else 4. */
    private Watchpoint watchpoint(WatchSpec spec, KernelSymbolTable.Symbol symbol) {
        long address = spec.byAddress() ? spec.address().getAsLong() : symbol.address() + spec.offset();
        int size;
        if (spec.size().isPresent()) {
            size = spec.size().getAsInt();
        } else if (spec.byAddress()) {
            size = (address & 7) == 0 ? 8 : 4;
        } else {
            OptionalLong extent = symbols.extent(symbol);
            long room = extent.isPresent() ? extent.getAsLong() - spec.offset() : Long.MAX_VALUE;
            size = (address & 7) == 0 && room >= 8 ? 8 : 4;
        }
        if ((address & (size - 1)) != 0) {
            throw refused(spec.text(), "Cannot watch " + size + " bytes at " + spec.label() + " (" + hex(address)
                    + "): a " + size + "-byte watch must be " + size + "-byte aligned; use an aligned offset"
                    + (size > 1 ? " or a smaller size (:" + Long.lowestOneBit(address | 8) + ")" : "") + ".");
        }
        return new Watchpoint(address, size, spec.kind());
    }

    /** Overlapping watches would make a hit's owner ambiguous (the VMM reports one address), so they are refused. */
    private void checkNotWatched(WatchSpec spec, Watchpoint w) {
        List<Watchpoint> users = new ArrayList<>();
        for (Slot s : slots) {
            if (s == null) continue;
            users.add(s.watchpoint);
            if (s.watchpoint.covers(w.address(), w.length())) {
                throw refused(spec.text(), spec.label() + " (" + hex(w.address()) + ") is already watched "
                        + (s.watchpoint.address() == w.address() ? "in" : "in part by") + " slot " + s.number + " ("
                        + s.view().describe() + "); unwatch it first to change the watch.");
            }
        }
        for (Watchpoint other : target.armed()) {
            if (!users.contains(other) && other.covers(w.address(), w.length())) {
                boolean errorTrigger = host.errorTrigger().map(other::equals).orElse(false);
                throw refused(spec.text(), spec.label() + " (" + hex(w.address()) + ") overlaps "
                        + (errorTrigger ? "slot 0, the scheduler-error trigger" : "a watchpoint the run armed itself")
                        + " (" + other + ").");
            }
        }
    }

    private int freeSlot() {
        for (int i = 1; i <= USER_SLOTS; i++) {
            if (slots[i] == null) return i;
        }
        return -1;
    }

    private String slotSummary() {
        List<String> parts = new ArrayList<>();
        for (int i = 1; i <= USER_SLOTS; i++) parts.add(i + ": " + (slots[i] == null ? "free" : slots[i].spec.label()));
        return String.join(", ", parts);
    }

    // ---- disarm ----

    /**
     * Disarms a slot given by number ({@code 2}) or by what it watches ({@code total_forks}, {@code jiffies_64+0x8}).
     *
     * @throws CoordinatorException when there is nothing to disarm (a {@code refused} event says so too)
     */
    public ArmedWatch disarm(String slotOrWatch) {
        String t = Objects.requireNonNull(slotOrWatch, "slotOrWatch").strip();
        if (!t.isEmpty() && t.chars().allMatch(Character::isDigit)) {
            return disarm(t.length() > 3 ? Integer.MAX_VALUE : Integer.parseInt(t));
        }
        lock.lock();
        try {
            List<Slot> byLabel = matching(s -> s.spec.label().equals(t));
            List<Slot> matches = byLabel.isEmpty() ? matching(s -> s.spec.symbol().equals(t)) : byLabel;
            if (matches.isEmpty()) {
                throw refusedDisarm(t, "Nothing watches " + t + " (" + slotSummary() + ").");
            }
            if (matches.size() > 1) {
                throw refusedDisarm(t, t + " is watched in slots " + matches.stream().map(s -> String.valueOf(s.number))
                        .collect(Collectors.joining(" and ")) + "; give the slot number.");
            }
            return disarmSlot(matches.getFirst(), t);
        } finally {
            lock.unlock();
        }
    }

    /** Disarms slot {@code number} (1–3). */
    public ArmedWatch disarm(int number) {
        lock.lock();
        try {
            if (number == 0) {
                throw refusedDisarm("0", "Slot 0 is the scheduler-error trigger: the run arms and disarms it itself.");
            }
            if (number < 0 || number > USER_SLOTS) {
                throw refusedDisarm(String.valueOf(number), "There is no slot " + number + "; the user's watch slots"
                        + " are 1 to " + USER_SLOTS + " (" + slotSummary() + ").");
            }
            Slot slot = slots[number];
            if (slot == null) {
                throw refusedDisarm(String.valueOf(number), "Slot " + number + " is free (" + slotSummary() + ").");
            }
            return disarmSlot(slot, String.valueOf(number));
        } finally {
            lock.unlock();
        }
    }

    private List<Slot> matching(java.util.function.Predicate<Slot> test) {
        List<Slot> found = new ArrayList<>();
        for (Slot s : slots) {
            if (s != null && test.test(s)) found.add(s);
        }
        return found;
    }

    /** Lock held. */
    private ArmedWatch disarmSlot(Slot slot, String request) {
        try {
            target.disarm(slot.watchpoint);
        } catch (VmmException e) {
            if (e.kind() != VmmException.Kind.VM_GONE) {
                throw refusedDisarm(request, "The VM did not disarm " + slot.spec.label() + ": " + e.getMessage());
            }
        }
        slots[slot.number] = null;
        if (armedCount() == 0) holdNextHit = false; // a watch armed later must not inherit a forgotten request
        ArmedWatch gone = slot.view();
        host.event("disarmed", "slot " + slot.number + ": " + slot.spec.label() + " disarmed after " + counts(gone),
                watchJson(gone));
        return gone;
    }

    private static String counts(ArmedWatch w) {
        return w.hits() + " hit" + (w.hits() == 1 ? "" : "s") + " (" + w.snapshots() + " with a snapshot)";
    }

    // ---- on hit ----

    /**
     * Sets what a hit of user slot {@code number} does: {@code stay} keeps the guest frozen on the hit's snapshot until
     * the user resumes it (every such hit gets a snapshot, whatever the snapshot budget); otherwise the guest resumes
     * after the capture. An {@code on_hit} event records the change.
     *
     * @throws CoordinatorException when the slot is not a user slot in use (a {@code refused} event says so too)
     */
    public ArmedWatch setStayFrozen(int number, boolean stay) {
        lock.lock();
        try {
            if (number < 1 || number > USER_SLOTS || slots[number] == null) {
                throw refusal("on-hit " + number + (stay ? " stay" : " continue"), number == 0
                        ? "Slot 0 is the scheduler-error trigger: it always captures and lets the run end."
                        : number < 1 || number > USER_SLOTS ? "There is no slot " + number + "; the user's watch slots"
                        + " are 1 to " + USER_SLOTS + "." : "Slot " + number + " is free (" + slotSummary() + ").");
            }
            Slot slot = slots[number];
            slot.stayFrozen = stay;
            ArmedWatch now = slot.view();
            host.event("on_hit", "slot " + number + ": " + now.label() + (stay
                    ? ": a hit keeps the guest frozen on its snapshot until resumed"
                    : ": a hit captures a snapshot and lets the guest run on"), watchJson(now));
            return now;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Makes the next hit of any user slot keep the guest frozen on its snapshot until resumed, once, whatever the
     * slots' own "stay frozen" settings ("run to the next hit", F9). A {@code run_to_hit} event records it.
     *
     * @return the slots that can end the wait
     * @throws CoordinatorException when no user slot is armed (a {@code refused} event says so too)
     */
    public List<ArmedWatch> holdOnNextHit() {
        lock.lock();
        try {
            if (armedCount() == 0) {
                throw refusal("run-to-hit", "No watch is armed, so no hit would stop the guest: arm one first"
                        + " (Symbols panel, or the watch slots).");
            }
            holdNextHit = true;
            List<ArmedWatch> waiting = armed();
            ObjectNode detail = NODES.objectNode();
            waiting.forEach(w -> detail.withArray("slots").add(w.slot()));
            host.event("run_to_hit", "the guest runs until the next hit of " + waiting.stream()
                    .map(w -> "slot " + w.slot() + " (" + w.label() + ")").collect(Collectors.joining(", ")), detail);
            return waiting;
        } finally {
            lock.unlock();
        }
    }

    private int armedCount() {
        int n = 0;
        for (Slot s : slots) {
            if (s != null) n++;
        }
        return n;
    }

    // ---- lists ----

    /** The user's slots in use, by slot number. */
    public List<ArmedWatch> armed() {
        lock.lock();
        try {
            List<ArmedWatch> list = new ArrayList<>();
            for (Slot s : slots) {
                if (s != null) list.add(s.view());
            }
            return list;
        } finally {
            lock.unlock();
        }
    }

    /** Every slot on one line, slot 0 first: what each holds and how often it was hit. */
    public String describe() {
        StringBuilder b = new StringBuilder("0: ").append(host.errorTrigger()
                .map(w -> "scheduler-error trigger on scx_root->exit_kind (" + w + ")")
                .orElse("reserved for the scheduler-error trigger (not armed now)"));
        lock.lock();
        try {
            for (int i = 1; i <= USER_SLOTS; i++) {
                b.append("; ").append(i).append(": ");
                if (slots[i] == null) {
                    b.append("free");
                } else {
                    ArmedWatch w = slots[i].view();
                    b.append(w.describe()).append(", ").append(counts(w));
                }
            }
        } finally {
            lock.unlock();
        }
        return b.toString();
    }

    // ---- hits ----

    @Override
    public void onHit(WatchHit hit) {
        long arrived = clock.getAsLong();
        Slot slot;
        boolean hot;
        boolean snapshot;
        boolean stay;
        int recent;
        lock.lock();
        try {
            slot = null;
            for (Slot s : slots) {
                if (s != null && s.watchpoint.equals(hit.watchpoint())) slot = s;
            }
            if (slot == null) {
                LOG.debug("hit {} on {} after its slot was disarmed; resuming", hit.hitNumber(), hit.watchpoint());
                hit.close();
                return;
            }
            slot.hits++;
            slot.recent.addLast(arrived);
            long windowStart = arrived - policy.hotWindow().toNanos();
            while (!slot.recent.isEmpty() && slot.recent.peekFirst() - windowStart < 0) slot.recent.removeFirst();
            recent = slot.recent.size();
            hot = recent > policy.hotHits();
            stay = (slot.stayFrozen || holdNextHit) && !hot;
            if (stay) holdNextHit = false;
            // a hit that stays frozen always gets its snapshot: the user looks at it, and resumes by hand
            snapshot = stay || !hot && slot.snapshots < policy.snapshotsPerWatch();
            if (snapshot) slot.snapshots++;
        } finally {
            lock.unlock();
        }
        try (hit) {
            ObjectNode trigger = trigger(slot, hit);
            ObjectNode detail = trigger.deepCopy();
            String what = slot.spec.label() + " hit " + hit.hitNumber() + " on vCPU " + hit.vcpu() + ": "
                    + text(trigger, "old") + " → " + text(trigger, "new") + " at "
                    + (trigger.hasNonNull("rip_symbol") ? trigger.get("rip_symbol").asText()
                    : trigger.hasNonNull("rip") ? trigger.get("rip").asText() : "an unknown RIP (registers unreadable)");
            if (snapshot) {
                String tag = TAG_PREFIX + slot.spec.label();
                SnapshotRecord record = host.capture(hit.frozen(), tag, trigger);
                long capturedNs = clock.getAsLong() - arrived;
                detail.put("snapshot", !record.placeholder());
                detail.put("tag", tag);
                detail.put("hit_to_archived_us", capturedNs / 1000);
                detail.put("stop_to_archived_us", hit.frozen().duration().toNanos() / 1000);
                what += record.placeholder() ? "; snapshot " + tag + " failed: " + record.placeholderReason().orElse("")
                        : "; snapshot " + tag;
                if (stay) {
                    try {
                        host.holdAfterHit(hit.frozen(), tag);
                        detail.put("stayed_frozen", true);
                        what += "; the guest stays frozen until resumed";
                    } catch (CoordinatorException e) {
                        detail.put("stayed_frozen", false);
                        what += "; could not stay frozen: " + e.getMessage();
                    }
                }
            } else {
                detail.put("snapshot", false);
                what += hot ? "; no snapshot: hit too often" : "; counted only (the first " + policy.snapshotsPerWatch()
                        + " hits of a watch get a snapshot)";
            }
            host.event("hit", what, detail);
            if (hot) autoDisarm(slot, recent);
        } catch (RuntimeException e) {
            LOG.warn("watch {}: handling hit {} failed", slot.spec.label(), hit.hitNumber(), e);
            ObjectNode detail = watchJson(slot.view());
            detail.put("hit", hit.hitNumber());
            detail.put("reason", String.valueOf(e.getMessage()));
            host.event("hit_failed", slot.spec.label() + " hit " + hit.hitNumber() + " could not be handled: "
                    + e.getMessage(), detail);
        }
    }

    /** Runs on the hit's thread with the guest still stopped, so no further hit comes in between. */
    private void autoDisarm(Slot slot, int recent) {
        lock.lock();
        try {
            if (slots[slot.number] != slot) return; // disarmed meanwhile
            try {
                target.disarm(slot.watchpoint);
            } catch (VmmException e) {
                if (e.kind() != VmmException.Kind.VM_GONE) {
                    LOG.warn("watch {}: the VM did not disarm the hot watch: {}", slot.spec.label(), e.getMessage());
                    host.event("refused", "The VM did not disarm the hot watch " + slot.spec.label() + ": "
                            + e.getMessage(), watchJson(slot.view()));
                    return;
                }
            }
            slots[slot.number] = null;
            ArmedWatch gone = slot.view();
            ObjectNode detail = watchJson(gone);
            detail.put("hits_in_window", recent);
            detail.put("window_ms", policy.hotWindow().toMillis());
            detail.put("limit", policy.hotHits());
            host.event("auto_disarmed", slot.spec.label() + " was hit " + recent + " times in "
                    + WatchPolicy.seconds(policy.hotWindow()) + "; disarmed so the guest is not drowned (limit: "
                    + policy.describeHotLimit() + "; slot " + slot.number + " is free again; " + counts(gone) + ")",
                    detail);
        } finally {
            lock.unlock();
        }
    }

    /** The facts of one hit, stored as the snapshot report's {@code trigger}. */
    private ObjectNode trigger(Slot slot, WatchHit hit) {
        ObjectNode t = NODES.objectNode();
        t.put("trigger", "watchpoint");
        t.put("slot", slot.number);
        t.put("watch", slot.spec.label());
        t.put("symbol", slot.spec.symbol());
        t.put("offset", slot.spec.offset());
        t.put("address", hex(slot.watchpoint.address()));
        t.put("size", slot.watchpoint.length());
        t.put("kind", slot.watchpoint.kind().word());
        t.put("hit", hit.hitNumber());
        t.put("vcpu", hit.vcpu());
        putValue(t, "old", hit.previousValue(), slot.watchpoint.length());
        putValue(t, "new", hit.value(), slot.watchpoint.length());
        if (hit.registersProblem() != null) {
            // the snapshot is still worth taking; the trigger says what is missing instead of a made-up RIP
            t.putNull("rip");
            t.putNull("rip_symbol");
            t.put("registers_unreadable", hit.registersProblem());
            return t;
        }
        long rip = hit.registers().rip();
        t.put("rip", hex(rip));
        Optional<String> where = symbols.symbolize(rip);
        if (where.isPresent()) t.put("rip_symbol", where.get());
        else t.putNull("rip_symbol");
        return t;
    }

    private static void putValue(ObjectNode t, String key, OptionalLong value, int size) {
        if (value.isEmpty()) {
            t.putNull(key);
            return;
        }
        long v = value.getAsLong();
        if (size < 8) v &= (1L << (8 * size)) - 1;
        t.put(key, "0x" + Long.toHexString(v));
    }

    private static String text(ObjectNode t, String key) {
        return t.hasNonNull(key) ? t.get(key).asText() : "(unreadable)";
    }

    private static ObjectNode watchJson(ArmedWatch w) {
        ObjectNode d = NODES.objectNode();
        d.put("slot", w.slot());
        d.put("watch", w.label());
        d.put("symbol", w.spec().symbol());
        d.put("offset", w.spec().offset());
        d.put("address", hex(w.watchpoint().address()));
        d.put("size", w.watchpoint().length());
        d.put("kind", w.watchpoint().kind().word());
        d.put("hits", w.hits());
        d.put("snapshots", w.snapshots());
        d.put("stay_frozen", w.stayFrozen());
        return d;
    }

    // ---- refusals ----

    private CoordinatorException refused(String request, String reason) {
        return refusal("watch " + request.strip(), reason);
    }

    private CoordinatorException refusedDisarm(String request, String reason) {
        return refusal("unwatch " + request, reason);
    }

    /** Puts the refusal on the run's stream and returns it to throw. */
    private CoordinatorException refusal(String command, String reason) {
        ObjectNode detail = NODES.objectNode();
        detail.put("request", command);
        detail.put("reason", reason);
        host.event("refused", reason, detail);
        return new CoordinatorException(reason);
    }

    static String hex(long address) {
        return String.format("0x%016x", address);
    }

    /** One slot in use; mutable counters guarded by the lock. */
    private static final class Slot {
        final int number;
        final WatchSpec spec;
        final KernelSymbolTable.Symbol symbol;
        final Watchpoint watchpoint;
        final ArrayDeque<Long> recent = new ArrayDeque<>();
        long hits;
        int snapshots;
        boolean stayFrozen;

        Slot(int number, WatchSpec spec, KernelSymbolTable.Symbol symbol, Watchpoint watchpoint) {
            this.number = number;
            this.spec = spec;
            this.symbol = symbol;
            this.watchpoint = watchpoint;
        }

        ArmedWatch view() {
            return new ArmedWatch(number, spec, symbol, watchpoint, hits, snapshots, stayFrozen);
        }
    }
}
