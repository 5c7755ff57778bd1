package dev.freezeframe.app.ui.shell;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import javafx.event.EventHandler;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.TextInputControl;
import javafx.scene.input.KeyCharacterCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.input.KeyEvent;

/**
 * Every action of the workbench with its keys: the one registry behind key dispatch, the command palette and the
 * keyboard help ({@code ?}). An action may be unavailable now; it then says why, and neither a key nor the palette runs
 * it. Keys handled inside a control (the timeline's WASD) are registered without a handler, so help still lists them.
 */
public final class KeyMap {
    /** Where a binding applies; the same key may mean different things in different scopes, never twice in one. */
    public enum Scope {
        GLOBAL("Anywhere"), RUN("Run tab"), TIMELINE("Timeline (when focused)"), CONSOLE("Console"),
        RUNS("Runs table (when focused)");

        private final String title;

        Scope(String title) {
            this.title = title;
        }

        public String title() {
            return title;
        }
    }

    /**
     * One action.
     *
     * @param id          stable id ({@code ff.run.freeze}), usable from the palette and deep links
     * @param title       what the palette shows ("Freeze guest")
     * @param keys        its key combinations, may be empty
     * @param unavailable why it cannot run now, or an empty string when it can
     * @param handler     what it does; null when a control handles the key itself
     */
    public record Action(String id, String title, Scope scope, List<KeyCombination> keys, Supplier<String> unavailable,
                         Runnable handler) {
        public Action {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(title, "title");
            Objects.requireNonNull(scope, "scope");
            keys = List.copyOf(keys);
            unavailable = unavailable == null ? () -> "" : unavailable;
        }

        /** "F6", "Ctrl+Shift+P", joined with " / ". */
        public String keyText() {
            List<String> texts = new ArrayList<>();
            for (KeyCombination k : keys) texts.add(k.getDisplayText());
            return String.join(" / ", texts);
        }

        public boolean runnable() {
            return handler != null;
        }
    }

    private final List<Action> actions = new ArrayList<>();
    private final Map<String, Action> byId = new HashMap<>();
    private Supplier<Boolean> runTabActive = () -> false;

    /** Adds an action; its id must be new. */
    public Action register(String id, String title, Scope scope, Supplier<String> unavailable, Runnable handler,
                           String... keys) {
        if (byId.containsKey(id)) throw new IllegalArgumentException("action " + id + " is registered twice");
        List<KeyCombination> combos = new ArrayList<>();
        for (String k : keys) combos.add(KeyCombination.keyCombination(k));
        Action a = new Action(id, title, scope, combos, unavailable, handler);
        actions.add(a);
        byId.put(id, a);
        return a;
    }

    /** Tells the dispatcher when run-scope keys apply (a run tab is the selected document). */
    public void setRunTabActive(Supplier<Boolean> active) {
        this.runTabActive = Objects.requireNonNull(active);
    }

    public List<Action> actions() {
        return List.copyOf(actions);
    }

    public java.util.Optional<Action> find(String id) {
        return java.util.Optional.ofNullable(byId.get(id));
    }

    /**
     * Runs {@code action} if it is available; returns the reason it is not (empty when it ran). Never throws for an
     * unavailable action: the palette and keys show the reason instead.
     */
    public String run(Action action) {
        String why = whyNot(action);
        if (why.isEmpty()) action.handler().run();
        return why;
    }

    /** Why {@code action} cannot run now, or an empty string when it can. */
    public String whyNot(Action action) {
        if (action.handler() == null) return "press " + action.keyText() + " in the " + action.scope().title()
                .toLowerCase(java.util.Locale.ROOT);
        if (action.scope() == Scope.RUN && !runTabActive.get()) return "open a run first";
        return action.unavailable().get();
    }

    /** Pairs of actions that share a key within one scope (must be none). */
    public List<String> duplicateBindings() {
        Map<String, String> seen = new HashMap<>();
        List<String> clashes = new ArrayList<>();
        for (Action a : actions) {
            for (KeyCombination k : a.keys()) {
                String key = a.scope() + " " + k.getName();
                String before = seen.putIfAbsent(key, a.id());
                if (before != null) clashes.add(k.getName() + " in " + a.scope() + ": " + before + " and " + a.id());
            }
        }
        return clashes;
    }

    /**
     * Dispatches global and run-scope keys on {@code scene} (an event filter, so focused controls do not swallow
     * them). Keys without a modifier act only when no text input has focus, so typing is never hijacked.
     *
     * @param onRefused shown when a key's action is unavailable (the status line)
     */
    public void install(Scene scene, java.util.function.Consumer<String> onRefused) {
        // Character keys (?, [, ]) are matched on the typed character: what produces them depends on the keyboard
        // layout (and KeyCharacterCombination.match needs a platform key map the headless toolkit does not have).
        EventHandler<KeyEvent> pressed = e -> dispatch(scene, e, onRefused, false);
        EventHandler<KeyEvent> typed = e -> dispatch(scene, e, onRefused, true);
        scene.addEventFilter(KeyEvent.KEY_PRESSED, pressed);
        scene.addEventFilter(KeyEvent.KEY_TYPED, typed);
    }

    private void dispatch(Scene scene, KeyEvent e, java.util.function.Consumer<String> onRefused, boolean typedEvent) {
        Node focus = scene.getFocusOwner();
        boolean typing = focus instanceof TextInputControl;
        for (Action a : actions) {
            if (a.handler() == null) continue;
            if (a.scope() != Scope.GLOBAL && a.scope() != Scope.RUN) continue;
            for (KeyCombination k : a.keys()) {
                boolean character = k instanceof KeyCharacterCombination;
                if (character != typedEvent) continue;
                boolean matches = character ? ((KeyCharacterCombination) k).getCharacter().equals(e.getCharacter())
                        && !e.isControlDown() && !e.isAltDown() && !e.isMetaDown() : k.match(e);
                if (!matches) continue;
                if (typing && (character || plainKey(k))) continue;
                if (a.scope() == Scope.RUN && !runTabActive.get()) continue;
                e.consume();
                String why = run(a);
                if (!why.isEmpty()) onRefused.accept(a.title() + ": " + why);
                return;
            }
        }
    }

    private static boolean plainKey(KeyCombination k) {
        return k.getControl() != KeyCombination.ModifierValue.DOWN && k.getShortcut() != KeyCombination.ModifierValue.DOWN
                && k.getAlt() != KeyCombination.ModifierValue.DOWN && k.getMeta() != KeyCombination.ModifierValue.DOWN
                && !k.getName().startsWith("F");
    }
}
