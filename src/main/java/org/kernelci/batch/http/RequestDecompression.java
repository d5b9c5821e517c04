package org.kernelci.batch.http;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import org.kernelci.batch.ApiException;

/**
 * Request bodies sent with {@code Content-Encoding: gzip} are read decompressed, as a stream:
 * the resources' limits then apply to the decompressed bytes, so a zip bomb meets the same 413 as
 * a plain body that large. A body that is not gzip is a 400; another coding a 415 (RFC 9110
 * section 15.5.16). Both are found when the resource reads the body, after its own checks.
 */
@Provider
public final class RequestDecompression implements ReaderInterceptor {
    @Override
    public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
        String encoding = context.getHeaders().getFirst(HttpHeaders.CONTENT_ENCODING);
        if (encoding == null || encoding.isBlank() || encoding.strip().equalsIgnoreCase("identity")) {
            return context.proceed();
        }
        String coding = encoding.strip().toLowerCase(Locale.ROOT);
        if (!coding.equals("gzip") && !coding.equals("x-gzip")) {
            // Refused when the body is read: the resource checks the token and the content type first.
            ApiException unsupported = new ApiException(415,
                    "Unsupported Content-Encoding '" + encoding.strip() + "': use gzip or none");
            context.setInputStream(new InputStream() {
                @Override
                public int read() {
                    throw unsupported;
                }

                @Override
                public int read(byte[] buffer, int offset, int length) {
                    throw unsupported;
                }
            });
            return context.proceed();
        }
        context.getHeaders().remove(HttpHeaders.CONTENT_ENCODING);
        context.setInputStream(new Gunzip(context.getInputStream()));
        return context.proceed();
    }

    /** Failures of the client's stream, told apart from a broken gzip stream. */
    private static final class ClientStreamFailure extends IOException {
        ClientStreamFailure(IOException cause) {
            super(cause);
        }
    }

    /** Decompresses on first read; a gzip stream that does not decode is the client's mistake. */
    private static final class Gunzip extends InputStream {
        private final InputStream compressed;
        private GZIPInputStream gzip;

        Gunzip(InputStream compressed) {
            this.compressed = new FilterInputStream(compressed) {
                @Override
                public int read() throws IOException {
                    try {
                        return super.read();
                    } catch (IOException e) {
                        throw new ClientStreamFailure(e);
                    }
                }

                @Override
                public int read(byte[] buffer, int offset, int length) throws IOException {
                    try {
                        return super.read(buffer, offset, length);
                    } catch (IOException e) {
                        throw new ClientStreamFailure(e);
                    }
                }
            };
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int read = read(one, 0, 1);
            return read < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            try {
                if (gzip == null) {
                    gzip = new GZIPInputStream(compressed, 8192);
                }
                return gzip.read(buffer, offset, length);
            } catch (ClientStreamFailure e) {
                throw (IOException) e.getCause();
            } catch (IOException e) {
                throw ApiException.badRequest("Request body is not valid gzip (Content-Encoding: gzip)");
            }
        }

        @Override
        public void close() throws IOException {
            compressed.close();
        }
    }
}
