package org.kernelci.batch.pipeline;

import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.kernelci.batch.execute.BatchRunner;
import org.kernelci.batch.execute.Outcome;
import org.kernelci.batch.plan.Read;

/**
 * Conditional requests (CONTRACT.md section 9), the one component that decides them for a plain
 * GET, a batch of reads and the kept batches' 304s in front of Jersey: the current tag of what
 * was asked, from the change counts alone (a 304 before anything runs), and the tag of an answer
 * from the counts of its own snapshot. It answers tags; the HTTP edge writes the headers.
 */
public final class ConditionalReads {
    private final BatchRunner runner;

    public ConditionalReads(BatchRunner runner) {
        this.runner = runner;
    }

    /**
     * The current tag of what was asked when {@code ifNoneMatch} names it, read from the change
     * counts alone; else (no header, {@code *}, another tag) empty.
     */
    public Optional<String> notModified(String ifNoneMatch, MessageDigest asked, List<Read> reads) {
        // "*" asks whether the answer exists: known only once it has run.
        if (ifNoneMatch == null || ifNoneMatch.strip().equals("*")) {
            return Optional.empty();
        }
        return matching(ifNoneMatch, EntityTags.of(asked, reads.isEmpty() ? Map.of() : runner.changeCounts(reads)));
    }

    /** The same, for reads of these tables, with every table's change counts already read ({@link #latestChanges}). */
    public Optional<String> notModified(String ifNoneMatch, MessageDigest asked, List<String> tables,
                                        Map<String, Long> allChanges) {
        return matching(ifNoneMatch, EntityTags.of(asked, BatchRunner.ofTables(allChanges, tables)));
    }

    /**
     * The tag of an answer of reads, made from the change counts of its snapshot; none when they
     * could not be read or when an outcome is a failure of the service (5xx): not an answer to keep.
     */
    public static Optional<String> tag(MessageDigest asked, Optional<Map<String, Long>> changes, List<Outcome> outcomes) {
        boolean failed = outcomes.stream().anyMatch(outcome -> outcome.failure()
                .filter(problem -> problem.status() >= 500).isPresent());
        return changes.isEmpty() || failed ? Optional.empty() : Optional.of(EntityTags.of(asked, changes.get()));
    }

    /** Whether an {@code If-None-Match} value names the tag ({@code *} names any): the answer is then a 304. */
    public static boolean notModified(String ifNoneMatch, String tag) {
        return EntityTags.matches(ifNoneMatch, tag);
    }

    /** Every table's change counts as of a moment after this call began, without waiting for them. */
    public CompletableFuture<Map<String, Long>> latestChanges() {
        return runner.latestChanges();
    }

    private static Optional<String> matching(String ifNoneMatch, String current) {
        return EntityTags.matches(ifNoneMatch, current) ? Optional.of(current) : Optional.empty();
    }
}
