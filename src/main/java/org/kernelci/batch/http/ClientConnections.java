package org.kernelci.batch.http;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.kernelci.batch.execute.Departure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells when the client of a request has gone while its reads run (issue 33), from the kernel's
 * table of TCP connections ({@code /proc/net/tcp} and {@code tcp6}, Linux): the servlet API gives
 * no signal until a write fails, and the answer is written only once the statements are done. A
 * connection that was seen established and is no longer (the client closed it: CLOSE_WAIT; or
 * reset it: gone from the table) has lost its client; its statements are cancelled. A connection
 * not found established at the first look (an address a container rewrote, such as Tomcat's
 * RemoteIpValve's) is never watched: never a cancel on a guess. Behind a proxy it is the proxy's
 * connection that is seen: it closes it when its client goes (nginx and HAProxy do). Without the
 * table (another system), nothing is watched.
 */
final class ClientConnections implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClientConnections.class);
    private static final List<Path> TABLES = List.of(Path.of("/proc/net/tcp"), Path.of("/proc/net/tcp6"));
    private static final long POLL_MILLIS = 200;
    private static final String ESTABLISHED = "01";

    private final boolean available = Files.isReadable(TABLES.get(0));
    private final Set<Watch> watched = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "kci-client-connections");
        thread.setDaemon(true);
        return thread;
    });

    ClientConnections() {
        if (available) {
            poller.scheduleWithFixedDelay(this::poll, POLL_MILLIS, POLL_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    /** The departure of this request's client, as its TCP connection tells it. */
    Departure of(HttpServletRequest request) {
        if (!available) {
            return Departure.NONE;
        }
        String connection;
        try {
            connection = key(InetAddress.getByName(request.getLocalAddr()).getAddress(), request.getLocalPort(),
                    InetAddress.getByName(request.getRemoteAddr()).getAddress(), request.getRemotePort());
        } catch (UnknownHostException | RuntimeException e) {
            // Not an address literal (a container's wrapper): nothing to look up.
            return Departure.NONE;
        }
        return cancel -> {
            Watch watch = new Watch(connection, cancel);
            watched.add(watch);
            return watch;
        };
    }

    private void poll() {
        if (watched.isEmpty()) {
            return;
        }
        Set<String> established = new HashSet<>();
        try {
            for (Path table : TABLES) {
                if (Files.isReadable(table)) {
                    for (String line : Files.readAllLines(table)) {
                        String[] fields = line.strip().split("\\s+");
                        if (fields.length > 3 && fields[3].equals(ESTABLISHED)) {
                            established.add(key(fields[1]) + "-" + key(fields[2]));
                        }
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("Could not read the TCP connections", e);
            return;
        }
        for (Watch watch : watched) {
            watch.seen(established.contains(watch.connection));
        }
    }

    /** Local then remote address and port, the address as 16 bytes (IPv4 mapped into IPv6). */
    private static String key(byte[] local, int localPort, byte[] remote, int remotePort) {
        return hex(local) + ":" + localPort + "-" + hex(remote) + ":" + remotePort;
    }

    private static String hex(byte[] address) {
        byte[] mapped = address;
        if (address.length == 4) {
            mapped = new byte[16];
            mapped[10] = (byte) 0xff;
            mapped[11] = (byte) 0xff;
            System.arraycopy(address, 0, mapped, 12, 4);
        }
        return HexFormat.of().formatHex(mapped);
    }

    /** An address and port of the table: hex words in the host's byte order, then the port in hex. */
    private static String key(String field) {
        int colon = field.indexOf(':');
        byte[] words = HexFormat.of().parseHex(field.substring(0, colon));
        if (ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN) {
            for (int word = 0; word < words.length; word += 4) {
                for (int i = 0; i < 2; i++) {
                    byte swapped = words[word + i];
                    words[word + i] = words[word + 3 - i];
                    words[word + 3 - i] = swapped;
                }
            }
        }
        return hex(words) + ":" + Integer.parseInt(field.substring(colon + 1), 16);
    }

    @Override
    public void close() {
        poller.shutdownNow();
    }

    /** One request's statements under way: cancelled once, unless withdrawn first. */
    private final class Watch implements Departure.Watch {
        private final String connection;
        private final Runnable cancel;
        private boolean armed;
        private boolean done;

        Watch(String connection, Runnable cancel) {
            this.connection = connection;
            this.cancel = cancel;
        }

        /** Under the watch's lock: {@link #close} waits for a cancel under way. */
        synchronized void seen(boolean established) {
            if (done) {
                return;
            }
            if (established) {
                armed = true;
                return;
            }
            done = true;
            watched.remove(this);
            if (armed) {
                LOG.debug("The client of a read has gone; cancelling its statements");
                cancel.run();
            }
        }

        @Override
        public synchronized void close() {
            done = true;
            watched.remove(this);
        }
    }
}
