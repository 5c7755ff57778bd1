package dev.freezeframe.app.ui.console;

import dev.freezeframe.coordinator.model.RunEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.value.ObservableValue;
import javafx.css.CssMetaData;
import javafx.css.Styleable;
import javafx.css.StyleableProperty;
import javafx.css.StyleablePropertyFactory;
import javafx.geometry.BoundingBox;
import javafx.geometry.Bounds;
import javafx.geometry.Orientation;
import javafx.geometry.VPos;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.control.ScrollBar;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.input.MouseEvent;
import javafx.scene.input.ScrollEvent;
import javafx.scene.layout.Region;
import javafx.scene.paint.Color;
import javafx.scene.paint.Paint;
import javafx.scene.text.Font;
import javafx.scene.text.FontWeight;
import javafx.scene.text.Text;

/**
 * Draws the console window's lines on one canvas: only the rows in view, one {@code fillText} per styled part, no
 * scene-graph node per line. A rich-text control lays out and styles a node tree per visible line on every change,
 * which under a flood of tens of thousands of lines a second cost 60–150 ms a frame with the software renderer; a
 * redraw here costs a few milliseconds and happens at most once per pulse. Lines are monospace, one row each (a line
 * too long for the view scrolls horizontally). Colours and font come from CSS ({@code console.css}, the theme's
 * tokens), so light and dark themes both work.
 *
 * <p>Selection is by line: the banded line (the run tab's selection) plus, with Shift+click, a range to copy.
 * Ctrl+C copies it; Up/Down/Page Up/Page Down/Home scroll. FX thread only.
 */
final class ConsoleCanvas extends Region {
    /** The lines shown: row {@code i} draws {@code line(i)}. */
    interface Lines {
        int size();

        RunEvent line(int i);

        /** The banded (selected) line's index, or -1. */
        int bandIndex();
    }

    private static final StyleablePropertyFactory<ConsoleCanvas> CSS =
            new StyleablePropertyFactory<>(Region.getClassCssMetaData());
    private static final double PAD_X = 6;

    private final StyleableProperty<Font> font = CSS.createStyleableFontProperty(this, "font", "-fx-font",
            c -> c.font, Font.font("Monospaced", 12));
    private final StyleableProperty<Color> textFill = color("textFill", "-ff-text-fill", c -> c.textFill, Color.BLACK);
    private final StyleableProperty<Color> timeFill = color("timeFill", "-ff-time-fill", c -> c.timeFill, Color.GRAY);
    private final StyleableProperty<Color> tagFill = color("tagFill", "-ff-tag-fill", c -> c.tagFill, Color.STEELBLUE);
    private final StyleableProperty<Color> stderrFill = color("stderrFill", "-ff-stderr-fill", c -> c.stderrFill,
            Color.DARKORANGE);
    private final StyleableProperty<Color> errorFill = color("errorFill", "-ff-error-fill", c -> c.errorFill,
            Color.CRIMSON);
    private final StyleableProperty<Color> exitFill = color("exitFill", "-ff-exit-fill", c -> c.exitFill,
            Color.ROYALBLUE);
    private final StyleableProperty<Color> bandFill = color("bandFill", "-ff-band-fill", c -> c.bandFill,
            Color.LIGHTBLUE);
    private final StyleableProperty<Color> rangeFill = color("rangeFill", "-ff-range-fill", c -> c.rangeFill,
            Color.LIGHTGRAY);
    private final StyleableProperty<Color> backgroundFill = color("backgroundFill", "-ff-background-fill",
            c -> c.backgroundFill, Color.WHITE);

    private final Lines lines;
    private final Canvas canvas = new Canvas();
    private final ScrollBar vbar = new ScrollBar();
    private final ScrollBar hbar = new ScrollBar();
    private final ReadOnlyIntegerWrapper top = new ReadOnlyIntegerWrapper(this, "top");
    private double xOffset;
    private int widestChars;
    private double charWidth = 7;
    private double lineHeight = 16;
    private double ascent = 12;
    private Font bold;
    /** The other end of a Shift+click range (its seq), or -1: the range runs from there to the banded line. */
    private long extentSeq = -1;
    private boolean dirty = true;
    /** Told when the user scrolls back (wheel up, Up, Page Up, Home, the scroll bar): a followed tail lets go. */
    private Runnable onScrollBack = () -> { };
    private boolean syncingBars;
    /** What the last redraw drew, row by row (tests check what was painted, not what the model holds). */
    private final List<Row> lastFrame = new ArrayList<>();
    private int lastFrameTop;
    private long frames;

    /** One drawn row: its text and the fill of the line's text part. */
    record Row(String text, Paint textFill) {
    }

