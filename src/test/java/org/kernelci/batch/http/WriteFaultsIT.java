package org.kernelci.batch.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.kernelci.batch.testing.CapturedLog;
import org.kernelci.batch.testing.PostgresProcesses;
import org.kernelci.batch.testing.ProvokedFaults;
import org.kernelci.batch.testing.TestServer;

/**
 * Issue 32, "faults with writers running": writers send keyed writes (single reports, arrays of
 * 3, atomic Appery batches of 2) without pause while the database's backends are terminated, it
 * stops fast, stops immediately and freezes. Every answer is then checked against what is stored
 * (each write's reports carry a board of their own), and every write not answered 2xx is retried
 * with its key until it is: then each is stored exactly once. Counts are printed, not asserted.
 */
@ExtendWith(ProvokedFaults.class)
class WriteFaultsIT {
    private static final String LAB = "write-faults-lab";
    private static final int WRITERS = 4;
    /** Shorter than the freeze: some writes time out at the client, as the did. */
    private static final Duration CLIENT_TIMEOUT = Duration.ofMillis(2_500);
    private static final Pattern ENTRY_CODE = Pattern.compile("KCI(\\d{3})");

    private enum Kind { SINGLE, ARRAY, ATOMIC_BATCH }

    /** One write: its key and bytes (sent again as they are), and the boards its reports carry. */
    private record Write(Kind kind, String key, String target, String body, List<String> headers, List<String> boards) {
        /** Reports per board once stored. */
        int perBoard() {
            return kind == Kind.ARRAY ? 3 : 1;
        }
    }

    /**
     * An answer: its status (-1 for a client timeout or I/O error) and, for a batch answered 200
     * whose entries failed, the first entry status beside the 424s (an atomic batch is then undone).
     */
    private record Answer(Write write, String fault, int status, int entryStatus, String body, boolean replayed) {
        int effective() {
            return entryStatus != 0 ? entryStatus : status;
        }

        String label() {
            return status == -1 ? "timeout/IO" : entryStatus != 0 ? "200 with entries " + entryStatus : Integer.toString(status);
        }
    }

