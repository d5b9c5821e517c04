package org.kernelci.batch.schema;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A collection of documents stored in one table. Built once, in {@link Collections}; the field
 * list is in wire order, always starts with {@code _id} and ends with the extras: the members of
 * imported or reported documents that no field is declared for, kept so that a document reads
 * back with every member it came with.
 */
public final class Collection {
    /** Who may read a collection. */
    public enum ReadAccess { GET, ADMIN }

    public static final String ID = "_id";
    /** The column of the extras; not a wire name, so no request can name it. */
    public static final String EXTRAS_COLUMN = "extras";

    private final String name;
    private final List<String> aliases;
    private final String table;
    private final ReadAccess readAccess;
    private final List<Field> fields;
    private final Map<String, Field> byName;
    private final List<Field> rollupDimensions;
    private final List<Rollup> rollups;
    private final List<ListIndex> listIndexes;

    private Collection(Builder builder) {
        this.name = builder.name;
        this.aliases = List.copyOf(builder.aliases);
        this.table = builder.table;
        this.readAccess = builder.readAccess;
        List<Field> declared = new ArrayList<>(builder.fields);
        declared.add(new Field(EXTRAS_COLUMN, EXTRAS_COLUMN, FieldType.EXTRAS));
        this.fields = List.copyOf(declared);
        Map<String, Field> lookup = new LinkedHashMap<>();
        for (Field field : builder.fields) {
            lookup.put(field.name(), field);
            field.aliases().forEach(alias -> lookup.put(alias, field));
        }
        this.byName = Map.copyOf(lookup);
        this.rollupDimensions = builder.fields.stream()
                .filter(field -> builder.rollups.stream().anyMatch(group -> group.contains(field.name()))).toList();
        this.rollups = builder.rollups.stream()
                .map(group -> Rollup.of(group.stream().map(name -> lookup.get(name)).toList(), rollupDimensions))
                .toList();
        this.listIndexes = builder.listIndexes.stream().map(names -> new ListIndex(
                names.subList(0, names.size() - 1).stream().map(lookup::get).toList(),
                lookup.get(names.get(names.size() - 1)))).toList();
    }

    public static Builder named(String name) {
        return new Builder(name);
    }

    public String name() {
        return name;
    }

    public List<String> aliases() {
        return aliases;
    }

    public String table() {
        return table;
    }

    public ReadAccess readAccess() {
        return readAccess;
    }

    /** Every field, {@code _id} first and the extras last, in the order documents are written. */
    public List<Field> fields() {
        return fields;
    }

    public Field idField() {
        return fields.get(0);
    }

    /** The jsonb object of the members no field is declared for. */
    public Field extrasField() {
        return fields.get(fields.size() - 1);
    }

    /** The fields the per-day counts group by, in declaration order: the rollup table's columns. */
    public List<Field> rollupDimensions() {
        return rollupDimensions;
    }

    /** The declared groupings of the per-day counts. */
    public List<Rollup> rollups() {
        return rollups;
    }

    /** The declared indexes that lists walk in order. */
    public List<ListIndex> listIndexes() {
        return listIndexes;
    }

    /** The table of the per-day counts. */
    public String rollupTable() {
        return table + "_rollup";
    }

    /** The field a wire name (or a field alias such as {@code build_id}) stands for; never the extras. */
    public Optional<Field> field(String wireName) {
        return Optional.ofNullable(byName.get(wireName));
    }

    public boolean answersTo(String requested) {
        return name.equals(requested) || aliases.contains(requested);
    }

    @Override
    public String toString() {
        return name;
    }

    /** Declares a collection field by field. */
    public static final class Builder {
        private final String name;
        private final List<String> aliases = new ArrayList<>();
        private String table;
        private ReadAccess readAccess = ReadAccess.GET;
        private final List<Field> fields = new ArrayList<>();
        private final List<List<String>> rollups = new ArrayList<>();
        private final List<List<String>> listIndexes = new ArrayList<>();

        private Builder(String name) {
            this.name = name;
            this.table = name;
            fields.add(new Field(ID, "id", FieldType.OBJECT_ID));
        }

        public Builder alias(String alias) {
            aliases.add(alias);
            return this;
        }

        public Builder table(String table) {
            this.table = table;
            return this;
        }

        public Builder readAccess(ReadAccess access) {
            this.readAccess = access;
            return this;
        }

        public Builder field(String fieldName, FieldType type) {
            return field(fieldName, fieldName, type);
        }

        public Builder field(String fieldName, String column, FieldType type) {
            fields.add(new Field(fieldName, column, type));
            return this;
        }

        /**
         * A grouping of the per-day counts, by these fields (none: per-day totals). Its rows are
         * kept exact by the triggers of a migration, which must name the same groupings.
         */
        public Builder rollup(String... fieldNames) {
            rollups.add(List.of(fieldNames));
            return this;
        }

        /**
         * An index on these fields, then {@code _id}, made by a migration: a list filtered by
         * equalities on all but the last and sorted by the last walks it ({@link ListIndex}).
         */
        public Builder listIndex(String... fieldNames) {
            listIndexes.add(List.of(fieldNames));
            return this;
        }

        /** Another wire name for the field declared last: accepted in requests, written beside it. */
        public Builder alsoNamed(String alias) {
            Field last = fields.remove(fields.size() - 1);
            List<String> aliases = new ArrayList<>(last.aliases());
            aliases.add(alias);
            fields.add(new Field(last.name(), last.column(), last.type(), aliases));
            return this;
        }

        public Collection build() {
            return new Collection(this);
        }
    }
}