    ConsoleCanvas(Lines lines) {
        this.lines = Objects.requireNonNull(lines, "lines");
        getStyleClass().add("console-canvas");
        setFocusTraversable(true);
        vbar.setOrientation(Orientation.VERTICAL);
        hbar.setOrientation(Orientation.HORIZONTAL);
        vbar.setMin(0);
        hbar.setMin(0);
        getChildren().addAll(canvas, vbar, hbar);
        vbar.valueProperty().addListener((o, was, now) -> {
            if (!syncingBars) setTop((int) Math.round(now.doubleValue()));
        });
        hbar.valueProperty().addListener((o, was, now) -> {
            if (syncingBars) return;
            xOffset = now.doubleValue();
            invalidate();
        });
        for (StyleableProperty<?> p : List.of(font, textFill, timeFill, tagFill, stderrFill, errorFill, exitFill,
                bandFill, rangeFill, backgroundFill)) {
            ((ObservableValue<?>) p).addListener(o -> {
                if (p == font) measure();
                invalidate();
            });
        }
        measure();
        canvas.addEventHandler(MouseEvent.MOUSE_PRESSED, e -> requestFocus());
        vbar.addEventFilter(MouseEvent.MOUSE_PRESSED, e -> onScrollBack.run());
        addEventHandler(ScrollEvent.SCROLL, this::onScroll);
        addEventHandler(KeyEvent.KEY_PRESSED, this::onKey);
    }

    private StyleableProperty<Color> color(String name, String css,
                                           java.util.function.Function<ConsoleCanvas, StyleableProperty<Color>> get,
                                           Color initial) {
        return CSS.createStyleableColorProperty(this, name, css, get, initial);
    }

    public static List<CssMetaData<? extends Styleable, ?>> getClassCssMetaData() {
        return CSS.getCssMetaData();
    }

    @Override
    public List<CssMetaData<? extends Styleable, ?>> getCssMetaData() {
        return CSS.getCssMetaData();
    }

    // ---- what the console view asks ----

    void setOnScrollBack(Runnable action) {
        onScrollBack = Objects.requireNonNull(action, "action");
    }

    /** The first line in view; changes when the view scrolls. */
    ReadOnlyIntegerProperty topProperty() {
        return top.getReadOnlyProperty();
    }

    int firstVisible() {
        return Math.min(top.get(), Math.max(0, lines.size() - 1));
    }

    /** The last line at least partly in view (the first when nothing fits). */
    int lastVisible() {
        return Math.max(firstVisible(), Math.min(lines.size(), top.get() + rows()) - 1);
    }

    /** Whole rows that fit the view. */
    int rows() {
        return Math.max(1, (int) Math.floor(viewHeight() / lineHeight));
    }

    /** Whether any line is in view (the node is laid out and the window holds lines). */
    boolean hasView() {
        return viewHeight() >= lineHeight && lines.size() > 0;
    }

    void showAtTop(int i) {
        setTop(i);
    }

    void showAtCenter(int i) {
        setTop(i - rows() / 2);
    }

    void showAtBottom(int i) {
        setTop(i - rows() + 1);
    }

    /** The line under a y coordinate of this node, or -1. */
    int lineAt(double y) {
        int i = top.get() + (int) Math.floor(y / lineHeight);
        return y < 0 || i < 0 || i >= lines.size() ? -1 : i;
    }

    /** A visible line's bounds on the screen (tests click it). */
    Bounds rowBoundsOnScreen(int i) {
        Bounds b = localToScreen(new BoundingBox(0, (i - top.get()) * lineHeight, viewWidth(), lineHeight));
        return Objects.requireNonNull(b, "not on a screen");
    }

    /** The lines changed (appended, trimmed, replaced or restyled): redraw on the next pulse. */
    void contentChanged() {
        int widest = 0;
        for (int i = 0, n = lines.size(); i < n; i++) widest = Math.max(widest, lines.line(i).text().length());
        widestChars = widest + ConsoleFormat.PREFIX_CHARS;
        setTop(top.get()); // clamps to the new size
        invalidate();
    }

    /** The banded line or the range changed. */
    void selectionChanged() {
        invalidate();
    }

    /** Starts or extends the copy range at a line (Shift+click); -1 clears it. */
    void extendTo(long seq) {
        extentSeq = seq;
        invalidate();
    }

    /** The text Ctrl+C copies: the range from the extent to the banded line, or the banded line. */
    String selectedText() {
        int band = lines.bandIndex();
        if (band < 0) return "";
        int from = band;
        int to = band;
        if (extentSeq >= 0) {
            int extent = indexOfSeq(extentSeq);
            if (extent >= 0) {
                from = Math.min(band, extent);
                to = Math.max(band, extent);
            }
        }
        StringBuilder text = new StringBuilder();
        for (int i = from; i <= to; i++) text.append(ConsoleFormat.paragraph(lines.line(i))).append('\n');
        return text.toString();
    }

