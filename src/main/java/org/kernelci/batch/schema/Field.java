package org.kernelci.batch.schema;

/**
 * One field of a collection: its wire name, its column and its type.
 *
 * @param name   the name on the wire and in query strings
 * @param column the column in the collection's table
 * @param type   the storage and wire type
 */
public record Field(String name, String column, FieldType type) {
}
