package dev.freezeframe.app.ui.run;

import atlantafx.base.theme.Styles;
import dev.freezeframe.coordinator.live.WatchSlotState;
import java.util.concurrent.CompletionException;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * The inspector's Watch slots panel: the four slots always visible (slot 0 is the scheduler-error trigger), each with
 * its symbol, kind, state and hits, for an armed user slot a "stay frozen on hit" switch (❄: a hit keeps the guest
 * frozen on its snapshot until Resume) and a disarm button, and a field to arm a symbol in the next free slot. The
 * engine's answer — "armed slot 2: …" or its refusal sentence — is shown verbatim. The compact form (under the symbol
 * browser) shows the slots and their answers only.
 */
public final class WatchSlotsPanel extends VBox {
    private final RunTabModel model;
    private final GridPane grid = new GridPane();
    private final TextField symbol = new TextField();
    private final Button arm = new Button("Arm", new FontIcon(Feather.CROSSHAIR));
    private final Label answer = new Label();
    private final boolean compact;

    public WatchSlotsPanel(RunTabModel model) {
        this(model, false);
    }

    /** @param compact only the slots and the last answer (no arm field, no help) */
    public WatchSlotsPanel(RunTabModel model, boolean compact) {
        super(compact ? 4 : 10);
        this.model = model;
        this.compact = compact;
        setId(compact ? "watchSlotsCompact" : "watchSlotsPanel");
        setPadding(new Insets(10));
        grid.setHgap(10);
        grid.setVgap(6);
        grid.setId("watchSlots");

        symbol.setId("watchSymbol");
        symbol.setPromptText("kernel symbol, e.g. total_forks or jiffies_64:read");
        HBox.setHgrow(symbol, Priority.ALWAYS);
        arm.setId("armWatch");
        arm.setOnAction(e -> armTyped());
        symbol.setOnAction(e -> armTyped());
        answer.setId("watchAnswer");
        answer.setWrapText(true);
        HBox armRow = new HBox(6, symbol, arm);
        armRow.setAlignment(Pos.CENTER_LEFT);

        Label help = new Label("Each hit freezes the guest and captures a snapshot tagged watch:SYMBOL (the first 10 hits"
                + " of a watch); a watch hit more than 20 times in 1 s is disarmed.");
        help.setWrapText(true);
        help.getStyleClass().addAll(Styles.TEXT_MUTED, Styles.TEXT_SMALL);

        if (compact) {
            setPadding(new Insets(4, 8, 8, 8));
            answer.setId("watchAnswerCompact");
            getChildren().addAll(grid, answer);
        } else if (model.isLive()) {
            getChildren().addAll(grid, armRow, answer, help);
            model.controlsProperty().addListener((obs, was, now) -> updateArmState());
            updateArmState();
        } else {
            Label ended = new Label("The run has ended: watches are armed on a live run. The slots as they were at the"
                    + " end are not recorded separately — see the watchpoints lane and the watch:… snapshots.");
            ended.setWrapText(true);
            ended.getStyleClass().add(Styles.TEXT_MUTED);
            getChildren().addAll(ended);
        }
        model.slots().addListener((javafx.collections.ListChangeListener<WatchSlotState>) c -> render());
        render();
    }

    private void updateArmState() {
        String why = model.controlsProperty().get().arm();
        arm.setDisable(!why.isEmpty());
        symbol.setDisable(!why.isEmpty());
        symbol.setTooltip(why.isEmpty() ? null : new Tooltip(RunTabModel.capitalize(why) + "."));
    }

    private void armTyped() {
        String spec = symbol.getText() == null ? "" : symbol.getText().strip();
        if (spec.isEmpty()) {
            show("Type a kernel symbol to watch (e.g. total_forks).", true);
            return;
        }
        model.arm(spec).whenComplete((text, failure) -> {
            if (failure != null) {
                show(message(failure), true);
            } else {
                show(text, false);
                symbol.clear();
            }
        });
    }

