package org.kernelci.batch.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.kernelci.batch.Problem;
import org.kernelci.batch.ApiException;
import org.kernelci.batch.execute.Outcome;
import org.kernelci.batch.parse.BatchOperation;
import org.kernelci.batch.render.ListShape;

/** Each dialect's two edges: its body into operations, outcomes into its wire format. */
class DialectTest {
    private static final Dialect KERNELCI = new KernelciDialect(ListShape.DOCUMENTS);
    private static final Dialect APPERY = new ApperyDialect();

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String written(Dialect dialect, List<BatchOperation> operations, List<Outcome> outcomes)
            throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        dialect.write(out, operations, outcomes);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    @DisplayName("§4 kernelci: operations with their ids; a method other than GET is refused at the edge with a 501")
    void kernelciOperations() {
        List<BatchOperation> operations = KERNELCI.operations(bytes("""
                {"batch":[{"method":"GET","operation_id":7,"resource":"boot","document":"x"},
                          {"method":"post","collection":"boot"},{"collection":"boot"}]}"""));
        assertEquals("7", operations.get(0).operationId());
        assertEquals("boot", operations.get(0).collection());
        assertEquals("resource", operations.get(0).countKey());
        assertNull(operations.get(0).refusal());
        assertEquals(501, operations.get(1).refusal().status());
        assertEquals("Method not implemented", operations.get(1).refusal().reason());
        assertNull(operations.get(2).refusal(), "a missing method is the planner's 400");
    }

    @Test
    @DisplayName("§4 kernelci answers {code:200, result:[entries]}, each entry with its own code")
    void kernelciAnswer() throws IOException {
        List<BatchOperation> operations = KERNELCI.operations(bytes("""
                {"batch":[{"method":"GET","operation_id":"a","collection":"boot","document_id":"x"},
                          {"method":"GET","operation_id":"b","collection":"nope"}]}"""));
        String answer = written(KERNELCI, operations, List.of(new Outcome.Missing("boot", "x"),
                new Outcome.Failure(Problem.clientError("Unknown collection 'nope'"))));
        assertEquals("{\"code\":200,\"result\":[{\"operation_id\":\"a\",\"code\":404,\"reason\":\"Resource 'x' not found\"},"
                + "{\"operation_id\":\"b\",\"code\":400,\"reason\":\"Unknown collection 'nope'\"}]}", answer);
    }

    @Test
    @DisplayName("§7 Appery: an array of operations; the answer an array, one result or error per operation")
    void apperyBoth() throws IOException {
        List<BatchOperation> operations = APPERY.operations(bytes("""
                [{"method":"delete","collection":"boot","_id":"x"},{"method":"GET","collection":"nope"}]"""));
        assertEquals("delete", operations.get(0).method());
        assertNull(operations.get(0).refusal(), "Appery's dialect runs writes");
        String answer = written(APPERY, operations, List.of(new Outcome.Missing("boot", "x"),
                new Outcome.Failure(Problem.clientError("Unknown collection 'nope'"))));
        assertEquals("[{\"error\":{\"code\":\"DBSU205\",\"description\":\"Collection 'boot' doesn't contain object with id x.\"}},"
                + "{\"error\":{\"code\":\"KCI400\",\"description\":\"Unknown collection 'nope'\"}}]", answer);
    }

    @Test
    @DisplayName("a body the dialect cannot read is its 422 or 400, naming the culprit")
    void malformedBodies() {
        assertEquals(422, assertThrows(ApiException.class, () -> KERNELCI.operations(bytes("{"))).status());
        assertEquals(422, assertThrows(ApiException.class, () -> APPERY.operations(bytes("[{"))).status());
        ApiException notArray = assertThrows(ApiException.class, () -> APPERY.operations(bytes("{}")));
        assertEquals("Provided JSON is not valid: expected a non-empty array of operations", notArray.reason());
        ApiException element = assertThrows(ApiException.class, () -> KERNELCI.operations(bytes("{\"batch\":[1]}")));
        assertEquals("batch[0]: expected an object", element.reason());
    }
}
