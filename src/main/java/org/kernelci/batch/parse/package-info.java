/**
 * Turns request text into plain values: a query string into ordered key/value pairs, a batch
 * body into operations, ArangoDB's multipart envelope into raw requests. Knows nothing of
 * collections; pure.
 */
package org.kernelci.batch.parse;
