/**
 * Compiles plans into SQL text plus bind values. Identifiers come only from the collection
 * declarations, through {@link org.kernelci.batch.sql.Identifiers#quote}; every value is a bind
 * parameter. Pure: no JDBC here.
 */
package org.kernelci.batch.sql;
