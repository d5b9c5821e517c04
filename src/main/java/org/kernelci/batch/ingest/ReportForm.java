package org.kernelci.batch.ingest;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import org.kernelci.batch.schema.Collection;
import org.kernelci.batch.schema.Field;
import org.kernelci.batch.schema.ObjectId;

/**
 * The form of a POST report of one collection, as its {@code post_*.json} schema has it: each
 * member with its JSON type, the field it is stored in (under its own or another name), the values
 * it may take; which members are required; the defaults of absent fields; and the fields the
 * document's {@code name} is made of. Members of stored fields take their JSON type from the
 * field's declared type.
 */
public final class ReportForm {
    /** The JSON type a member must have. */
    public enum JsonKind {
        STRING("a string"), INTEGER("an integer"), NUMBER("a number"), BOOLEAN("a boolean"),
        OBJECT("an object"), ARRAY("an array");

        private final String description;

        JsonKind(String description) {
            this.description = description;
        }

        public String description() {
            return description;
        }
    }

    /** How a member's value becomes its field's. */
    public enum Conversion {
        AS_IS,
        /** {@code boot_time}: seconds in the report, a duration in milliseconds in the document. */
        SECONDS_TO_MILLISECONDS
    }

    /**
     * One member of a report.
     *
     * @param target  the field it is stored in; empty for a member the documents do not keep
     * @param allowed the values it may take; empty for any
     */
    public record Member(String name, JsonKind kind, Optional<Field> target, Conversion conversion,
                         List<String> allowed, boolean required) {
        public Member {
            allowed = List.copyOf(allowed);
        }
    }

    private final Collection collection;
    private final List<Member> members;
    /** Values of fields a report left out. */
    private final Map<Field, Object> defaults;
    /** Fields a report left out that take another field's value ({@code defconfig_full} from {@code defconfig}). */
    private final Map<Field, Field> copiedDefaults;
    private final List<Field> nameParts;

    private ReportForm(Builder builder) {
        this.collection = builder.collection;
        this.members = List.copyOf(builder.members.values());
        this.defaults = Map.copyOf(builder.defaults);
        this.copiedDefaults = Map.copyOf(builder.copiedDefaults);
        this.nameParts = List.copyOf(builder.nameParts);
    }

    public static Builder of(Collection collection) {
        return new Builder(collection);
    }

    public Collection collection() {
        return collection;
    }

    /** The members, in the order problems with them are reported. */
    public List<Member> members() {
        return members;
    }

    /** Whether the form has a member of that name (stored or only checked). */
    public boolean knows(String memberName) {
        return members.stream().anyMatch(member -> member.name().equals(memberName));
    }

    /** Whether the form stores a member of that name in a field (under its own name or another). */
    public boolean stores(String memberName) {
        return members.stream().anyMatch(member -> member.name().equals(memberName) && member.target().isPresent());
    }

    /** The fields whose values, joined with {@code -}, make the document's {@code name}. */
    public List<Field> nameParts() {
        return nameParts;
    }

    /**
     * A complete document from a report's values: the defaults of absent fields, the name, a new
     * id and {@code created_on}. References to other documents are left to the writer.
     */
    public StoredDocument document(Map<Field, Object> reported, Instant now) {
        Map<Field, Object> values = new LinkedHashMap<>(reported);
        copiedDefaults.forEach((field, source) -> {
            if (!values.containsKey(field) && values.containsKey(source)) {
                values.put(field, values.get(source));
            }
        });
        defaults.forEach(values::putIfAbsent);
        StringJoiner name = new StringJoiner("-");
        for (Field part : nameParts) {
            name.add(String.valueOf(values.get(part)));
        }
        values.put(collection.field("name").orElseThrow(), name.toString());
        values.put(collection.field("created_on").orElseThrow(), now.atOffset(ZoneOffset.UTC));
        values.put(collection.idField(), ObjectId.generate(now));
        return new StoredDocument(collection, values);
    }

    /** Declares a form member by member. */
    public static final class Builder {
        private final Collection collection;
        private final Map<String, Member> members = new LinkedHashMap<>();
        private final Map<Field, Object> defaults = new LinkedHashMap<>();
        private final Map<Field, Field> copiedDefaults = new LinkedHashMap<>();
        private final List<Field> nameParts = new ArrayList<>();

        private Builder(Collection collection) {
            this.collection = collection;
        }

        /** Members stored in the field of the same name, typed by the field's declaration. */
        public Builder stored(String... names) {
            for (String name : names) {
                stored(name, name, Conversion.AS_IS);
            }
            return this;
        }

        /** A member stored in a field of another name ({@code boot_result} in {@code status}). */
        public Builder renamed(String name, String fieldName) {
            return stored(name, fieldName, Conversion.AS_IS);
        }

        /** A member of seconds stored as a duration in milliseconds. */
        public Builder seconds(String name, String fieldName) {
            Field target = field(fieldName);
            return put(new Member(name, JsonKind.NUMBER, Optional.of(target), Conversion.SECONDS_TO_MILLISECONDS,
                    List.of(), false));
        }

        /** A free-form JSON member and the JSON type it must have. */
        public Builder json(String name, JsonKind kind) {
            return put(new Member(name, kind, Optional.of(field(name)), Conversion.AS_IS, List.of(), false));
        }

        /** A member the schema accepts but the documents do not keep. */
        public Builder unstored(String name, JsonKind kind) {
            return put(new Member(name, kind, Optional.empty(), Conversion.AS_IS, List.of(), false));
        }

        public Builder required(String... names) {
            for (String name : names) {
                Member member = member(name);
                members.put(name, new Member(name, member.kind(), member.target(), member.conversion(),
                        member.allowed(), true));
            }
            return this;
        }

        public Builder oneOf(String name, String... values) {
            Member member = member(name);
            members.put(name, new Member(name, member.kind(), member.target(), member.conversion(),
                    List.of(values), member.required()));
            return this;
        }

        public Builder defaultValue(String fieldName, Object value) {
            defaults.put(field(fieldName), value);
            return this;
        }

        public Builder defaultFrom(String fieldName, String sourceFieldName) {
            copiedDefaults.put(field(fieldName), field(sourceFieldName));
            return this;
        }

        public Builder name(String... fieldNames) {
            for (String fieldName : fieldNames) {
                nameParts.add(field(fieldName));
            }
            return this;
        }

        public ReportForm build() {
            return new ReportForm(this);
        }

        private Builder stored(String name, String fieldName, Conversion conversion) {
            Field target = field(fieldName);
            JsonKind kind = switch (target.type()) {
                case OBJECT_ID, ID, TEXT -> JsonKind.STRING;
                case INTEGER -> JsonKind.INTEGER;
                case NUMBER, DURATION -> JsonKind.NUMBER;
                case BOOLEAN -> JsonKind.BOOLEAN;
                case TIMESTAMP, JSON, LIST, OBJECT, EXTRAS -> throw new IllegalArgumentException(
                        "declare " + name + " with json() or a conversion");
            };
            return put(new Member(name, kind, Optional.of(target), conversion, List.of(), false));
        }

        private Builder put(Member member) {
            members.put(member.name(), member);
            return this;
        }

        private Member member(String name) {
            Member member = members.get(name);
            if (member == null) {
                throw new IllegalArgumentException("no member " + name + " declared yet");
            }
            return member;
        }

        private Field field(String fieldName) {
            return collection.field(fieldName).orElseThrow(
                    () -> new IllegalArgumentException("no field " + fieldName + " in " + collection));
        }
    }
}
