/**
 * Writes outcomes in the kernelci wire format: envelopes, {@code $oid} references, {@code $date}
 * times; and the batch dialects' answers (kernelci entries, Appery results, ArangoDB parts).
 */
package org.kernelci.batch.render;
