package org.kernelci.batch.pipeline;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.kernelci.batch.auth.Token;
import org.kernelci.batch.execute.BatchRunner;
import org.kernelci.batch.parse.BatchOperation;
import org.kernelci.batch.plan.BatchPlanner;
import org.kernelci.batch.plan.BatchStep;
import org.kernelci.batch.plan.Read;

/**
 * The batches of reads asked for lately, parsed, planned and authorised, by what identifies them
 * (path, query string, body) and the caller's permissions, kept while their plans
 * hold ({@link BatchPlanner.Plans#until()}): a dashboard polled again skips parsing, planning and
 * hashing its reads into its ETag, most of what a 304 costs the service. Bounded by the bodies'
 * sizes; a batch that writes is never kept.
 */
public final class RecentBatches {
    /** What the kept batches' bodies may hold in all, in bytes. */
    static final long MAX_BYTES = 16L << 20;

    /**
     * A planned batch: its dialect, its operations and their steps.
     *
     * @param allowed the reads the caller may run, when the batch only reads; else null
     * @param asked   what its ETag hashes before the change counts ({@link EntityTags#asked}); null when it writes
     * @param tables  the tables the allowed reads look into, whose change counts its ETag holds; null when it writes
     */
    public record Planned(Dialect dialect, List<BatchOperation> operations, List<BatchStep> steps, List<Read> allowed,
                          MessageDigest asked, List<String> tables, Instant until) {
    }

    /**
     * What a batch is kept by: the request's method, path and query string, its body (compared
     * whole: cheaper than hashing it first) and the caller's permissions.
     */
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private record Key(String request, byte[] body, String permissions, int hash) {
        Key(String request, byte[] body, String permissions) {
            this(request, body, permissions, (request.hashCode() * 31 + hash(body)) * 31 + permissions.hashCode());
        }

        /** {@link Arrays#hashCode(byte[])}'s kind of hash, eight bytes a step: a body is kilobytes, and hashed at every request. */
        private static int hash(byte[] body) {
            long hash = body.length;
            int i = 0;
            for (; i + Long.BYTES <= body.length; i += Long.BYTES) {
                hash = 31 * hash + (long) LONGS.get(body, i);
            }
            for (; i < body.length; i++) {
                hash = 31 * hash + body[i];
            }
            return Long.hashCode(hash);
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && hash == key.hash && request.equals(key.request)
                    && permissions.equals(key.permissions) && Arrays.equals(body, key.body);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    private final Clock clock;
    private final Cache<Key, Planned> kept = Caffeine.newBuilder().maximumWeight(MAX_BYTES)
            // The body, and about as much again for its parsed operations and plans.
            .weigher((Key key, Planned planned) -> key.request().length() + 2 * key.body().length).build();

    public RecentBatches(Clock clock) {
        this.clock = clock;
    }

    /** The batch planned for this request ({@link EntityTags#identity}), body and caller, while its plans hold; else null. */
    public Planned get(String request, byte[] body, Token token) {
        Key key = new Key(request, body, EntityTags.permissions(token));
        Planned planned = kept.getIfPresent(key);
        if (planned != null && !clock.instant().isBefore(planned.until())) {
            kept.invalidate(key);
            return null;
        }
        return planned;
    }

    /**
     * The batch as planned for this caller, kept when it only reads and its plans hold past now.
     *
     * @param allowed the reads the caller may run, when the batch only reads; else null
     */
    Planned keep(String request, byte[] body, Token token, Dialect dialect, List<BatchOperation> operations,
                 BatchPlanner.Plans plans, List<Read> allowed) {
        boolean reads = allowed != null;
        Planned planned = new Planned(dialect, operations, plans.steps(), allowed,
                reads ? EntityTags.asked(token, EntityTags.identity(request, body), allowed) : null,
                reads ? BatchRunner.tables(allowed) : null, plans.until());
        if (reads && clock.instant().isBefore(plans.until())) {
            kept.put(new Key(request, body, EntityTags.permissions(token)), planned);
        }
        return planned;
    }
}
