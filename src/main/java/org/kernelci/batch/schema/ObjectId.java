package org.kernelci.batch.schema;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Generates ids shaped like MongoDB ObjectIds: 4 bytes of seconds since the epoch, 5 random bytes
 * fixed per process, 3 bytes of a counter; 24 lowercase hex digits that sort by creation time.
 */
public final class ObjectId {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final byte[] PROCESS = RANDOM.generateSeed(5);
    private static final AtomicInteger COUNTER = new AtomicInteger(RANDOM.nextInt());

    private ObjectId() {
    }

    public static String generate(Instant at) {
        byte[] bytes = new byte[12];
        long seconds = at.getEpochSecond();
        bytes[0] = (byte) (seconds >>> 24);
        bytes[1] = (byte) (seconds >>> 16);
        bytes[2] = (byte) (seconds >>> 8);
        bytes[3] = (byte) seconds;
        System.arraycopy(PROCESS, 0, bytes, 4, 5);
        int count = COUNTER.getAndIncrement();
        bytes[9] = (byte) (count >>> 16);
        bytes[10] = (byte) (count >>> 8);
        bytes[11] = (byte) count;
        return HexFormat.of().formatHex(bytes);
    }
}
