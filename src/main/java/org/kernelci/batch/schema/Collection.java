package org.kernelci.batch.schema;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A collection of documents stored in one table. Built once, in {@link Collections}; the field
 * list is in wire order and always starts with {@code _id}.
 */
public final class Collection {
    /** Who may read a collection. */
    public enum ReadAccess { GET, ADMIN }

    public static final String ID = "_id";

    private final String name;
    private final List<String> aliases;
    private final String table;
    private final ReadAccess readAccess;
    private final List<Field> fields;
    private final Map<String, Field> byName;

    private Collection(Builder builder) {
        this.name = builder.name;
        this.aliases = List.copyOf(builder.aliases);
        this.table = builder.table;
        this.readAccess = builder.readAccess;
        this.fields = List.copyOf(builder.fields);
        Map<String, Field> lookup = new LinkedHashMap<>();
        for (Field field : fields) {
            lookup.put(field.name(), field);
        }
        builder.fieldAliases.forEach((alias, target) -> lookup.put(alias, lookup.get(target)));
        this.byName = Map.copyOf(lookup);
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

    /** Every field, {@code _id} first, in the order documents are written. */
    public List<Field> fields() {
        return fields;
    }

    public Field idField() {
        return fields.get(0);
    }

    /** The field a wire name (or a field alias such as {@code build_id}) stands for. */
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
        private final Map<String, String> fieldAliases = new LinkedHashMap<>();

        private Builder(String name) {
            this.name = name;
            this.table = name;
            fields.add(new Field(ID, "id", FieldType.ID));
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

        /** Another wire name for an existing field, accepted in queries. */
        public Builder fieldAlias(String alias, String fieldName) {
            fieldAliases.put(alias, fieldName);
            return this;
        }

        public Collection build() {
            return new Collection(this);
        }
    }
}
