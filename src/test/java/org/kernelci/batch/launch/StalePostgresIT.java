package org.kernelci.batch.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The run command after a {@code kill -9}: its PostgreSQL is found and stopped; a live run is left alone. */
class StalePostgresIT {
    @TempDir
    Path directory;

    /** A stand-in for the run command: an embedded PostgreSQL in a data directory, until killed. */
    public static void main(String[] args) throws Exception {
        EmbeddedPostgres.builder().setDataDirectory(Path.of(args[0])).setCleanDataDirectory(false).start();
        System.out.println("ready");
        new CountDownLatch(1).await();
    }

    private Process run(Path data) throws IOException, InterruptedException {
        Path log = directory.resolve("stand-in.log");
        Process process = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), StalePostgresIT.class.getName(), data.toString()))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        // Waits for the stand-in, however slow the machine; it ends only by failing.
        while (!Files.readAllLines(log, StandardCharsets.UTF_8).contains("ready")) {
            if (process.waitFor(200, TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("the stand-in ended: " + Files.readString(log));
            }
        }
        return process;
    }

    private static long postmaster(Path data) throws IOException {
        return Long.parseLong(Files.readAllLines(data.resolve("postmaster.pid")).get(0).strip());
    }

    @Test
    @DisplayName("a live run keeps its PostgreSQL; after kill -9 the next start stops the one left behind and starts again")
    void stopsWhatAKilledRunLeft() throws Exception {
        Path data = directory.resolve("postgres");
        Process live = run(data);
        long pid = postmaster(data);
        try {
            killedRun(data, live, pid);
        } finally {
            live.destroyForcibly();
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
        }
    }

    private static void killedRun(Path data, Process live, long pid) throws Exception {
        StalePostgres.InUse refused = assertThrows(StalePostgres.InUse.class, () -> StalePostgres.stopIfAny(data));
        assertTrue(refused.getMessage().startsWith("another run of kci-batch is using "), refused.getMessage());
        assertTrue(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "the live run's PostgreSQL runs on");

        live.destroyForcibly();
        assertTrue(live.waitFor(60, TimeUnit.SECONDS));
        assertTrue(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "kill -9 leaves PostgreSQL running");
        StalePostgres.stopIfAny(data);
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "stopped");
        try (EmbeddedPostgres again = EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(false).start();
             var connection = again.getPostgresDatabase().getConnection()) {
            assertEquals(true, connection.isValid(5));
        }
    }
}
