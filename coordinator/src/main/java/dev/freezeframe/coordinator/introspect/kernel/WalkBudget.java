package dev.freezeframe.coordinator.introspect.kernel;

/**
 * Bounds on one walk over guest data structures: {@code maxNodes} interior nodes (xa_nodes, list or hash-chain links)
 * visited, {@code maxEntries} entries yielded. A walk that hits a bound stops, keeps what it has and says
 * {@code truncated}; a cycle is detected separately (a visited set) and is a reason, not a truncation.
 */
public record WalkBudget(int maxNodes, int maxEntries) {
    public static final WalkBudget DEFAULT = new WalkBudget(1 << 16, 1 << 16);

    public WalkBudget {
        if (maxNodes < 1 || maxEntries < 0) {
            throw new IllegalArgumentException("a walk budget needs at least one node");
        }
    }
}
