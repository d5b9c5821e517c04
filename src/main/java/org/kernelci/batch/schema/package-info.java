/**
 * The collections the service serves: one declaration each (name, aliases, table, fields with
 * their types), the single source of truth that validation, SQL, rendering and docs read.
 */
package org.kernelci.batch.schema;
