/**
 * Reads documents, pure: lines of a MongoDB export ({@link org.kernelci.batch.ingest.ExportFormat})
 * and the original's POST reports ({@link org.kernelci.batch.ingest.ReportReader}, test groups in
 * {@link org.kernelci.batch.ingest.TestGroupReader}), checked and converted as the collection
 * declarations say. No JDBC: the writers that store what these read are in {@code execute}, and
 * this package sits below {@code plan}, which uses it.
 */
package org.kernelci.batch.ingest;
