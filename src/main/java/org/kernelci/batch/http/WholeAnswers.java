package org.kernelci.batch.http;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.WriterInterceptor;
import jakarta.ws.rs.ext.WriterInterceptorContext;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import org.kernelci.batch.ApiException;
import org.kernelci.batch.ThrottledLine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * Every answer goes out whole, with {@code Content-Length} and never chunked (CONTRACT.md section
 * 3): kernelci-frontend's server passes a backend's headers on with a body it de-chunked. The
 * body, as sent (gzipped when it is: {@link Compression} writes into it), is held until it ends;
 * rows read from a cursor are fetched into it. What is held is bounded by the answer's byte
 * budget: a body that would pass it is refused with a 413 before anything of it was sent, so the
 * error mapper answers that instead. Outermost of the service's writer interceptors (after
 * Jersey's own, which makes a failure here mappable), so that the others write into the held
 * body and may still set headers once it is written.
 */
@Provider
@Priority(Priorities.HEADER_DECORATOR - 1)
final class WholeAnswers implements WriterInterceptor {
    private static final Logger LOG = LoggerFactory.getLogger(WholeAnswers.class);
    /** One per service, not per JVM: another service in the same JVM (a test's) does not silence its line. */
    private final ThrottledLine departures = new ThrottledLine(LOG, Level.INFO,
            "Client went away while its response was written");
    /** The first block of a body: most answers (counts, errors, small pages) fit in it. */
    private static final int FIRST_BLOCK = 4096;
    /** Blocks double up to this size: below what G1 allocates apart (half a region, 512 KiB at the least). */
    private static final int LARGEST_BLOCK = 256 * 1024;

    private final long maxBytes;

    /** @param maxBytes the most bytes one answer may hold as sent ({@code KCI_BATCH_MAX_BYTES}) */
    WholeAnswers(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    @Override
    public void aroundWriteTo(WriterInterceptorContext context) throws IOException {
        OutputStream target = context.getOutputStream();
        HeldBody body = new HeldBody(maxBytes);
        context.setOutputStream(body);
        context.proceed();
        context.setOutputStream(target);
        context.getHeaders().putSingle(HttpHeaders.CONTENT_LENGTH, body.size());
        try {
            body.writeTo(target);
            target.flush();
        } catch (IOException e) {
            // Past the point where anything else could be answered: a short line, not a trace, and
            // at most one per window however many clients leave.
            departures.log(e);
            // Jersey closes the stream left here to commit the answer: Tomcat's would fail again
            // and Jersey log that with a stack trace (SEVERE). Nothing is left to send.
            context.setOutputStream(OutputStream.nullOutputStream());
        }
    }

    /** The reason of the 413 of an answer past the budget. */
    private static String tooLarge(long maxBytes) {
        return "The answer is larger than " + maxBytes + " bytes, the most one answer may hold: "
                + "ask for fewer documents (limit, field) or split the batch";
    }

    /**
     * The bytes of one body in blocks, so that growing copies nothing, up to a limit. Past it, the
     * write that would pass it fails with the 413, everything held is let go, and later writes
     * (a compressor finishing, say) are dropped.
     */
    private static final class HeldBody extends OutputStream {
        private final long limit;
        private final List<byte[]> blocks = new ArrayList<>();
        private byte[] current;
        private int used;
        private long size;
        private boolean refused;

        HeldBody(long limit) {
            this.limit = limit;
        }

        long size() {
            return size;
        }

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            if (refused) {
                return;
            }
            if (length > limit - size) {
                refused = true;
                blocks.clear();
                current = null;
                throw new ApiException(413, tooLarge(limit));
            }
            int from = offset;
            int left = length;
            while (left > 0) {
                if (current == null || used == current.length) {
                    int next = current == null ? FIRST_BLOCK : Math.min(current.length * 2, LARGEST_BLOCK);
                    current = new byte[(int) Math.min(next, limit - size)];
                    blocks.add(current);
                    used = 0;
                }
                int copied = Math.min(left, current.length - used);
                System.arraycopy(bytes, from, current, used, copied);
                used += copied;
                from += copied;
                left -= copied;
                size += copied;
            }
        }

        void writeTo(OutputStream out) throws IOException {
            for (byte[] block : blocks) {
                out.write(block, 0, block == current ? used : block.length);
            }
        }
    }
}
