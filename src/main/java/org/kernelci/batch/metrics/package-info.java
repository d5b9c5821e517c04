/**
 * The service's metrics for operators: one Micrometer registry per application, scraped by
 * Prometheus at {@code GET /metrics} and published to JMX; the HTTP edge and the pool record
 * into it.
 */
package org.kernelci.batch.metrics;