    List<Row> lastFrame() {
        return List.copyOf(lastFrame);
    }

    int lastFrameTop() {
        return lastFrameTop;
    }

    /** Redraws so far: an idle console must not redraw. */
    long frames() {
        return frames;
    }

    Paint fillOf(ConsoleFormat.Style style) {
        return switch (style) {
            case PLAIN -> textFill.getValue();
            case STDERR -> stderrFill.getValue();
            case ERROR -> errorFill.getValue();
            case EXIT -> exitFill.getValue();
        };
    }

    // ---- layout and drawing ----

    private void setTop(int wanted) {
        if (clampTop(wanted)) invalidate();
    }

    /** Sets the first line in view within bounds; true when it moved. */
    private boolean clampTop(int wanted) {
        int max = Math.max(0, lines.size() - rows());
        int clamped = Math.max(0, Math.min(wanted, max));
        if (clamped == top.get()) return false;
        top.set(clamped);
        return true;
    }

    /** Redraw (and lay out: sizes and bars may change) on the next pulse; once however often it is asked. */
    private void invalidate() {
        dirty = true;
        requestLayout();
    }

    private double viewWidth() {
        return Math.max(0, getWidth() - vbar.prefWidth(-1));
    }

    /** The horizontal bar shows only while some line is wider than the view. */
    private double viewHeight() {
        return Math.max(0, getHeight() - (hbar.isVisible() ? hbar.prefHeight(-1) : 0));
    }

    private double contentWidth() {
        return widestChars * charWidth + 2 * PAD_X;
    }

    private void measure() {
        Font f = font.getValue();
        Text probe = new Text("MMMMMMMMMM");
        probe.setFont(f);
        charWidth = probe.getLayoutBounds().getWidth() / 10;
        lineHeight = Math.ceil(probe.getLayoutBounds().getHeight()) + 2;
        ascent = -probe.getLayoutBounds().getMinY() + 1;
        bold = Font.font(f.getFamily(), FontWeight.BOLD, f.getSize());
    }

    @Override
    protected void layoutChildren() {
        double w = getWidth();
        double h = getHeight();
        double vw = vbar.prefWidth(-1);
        hbar.setVisible(contentWidth() > viewWidth());
        double hh = hbar.isVisible() ? hbar.prefHeight(-1) : 0;
        vbar.resizeRelocate(w - vw, 0, vw, Math.max(0, h - hh));
        hbar.resizeRelocate(0, h - hh, Math.max(0, w - vw), hh);
        if (canvas.getWidth() != viewWidth() || canvas.getHeight() != viewHeight()) {
            canvas.setWidth(viewWidth());
            canvas.setHeight(viewHeight());
            dirty = true;
        }
        if (clampTop(top.get())) dirty = true; // a taller view shows more of the end
        syncBars();
        if (dirty) draw();
    }

    private void syncBars() {
        syncingBars = true;
        try {
            int rows = rows();
            vbar.setMax(Math.max(0, lines.size() - rows));
            vbar.setVisibleAmount(Math.max(1, Math.min(rows, lines.size())));
            vbar.setUnitIncrement(1);
            vbar.setBlockIncrement(Math.max(1, rows - 1));
            vbar.setValue(top.get());
            double hmax = Math.max(0, contentWidth() - viewWidth());
            xOffset = Math.min(xOffset, hmax);
            hbar.setMax(hmax);
            hbar.setVisibleAmount(Math.max(1, viewWidth()));
            hbar.setUnitIncrement(charWidth * 4);
            hbar.setBlockIncrement(Math.max(charWidth, viewWidth() - charWidth * 8));
            hbar.setValue(xOffset);
        } finally {
            syncingBars = false;
        }
    }

