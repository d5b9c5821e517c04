package org.kernelci.batch.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.kernelci.batch.ApiException;
import org.kernelci.batch.execute.CallerLimitException;
import org.kernelci.batch.execute.CommitOutcomeUnknownException;
import org.kernelci.batch.execute.DatabaseUnavailableException;
import org.kernelci.batch.execute.PartlyStoredException;
import org.kernelci.batch.execute.ServiceBusyException;
import org.kernelci.batch.testing.CapturedLog;

/** The one exception mapper writes a problem as its status, reason and Retry-After. */
class ErrorMapperTest {
    private static final ErrorMapper MAPPER = new ErrorMapper();

    private static String body(Response response) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ((StreamingOutput) response.getEntity()).write(bytes);
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    @DisplayName("an outage is a 503 with Retry-After 5 whose reason does not say where the database is")
    void outage() throws IOException {
        Response response = MAPPER.toResponse(new DatabaseUnavailableException(
                "Database unavailable: the database at db:5432 refused the connection", null));
        assertEquals(503, response.getStatus());
        assertEquals("5", response.getHeaderString(HttpHeaders.RETRY_AFTER));
        assertEquals("{\"code\":503,\"reason\":\"Database unavailable, retry later\"}", body(response));
    }

    @Test
    @DisplayName("a busy service is a 503 with Retry-After 1; a caller past its share a 429 with its own")
    void busyAndLimited() throws IOException {
        Response busy = MAPPER.toResponse(new ServiceBusyException("Service busy: no place for a heavy batch", null));
        assertEquals("1", busy.getHeaderString(HttpHeaders.RETRY_AFTER));
        assertEquals("{\"code\":503,\"reason\":\"Service busy, retry later\"}", body(busy));
        Response limited = MAPPER.toResponse(new CallerLimitException("Too many operations", 3));
        assertEquals(429, limited.getStatus());
        assertEquals("3", limited.getHeaderString(HttpHeaders.RETRY_AFTER));
        assertEquals("{\"code\":429,\"reason\":\"Too many operations\"}", body(limited));
    }

    @Test
    @DisplayName("a client mistake and an unknown commit outcome carry no Retry-After")
    void noRetryAfter() throws IOException {
        Response bad = MAPPER.toResponse(ApiException.badRequest("Unknown query key 'x' (value 'y')"));
        assertEquals(400, bad.getStatus());
        assertNull(bad.getHeaderString(HttpHeaders.RETRY_AFTER));
        Response unknown = MAPPER.toResponse(new CommitOutcomeUnknownException(new SQLException("lost", "08006")));
        assertEquals(502, unknown.getStatus());
        assertNull(unknown.getHeaderString(HttpHeaders.RETRY_AFTER));
        assertEquals("{\"code\":502,\"reason\":\"" + CommitOutcomeUnknownException.REASON + "\"}", body(unknown));
    }

    @Test
    @DisplayName("a write that stopped says what it stored after its problem's reason, and a 500 names only its id")
    void partlyStored() throws IOException {
        Response busy = MAPPER.toResponse(new PartlyStoredException("lines 1 to 1000 were imported",
                new ServiceBusyException("Service busy", null)));
        assertEquals(503, busy.getStatus());
        assertEquals("1", busy.getHeaderString(HttpHeaders.RETRY_AFTER));
        assertEquals("{\"code\":503,\"reason\":\"Service busy, retry later; lines 1 to 1000 were imported\"}", body(busy));
        try (CapturedLog log = new CapturedLog(ErrorMapper.class)) {
            Response internal = MAPPER.toResponse(new PartlyStoredException("no line was imported",
                    new IllegalStateException("bug")));
            assertEquals(500, internal.getStatus());
            assertTrue(body(internal).matches("\\{\"code\":500,\"reason\":\"Internal error \\(logged as [0-9a-f-]{36}\\);"
                    + " no line was imported\"}"), body(internal));
            assertEquals(1, log.events().size());
        }
    }
}
