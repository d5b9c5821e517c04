/** Writes outcomes in the kernelci wire format: envelopes, {@code $oid} references, {@code $date} times. */
package org.kernelci.batch.render;
