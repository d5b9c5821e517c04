/**
 * Writes documents: lines of a MongoDB export (bulk import, upserted by id) and the original's
 * POST reports (job, defconfig, boot). Reading and validating are pure ({@link
 * org.kernelci.batch.ingest.ExportFormat}, {@link org.kernelci.batch.ingest.ReportReader}) and
 * driven by the collection declarations; the writers take a JDBC connection, so the service and
 * the command-line importer share them.
 */
package org.kernelci.batch.ingest;