    private void draw() {
        dirty = false;
        frames++;
        GraphicsContext g = canvas.getGraphicsContext2D();
        double w = canvas.getWidth();
        double h = canvas.getHeight();
        g.setFill(backgroundFill.getValue());
        g.fillRect(0, 0, w, h);
        // Opaque under the canvas, so a live repaint of the console starts here (the renderer's "render root")
        // instead of repainting every ancestor's background under it.
        javafx.scene.layout.Background opaque = javafx.scene.layout.Background.fill(backgroundFill.getValue());
        if (!opaque.equals(getBackground())) setBackground(opaque);
        lastFrame.clear();
        lastFrameTop = top.get();
        if (lines.size() == 0 || w <= 0 || h <= 0) return;
        g.setTextBaseline(VPos.BASELINE);
        int band = lines.bandIndex();
        int extent = extentSeq >= 0 ? indexOfSeq(extentSeq) : -1;
        int rangeFrom = extent < 0 || band < 0 ? -1 : Math.min(band, extent);
        int rangeTo = extent < 0 || band < 0 ? -1 : Math.max(band, extent);
        int first = top.get();
        int last = Math.min(lines.size() - 1, first + (int) Math.ceil(h / lineHeight) - 1);
        // only the characters that fall inside the view are drawn: a 10 000-character line costs one row's width
        int skip = (int) Math.floor(xOffset / charWidth);
        int fit = (int) Math.ceil(w / charWidth) + 2;
        double x0 = PAD_X - (xOffset - skip * charWidth);
        for (int i = first; i <= last; i++) {
            double y = (i - first) * lineHeight;
            if (i == band) {
                g.setFill(bandFill.getValue());
                g.fillRect(0, y, w, lineHeight);
            } else if (i >= rangeFrom && i <= rangeTo) {
                g.setFill(rangeFill.getValue());
                g.fillRect(0, y, w, lineHeight);
            }
            RunEvent e = lines.line(i);
            String time = ConsoleFormat.time(e.atNanos());
            String tag = ConsoleFormat.tag(e);
            String text = ConsoleFormat.text(e);
            ConsoleFormat.Style style = ConsoleFormat.style(e);
            Paint fill = fillOf(style);
            double baseline = y + ascent;
            int col = 0;
            col = part(g, time, col, skip, fit, x0, baseline, timeFill.getValue(), font.getValue());
            col = part(g, tag, col, skip, fit, x0, baseline, tagFill.getValue(), font.getValue());
            part(g, text, col, skip, fit, x0, baseline, fill, style == ConsoleFormat.Style.ERROR ? bold
                    : font.getValue());
            lastFrame.add(new Row(time + tag + text, fill));
        }
    }

    /** Draws the visible columns of one part of a row starting at column {@code col}; returns the next column. */
    private int part(GraphicsContext g, String s, int col, int skip, int fit, double x0, double baseline,
                     Paint fill, Font font) {
        int end = col + s.length();
        int from = Math.max(col, skip);
        int to = Math.min(end, skip + fit);
        if (from < to) {
            g.setFont(font);
            g.setFill(fill);
            g.fillText(s.substring(from - col, to - col), x0 + (from - skip) * charWidth, baseline);
        }
        return end;
    }

    private int indexOfSeq(long seq) {
        int lo = 0;
        int hi = lines.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            long s = lines.line(mid).seq();
            if (s < seq) lo = mid + 1;
            else if (s > seq) hi = mid - 1;
            else return mid;
        }
        return -1;
    }

    // ---- input ----

    private void onScroll(ScrollEvent e) {
        double dx = e.isShiftDown() && e.getDeltaX() == 0 ? e.getDeltaY() : e.getDeltaX();
        double dy = e.isShiftDown() && e.getDeltaX() == 0 ? 0 : e.getDeltaY();
        if (dy > 0) onScrollBack.run();
        if (dy != 0) {
            int by = (int) Math.signum(-dy) * Math.max(1, (int) Math.round(Math.abs(dy) / lineHeight));
            setTop(top.get() + by);
        }
        if (dx != 0) {
            xOffset = Math.max(0, Math.min(hbar.getMax(), xOffset - dx));
            invalidate();
        }
        e.consume();
    }

    private void onKey(KeyEvent e) {
        KeyCode code = e.getCode();
        if (code == KeyCode.C && e.isShortcutDown()) {
            String text = selectedText();
            if (!text.isEmpty()) {
                ClipboardContent content = new ClipboardContent();
                content.putString(text);
                Clipboard.getSystemClipboard().setContent(content);
            }
            e.consume();
            return;
        }
        int page = Math.max(1, rows() - 1);
        if (code == KeyCode.UP || code == KeyCode.PAGE_UP || code == KeyCode.HOME) onScrollBack.run();
        switch (code) {
            case UP -> setTop(top.get() - 1);
            case DOWN -> setTop(top.get() + 1);
            case PAGE_UP -> setTop(top.get() - page);
            case PAGE_DOWN -> setTop(top.get() + page);
            case HOME -> setTop(0);
            case LEFT -> hbar.setValue(Math.max(0, xOffset - charWidth * 4));
            case RIGHT -> hbar.setValue(Math.min(hbar.getMax(), xOffset + charWidth * 4));
            default -> {
                return;
            }
        }
        e.consume();
    }
}
