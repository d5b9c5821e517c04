package org.kernelci.batch.pipeline;

import java.util.Optional;
import java.util.function.IntConsumer;
import org.kernelci.batch.auth.Token;
import org.kernelci.batch.execute.Departure;
import org.kernelci.batch.execute.IdempotencyKeys;
import org.kernelci.batch.parse.QueryParams;

/**
 * A JSON batch as the HTTP edge read it, nothing of HTTP left in it.
 *
 * @param token       the caller, authenticated
 * @param identity    the request's method, path and raw query string ({@link EntityTags#identity})
 * @param query       its query string's pairs ({@code atomic})
 * @param body        the body as read, whole
 * @param ifNoneMatch the {@code If-None-Match} header, or null
 * @param key         the {@code Idempotency-Key} the request sent, with its fingerprint; a batch
 *                    that only reads ignores it
 * @param departure   tells when the client has gone while its reads run
 * @param charge      takes the batch's operations but the request's own from the caller's rate
 *                    (a 429 past it)
 */
public record BatchRequest(Token token, String identity, QueryParams query, byte[] body, String ifNoneMatch,
                           Optional<IdempotencyKeys.Key> key, Departure departure, IntConsumer charge) {
}
