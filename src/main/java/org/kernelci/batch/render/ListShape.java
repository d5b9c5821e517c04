package org.kernelci.batch.render;

/**
 * How a kernelci batch answers a list operation (CONTRACT.md section 4; setting
 * {@code KCI_BATCH_LISTS}).
 */
public enum ListShape {
    /** {@code "result":[documents]} beside {@code count}, {@code limit}, {@code skip}: the seeds' shape, the default. */
    DOCUMENTS,
    /**
     * {@code "result":[{"result":[documents],"count":N,"limit":L}]}: the original's, which
     * kernelci-frontend's 2020 test-plan views read. An aggregate's groups stay unwrapped, as the
     * original answered them (its boot pages count them with {@code result.length}).
     */
    ORIGINAL
}
