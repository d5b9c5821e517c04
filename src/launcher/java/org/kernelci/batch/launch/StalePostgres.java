package org.kernelci.batch.launch;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * An embedded PostgreSQL left running in the data directory by a run command that was killed
 * ({@code kill -9}): its JVM is gone, but the server it started still holds the directory, so the
 * next start would fail. A live run holds the embedded PostgreSQL's lock file; a stale server is
 * one whose {@code postmaster.pid} names a live {@code postgres} process while nobody holds it.
 */
final class StalePostgres {
    /** zonky's lock file in the data directory, held by the JVM that started the server. */
    private static final String LOCK_FILE = "epg-lock";
    private static final Duration SHUTDOWN = Duration.ofSeconds(60);

    private StalePostgres() {
    }

    /** Why the run command cannot start on this data directory. */
    static final class InUse extends Exception {
        InUse(String message) {
            super(message);
        }
    }

    /** Stops a stale server in {@code directory}; refuses when another run is using it. */
    static void stopIfAny(Path directory) throws IOException, InterruptedException, InUse {
        Path pidFile = directory.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        if (heldByLiveRun(directory.resolve(LOCK_FILE))) {
            throw new InUse("another run of kci-batch is using " + directory + ": stop it first (Ctrl-C in its terminal)");
        }
        long pid;
        try {
            pid = Long.parseLong(Files.readAllLines(pidFile, StandardCharsets.UTF_8).get(0).strip());
        } catch (RuntimeException e) {
            return;   // unreadable: PostgreSQL itself decides whether the file is stale
        }
        Optional<ProcessHandle> process = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        if (process.isEmpty() || !isPostgres(pid)) {
            return;   // PostgreSQL removes a pid file whose process is gone
        }
        System.out.println("Stopping the embedded PostgreSQL (pid " + pid + ") that an earlier run left in "
                + directory + " (that run did not stop cleanly)...");
        // SIGTERM: PostgreSQL's smart shutdown; the killed JVM's sessions are already gone.
        process.get().destroy();
        try {
            process.get().onExit().get(SHUTDOWN.toSeconds(), TimeUnit.SECONDS);
        } catch (TimeoutException | ExecutionException e) {
            throw new InUse("the embedded PostgreSQL (pid " + pid + ") did not stop within " + SHUTDOWN.toSeconds()
                    + " s: stop it (kill " + pid + ") and start again");
        }
    }

    private static boolean heldByLiveRun(Path lockFile) throws IOException {
        if (!Files.exists(lockFile)) {
            return false;
        }
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                return true;
            }
            lock.release();
            return false;
        } catch (java.nio.channels.OverlappingFileLockException e) {
            return true;
        }
    }

    private static boolean isPostgres(long pid) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(pid), "comm")).strip().startsWith("postgres");
        } catch (IOException e) {
            return ProcessHandle.of(pid).flatMap(handle -> handle.info().command())
                    .map(command -> command.endsWith("postgres")).orElse(false);
        }
    }
}
