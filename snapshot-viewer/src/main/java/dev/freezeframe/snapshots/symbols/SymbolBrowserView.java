package dev.freezeframe.snapshots.symbols;

import dev.freezeframe.coordinator.live.WatchSlotState;
import java.util.Optional;
import java.util.function.Function;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.Label;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.input.MouseButton;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

/**
 * The symbol browser (inspector tab "Symbols"): a search field over the guest kernel's symbols, ranked exact > prefix >
 * word start > substring, with each symbol's kind, address, size and BTF type, and a watch column. Clicking a row's
 * "arm" (or double-clicking the row, or Enter on it) arms a write watch in the next free user slot; the engine's answer —
 * "armed slot 2: …" or its refusal — is shown verbatim on that row (and in full under the table). Functions, per-CPU
 * variables and read-only data are greyed with the reason the engine will give; Enter still asks it. An archived run
 * (or one whose guest is gone) browses only: arming says why not.
 */
public final class SymbolBrowserView extends VBox {
    private final SymbolBrowserModel model;
    private final TextField search = new TextField();
    private final TableView<SymbolRow> table = new TableView<>();
    private final Label status = new Label();
    private final Label armNote = new Label();
    private final Label answer = new Label();
    private final SimpleObjectProperty<BtfTypeNames> types = new SimpleObjectProperty<>(this, "types");

