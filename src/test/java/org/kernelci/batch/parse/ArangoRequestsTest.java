package org.kernelci.batch.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import jakarta.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.kernelci.batch.schema.Collections;

/** CONTRACT.md section 8: what each part of ArangoDB's batch asks, read once, without a server. */
class ArangoRequestsTest {
    private static final int MAX_BODY = 1024;

    private static ArangoEnvelope.Part part(String method, String target, String body, String... headers) {
        List<ArangoEnvelope.Header> list = new java.util.ArrayList<>();
        for (int i = 0; i < headers.length; i += 2) {
            list.add(new ArangoEnvelope.Header(headers[i], headers[i + 1]));
        }
        return new ArangoEnvelope.Part(3, "id", method, target, list, body.getBytes(StandardCharsets.UTF_8));
    }

    private static ArangoRequests.Request read(String method, String target, String body, String... headers) {
        return ArangoRequests.read(part(method, target, body, headers), MAX_BODY);
    }

    @Test
    @DisplayName("a collection's listing, a document, distinct values and a count are operations of the model")
    void modelReads() {
        ArangoRequests.Operation listing = assertInstanceOf(ArangoRequests.Operation.class, read("GET", "/job?limit=2", ""));
        assertEquals(new BatchOperation(3, null, "GET", "job", null, "limit=2", null, "collection", null, null),
                listing.operation());
        assertEquals(List.of(Collections.JOB), listing.collections());
        assertEquals(new ArangoRequests.Alone("/job", "limit=2", false), listing.alone());

        ArangoRequests.Operation document = assertInstanceOf(ArangoRequests.Operation.class,
                read("GET", "test/group/5f0e3b6a1c9d440000a1b2c3/", ""));
        assertEquals("test_group", document.operation().collection());
        assertEquals("5f0e3b6a1c9d440000a1b2c3", document.operation().document());

        ArangoRequests.Operation distinct = assertInstanceOf(ArangoRequests.Operation.class,
                read("GET", "/build/distinct/arch", ""));
        assertEquals("build", distinct.operation().collection()); // the alias as requested
        assertEquals("arch", distinct.operation().distinct());

        ArangoRequests.Operation count = assertInstanceOf(ArangoRequests.Operation.class, read("GET", "/count", ""));
        assertEquals(Collections.COUNTED_BY_DEFAULT, count.collections());
        assertNull(count.operation().document());
        assertEquals("boot", ((ArangoRequests.Operation) read("GET", "/count/boot", "")).operation().document());
    }

    @Test
    @DisplayName("a PUT or a report with a JSON body is an operation holding its body and Content-Type")
    void modelWrites() {
        ArangoRequests.Operation put = assertInstanceOf(ArangoRequests.Operation.class,
                read("PUT", "/job/5f0e3b6a1c9d440000a1b2c3", "{\"a\":1}", "Content-Type", "application/json"));
        assertEquals(Json.createObjectBuilder().add("a", 1).build(), put.operation().data());
        assertEquals("application/json", put.contentType());
        assertEquals(new ArangoRequests.Alone("/job/5f0e3b6a1c9d440000a1b2c3", null, true), put.alone());
        assertInstanceOf(ArangoRequests.Operation.class, read("DELETE", "/boot/5f0e3b6a1c9d440000a1b2c3", ""));
        assertInstanceOf(ArangoRequests.Operation.class,
                read("POST", "/job", "{}", "Content-Type", "application/json; charset=utf-8"));
    }

    @ParameterizedTest(name = "{0} {1} runs alone")
    @CsvSource(delimiter = '|', value = {
            "GET|/_api/version",
            "GET|/job/compare",
            "GET|/count/nosuch",
            "POST|/count",
            "PATCH|/job/5f0e3b6a1c9d440000a1b2c3",
            "GET|/job/a%20b",
            "GET|/job/distinct"})
    void otherRoutesRunAlone(String method, String target) {
        assertInstanceOf(ArangoRequests.Alone.class, read(method, target, ""));
    }

    @Test
    @DisplayName("a request the model does not run as sent runs alone: conditional, encoded, own key, not plain JSON")
    void notAsSentRunsAlone() {
        String id = "/job/5f0e3b6a1c9d440000a1b2c3";
        assertInstanceOf(ArangoRequests.Alone.class, read("GET", id, "", "If-None-Match", "\"x\""));
        assertInstanceOf(ArangoRequests.Alone.class, read("GET", id, "", "Accept", "text/html"));
        assertInstanceOf(ArangoRequests.Alone.class, read("PUT", id, "{}", "Content-Type", "application/json",
                "Content-Encoding", "gzip"));
        assertInstanceOf(ArangoRequests.Alone.class, read("PUT", id, "{}", "Content-Type", "application/json",
                "Idempotency-Key", "k"));
        assertInstanceOf(ArangoRequests.Alone.class, read("PUT", id, "{}", "Content-Type", "text/plain"));
        assertInstanceOf(ArangoRequests.Alone.class, read("PUT", id, "{", "Content-Type", "application/json"));
        assertInstanceOf(ArangoRequests.Alone.class, read("PUT", id, "{\"a\":\"" + "x".repeat(MAX_BODY) + "\"}",
                "Content-Type", "application/json"));
    }

    @ParameterizedTest(name = "{0} is refused: {1}")
    @CsvSource(delimiter = '|', value = {
            "/_api/batch|part[3]: a batch cannot hold a batch",
            "batch|part[3]: a batch cannot hold a batch",
            "/job/../lab|part[3]: the target '/job/../lab' is not a plain path ('//', '.' or '..')",
            "/job//x|part[3]: the target '/job//x' is not a plain path ('//', '.' or '..')",
            "/job#x|part[3]: the target '/job#x' is not a path with an optional query",
            "/job%zz|part[3]: the target '/job%zz' is not a path with an optional query"})
    void refused(String target, String reason) {
        assertEquals(new ArangoRequests.Refused(400, reason), read("GET", target, ""));
    }

    @Test
    @DisplayName("a query's characters a URI may not hold are encoded as the container encodes them")
    void unsafeQueryCharacters() {
        assertEquals("a=%7B%7D%5C%5E%7C%60", ArangoRequests.encodeUnsafeCharacters("a={}\\^|`"));
        ArangoRequests.Operation listing = assertInstanceOf(ArangoRequests.Operation.class,
                read("GET", "/job?kernel={x}", ""));
        assertEquals("kernel={x}", listing.operation().query()); // the query as sent
    }
}
