package org.kernelci.batch.scale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The ports of {@code scale/topology.sh} (README.md, "Scaling out"): seven from
 * {@code KCI_TOPOLOGY_PORT_BASE}, each checked free before anything starts, and a failed {@code up}
 * stops what it started. Run by {@code scale/test.sh} before the topology's own {@code up}, in a
 * directory beside its {@code kci.scale.dir}, on ports apart from the default ones.
 */
@EnabledIfSystemProperty(named = "kci.scale.dir", matches = ".+")
class TopologyPortsIT {
    /** Below the ephemeral range and apart from the default base (23450) that scale/test.sh brings up next. */
    private static final int BASE = 23550;
    private static final int PORTS = 7;
    private static final int BALANCER = BASE;
    private static final int PRIMARY = BASE + 3;
    private static final long DEADLINE_MS = 600_000;
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private Path dir;

    @BeforeEach
    void directory() throws IOException {
        Path scale = Path.of(System.getProperty("kci.scale.dir"));
        dir = scale.resolveSibling(scale.getFileName() + "-ports");
        Files.createDirectories(dir);
    }

    /** Whatever a failing assertion left up, so that the next test and scale/test.sh start clean. */
    @AfterEach
    void down() throws IOException, InterruptedException {
        topology("down").waitFor(180, TimeUnit.SECONDS);
    }

    private Process topology(String command) throws IOException {
        ProcessBuilder builder = new ProcessBuilder("scale/topology.sh", command, dir.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve(command + ".out").toFile());
        builder.environment().put("KCI_TOPOLOGY_PORT_BASE", Integer.toString(BASE));
        return builder.start();
    }

    private String output(String command) throws IOException {
        return Files.readString(dir.resolve(command + ".out"));
    }

    private static ServerSocket take(int port) throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.bind(new InetSocketAddress(LOOPBACK, port));
        return socket;
    }

    private static boolean listening(int port) {
        try (Socket socket = new Socket(LOOPBACK, port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The topology's ports that something still listens on (none once it is down). */
    private static List<Integer> listening() {
        List<Integer> open = new ArrayList<>();
        for (int port = BASE; port < BASE + PORTS; port++) {
            if (listening(port)) {
                open.add(port);
            }
        }
        return open;
    }

    @Test
    @DisplayName("a port of the topology taken before `up`: refused with the port and the setting named, nothing started")
    void takenBefore() throws Exception {
        int node = BASE + 2;
        try (ServerSocket taken = take(node)) {
            Process up = topology("up");
            assertTrue(up.waitFor(DEADLINE_MS, TimeUnit.MILLISECONDS));
            String output = output("up");
            assertNotEquals(0, up.exitValue(), output);
            assertTrue(output.contains("in use: port " + node + " "), output);
            assertTrue(output.contains("KCI_TOPOLOGY_PORT_BASE"), output);
            assertFalse(output.contains("primary on"), output);
        }
        assertEquals(List.of(), listening());
        assertFalse(Files.exists(dir.resolve("env")));
    }

    @Test
    @DisplayName("the balancer's port taken while `up` runs: it fails, naming the port, and stops what it had started")
    void takenWhileUp() throws Exception {
        Process up = topology("up");
        long end = System.currentTimeMillis() + DEADLINE_MS;
        while (!listening(PRIMARY)) {
            assertTrue(up.isAlive(), output("up"));
            assertTrue(System.currentTimeMillis() < end, "the primary did not come up");
            Thread.sleep(200);
        }
        Properties env = new Properties();
        try (InputStream in = Files.newInputStream(dir.resolve("env"))) {
            env.load(in);
        }
        Path data = Path.of(env.getProperty("DATA"));
        assertTrue(Files.isDirectory(data));
        try (ServerSocket taken = take(BALANCER)) {
            assertTrue(up.waitFor(DEADLINE_MS, TimeUnit.MILLISECONDS));
            String output = output("up");
            assertNotEquals(0, up.exitValue(), output);
            assertTrue(output.contains("HAProxy exited"), output);
            assertTrue(output.contains(":" + BALANCER), output);
            assertTrue(output.contains("up failed: stopping what it started"), output);
        }
        assertEquals(List.of(), listening(), "the primary, the replica and the nodes are stopped");
        assertFalse(Files.exists(dir.resolve("env")));
        assertFalse(Files.exists(data), "the databases are removed");
    }
}
