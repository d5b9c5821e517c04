package org.kernelci.batch.testing;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;

/** Plain HTTP against a test server: what a client sends, and what comes back on the wire. */
public final class HttpProbe {
    /** One client, and so one connection pool, per server: no connection outlives its server. */
    private final HttpClient client = HttpClient.newHttpClient();
    private final URI base;

    public HttpProbe(URI base) {
        this.base = base;
    }

    /**
     * A response: status, headers and the body, un-gzipped when it came gzipped; {@code received}
     * counts the body's bytes as they came (gzipped or not).
     */
    public record Reply(int status, java.net.http.HttpHeaders headers, String body, boolean gzipped, int received) {
        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }
    }

    public Reply get(String pathAndQuery, String... headers) {
        return send(HttpRequest.newBuilder(base.resolve(pathAndQuery)).GET(), headers);
    }

    public Reply send(String method, String pathAndQuery, byte[] body, String... headers) {
        HttpRequest.BodyPublisher publisher = body == null
                ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body);
        return send(HttpRequest.newBuilder(base.resolve(pathAndQuery)).method(method, publisher), headers);
    }

    public Reply post(String pathAndQuery, String json, String... headers) {
        return send("POST", pathAndQuery, json.getBytes(StandardCharsets.UTF_8), headers);
    }

    private Reply send(HttpRequest.Builder request, String... headers) {
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        try {
            HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            byte[] bytes = response.body();
            int received = bytes.length;
            boolean gzipped = "gzip".equals(response.headers().firstValue("Content-Encoding").orElse(null));
            if (gzipped) {
                try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
                    bytes = in.readAllBytes();
                }
            }
            return new Reply(response.statusCode(), response.headers(), new String(bytes, StandardCharsets.UTF_8), gzipped,
                    received);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
