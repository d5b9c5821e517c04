package org.kernelci.batch.schema;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A collection of documents: stored in one table, or a view computed from stored collections
 * whenever it is read (CONTRACT.md section 12). Built once, in {@link Collections}; the field
 * list is in wire order and always starts with {@code _id}; a stored collection's ends with the
 * extras: the members of imported or reported documents that no field is declared for, kept so
 * that a document reads back with every member it came with. A stored collection may also have
 * computed fields, derived when read like a view's.
 */
public final class Collection {
    /** Who may read a collection. */
    public enum ReadAccess { GET, ADMIN }

    public static final String ID = "_id";
    /** The column of the extras; not a wire name, so no request can name it. */
    public static final String EXTRAS_COLUMN = "extras";

    private final String name;
    private final List<String> aliases;
    private final String path;
    private final String table;
    private final boolean view;
    private final List<String> reads;
    private final ReadAccess readAccess;
    private final boolean writtenByLabs;
    private final boolean plannedOnce;
    private final List<Field> fields;
    private final Map<String, Field> byName;
    private final List<Field> rollupDimensions;
    private final List<Rollup> rollups;
    private final List<ListIndex> listIndexes;

    private Collection(Builder builder) {
        this.name = builder.name;
        this.aliases = List.copyOf(builder.aliases);
        this.path = builder.path;
        this.table = builder.table;
        this.view = builder.view;
        List<String> tables = new ArrayList<>();
        if (!view) {
            tables.add(table);
        }
        builder.reads.stream().filter(read -> !tables.contains(read)).forEach(tables::add);
        this.reads = List.copyOf(tables);
        this.readAccess = builder.readAccess;
        this.writtenByLabs = builder.writtenByLabs;
        this.plannedOnce = builder.plannedOnce;
        List<Field> declared = new ArrayList<>(builder.fields);
        if (!view) {
            declared.add(new Field(EXTRAS_COLUMN, EXTRAS_COLUMN, FieldType.EXTRAS));
        }
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

    /** A collection stored in a table of its name (see {@link Builder#table}). */
    public static Builder named(String name) {
        return new Builder(name, false);
    }

    /**
     * A view: documents computed from stored collections whenever read, never written; every
     * field is computed, and the tables it reads are declared with {@link Builder#reads}.
     */
    public static Builder view(String name) {
        return new Builder(name, true);
    }

    public String name() {
        return name;
    }

    public List<String> aliases() {
        return aliases;
    }

    /** Its route under the service's root: {@code test/group}; the name unless declared. */
    public String path() {
        return path;
    }

    /** The table the documents are stored in; for a view, the name its rows go by in SQL. */
    public String table() {
        return table;
    }

    /**
     * Whether a lab's token may write its documents: report them and delete them (CONTRACT.md
     * section 6), as the labs' own results.
     */
    public boolean writtenByLabs() {
        return writtenByLabs;
    }

    /**
     * Whether one plan serves every read of it, whatever the request's values: a view whose
     * work does not depend on them (the statistics, one document made of index walks), which
     * PostgreSQL may then plan once per connection instead of at every read.
     */
    public boolean plannedOnce() {
        return plannedOnce;
    }

    /** Whether it is computed when read (and so never written), not stored. */
    public boolean isView() {
        return view;
    }

    /** Whether some field is computed when read: its reads look into more than its own table. */
    public boolean hasComputedFields() {
        return fields.stream().anyMatch(field -> !field.isStored());
    }

    /**
     * The tables its reads look into, each once, its own first: what a read's ETag is made of
     * (CONTRACT.md section 9: a view's tag depends on the tables it is computed from).
     */
    public List<String> reads() {
        return reads;
    }

    public ReadAccess readAccess() {
        return readAccess;
    }

    /** Every field, {@code _id} first and the extras last, in the order documents are written. */
    public List<Field> fields() {
        return fields;
    }

    /** The fields writes set: the table's columns, in declaration order (none for a view). */
    public List<Field> storedFields() {
        return fields.stream().filter(Field::isStored).toList();
    }

    public Field idField() {
        return fields.get(0);
    }

    /** The jsonb object of the members no field is declared for (a stored collection's). */
    public Field extrasField() {
        if (view) {
            throw new IllegalStateException(name + " is a view: it has no extras");
        }
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

    /** Whether a request names it: by its name or an alias (batches, {@code /count/<name>}). */
    public boolean answersTo(String requested) {
        return name.equals(requested) || aliases.contains(requested);
    }

    /** Whether a route's path under the root is its: its path or an alias ({@code /build}). */
    public boolean servedAt(String requestedPath) {
        return path.equals(requestedPath) || aliases.contains(requestedPath);
    }

    @Override
    public String toString() {
        return name;
    }

    /** Declares a collection field by field. */
    public static final class Builder {
        private final String name;
        private final boolean view;
        private final List<String> aliases = new ArrayList<>();
        private final List<String> reads = new ArrayList<>();
        private String path;
        private String table;
        private ReadAccess readAccess = ReadAccess.GET;
        private boolean writtenByLabs;
        private boolean plannedOnce;
        private final List<Field> fields = new ArrayList<>();
        private final List<List<String>> rollups = new ArrayList<>();
        private final List<List<String>> listIndexes = new ArrayList<>();

        private Builder(String name, boolean view) {
            this.name = name;
            this.view = view;
            this.path = name;
            this.table = name;
            fields.add(new Field(ID, "id", FieldType.OBJECT_ID, List.of(), view ? Field.Origin.COMPUTED : Field.Origin.STORED));
        }

        /** The route under the service's root, when it is not the name: {@code test/group}. */
        public Builder path(String path) {
            this.path = path;
            return this;
        }

        /** Tables its reads look into besides its own: those its view or computed fields are made from. */
        public Builder reads(String... tables) {
            reads.addAll(List.of(tables));
            return this;
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

        /** One plan serves all its reads (see {@link Collection#plannedOnce()}). */
        public Builder plannedOnce() {
            this.plannedOnce = true;
            return this;
        }

        /** Labs write its documents: a lab's token may report and delete them. */
        public Builder writtenByLabs() {
            this.writtenByLabs = true;
            return this;
        }

        public Builder field(String fieldName, FieldType type) {
            return field(fieldName, fieldName, type);
        }

        public Builder field(String fieldName, String column, FieldType type) {
            fields.add(new Field(fieldName, column, type, List.of(), view ? Field.Origin.COMPUTED : Field.Origin.STORED));
            return this;
        }

        /**
         * A field derived from the stored documents when read (its SQL is {@code sql/Sources}'):
         * a column of the read's source, never of the table.
         */
        public Builder computed(String fieldName, FieldType type) {
            fields.add(new Field(fieldName, fieldName, type, List.of(), Field.Origin.COMPUTED));
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
            fields.add(new Field(last.name(), last.column(), last.type(), aliases, last.origin()));
            return this;
        }

        public Collection build() {
            return new Collection(this);
        }
    }
}
