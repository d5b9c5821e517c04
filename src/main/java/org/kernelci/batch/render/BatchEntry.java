package org.kernelci.batch.render;

import org.kernelci.batch.execute.Outcome;

/**
 * One entry of a batch response.
 *
 * @param operationId the operation's {@code operation_id} as JSON text, or null when it had none
 * @param code        the entry's HTTP status
 * @param outcome     what the operation found, or a {@link Outcome.Failure} with the reason
 * @param countKey    the member naming the collection in count items
 */
public record BatchEntry(String operationId, int code, Outcome outcome, String countKey) {
}
