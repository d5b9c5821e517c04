package org.kernelci.batch.schema;

import java.util.List;

/**
 * One field of a collection: its wire name, its column and its type.
 *
 * @param name    the name on the wire and in query strings
 * @param column  the column in the collection's table
 * @param type    the storage and wire type
 * @param aliases other wire names of the field: accepted in queries and imports, and written
 *                beside the name in documents ({@code build_id} beside {@code defconfig_id})
 * @param origin  whether a write stores the field or a read derives it
 */
public record Field(String name, String column, FieldType type, List<String> aliases, Origin origin) {
    /** Where a field's value comes from. */
    public enum Origin {
        /** A column of the collection's table, set by reports, imports and PUT. */
        STORED,
        /**
         * Derived from the stored documents when read, in the read's snapshot (CONTRACT.md
         * section 12): never written; an import line's value is ignored, a PUT's refused.
         */
        COMPUTED
    }

    public Field {
        aliases = List.copyOf(aliases);
    }

    public Field(String name, String column, FieldType type) {
        this(name, column, type, List.of(), Origin.STORED);
    }

    public boolean isStored() {
        return origin == Origin.STORED;
    }

    // Plans key maps by fields and conditional requests hash the plans' text, on every request:
    // the name and column (whose hashes String keeps) are enough to tell the declared fields apart.
    @Override
    public int hashCode() {
        return 31 * name.hashCode() + column.hashCode();
    }

    // The declared fields are single instances: most comparisons are of a field with itself.
    @Override
    public boolean equals(Object other) {
        return this == other || other instanceof Field field && name.equals(field.name) && column.equals(field.column)
                && type == field.type && aliases.equals(field.aliases) && origin == field.origin;
    }

    @Override
    public String toString() {
        return name;
    }
}