    private void disarm(int slot) {
        model.disarm(slot).whenComplete((text, failure) -> show(failure != null ? message(failure) : text,
                failure != null));
    }

    private void show(String text, boolean refused) {
        answer.setText(text);
        answer.getStyleClass().removeAll(Styles.DANGER, Styles.SUCCESS);
        answer.getStyleClass().add(refused ? Styles.DANGER : Styles.SUCCESS);
    }

    /** The answer shown after the last arm or disarm (for tests). */
    public String answerText() {
        return answer.getText();
    }

    private static String message(Throwable t) {
        Throwable c = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
        return c.getMessage() == null ? c.toString() : c.getMessage();
    }

    private void render() {
        grid.getChildren().clear();
        int row = 0;
        for (WatchSlotState s : model.slots()) {
            Label number = new Label(circled(s.slot()));
            number.getStyleClass().add(Styles.TITLE_4);
            Label what = new Label(describe(s));
            what.setId((compact ? "watchSlotCompact" : "watchSlot") + s.slot());
            what.setWrapText(true);
            what.setMaxWidth(300);
            if (s.state() == WatchSlotState.State.FREE) what.getStyleClass().add(Styles.TEXT_MUTED);
            if (s.state() == WatchSlotState.State.AUTO_DISARMED) what.getStyleClass().add(Styles.WARNING);
            Label hits = new Label(s.state() == WatchSlotState.State.FREE ? "" : s.hits() + " hit" + (s.hits() == 1 ? ""
                    : "s") + " · " + s.snapshots() + " snap" + (s.snapshots() == 1 ? "" : "s"));
            hits.getStyleClass().add(Styles.TEXT_SMALL);
            hits.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
            grid.add(number, 0, row);
            grid.add(what, 1, row);
            grid.add(hits, 2, row);
            if (s.slot() > 0 && s.state() == WatchSlotState.State.ARMED && model.isLive()) {
                ToggleButton stay = new ToggleButton("❄");
                stay.setId((compact ? "stayFrozenCompact" : "stayFrozen") + s.slot());
                stay.setSelected(s.stayFrozen());
                stay.getStyleClass().addAll(Styles.SMALL, Styles.FLAT);
                stay.setTooltip(new Tooltip(s.stayFrozen() ? "On a hit the guest stays frozen on the hit's snapshot"
                        + " until Resume (click: capture and continue instead)" : "On a hit: capture and continue"
                        + " (click: stay frozen on the hit's snapshot until Resume)"));
                int which = s.slot();
                stay.setOnAction(e -> model.setStayFrozen(which, stay.isSelected()).whenComplete((text, failure) ->
                        show(failure != null ? message(failure) : text, failure != null)));
                grid.add(stay, 3, row);
                Button off = new Button(null, new FontIcon(Feather.X_CIRCLE));
                off.setId((compact ? "disarmSlotCompact" : "disarmSlot") + s.slot());
                off.getStyleClass().addAll(Styles.BUTTON_ICON, Styles.FLAT);
                off.setTooltip(new Tooltip("Disarm slot " + s.slot()));
                int slot = s.slot();
                off.setOnAction(e -> disarm(slot));
                grid.add(off, 4, row);
            }
            row++;
        }
    }

    static String circled(int slot) {
        return switch (slot) {
            case 0 -> "0"; // the UI font has no circled zero
            case 1 -> "①";
            case 2 -> "②";
            case 3 -> "③";
            default -> "(" + slot + ")";
        };
    }

    static String describe(WatchSlotState s) {
        String state = switch (s.state()) {
            case FREE -> s.slot() == 0 ? "scheduler-error trigger — arms once the scheduler is enabled"
                    : "free — type a symbol below";
            case ARMED -> s.stayFrozen() ? "armed · stays frozen on hit" : "armed";
            case AUTO_DISARMED -> "auto-disarmed (hot)";
            case DISARMED -> "disarmed";
        };
        if (s.label().isEmpty()) return state;
        return s.label() + " — " + state + (s.detail().isEmpty() ? "" : " · " + s.detail());
    }
}