    public SymbolBrowserView(SymbolBrowserModel model) {
        super(6);
        this.model = model;
        setId("symbolBrowser");
        setPadding(new Insets(8));

        search.setId("symbolSearch");
        search.setPromptText("kernel symbol: total_f, forks, jiffies…");
        search.textProperty().bindBidirectional(model.queryProperty());
        search.setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.DOWN || e.getCode() == KeyCode.ENTER) {
                table.requestFocus();
                if (table.getSelectionModel().isEmpty() && !table.getItems().isEmpty()) {
                    table.getSelectionModel().select(0);
                }
                e.consume();
            }
        });
        HBox.setHgrow(search, Priority.ALWAYS);
        CheckBox dataOnly = new CheckBox("watchable only");
        dataOnly.setId("symbolDataOnly");
        dataOnly.selectedProperty().bindBidirectional(model.dataOnlyProperty());
        dataOnly.setTooltip(new Tooltip("Only variables a watch can be armed on: no functions, per-CPU variables or"
                + " read-only data."));
        HBox bar = new HBox(8, search, dataOnly);
        bar.setAlignment(Pos.CENTER_LEFT);

        armNote.setId("symbolArmNote");
        armNote.setWrapText(true);
        armNote.getStyleClass().addAll("text-muted", "text-small");
        model.arming().unavailable().addListener((obs, was, now) -> updateArmNote());
        model.catalogProperty().addListener((obs, was, now) -> updateArmNote());
        updateArmNote();

        buildTable();
        VBox.setVgrow(table, Priority.ALWAYS);
        status.setId("symbolStatus");
        status.getStyleClass().addAll("text-muted", "text-small");
        status.textProperty().bind(model.statusProperty());
        status.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        status.setWrapText(true);
        answer.setId("symbolAnswer");
        answer.setWrapText(true);
        answer.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        getChildren().addAll(bar, armNote, table, status, answer);
        model.answersVersionProperty().addListener((obs, was, now) -> table.refresh());
        model.lastAnswerProperty().addListener((obs, was, now) -> showAnswer(now));
        model.arming().slots().addListener((ListChangeListener<WatchSlotState>) c -> table.refresh());
    }

    /** Gives the BTF type column its source (the kernel's BTF, parsed in the background). */
    public void setTypes(BtfTypeNames names) {
        types.set(names);
        table.refresh();
    }

    public SymbolBrowserModel model() {
        return model;
    }

    /** The search field (the palette and Ctrl+F focus it). */
    public TextField searchField() {
        return search;
    }

    private void updateArmNote() {
        String why = model.arming().unavailable().get();
        SymbolCatalog c = model.catalogProperty().get();
        String text = why == null || why.isEmpty() ? "Click arm (or Enter, or double-click) to watch writes to a"
                + " symbol in the next free slot." : "Browse only: " + why + ".";
        if (c != null && !c.live() && (why == null || why.isEmpty())) {
            text = "These are cached symbols of this kernel; the guest's own replace them once it sends them.";
        }
        armNote.setText(text);
    }

    private void buildTable() {
        table.setId("symbolTable");
        table.itemsProperty().bind(model.rowsProperty());
        // full columns and a horizontal scroll bar rather than squeezed "ffff..." cells; the BTF type comes last
        table.setColumnResizePolicy(TableView.UNCONSTRAINED_RESIZE_POLICY);
        table.setPlaceholder(new Label("No symbol matches."));
        table.setFixedCellSize(24);

        TableColumn<SymbolRow, String> name = column("Name", 200, SymbolRow::name);
        name.setId("symbolName");
        TableColumn<SymbolRow, String> kind = column("Kind", 96, r -> r.kind().word()
                + (r.module() == null ? "" : " [" + r.module() + "]"));
        TableColumn<SymbolRow, String> address = column("Address", 150, SymbolRow::addressText);
        address.setStyle("-fx-font-family: monospace;");
        TableColumn<SymbolRow, String> size = column("Size", 64, SymbolRow::sizeText);
        size.setStyle("-fx-alignment: CENTER-RIGHT;");
        TableColumn<SymbolRow, String> type = column("BTF type", 320, r -> Optional.ofNullable(types.get())
                .flatMap(t -> t.typeOf(r.name())).orElse("—"));
        TableColumn<SymbolRow, SymbolRow> watch = new TableColumn<>("Watch");
        watch.setId("symbolWatch");
        watch.setPrefWidth(420);
        watch.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue()));
        watch.setCellFactory(c -> new WatchCell());
        table.getColumns().setAll(java.util.List.of(name, watch, kind, address, size, type));

        table.setRowFactory(t -> {
            TableRow<SymbolRow> row = new TableRow<>() {
                @Override
                protected void updateItem(SymbolRow item, boolean empty) {
                    super.updateItem(item, empty);
                    setOpacity(!empty && item != null && !item.kind().watchable() ? 0.6 : 1.0);
                }
            };
            row.setOnMouseClicked(e -> {
                if (e.getButton() == MouseButton.PRIMARY && e.getClickCount() == 2 && !row.isEmpty()) arm(row.getItem());
            });
            return row;
        });
        table.setOnKeyPressed(e -> {
            SymbolRow selected = table.getSelectionModel().getSelectedItem();
            if (e.getCode() == KeyCode.ENTER && selected != null) {
                arm(selected);
                e.consume();
            }
        });
    }

    private void arm(SymbolRow row) {
        model.arm(row);
    }

    private void showAnswer(SymbolBrowserModel.Answer a) {
        if (a == null) return;
        answer.setText(a.text());
        answer.getStyleClass().removeAll("danger", "success");
        answer.getStyleClass().add(a.refused() ? "danger" : "success");
    }

    private static TableColumn<SymbolRow, String> column(String title, double width, Function<SymbolRow, String> text) {
        TableColumn<SymbolRow, String> c = new TableColumn<>(title);
        c.setPrefWidth(width);
        c.setSortable(false);
        c.setCellValueFactory(v -> new ReadOnlyObjectWrapper<>(text.apply(v.getValue())));
        return c;
    }

    /** The watch column: the engine's answer once there is one, else how the symbol can be watched. */
    private final class WatchCell extends TableCell<SymbolRow, SymbolRow> {
        private final Hyperlink arm = new Hyperlink("arm");
        private final Label text = new Label();
        private final HBox box = new HBox(4, arm, text);

        WatchCell() {
            box.setAlignment(Pos.CENTER_LEFT);
            arm.getStyleClass().add("symbol-arm");
            arm.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
            arm.setOnAction(e -> {
                if (getItem() != null) SymbolBrowserView.this.arm(getItem());
            });
            text.setMinWidth(0);
        }

        @Override
        protected void updateItem(SymbolRow row, boolean empty) {
            super.updateItem(row, empty);
            text.getStyleClass().removeAll("danger", "success", "text-muted");
            if (empty || row == null) {
                setGraphic(null);
                setText(null);
                setTooltip(null);
                return;
            }
            Optional<SymbolBrowserModel.Answer> a = model.answerFor(row.name());
            Optional<Integer> slot = model.slotWatching(row.name());
            String shown;
            if (a.isPresent()) {
                shown = a.get().text();
                text.getStyleClass().add(a.get().refused() ? "danger" : "success");
            } else if (slot.isPresent()) {
                shown = "armed in slot " + slot.get();
                text.getStyleClass().add("success");
            } else if (!row.kind().watchable()) {
                shown = "✗ " + row.kind().notWatchable();
                text.getStyleClass().add("text-muted");
            } else {
                shown = "write";
                text.getStyleClass().add("text-muted");
            }
            text.setText(shown);
            arm.setId("arm-" + row.name());
            setTooltip(new Tooltip(shown));
            setGraphic(box);
        }
    }
}
