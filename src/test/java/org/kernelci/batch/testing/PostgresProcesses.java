package org.kernelci.batch.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A PostgreSQL's processes, found from its data directory, for tests that stop or freeze them by signal. */
public final class PostgresProcesses {
    private PostgresProcesses() {
    }

    /** The postmaster's pid: postmaster.pid's first line. */
    public static long postmaster(Path data) throws IOException {
        return Long.parseLong(Files.readAllLines(data.resolve("postmaster.pid")).get(0).trim());
    }

    /** The postmaster and its backends, postmaster first. */
    public static List<Long> all(Path data) throws IOException {
        long postmaster = postmaster(data);
        List<Long> pids = new ArrayList<>();
        pids.add(postmaster);
        ProcessHandle.of(postmaster).orElseThrow().descendants().forEach(process -> pids.add(process.pid()));
        return pids;
    }

    /** {@code kill -<signal>} of these processes. */
    public static void signal(String signal, List<Long> pids) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("kill", signal));
        pids.forEach(pid -> command.add(Long.toString(pid)));
        assertEquals(0, new ProcessBuilder(command).inheritIO().start().waitFor(), String.join(" ", command));
    }
}
