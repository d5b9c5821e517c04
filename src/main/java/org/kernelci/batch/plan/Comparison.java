package org.kernelci.batch.plan;

/** The range operators of the query language, each with its SQL token. */
public enum Comparison {
    GTE("gte", ">="),
    GT("gt", ">"),
    LTE("lte", "<="),
    LT("lt", "<");

    private final String key;
    private final String sql;

    Comparison(String key, String sql) {
        this.key = key;
        this.sql = sql;
    }

    /** The query-string key that asks for this comparison. */
    public String key() {
        return key;
    }

    public String sql() {
        return sql;
    }
}
