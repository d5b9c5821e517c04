package org.kernelci.batch.launch;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * The benchmark's PostgreSQL: an embedded server on a fixed port whose data persist in a
 * folder, so that a generated data set is reused between runs. Runs until the process is
 * stopped. {@code BenchDatabase <data-directory> <port>}
 */
public final class BenchDatabase {
    private BenchDatabase() {
    }

    public static void main(String[] args) throws Exception {
        Path data = Path.of(args[0]);
        int port = Integer.parseInt(args[1]);
        Files.createDirectories(data.getParent());
        EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setDataDirectory(data)
                .setCleanDataDirectory(false)
                .setPort(port)
                .setServerConfig("shared_buffers", "512MB")
                .setServerConfig("effective_cache_size", "4GB")
                // Solid-state storage and a data set mostly in memory, as PostgreSQL's manual
                // advises (the default, 4, models spinning disks: a dashboard's list of builds then
                // scanned 1,000 rows of the created_on index instead of 20 of its job and status).
                .setServerConfig("random_page_cost", "1.1")
                .setServerConfig("max_connections", "100")
                .start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                postgres.close();
            } catch (Exception e) {
                System.err.println("Stopping PostgreSQL: " + e);
            }
        }, "bench-database-shutdown"));
        System.out.println("ready " + postgres.getJdbcUrl("postgres", "postgres"));
        new CountDownLatch(1).await();
    }
}
