/**
 * The HTTP edge: Jersey resources (thin: route, authorize, then parse, plan, read, render),
 * the error mapper and response compression. The only package that knows JAX-RS.
 */
package org.kernelci.batch.http;
