package org.kernelci.batch.pipeline;

/**
 * The stages of a batch request, in order, and the {@code Server-Timing} entry each counts in.
 * The header keeps the three entries its clients and docs name (README, "Server-Timing"):
 * {@code parse} from the request's arrival to a planned and authorised batch, {@code db} running
 * it, {@code render} the answer's body (timed where the body is written).
 */
public enum Stage {
    PARSE("parse"), PLAN("parse"), AUTHORISE("parse"), EXECUTE("db"), RENDER("render");

    private final String entry;

    Stage(String entry) {
        this.entry = entry;
    }

    /** The name of the {@code Server-Timing} entry this stage counts in. */
    public String entry() {
        return entry;
    }
}
