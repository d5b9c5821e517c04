/**
 * Turns decoded query parameters into a typed plan against one collection. Every key, field name
 * and value is checked here, against the collection declarations; pure.
 */
package org.kernelci.batch.plan;
