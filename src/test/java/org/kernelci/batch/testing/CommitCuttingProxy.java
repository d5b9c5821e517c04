package org.kernelci.batch.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy in front of PostgreSQL that loses a connection right after PostgreSQL committed: on a
 * connection whose client sent {@link #COMMIT_MARKER} (a value of the write, in its Bind message),
 * once PostgreSQL answers a COMMIT (its CommandComplete "COMMIT", sent after the commit is
 * durable), that answer is dropped and both sides are closed. The service saw its COMMIT go and
 * no answer come, exactly as when a database or the network fails at that moment; the write is
 * stored. With {@link #RELEASE_MARKER}, the same after a RELEASE SAVEPOINT: lost mid-transaction.
 */
public final class CommitCuttingProxy implements AutoCloseable {
    /** A connection that sent this loses the answer to its next COMMIT. */
    public static final String COMMIT_MARKER = "CUTCOMMIT";
    /** A connection that sent this loses the answer to its next RELEASE SAVEPOINT; hex, to fit in a document id. */
    public static final String RELEASE_MARKER = "deadbeefdeadbeef";
    /** CommandComplete: 'C', length 11, "COMMIT\0". */
    private static final byte[] COMMIT_COMPLETE = {'C', 0, 0, 0, 11, 'C', 'O', 'M', 'M', 'I', 'T', 0};
    /** CommandComplete: 'C', length 12, "RELEASE\0". */
    private static final byte[] RELEASE_COMPLETE = {'C', 0, 0, 0, 12, 'R', 'E', 'L', 'E', 'A', 'S', 'E', 0};

    private final ServerSocket listener;
    private final String targetHost;
    private final int targetPort;
    private final AtomicInteger cuts = new AtomicInteger();
    private final ExecutorService threads = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "commit-cutting-proxy");
        thread.setDaemon(true);
        return thread;
    });

    public CommitCuttingProxy(String targetHost, int targetPort) {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        try {
            listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        threads.execute(this::accept);
    }

    /** The JDBC URL that reaches the database through the proxy. */
    public String url(String jdbcUrl) {
        return jdbcUrl.replaceFirst("//[^/]+/", "//127.0.0.1:" + listener.getLocalPort() + "/");
    }

    /** How many connections were cut after a COMMIT or a RELEASE. */
    public int cuts() {
        return cuts.get();
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket(targetHost, targetPort);
                Link link = new Link(client, server);
                threads.execute(link::upstream);
                threads.execute(link::downstream);
            } catch (IOException e) {
                // Closed, or the database refused: the client's connection fails as it would.
            }
        }
    }

    /** One proxied connection. */
    private final class Link {
        private final Socket client;
        private final Socket server;
        /** The answer after which to cut, once the client sent a marker; null before. */
        private volatile byte[] cutAfter;

        Link(Socket client, Socket server) {
            this.client = client;
            this.server = server;
        }

        void upstream() {
            byte[] commit = COMMIT_MARKER.getBytes(StandardCharsets.UTF_8);
            byte[] release = RELEASE_MARKER.getBytes(StandardCharsets.UTF_8);
            pump(client, server, (seen, fresh) -> {
                if (contains(seen, fresh, commit)) {
                    cutAfter = COMMIT_COMPLETE;
                } else if (contains(seen, fresh, release)) {
                    cutAfter = RELEASE_COMPLETE;
                }
                return true;
            });
        }

        void downstream() {
            pump(server, client, (seen, fresh) -> {
                byte[] cut = cutAfter;
                if (cut != null && contains(seen, fresh, cut)) {
                    cuts.incrementAndGet();
                    return false;
                }
                return true;
            });
        }

        /** Copies until either side closes or {@code forward} refuses a read (then closes both). */
        private void pump(Socket from, Socket to, Forward forward) {
            byte[] buffer = new byte[65536];
            byte[] tail = new byte[0];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                    // The previous read's end too: a pattern may straddle two reads.
                    byte[] seen = new byte[tail.length + read];
                    System.arraycopy(tail, 0, seen, 0, tail.length);
                    System.arraycopy(buffer, 0, seen, tail.length, read);
                    if (!forward.check(seen, tail.length)) {
                        break;
                    }
                    out.write(buffer, 0, read);
                    out.flush();
                    tail = Arrays.copyOfRange(seen, Math.max(0, seen.length - 64), seen.length);
                }
            } catch (IOException e) {
                // The other direction closed the sockets.
            } finally {
                closeQuietly(client);
                closeQuietly(server);
            }
        }
    }

    @FunctionalInterface
    private interface Forward {
        /** Whether to forward what was read: {@code seen} from {@code fresh} on, after the previous read's end. */
        boolean check(byte[] seen, int fresh);
    }

    /** Whether the needle is in the haystack, ending past {@code fresh} (not all in what was seen before). */
    private static boolean contains(byte[] haystack, int fresh, byte[] needle) {
        outer:
        for (int i = Math.max(0, fresh - needle.length + 1); i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // Closing.
        }
    }

    @Override
    public void close() {
        try {
            listener.close();
        } catch (IOException e) {
            // Closing.
        }
        threads.shutdownNow();
    }
}
