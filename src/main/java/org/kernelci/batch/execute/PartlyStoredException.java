package org.kernelci.batch.execute;

/**
 * A write that commits in parts (an import: a transaction per 1,000 lines) stopped for a reason
 * of the database's, after storing some parts: answered as its failure is, its reason followed
 * by what was stored, so that a client neither takes good lines for bad nor stores them twice.
 */
public final class PartlyStoredException extends RuntimeException {
    private final String stored;

    /**
     * @param stored  what was stored, for the client: "lines 1 to 2000 were imported (…)"
     * @param failure what stopped it, or the answer that failure maps to
     */
    public PartlyStoredException(String stored, RuntimeException failure) {
        super(stored, failure);
        this.stored = stored;
    }

    public String stored() {
        return stored;
    }

    /** What stopped the write, or its answer. */
    public RuntimeException failure() {
        return (RuntimeException) getCause();
    }
}
