/**
 * Turns request text into plain values: a query string into ordered key/value pairs, a batch
 * body into operations. Knows nothing of collections; pure.
 */
package org.kernelci.batch.parse;