    @Test
    @DisplayName("writers running through backend kills, fast and immediate stops and a freeze: every answer true, "
            + "atomic batches whole, and every write stored exactly once after retries with its key")
    void faultsWithWritersRunning() throws Exception {
        Path data = Files.createTempDirectory("kci-write-faults");
        EmbeddedPostgres[] postgres = {
            durable(EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(false)).start()
        };
        int port = postgres[0].getPort();
        String url = postgres[0].getJdbcUrl("postgres", "postgres");
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(CLIENT_TIMEOUT).build();
        String run = "wf-" + UUID.randomUUID().toString().substring(0, 8);
        List<Answer> answers = Collections.synchronizedList(new ArrayList<>());
        List<String> figures = new ArrayList<>();
        try (TestServer server = TestServer.start(url, Clock.systemUTC(), Map.of())) {
            server.addToken(LAB, "can_post", "can_delete", "is_lab");
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger sequence = new AtomicInteger();
            AtomicReference<String> fault = new AtomicReference<>("before");
            List<Thread> writers = new ArrayList<>();
            for (int i = 0; i < WRITERS; i++) {
                writers.add(new Thread(() -> {
                    while (!stop.get()) {
                        String phase = fault.get();
                        Write write = write(run, sequence.incrementAndGet());
                        HttpResponse<String> response = send(http, server.base(), write);
                        answers.add(answer(response, write, phase.equals(fault.get()) ? phase : phase + " (answered during '"
                                + fault.get() + "')"));
                        pause(10);
                    }
                }, "write-faults-" + i));
            }
            writers.forEach(Thread::start);
            try {
                Thread.sleep(1_000);
                fault.set("backends terminated");
                for (int i = 0; i < 4; i++) {
                    figures.add("backends terminated: " + terminateBackends(url));
                    Thread.sleep(300);
                }
                Thread.sleep(1_000);
                fault.set("fast stop");
                postgres[0].close();
                Thread.sleep(1_000);
                postgres[0] = durable(EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(false))
                        .setPort(port).start();
                Thread.sleep(2_000);
                fault.set("immediate stop");
                // What pg_ctl -m immediate does (it will not run as root, as CI does): SIGQUIT to the postmaster.
                ProcessHandle postmaster = ProcessHandle.of(PostgresProcesses.postmaster(data)).orElseThrow();
                PostgresProcesses.signal("-QUIT", List.of(postmaster.pid()));
                postmaster.onExit().get();
                // Its own stop fails (nothing runs, which it logs as an ERROR): it releases its lock on the directory.
                try (CapturedLog stopped = new CapturedLog(EmbeddedPostgres.class)) {
                    postgres[0].close();
                }
                Thread.sleep(1_000);
                postgres[0] = durable(EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(false))
                        .setPort(port).start();
                Thread.sleep(2_000);
                fault.set("frozen");
                List<Long> processes = PostgresProcesses.all(data);
                PostgresProcesses.signal("-STOP", processes);
                try {
                    Thread.sleep(3_000);
                } finally {
                    PostgresProcesses.signal("-CONT", processes);
                }
                fault.set("after");
                Thread.sleep(2_000);
            } finally {
                stop.set(true);
                for (Thread writer : writers) {
                    writer.join();
                }
            }

            Map<String, Map<String, Integer>> perFault = new TreeMap<>();
            for (Answer answer : answers) {
                perFault.computeIfAbsent(answer.fault(), f -> new TreeMap<>()).merge(answer.label(), 1, Integer::sum);
            }
            perFault.forEach((name, statuses) -> figures.add(name + ": " + statuses));

            Map<String, Long> stored = stored(url, run);
            List<String> wrong = new ArrayList<>();
            int eitherStored = 0;
            int eitherNot = 0;
            for (Answer answer : answers) {
                int times = times(answer.write(), stored, wrong, answer);
                int status = answer.effective();
                String what = answer.write().kind() + " answered " + answer.label() + " during '" + answer.fault() + "' ("
                        + answer.body() + ")";
                if (status == 500) {
                    wrong.add("a 500: " + what);
                } else if (status / 100 == 2 && times != 1) {
                    wrong.add("acknowledged but stored " + times + " times: " + what);
                } else if ((status == 503 || status == 504) && times != 0) {
                    wrong.add("refused but stored " + times + " times: " + what);
                } else if (status == 502 || status == -1) {
                    eitherStored += times == 1 ? 1 : 0;
                    eitherNot += times == 0 ? 1 : 0;
                } else if (status / 100 != 2 && status != 503 && status != 504) {
                    wrong.add("unexpected: " + what);
                }
            }
            figures.add(String.format("%d writes; outcome unknown or timed out: %d stored, %d not", answers.size(),
                    eitherStored, eitherNot));

            // Every write not answered 2xx, sent again with its key and bytes until it is.
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            Map<String, Integer> retryAnswers = new TreeMap<>();
            int retried = 0;
            for (Answer answer : answers) {
                if (answer.effective() / 100 == 2) {
                    continue;
                }
                retried++;
                Answer again;
                do {
                    assertTrue(System.nanoTime() < deadline, "retries not all answered 2xx in 60 s");
                    again = answer(send(http, server.base(), answer.write()), answer.write(), "retry");
                    retryAnswers.merge(again.label() + (again.replayed() ? " replayed" : ""), 1, Integer::sum);
                    if (again.effective() == 500 || again.status() == 422) {
                        wrong.add("retry answered " + again.label() + ": " + again.body());
                        break;
                    }
                    if (again.effective() / 100 != 2) {
                        pause(200);
                    }
                } while (again.effective() / 100 != 2);
            }
            figures.add(retried + " writes retried; their answers: " + retryAnswers);
            Map<String, Long> afterRetries = stored(url, run);
            for (Answer answer : answers) {
                int times = times(answer.write(), afterRetries, wrong, answer);
                if (times != 1) {
                    wrong.add("after retries stored " + times + " times: " + answer.write().kind() + " first answered "
                            + answer.label() + " during '" + answer.fault() + "'");
                }
            }
            assertEquals(List.of(), wrong);
        } finally {
            postgres[0].close();
            System.out.println("WriteFaultsIT.faultsWithWritersRunning:\n  " + String.join("\n  ", figures));
        }
    }

