package org.kernelci.batch.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.kernelci.batch.ApiException;

class ApperyBatchParserTest {
    static BatchBody parse(String body) {
        return BatchBody.parse(body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void anArrayIsAppery_anObjectKernelci() {
        assertEquals(BatchBody.Dialect.APPERY, parse("[{\"method\":\"get\",\"collection\":\"boot\"}]").dialect());
        assertEquals(BatchBody.Dialect.KERNELCI,
                parse("{\"batch\":[{\"method\":\"GET\",\"collection\":\"boot\"}]}").dialect());
    }

    @Test
    void membersFoldIntoTheOperationModel() {
        List<BatchOperation> operations = parse("""
                [{"method":"put","collection":"build","_id":"54819030b000000000000009","data":{"status":"PASS"}},
                 {"method":"GET","collection":"count","_id":"boot","query":"status=FAIL"},
                 {"method":"delete","collection":"boot","_id":"x","data":null,"query":null}]""").operations();
        BatchOperation put = operations.get(0);
        assertEquals(0, put.index());
        assertEquals("put", put.method());
        assertEquals("build", put.collection());
        assertEquals("54819030b000000000000009", put.document());
        assertEquals("{\"status\":\"PASS\"}", put.data().toString());
        assertNull(put.operationId());
        assertTrue(put.writes());
        assertEquals("collection", operations.get(1).countKey());
        assertEquals("status=FAIL", operations.get(1).query());
        assertNull(operations.get(2).data());
        assertNull(operations.get(2).query());
    }

    @Test
    void kernelciOperationsDoNotWrite() {
        BatchOperation operation = parse("{\"batch\":[{\"method\":\"DELETE\",\"collection\":\"boot\",\"document_id\":\"x\"}]}")
                .operations().get(0);
        assertEquals(false, operation.writes());
        assertNull(operation.data());
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
