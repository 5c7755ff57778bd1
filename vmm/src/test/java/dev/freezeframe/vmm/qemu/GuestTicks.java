package dev.freezeframe.vmm.qemu;

import dev.freezeframe.vmm.ConsoleLine;
import dev.freezeframe.vmm.RunningVm;
import java.time.Duration;

/** A guest script's {@code FORKTICK N ...} console lines, a tick a second: what the save/restore ITs wait on. */
final class GuestTicks {
    private static final Duration MILESTONE = Duration.ofSeconds(180);

    private GuestTicks() {
    }

    static int tickNumber(String line) {
        return Integer.parseInt(line.split(" ")[1]);
    }

    static String lastTick(RunningVm vm) {
        return vm.console().lines().stream().map(ConsoleLine::text).filter(l -> l.startsWith("FORKTICK "))
                .reduce((a, b) -> b).orElseThrow();
    }

    static void awaitLine(RunningVm vm, String text) throws InterruptedException {
        long deadline = System.nanoTime() + MILESTONE.toNanos();
        while (System.nanoTime() < deadline && !vm.exit().isDone()) {
            if (vm.console().lines().stream().anyMatch(l -> l.text().startsWith(text))) return;
            Thread.sleep(20);
        }
        throw new AssertionError("no line " + text);
    }

    /** The first tick after {@code after} that shows {@code state}. */
    static String awaitTick(RunningVm vm, int after, String state) throws InterruptedException {
        long deadline = System.nanoTime() + MILESTONE.toNanos();
        while (System.nanoTime() < deadline && !vm.exit().isDone()) {
            for (ConsoleLine line : vm.console().lines()) {
                String t = line.text();
                if (t.startsWith("FORKTICK ") && tickNumber(t) > after && t.contains(" " + state + " ")) return t;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no tick after " + after + " with '" + state + "':\n" + String.join("\n",
                vm.console().lines().stream().map(ConsoleLine::text).toList()));
    }
}
