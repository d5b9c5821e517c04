package org.kernelci.batch.ingest;

import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What an import did.
 *
 * @param imported       documents stored (inserted or replaced)
 * @param rejected       lines refused
 * @param errors         the first refused lines, by line number, at most the importer's {@code MAX_LISTED_ERRORS}
 * @param extraMembers   per member name no field is declared for (kept in the documents' extras), the
 *                       number of documents that had it, by name
 */
public record ImportSummary(long imported, long rejected, List<LineError> errors, Map<String, Long> extraMembers) {
    public ImportSummary {
        errors = List.copyOf(errors);
        SortedMap<String, Long> byName = new TreeMap<>(extraMembers);
        extraMembers = java.util.Collections.unmodifiableSortedMap(byName);
    }

    /** A refused line and why. */
    public record LineError(long line, String reason) {
    }
}
