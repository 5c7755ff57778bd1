package dev.freezeframe.app.ui.link;

/** Opens a run in the workbench (a run tab, its snapshot shown). Called on the FX thread. */
@FunctionalInterface
public interface RunOpener {
    void open(OpenRequest request);
}