    /**
     * zonky's default, synchronous_commit=off, acknowledges a COMMIT before its WAL is written: an
     * immediate stop then loses commits the service was told of, as a production database would not.
     */
    private static EmbeddedPostgres.Builder durable(EmbeddedPostgres.Builder builder) {
        return builder.setServerConfig("synchronous_commit", "on");
    }

    /** The n-th write: a single report, an array of 3 or an atomic Appery batch of 2, in turn. */
    private static Write write(String run, int n) {
        String board = run + "-" + n;
        String key = UUID.randomUUID().toString();
        return switch (Kind.values()[n % 3]) {
            case SINGLE -> new Write(Kind.SINGLE, key, "/boot", IngestIT.boot("faults", board),
                    List.of("Authorization", LAB), List.of(board));
            case ARRAY -> new Write(Kind.ARRAY, key, "/boot", "[" + IngestIT.boot("faults", board) + ","
                    + IngestIT.boot("faults", board) + "," + IngestIT.boot("faults", board) + "]",
                    List.of("Authorization", LAB), List.of(board));
            case ATOMIC_BATCH -> new Write(Kind.ATOMIC_BATCH, key, "/batch?atomic=true",
                    "[{\"method\":\"POST\",\"collection\":\"boot\",\"data\":" + IngestIT.boot("faults", board + "-a") + "},"
                            + "{\"method\":\"POST\",\"collection\":\"boot\",\"data\":" + IngestIT.boot("faults", board + "-b")
                            + "}]", List.of("X-Appery-Session-Token", LAB), List.of(board + "-a", board + "-b"));
        };
    }

    private static HttpResponse<String> send(HttpClient http, URI base, Write write) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(write.target())).timeout(CLIENT_TIMEOUT)
                .header("Content-Type", "application/json").header("Idempotency-Key", write.key())
                .POST(HttpRequest.BodyPublishers.ofString(write.body()));
        for (int i = 0; i < write.headers().size(); i += 2) {
            request.header(write.headers().get(i), write.headers().get(i + 1));
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static Answer answer(HttpResponse<String> response, Write write, String fault) {
        if (response == null) {
            return new Answer(write, fault, -1, 0, "no answer", false);
        }
        int entry = 0;
        if (response.statusCode() == 200 && response.headers().firstValue("X-Batch-Errors").isPresent()) {
            Matcher code = ENTRY_CODE.matcher(response.body());
            while (code.find() && entry == 0) {
                entry = code.group(1).equals("424") ? 0 : Integer.parseInt(code.group(1));
            }
            entry = entry == 0 ? 424 : entry;
        }
        String body = response.body();
        return new Answer(write, fault, response.statusCode(), entry, body.length() > 300 ? body.substring(0, 300) : body,
                response.headers().firstValue("Idempotent-Replayed").isPresent());
    }

    /** How many times a write is stored (0 or 1 when right); a part of a write stored is noted as wrong. */
    private static int times(Write write, Map<String, Long> stored, List<String> wrong, Answer answer) {
        List<Long> perBoard = write.boards().stream().map(board -> stored.getOrDefault(board, 0L)).toList();
        boolean whole = perBoard.stream().allMatch(count -> count % write.perBoard() == 0)
                && perBoard.stream().distinct().count() == 1;
        if (!whole) {
            wrong.add("partly stored " + perBoard + ": " + write.kind() + " answered " + answer.label() + " during '"
                    + answer.fault() + "'");
        }
        return (int) (perBoard.get(0) / write.perBoard());
    }

    /** Reports per board of this run, straight from the database. */
    private static Map<String, Long> stored(String url, String run) throws SQLException {
        Map<String, Long> stored = new HashMap<>();
        try (Connection connection = DriverManager.getConnection(url);
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT board, count(*) FROM boot WHERE board LIKE '" + run
                     + "-%' GROUP BY board")) {
            while (rows.next()) {
                stored.put(rows.getString(1), rows.getLong(2));
            }
        }
        return stored;
    }

    /** Terminates the service's backends from a superuser connection of the test's; how many it ended. */
    private static long terminateBackends(String url) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url);
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                     + "WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'")) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
