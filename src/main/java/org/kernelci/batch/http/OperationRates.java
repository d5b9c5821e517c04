package org.kernelci.batch.http;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import jakarta.annotation.Priority;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import org.kernelci.batch.execute.CallerLimitException;

/**
 * Per-token rate limits that count operations (issue 33): each caller has a bucket of
 * {@code burst} operations refilled at {@code perSecond}; a request takes one, a batch of N takes
 * N ({@link #charge}), so that a batch never passes what its operations sent apart would not.
 * Past it: 429 with Retry-After, the reason naming the settings. Counted on each node alone.
 *
 * <p>A caller is its credential (the token sent, hashed: the bucket of a token is found before
 * the token is looked up, so a flood of bad tokens is limited too), else the user the container
 * signed in, else its address ({@link Access#clientAddress}, through trusted proxies only).
 */
@Priority(Priorities.AUTHENTICATION - 100)
final class OperationRates implements ContainerRequestFilter {
    private final Access access;
    private final double perSecond;
    private final double burst;
    private final Cache<String, Bucket> buckets;

    @Context
    private HttpServletRequest servletRequest;

    /** @param burst raised to {@code maxOperations}: a batch the service accepts must be able to pass */
    OperationRates(Access access, int perSecond, int burst, int maxOperations) {
        this.access = access;
        this.perSecond = perSecond;
        this.burst = Math.max(burst, maxOperations);
        // A bucket left alone that long is full again: forgetting it changes nothing.
        long refillSeconds = (long) Math.ceil(this.burst / perSecond) + 1;
        this.buckets = Caffeine.newBuilder().maximumSize(100_000).expireAfterAccess(Duration.ofSeconds(refillSeconds))
                .build();
    }

    /**
     * Every request takes one operation, before anything else is done for it; a part of an
     * ArangoDB batch was counted with its batch.
     */
    @Override
    public void filter(ContainerRequestContext context) {
        if (servletRequest.getAttribute(InProcessRequests.PART) == null) {
            take(servletRequest, 1, 0);
        }
    }

    /**
     * Takes the other operations of a batch of {@code operations} (the request took one), or a
     * 429 whose Retry-After is when the whole batch would pass.
     */
    void chargeBatch(HttpServletRequest request, int operations) {
        take(request, operations - 1, 1);
    }

    /** @param taken operations of this request already taken: its Retry-After counts them too */
    private void take(HttpServletRequest request, int operations, int taken) {
        if (operations <= 0) {
            return;
        }
        Bucket bucket = buckets.get(caller(request), key -> new Bucket(burst, System.nanoTime()));
        double missing = bucket.take(operations, perSecond, burst);
        if (missing > 0) {
            throw new CallerLimitException("Too many operations: this token may ask for " + (long) perSecond
                    + " a second (KCI_RATE_OPERATIONS) and " + (long) burst + " at once (KCI_RATE_BURST), a batch of N "
                    + "counting N: retry later", (int) Math.ceil((missing + taken) / perSecond));
        }
    }

    private String caller(HttpServletRequest request) {
        String credential = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (credential == null || credential.isBlank()) {
            credential = request.getHeader(Access.APPERY_TOKEN);
        }
        if (credential != null && !credential.isBlank()) {
            return "token " + hash(credential.strip());
        }
        if (request.getUserPrincipal() != null) {
            return "user " + request.getUserPrincipal().getName();
        }
        return "address " + access.clientAddress(request);
    }

    private static String hash(String value) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A caller's operations left, refilled as time passes. */
    private static final class Bucket {
        private double left;
        private long at;

        Bucket(double left, long at) {
            this.left = left;
            this.at = at;
        }

        /** Takes them and answers 0, or takes none and answers how many are missing. */
        synchronized double take(int operations, double perSecond, double burst) {
            long now = System.nanoTime();
            left = Math.min(burst, left + (now - at) / 1e9 * perSecond);
            at = now;
            if (left >= operations) {
                left -= operations;
                return 0;
            }
            return operations - left;
        }
    }
}
