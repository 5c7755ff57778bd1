package dev.freezeframe.snapshots.model;

import java.util.List;
import java.util.OptionalLong;
import java.util.function.Supplier;

/**
 * One row of a snapshot's typed tree: a section, a map, an entry, a struct/array or a leaf value. Children are made on
 * first request (a 100 000-entry map costs nothing until it is expanded or diffed). Every node has a {@link #path()}
 * unique within its snapshot and stable across snapshots of a run ({@code scx_qmap.bss:nr_enqueued},
 * {@code stats:[0].cnt}, {@code sched_ext:exitKindName}), which is how a diff pairs rows and how pins follow a field.
 */
public final class FieldNode {
    /** What a row is; decides its rendering and which actions it offers. */
    public enum Role { SECTION, MAP, ENTRY, CHUNK, GROUP, LEAF, NOTE }

    private final String name;
    private final String path;
    private final String parentPath;
    private final Role role;
    private final String type;
    private final LeafValue value;
    private final String summary;
    private final String layout;
    private final OptionalLong address;
    private final FieldRef field;
    private final String entryKey;
    private Supplier<List<FieldNode>> makeChildren;
    private List<FieldNode> children;
    private IndexedMap indexedMap;

    FieldNode(String name, String path, String parentPath, Role role, String type, LeafValue value, String summary,
              String layout, OptionalLong address, FieldRef field, String entryKey,
              Supplier<List<FieldNode>> makeChildren) {
        this.name = name;
        this.path = path;
        this.parentPath = parentPath;
        this.role = role;
        this.type = type == null ? "" : type;
        this.value = value;
        this.summary = summary == null ? "" : summary;
        this.layout = layout == null ? "" : layout;
        this.address = address;
        this.field = field;
        this.entryKey = entryKey;
        this.makeChildren = makeChildren;
        if (makeChildren == null) children = List.of();
    }

    public String name() {
        return name;
    }

    public String path() {
        return path;
    }

    /** The path of the parent row; empty for a top-level section. */
    public String parentPath() {
        return parentPath;
    }

    public Role role() {
        return role;
    }

    /** The C spelling of the type (from BTF) or a short kind; may be empty. */
    public String type() {
        return type;
    }

    /** A leaf's value; null for inner rows. */
    public LeafValue value() {
        return value;
    }

    /** What an inner row says about itself in the Value column ({@code hash, 12 entries}); empty for leaves. */
    public String summary() {
        return summary;
    }

    /** Byte offset / size in the enclosing object ({@code 0x08 / 8}), or empty. */
    public String layout() {
        return layout;
    }

    /** The kernel address of this value when the report gives one (a watch can be armed on it). */
    public OptionalLong address() {
        return address;
    }

    /** Where this leaf lives in the archive's field index (plots, next change); null for fields not indexed. */
    public FieldRef field() {
        return field;
    }

    /** For an entry row (and everything under it): the entry's key as the field index writes it; else null. */
    public String entryKey() {
        return entryKey;
    }

    /** A map row's entries as text, when they are (set once, before the row is handed out); else null. */
    IndexedMap indexedMap() {
        return indexedMap;
    }

    FieldNode withIndexedMap(IndexedMap m) {
        indexedMap = m;
        return this;
    }

    public boolean isLeaf() {
        return makeChildren == null && (children == null || children.isEmpty());
    }

    /** Children, made on first call (thread-safe: the background diff and the FX thread may both ask). */
    public synchronized List<FieldNode> children() {
        if (children == null) {
            children = List.copyOf(makeChildren.get());
            makeChildren = null;
        }
        return children;
    }

    /** Whether this row can have children (without making them). */
    public synchronized boolean hasChildren() {
        return children == null ? makeChildren != null : !children.isEmpty();
    }

    @Override
    public String toString() {
        return path;
    }
}
