/**
 * The live-run API the workbench drives: one running (or just ended) run, its state, its events as they are recorded,
 * and the controls a person uses on it (freeze, resume, capture now, arm, disarm, stop). The real implementation runs a
 * guest; a scripted one stands in for it in UI tests. Everything a live run records also reaches the archive, so views
 * read history from the archive and only follow the live state from here.
 */
package dev.freezeframe.coordinator.live;
