/**
 * Runs compiled SQL through JDBI: one READ ONLY, REPEATABLE READ transaction per request, so that
 * every statement of a batch sees the same snapshot. Also knows whether the database answers,
 * tells once what each of its failures is for the client ({@link org.kernelci.batch.execute.Fault#answer}:
 * a {@link org.kernelci.batch.Problem}, carried by an outcome or thrown), and holds the writers
 * (reports, test groups, bulk imports) that the service and the command-line importer share.
 */
package org.kernelci.batch.execute;
