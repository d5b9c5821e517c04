package org.kernelci.batch.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.kernelci.batch.testing.TestServer;

/**
 * ArangoDB's batch keeps memory bounded (CONTRACT.md sections 3 and 8): the launcher in a JVM
 * with a 256 MB heap and a 16 MiB byte budget per answer receives hostile multipart bodies four
 * at a time (50 MB parts, 10,000 parts, 1 MB header lines, garbage) and batches whose parts
 * answer large listings, inside the model and outside it, and keeps answering, never a 500:
 * every answer whole with its Content-Length, the one of twenty 10,000-document listings (about
 * 150 MB) refused with a 413 rather than held.
 */
class ArangoMemoryIT {
    /** What the launcher reads of a body at most: its default limit, 1 MiB, read up to 8 times. */
    private static final int READ_AT_MOST = 8 * 1024 * 1024;
    /** The "status" of a body the service refused and stopped reading. */
    private static final int CLOSED_AFTER_REFUSAL = -1;

    private static final int ROWS = 10_000;
    /** The answer's byte budget: four answers held at once, and their parts answered in process, fit in the heap. */
    private static final int BUDGET = 16 * 1024 * 1024;
    private static final String PART = "Content-Type: application/x-arango-batchpart\r\n";

    private static byte[] body(String boundary, List<String> parts) {
        StringBuilder body = new StringBuilder();
        for (String part : parts) {
            body.append("--").append(boundary).append("\r\n").append(part).append("\r\n");
        }
        return body.append("--").append(boundary).append("--\r\n").toString().getBytes(StandardCharsets.UTF_8);
    }

    @Test
    @DisplayName("§8 with -Xmx256m, hostile multipart bodies and large part answers, four at a time: every answer whole, "
            + "a 413 past the byte budget, no OutOfMemoryError, no 500")
    void boundedMemory() throws Exception {
        String url = StreamingMemoryIT.database(ROWS);
        int port = StreamingMemoryIT.freePort();
        Path log = Files.createTempFile("kci-arango-memory", ".log");
        Process service = StreamingMemoryIT.launch(url, port, log, Map.of("KCI_BATCH_MAX_BYTES", Integer.toString(BUDGET)));
        ExecutorService clients = Executors.newFixedThreadPool(4);
        try {
            HttpClient client = HttpClient.newHttpClient();
            URI base = URI.create("http://127.0.0.1:" + port);
            StreamingMemoryIT.awaitHealth(client, base, service, log);
            List<byte[]> bodies = hostileBodies();
            List<Future<Integer>> statuses = new ArrayList<>();
            for (int round = 0; round < 3; round++) {
                for (byte[] body : bodies) {
                    statuses.add(clients.submit(() -> send(client, base, body)));
                }
            }
            List<Integer> seen = new ArrayList<>();
            for (Future<Integer> status : statuses) {
                seen.add(status.get());
            }
            // The twenty listings of the model, in each round: held past the budget, never sent.
            for (int round = 0; round < 3; round++) {
                assertEquals(413, seen.get(round * bodies.size() + MODEL_LISTINGS), seen.toString());
            }
            assertTrue(seen.stream().allMatch(status -> status == 200 || status == 400 || status == 413
                    || status == CLOSED_AFTER_REFUSAL), seen.toString());
            assertTrue(seen.contains(200) && seen.contains(400)
                    && (seen.contains(413) || seen.contains(CLOSED_AFTER_REFUSAL)), seen.toString());
            assertTrue(service.isAlive(), "the service died: " + StreamingMemoryIT.read(log));
            assertEquals(200, client.send(HttpRequest.newBuilder(base.resolve("/health")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode());
            assertTrue(!StreamingMemoryIT.read(log).contains("OutOfMemoryError"), StreamingMemoryIT.read(log));
        } finally {
            clients.shutdownNow();
            service.destroy();
            service.waitFor();
        }
    }

    /**
     * The status of one envelope, whose answer came whole (its Content-Length the bytes received,
     * not chunked). A body larger than the service ever reads (8 times its 1 MiB limit) is refused
     * with a 413 before it has all arrived, and the service then closes the connection: a client
     * still writing may see that close instead of the 413 (broken pipe), depending on how far it
     * got, so for those bodies the close is an answer too.
     */
    private static int send(HttpClient client, URI base, byte[] body) throws Exception {
        HttpResponse<byte[]> response;
        try {
            response = client.send(HttpRequest.newBuilder(base.resolve("/_api/batch"))
                            .header("Authorization", TestServer.ADMIN_TOKEN)
                            .header("Content-Type", "multipart/form-data; boundary=h")
                            .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException closed) {
            if (body.length > READ_AT_MOST) {
                return CLOSED_AFTER_REFUSAL;
            }
            throw closed;
        }
        assertEquals(Optional.of(Integer.toString(response.body().length)), response.headers().firstValue("Content-Length"),
                () -> response.statusCode() + " " + response.headers().map());
        assertEquals(Optional.empty(), response.headers().firstValue("Transfer-Encoding"));
        return response.statusCode();
    }

    /** Where {@link #hostileBodies} puts the batch of twenty listings of the model. */
    private static final int MODEL_LISTINGS = 6;

    /**
     * What a hostile or heavy client sends: each kept to what one request may be (the launcher's
     * default body limit, 1 MiB, read up to 8 MiB).
     */
    private static List<byte[]> hostileBodies() {
        List<byte[]> bodies = new ArrayList<>();
        byte[] huge = new byte[50 * 1024 * 1024];
        java.util.Arrays.fill(huge, (byte) 'x');
        byte[] head = ("--h\r\n" + PART + "\r\nPUT /boot/000000000000000000000001 HTTP/1.1\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8);
        System.arraycopy(head, 0, huge, 0, head.length);
        bodies.add(huge);
        byte[] almost = new byte[8 * 1024 * 1024];
        new Random(20261204).nextBytes(almost);
        System.arraycopy(head, 0, almost, 0, head.length);
        bodies.add(almost);
        bodies.add(body("h", Collections.nCopies(10_000, PART + "\r\nGET /version HTTP/1.1")));
        bodies.add(body("h", List.of(PART + "X-Long: " + "y".repeat(1 << 20) + "\r\n\r\nGET /version HTTP/1.1")));
        bodies.add(body("h", List.of(PART + "\r\nGET /version HTTP/1.1\r\nX-Long: " + "z".repeat(1 << 20))));
        bodies.add(body("h", List.of("Content-Type: text/plain\r\n\r\nGET /version HTTP/1.1")));
        // Large answers: listings of 10,000 documents (about 7 MB each), read by the model into the
        // held answer or, with an Accept header the model leaves to the resource, held in process up
        // to the batch's cap (the answer's budget).
        bodies.add(body("h", Collections.nCopies(20, PART + "\r\nGET /boot?limit=0 HTTP/1.1")));
        bodies.add(body("h", Collections.nCopies(40, PART + "\r\nGET /boot?limit=0 HTTP/1.1\r\nAccept: application/json; q=1")));
        return bodies;
    }
}
