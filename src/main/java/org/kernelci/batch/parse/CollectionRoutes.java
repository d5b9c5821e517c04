package org.kernelci.batch.parse;

import java.util.Set;

/** The routes under a collection's path that are no document: read alike by every request that names one. */
public final class CollectionRoutes {
    /** The original's routes one segment under a collection. */
    private static final Set<String> ORIGINAL_SUBROUTES = Set.of("regressions", "compare", "logs", "distinct");

    private CollectionRoutes() {
    }

    /**
     * Whether a path segment under a collection is one of the original's routes there
     * ({@code /boot/regressions}, {@code /job/compare}, ...) or a deeper path: no document id,
     * but a route this service does not have (404).
     */
    public static boolean isOtherRoute(String segment) {
        return ORIGINAL_SUBROUTES.contains(segment) || segment.contains("/");
    }
}
