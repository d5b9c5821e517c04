package org.kernelci.batch.sql;

/** Quoting of SQL identifiers, which come only from the collection declarations. */
public final class Identifiers {
    private Identifiers() {
    }

    public static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }
}
