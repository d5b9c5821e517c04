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
import org.kernelci.batch.testing.HttpProbe.Reply;

/**
 * The backend requests of kernelci-frontend's Flask app ({@code utils/backend.py}, a
 * python-requests session): HTTP/1.1, {@code Authorization: <the raw token>}, {@code
 * Accept-Encoding: gzip, deflate}, {@code Accept: *}{@code /*}, and on POST {@code Content-Type:
 * application/json}. Answers come back as the proxy reads them: the body as received (un-gzipped
 * here for reading) and every header, {@code Transfer-Encoding} and {@code Content-Length} included.
 */
public final class FrontendProxy {
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final URI base;
    private final String token;

    public FrontendProxy(URI base, String token) {
        this.base = base;
        this.token = token;
    }

    public Reply get(String pathAndQuery) {
        return send(request(pathAndQuery).GET());
    }

    public Reply post(String path, String json) {
        return send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8)));
    }

    private HttpRequest.Builder request(String pathAndQuery) {
        return HttpRequest.newBuilder(base.resolve(pathAndQuery))
                .header("Authorization", token)
                .header("Accept-Encoding", "gzip, deflate")
                .header("Accept", "*/*")
                .header("User-Agent", "python-requests/2.22.0");
    }

    private Reply send(HttpRequest.Builder request) {
        try {
            HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            byte[] bytes = response.body();
            int received = bytes.length;
            boolean gzipped = response.headers().firstValue("Content-Encoding").map("gzip"::equalsIgnoreCase)
                    .orElse(false);
            if (gzipped) {
                try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
                    bytes = in.readAllBytes();
                }
            }
            return new Reply(response.statusCode(), response.headers(), new String(bytes, StandardCharsets.UTF_8),
                    gzipped, received);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
