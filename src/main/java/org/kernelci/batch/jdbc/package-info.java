/**
 * Low-level JDBC: how a typed value is bound to a statement parameter and read back from a
 * column ({@link org.kernelci.batch.jdbc.ColumnCodec}, one codec both ways), and the rows of a
 * result set as the pure stages read them ({@link org.kernelci.batch.jdbc.ResultSetRows}). Knows
 * no requests, plans or transactions; {@code execute} and the writers build on it.
 */
package org.kernelci.batch.jdbc;
