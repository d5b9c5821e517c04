package org.kernelci.batch.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.kernelci.batch.ApiException;

class ApperyBatchParserTest {
    /** The operations of a JSON batch body, read by its dialect's parser: an array is Appery's, an object kernelci's. */
    static List<BatchOperation> parse(String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return JsonBody.isArray(bytes) ? ApperyBatchParser.parse(bytes) : BatchRequestParser.parse(bytes);
    }

    @Test
    void anArrayIsAppery_anObjectKernelci() {
        assertTrue(JsonBody.isArray("[{\"method\":\"get\",\"collection\":\"boot\"}]".getBytes(StandardCharsets.UTF_8)));
        assertTrue(JsonBody.isArray(" \r\n\t[]".getBytes(StandardCharsets.UTF_8)));
        assertFalse(JsonBody.isArray("{\"batch\":[{\"method\":\"GET\",\"collection\":\"boot\"}]}"
                .getBytes(StandardCharsets.UTF_8)));
        assertFalse(JsonBody.isArray("\u00a0[]".getBytes(StandardCharsets.UTF_8)));
        assertFalse(JsonBody.isArray(new byte[0]));
    }

    @Test
    void membersFoldIntoTheOperationModel() {
        List<BatchOperation> operations = parse("""
                [{"method":"put","collection":"build","_id":"54819030b000000000000009","data":{"status":"PASS"}},
                 {"method":"GET","collection":"count","_id":"boot","query":"status=FAIL"},
                 {"method":"delete","collection":"boot","_id":"x","data":null,"query":null}]""");
        BatchOperation put = operations.get(0);
        assertEquals(0, put.index());
        assertEquals("put", put.method());
        assertEquals("build", put.collection());
        assertEquals("54819030b000000000000009", put.document());
        assertEquals("{\"status\":\"PASS\"}", put.data().toString());
        assertNull(put.operationId());
        assertNull(put.refusal());
        assertEquals("collection", operations.get(1).countKey());
        assertEquals("status=FAIL", operations.get(1).query());
        assertNull(operations.get(2).data());
        assertNull(operations.get(2).query());
    }

    @Test
    void kernelciOperationsDoNotWrite() {
        BatchOperation operation = parse("{\"batch\":[{\"method\":\"DELETE\",\"collection\":\"boot\",\"document_id\":\"x\"}]}")
                .get(0);
        assertEquals(501, operation.refusal().status());
        assertEquals("Method not implemented", operation.refusal().reason());
        assertNull(operation.data());
    }

    @Test
    void generatedHostileArraysAreApiExceptionsOrPlannedSteps() {
        org.kernelci.batch.plan.BatchPlanner planner = new org.kernelci.batch.plan.BatchPlanner(
                new org.kernelci.batch.plan.QueryPlanner(java.time.Clock.systemUTC(), 10_000),
                new org.kernelci.batch.plan.WritePlanner(java.time.Clock.systemUTC()));
        java.util.Random random = new java.util.Random(99);
        String[] values = {"1", "null", "true", "[]", "[[{}]]", "{}", "\"\"", "\"x\"", "\"\\u0000\"", "1e400",
                "\"54819030b000000000000009\"", "{\"$oid\":\"x\"}", "{\"board\":[1]}", "{\"time\":-1}",
                "{\"version\":\"1.0\",\"job\":\"j\",\"kernel\":\"k\",\"defconfig\":\"d\",\"lab_name\":\"l\",\"board\":\"b\"}"};
        String[] members = {"method", "collection", "_id", "data", "query"};
        String[] strings = {"GET", "post", "PUT", "delete", "x", "boot", "build", "count", "lab", "job", "limit=abc",
                "status=PASS&limit=2", "54819030b000000000000009"};
        int planned = 0;
        for (int round = 0; round < 3000; round++) {
            StringBuilder body = new StringBuilder("[");
            for (int i = 1 + random.nextInt(4); i > 0; i--) {
                body.append('{');
                if (random.nextInt(4) > 0) {
                    body.append("\"method\":\"").append(strings[random.nextInt(4)]).append("\",\"collection\":\"")
                            .append(strings[5 + random.nextInt(5)]).append("\",");
                }
                for (int m = 0; m < 1 + random.nextInt(4); m++) {
                    String member = members[random.nextInt(members.length)];
                    String value = random.nextInt(3) == 0 ? values[random.nextInt(values.length)]
                            : "\"" + strings[random.nextInt(strings.length)] + "\"";
                    body.append(m == 0 ? "" : ",").append('"').append(member).append("\":").append(value);
                }
                body.append('}').append(i > 1 ? "," : "");
            }
            body.append(']');
            try {
                planned += planner.plan(parse(body.toString())).size();
            } catch (ApiException e) {
                assertTrue(e.status() == 400 || e.status() == 422, body + ": " + e.status());
            }
        }
        assertTrue(planned > 100, "some bodies get past the shape check: " + planned);
    }

    @Test
    void theShapeIsCheckedFirstNamingTheElement() {
        ApiException e = assertThrows(ApiException.class, () -> parse("""
                [{"method":"GET","collection":"boot"},{"method":"GET","collection":"boot"},
                 {"method":"PUT","collection":"boot","_id":"x","data":"text"}]"""));
        assertEquals(400, e.status());
        assertEquals("[2]: 'data' must be an object", e.reason());
        assertEquals(422, assertThrows(ApiException.class, () -> parse("[{")).status());
    }
}
