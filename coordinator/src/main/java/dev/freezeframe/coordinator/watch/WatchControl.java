package dev.freezeframe.coordinator.watch;

import dev.freezeframe.coordinator.CoordinatorException;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The text commands that arm and disarm watches on a live run (the command line's {@code --control stdin}), one per
 * line, each answered with one line:
 *
 * <pre>
 *   watch SYMBOL[+OFF][:SIZE][:KIND]   arm in the lowest free slot (1-3)   → "armed slot N: ..." | "refused: ..."
 *   unwatch SLOT|SYMBOL                disarm                             → "disarmed slot N: ..." | "refused: ..."
 *   on-hit SLOT stay|continue          a hit keeps the guest frozen, or not → "slot N: ..." | "refused: ..."
 *   watches                            list slots 0-3                     → "watches: 0: ...; 1: ...; ..."
 *   help                               the commands                       → "commands: ..."
 * </pre>
 *
 * Blank lines and lines starting with {@code #} are ignored (no answer); anything else is answered with
 * {@code "error: ..."}.
 */
public final class WatchControl {
    public static final String COMMANDS = "watch " + WatchSpec.SYNTAX + " | unwatch SLOT|SYMBOL"
            + " | on-hit SLOT stay|continue | watches | help";

    private WatchControl() {
    }

    /** One parsed control line. */
    public sealed interface Command {
        /** {@code watch SPEC}: the spec is parsed already, so syntax errors are answered before the run is ready. */
        record Watch(WatchSpec spec) implements Command {
            public Watch {
                Objects.requireNonNull(spec, "spec");
            }
        }

        /** {@code unwatch SLOT|SYMBOL}. */
        record Unwatch(String target) implements Command {
            public Unwatch {
                Objects.requireNonNull(target, "target");
            }
        }

        /** {@code on-hit SLOT stay|continue}. */
        record OnHit(int slot, boolean stay) implements Command {
        }

        /** {@code watches}. */
        record Watches() implements Command {
        }

        /** {@code help}. */
        record Help() implements Command {
        }
    }

    /**
     * Parses one line; empty for a blank line or a {@code #} comment.
     *
     * @throws CoordinatorException for an unknown command or a malformed argument, with a sentence saying so
     */
    public static Optional<Command> parse(String line) {
        String t = Objects.requireNonNull(line, "line").strip();
        if (t.isEmpty() || t.startsWith("#")) return Optional.empty();
        String[] words = t.split("\\s+");
        String verb = words[0].toLowerCase(Locale.ROOT);
        return Optional.of(switch (verb) {
            case "watch" -> {
                requireArguments(words, 1, "watch " + WatchSpec.SYNTAX);
                yield new Command.Watch(WatchSpec.parse(words[1]));
            }
            case "unwatch" -> {
                requireArguments(words, 1, "unwatch SLOT|SYMBOL");
                yield new Command.Unwatch(words[1]);
            }
            case "on-hit" -> {
                requireArguments(words, 2, "on-hit SLOT stay|continue");
                String mode = words[2].toLowerCase(Locale.ROOT);
                if (!words[1].matches("[0-9]{1,3}") || !mode.equals("stay") && !mode.equals("continue")) {
                    throw new CoordinatorException("'on-hit' takes a slot number and 'stay' or 'continue': on-hit SLOT"
                            + " stay|continue (e.g. on-hit 1 stay).");
                }
                yield new Command.OnHit(Integer.parseInt(words[1]), mode.equals("stay"));
            }
            case "watches" -> {
                requireArguments(words, 0, "watches");
                yield new Command.Watches();
            }
            case "help" -> new Command.Help();
            default -> throw new CoordinatorException("Unknown command '" + words[0] + "'; the commands are: "
                    + COMMANDS + ".");
        });
    }

    private static void requireArguments(String[] words, int count, String usage) {
        if (words.length - 1 != count) {
            throw new CoordinatorException("'" + words[0] + "' takes " + (count == 0 ? "no argument" : count == 1
                    ? "one argument" : count + " arguments") + ": " + usage + ".");
        }
    }

    /** Carries out a parsed command; the answer is one line. Refusals are answers, not exceptions. */
    public static String execute(Command command, WatchSlots slots) {
        try {
            return switch (command) {
                case Command.Watch w -> {
                    ArmedWatch armed = slots.arm(w.spec());
                    yield "armed slot " + armed.slot() + ": " + armed.describe();
                }
                case Command.Unwatch u -> {
                    ArmedWatch gone = slots.disarm(u.target());
                    yield "disarmed slot " + gone.slot() + ": " + gone.label() + " after " + gone.hits() + " hit"
                            + (gone.hits() == 1 ? "" : "s") + " (" + gone.snapshots() + " with a snapshot)";
                }
                case Command.OnHit o -> {
                    ArmedWatch w = slots.setStayFrozen(o.slot(), o.stay());
                    yield onHitAnswer(w);
                }
                case Command.Watches l -> "watches: " + slots.describe();
                case Command.Help h -> help();
            };
        } catch (CoordinatorException e) {
            return "refused: " + e.getMessage();
        }
    }

    /** "slot 1: total_forks stays frozen on a hit until resumed" / "... lets the guest run on after a hit". */
    public static String onHitAnswer(ArmedWatch w) {
        return "slot " + w.slot() + ": " + w.label() + (w.stayFrozen() ? " stays frozen on a hit until resumed"
                : " lets the guest run on after a hit");
    }

    /** The answer to "run to the next hit": which slots can end the wait. */
    public static String runToHitAnswer(java.util.List<ArmedWatch> waiting) {
        return "Running until the next hit of " + waiting.stream().map(w -> "slot " + w.slot() + " (" + w.label() + ")")
                .collect(java.util.stream.Collectors.joining(", ")) + "; the guest stays frozen there.";
    }

    /** The answer to {@code help}. */
    public static String help() {
        return "commands: " + COMMANDS;
    }

    /** Parses and carries out one line; null for a line that needs no answer (blank, comment). */
    public static String reply(String line, WatchSlots slots) {
        Optional<Command> command;
        try {
            command = parse(line);
        } catch (CoordinatorException e) {
            return "error: " + e.getMessage();
        }
        return command.map(c -> execute(c, slots)).orElse(null);
    }
}
