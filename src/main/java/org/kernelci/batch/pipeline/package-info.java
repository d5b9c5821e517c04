/**
 * Runs a batch request through the stages, whatever its dialect: parse (the dialect's body into
 * operations), plan, authorise, execute and render (the dialect's wire format), each stage timed;
 * answers a batch of reads conditionally (one component for ETags and 304s) and keeps the answer
 * of a batch that writes with its Idempotency-Key. Between the HTTP edge and the stages: it
 * returns plain values that {@code http} turns into responses, and imports neither JAX-RS nor the
 * Servlet API.
 */
package org.kernelci.batch.pipeline;
