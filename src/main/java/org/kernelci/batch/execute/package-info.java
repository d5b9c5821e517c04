/**
 * Runs compiled SQL through JDBI: one READ ONLY, REPEATABLE READ transaction per request, so that
 * every statement of a batch sees the same snapshot. Also knows whether the database answers, and
 * holds the writers (reports, test groups, bulk imports) that the service and the command-line
 * importer share.
 */
package org.kernelci.batch.execute;
