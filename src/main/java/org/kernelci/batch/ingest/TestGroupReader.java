package org.kernelci.batch.ingest;

import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.kernelci.batch.ApiException;
import org.kernelci.batch.schema.Collection;
import org.kernelci.batch.schema.Collections;
import org.kernelci.batch.schema.Field;
import org.kernelci.batch.schema.ObjectId;

/**
 * Reads the body of {@code POST /test/group} (CONTRACT.md section 12.6): one group or a non-empty
 * array of them, each with its {@code sub_groups} and {@code test_cases} at any depth. Every
 * problem of every group and case is named in one 400, at its place
 * ({@code [1] sub_groups[0].test_cases[2]: 'status' is required}). The documents are made as the
 * original made them: a sub-group takes its parent's build, device and log members, a case its
 * group's; {@code time} in seconds becomes a duration; {@code boot_warnings} is the warnings,
 * {@code mach_alias} the mach; {@code index} is the place in the list, from 1. Members no field
 * is declared for are kept as the extras, as a report's; {@code log}, which the original wrote to
 * its file server, is not kept.
 */
public final class TestGroupReader {
    /** The reason of a report whose one problem is its group's name, as the original answered it. */
    public static final String NAME_NOT_VALID = "Test group name not valid";

    private static final Collection GROUP = Collections.TEST_GROUP;
    private static final Collection CASE = Collections.TEST_CASE;
    private static final String INVALID = "Invalid report: ";
    /** Letters, digits and {@code .-_+}, starting and ending with a letter or digit (the original's rule). */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9._+-]*[A-Za-z0-9])?");
    private static final List<String> REQUIRED_AT_THE_TOP = List.of("arch", "build_environment", "defconfig",
            "device_type", "git_branch", "git_commit", "job", "kernel", "lab_name");
    /** What a sub-group takes from its parent, whatever it says itself. */
    private static final List<String> FROM_THE_PARENT = List.of("arch", "boot_log", "boot_log_html", "build_environment",
            "defconfig", "defconfig_full", "device_type", "dtb", "file_server_resource", "git_branch", "git_commit", "job",
            "kernel", "kernel_image", "lab_name", "plan_variant", "time");
    /** What a case takes from its group, whatever it says itself. */
    private static final List<String> FROM_THE_GROUP = List.of("arch", "build_environment", "defconfig_full",
            "device_type", "git_branch", "git_commit", "job", "kernel", "lab_name", "mach");
    /** Members the server sets (ids, times, references): a report's are ignored. */
    private static final Set<String> SET_BY_THE_SERVER = Set.of(Collection.ID, "created_on", "updated_on", "parent_id",
            "job_id", "build_id", "test_group_id");
    /** A sub-group's or a case's: its place in its list. */
    private static final String INDEX = "index";
    private static final String NAME_MEMBER = "name";
    private static final String STATUS = "status";
    private static final String TIME = "time";
    private static final String SUB_GROUPS = "sub_groups";
    private static final String TEST_CASES = "test_cases";
    private static final String BOOT_WARNINGS = "boot_warnings";
    private static final String MACH_ALIAS = "mach_alias";
    private static final String LOG = "log";
    private static final Set<String> GROUP_MEMBERS_OF_THEIR_OWN = Set.of(BOOT_WARNINGS, MACH_ALIAS, LOG);
    private static final Set<String> LISTS_OF_A_CASE = Set.of("measurements", "log_lines");
    private static final String DEFAULT_VERSION = "1.0";

    private TestGroupReader() {
    }

    /** Where a problem is: the report's place in an array, and the path to its group or case. */
    private record Place(String report, String path) {
        Place below(String member, int index) {
            return new Place(report, (path.isEmpty() ? "" : path + ".") + member + "[" + index + "]");
        }

        String of(String problem) {
            if (path.isEmpty()) {
                return report.isEmpty() ? problem : report + " " + problem;
            }
            return (report.isEmpty() ? "" : report + " ") + path + ": " + problem;
        }

        boolean isTop() {
            return report.isEmpty() && path.isEmpty();
        }
    }

    /**
     * The groups the body reports, with their sub-groups and cases, all {@code created_on} now.
     *
     * @throws ApiException 400 naming every problem
     */
    public static List<TestGroupReport> read(JsonValue root, Instant now) {
        List<JsonValue> reports = root instanceof JsonArray array ? array : List.of(root);
        if (reports.isEmpty()) {
            throw ApiException.badRequest(INVALID + "expected an object or a non-empty array of objects");
        }
        List<String> problems = new ArrayList<>();
        boolean badTopName = false;
        List<TestGroupReport> groups = new ArrayList<>(reports.size());
        for (int i = 0; i < reports.size(); i++) {
            Place place = new Place(root instanceof JsonArray ? "[" + i + "]" : "", "");
            if (!(reports.get(i) instanceof JsonObject report)) {
                problems.add(place.of("expected an object"));
                continue;
            }
            JsonValue name = report.get(NAME_MEMBER);
            badTopName |= place.isTop() && name != null && name != JsonValue.NULL && !validName(name);
            group(report, null, null, place, now, problems).ifPresent(groups::add);
        }
        if (problems.size() == 1 && badTopName) {
            throw ApiException.badRequest(NAME_NOT_VALID);
        }
        if (!problems.isEmpty()) {
            throw ApiException.badRequest(INVALID + String.join("; ", problems));
        }
        return groups;
    }

    /**
     * A group and what it holds, or nothing when it or something it holds has problems.
     *
     * @param parent   the parent's values, null at the top
     * @param position its place in the parent's {@code sub_groups}, from 1; null at the top
     */
    private static Optional<TestGroupReport> group(JsonObject report, Map<Field, Object> parent, Integer position,
                                                   Place place, Instant now, List<String> problems) {
        int before = problems.size();
        Map<Field, Object> values = new LinkedHashMap<>();
        JsonValue name = report.get(NAME_MEMBER);
        if (name == null || name == JsonValue.NULL) {
            problems.add(place.of("'name' is required"));
        } else if (!validName(name)) {
            problems.add(place.of(NAME_NOT_VALID + ": " + name));
        } else {
            values.put(field(GROUP, NAME_MEMBER), ((JsonString) name).getString());
        }
        if (parent == null) {
            for (String member : REQUIRED_AT_THE_TOP) {
                requiredText(report, member, place, problems).ifPresent(text -> values.put(field(GROUP, member), text));
            }
        }
        for (Map.Entry<String, JsonValue> member : report.entrySet()) {
            String key = member.getKey();
            JsonValue value = member.getValue();
            boolean given = parent != null ? FROM_THE_PARENT.contains(key) || key.equals(INDEX)
                    : REQUIRED_AT_THE_TOP.contains(key);
            if (value == JsonValue.NULL || key.equals(NAME_MEMBER) || given || SET_BY_THE_SERVER.contains(key)) {
                continue;
            }
            if (key.equals(TIME)) {
                seconds(value, TIME, place, problems).ifPresent(time -> values.put(field(GROUP, TIME), time));
            } else if (!GROUP_MEMBERS_OF_THEIR_OWN.contains(key)) {
                stored(GROUP, key, value, values, place, problems);
            }
        }
        JsonValue warnings = report.get(BOOT_WARNINGS);
        if (warnings != null && warnings != JsonValue.NULL) {
            convert(GROUP, "warnings", BOOT_WARNINGS, warnings, values, place, problems);
        }
        JsonValue machAlias = report.get(MACH_ALIAS);
        if (machAlias != null && machAlias != JsonValue.NULL) {
            convert(GROUP, "mach", MACH_ALIAS, machAlias, values, place, problems);
        }
        if (parent != null) {
            for (String member : FROM_THE_PARENT) {
                Field copied = field(GROUP, member);
                if (parent.get(copied) == null) {
                    values.remove(copied);
                } else {
                    values.put(copied, parent.get(copied));
                }
            }
            values.put(field(GROUP, INDEX), position);
        }
        values.putIfAbsent(field(GROUP, "version"), DEFAULT_VERSION);
        values.putIfAbsent(field(GROUP, "warnings"), 0);
        values.putIfAbsent(field(GROUP, TIME), 0L);
        Field defconfig = field(GROUP, "defconfig");
        if (values.containsKey(defconfig)) {
            values.putIfAbsent(field(GROUP, "defconfig_full"), values.get(defconfig));
        }
        extras(GROUP, report, key -> GROUP.field(key).isPresent() || GROUP_MEMBERS_OF_THEIR_OWN.contains(key), values,
                place, problems);
        complete(GROUP, values, now);
        List<StoredDocument> cases = new ArrayList<>();
        List<JsonObject> caseReports = list(report, TEST_CASES, place, problems);
        for (int i = 0; i < caseReports.size(); i++) {
            if (caseReports.get(i) != null) {
                testCase(caseReports.get(i), values, i + 1, place.below(TEST_CASES, i), now, problems).ifPresent(cases::add);
            }
        }
        List<TestGroupReport> subGroups = new ArrayList<>();
        List<JsonObject> groupReports = list(report, SUB_GROUPS, place, problems);
        for (int i = 0; i < groupReports.size(); i++) {
            if (groupReports.get(i) != null) {
                group(groupReports.get(i), values, i + 1, place.below(SUB_GROUPS, i), now, problems)
                        .ifPresent(subGroups::add);
            }
        }
        if (problems.size() > before) {
            return Optional.empty();
        }
        return Optional.of(new TestGroupReport(new StoredDocument(GROUP, values), cases, subGroups));
    }

    /** A case of the group whose values are given, at its place in the group's {@code test_cases}, from 1. */
    private static Optional<StoredDocument> testCase(JsonObject report, Map<Field, Object> group, int position,
                                                     Place place, Instant now, List<String> problems) {
        int before = problems.size();
        Map<Field, Object> values = new LinkedHashMap<>();
        requiredText(report, NAME_MEMBER, place, problems).ifPresent(name -> values.put(field(CASE, NAME_MEMBER), name));
        requiredText(report, STATUS, place, problems)
                .ifPresent(status -> values.put(field(CASE, STATUS), status.toUpperCase(Locale.ROOT)));
        for (Map.Entry<String, JsonValue> member : report.entrySet()) {
            String key = member.getKey();
            JsonValue value = member.getValue();
            if (value == JsonValue.NULL || key.equals(NAME_MEMBER) || key.equals(STATUS) || key.equals(INDEX)
                    || FROM_THE_GROUP.contains(key) || SET_BY_THE_SERVER.contains(key)) {
                continue;
            }
            if (key.equals(TIME)) {
                seconds(value, TIME, place, problems).ifPresent(time -> values.put(field(CASE, TIME), time));
            } else if (LISTS_OF_A_CASE.contains(key) && !(value instanceof JsonArray)) {
                problems.add(place.of("'" + key + "' must be an array"));
            } else {
                stored(CASE, key, value, values, place, problems);
            }
        }
        for (String member : FROM_THE_GROUP) {
            Object copied = group.get(field(GROUP, member));
            if (copied != null) {
                values.put(field(CASE, member), copied);
            }
        }
        values.put(field(CASE, INDEX), position);
        values.putIfAbsent(field(CASE, "version"), DEFAULT_VERSION);
        values.putIfAbsent(field(CASE, TIME), 0L);
        extras(CASE, report, key -> CASE.field(key).isPresent(), values, place, problems);
        complete(CASE, values, now);
        return problems.size() > before ? Optional.empty() : Optional.of(new StoredDocument(CASE, values));
    }

    /** The report's member as its stored field takes it; a member no stored field has is left to the extras. */
    private static void stored(Collection collection, String key, JsonValue value, Map<Field, Object> values, Place place,
                               List<String> problems) {
        Optional<Field> field = collection.field(key);
        if (field.isPresent() && field.get().isStored()) {
            convert(collection, field.get().name(), key, value, values, place, problems);
        }
    }

    private static void convert(Collection collection, String fieldName, String member, JsonValue value,
                                Map<Field, Object> values, Place place, List<String> problems) {
        Field field = field(collection, fieldName);
        try {
            values.put(field, FieldValues.value(field.type(), value));
        } catch (IllegalArgumentException e) {
            problems.add(place.of(FieldValues.refused(member, field.type(), value)));
        }
    }

    /** The members no field is declared for, kept as the document's extras. */
    private static void extras(Collection collection, JsonObject report, Predicate<String> declared,
                               Map<Field, Object> values, Place place, List<String> problems) {
        List<String> found = new ArrayList<>();
        JsonObject extras = ExportFormat.extras(report, declared, found);
        found.forEach(problem -> problems.add(place.of(problem)));
        if (!extras.isEmpty()) {
            values.put(collection.extrasField(), extras.toString());
        }
    }

    /** Its id and {@code created_on}: a new document's. */
    private static void complete(Collection collection, Map<Field, Object> values, Instant now) {
        values.put(field(collection, "created_on"), now.atOffset(ZoneOffset.UTC));
        values.put(collection.idField(), ObjectId.generate(now));
    }

    private static boolean validName(JsonValue name) {
        return name instanceof JsonString string && NAME.matcher(string.getString()).matches();
    }

    /** A member that must be a non-empty string. */
    private static Optional<String> requiredText(JsonObject report, String member, Place place, List<String> problems) {
        JsonValue value = report.get(member);
        String problem;
        if (value == null || value == JsonValue.NULL) {
            problem = "is required";
        } else if (!(value instanceof JsonString string)) {
            problem = "must be a string";
        } else if (string.getString().isEmpty()) {
            problem = "must not be empty";
        } else if (string.getString().indexOf('\0') >= 0) {
            problem = "must not contain NUL characters";
        } else {
            return Optional.of(string.getString());
        }
        problems.add(place.of("'" + member + "' " + problem));
        return Optional.empty();
    }

    /** A number of seconds, from 0 to 1e12, as a duration in milliseconds. */
    private static Optional<Long> seconds(JsonValue value, String member, Place place, List<String> problems) {
        if (!(value instanceof JsonNumber number) || !Double.isFinite(number.doubleValue())) {
            problems.add(place.of("'" + member + "' must be a number"));
            return Optional.empty();
        }
        double seconds = number.doubleValue();
        if (seconds < 0 || seconds > 1e12) {
            problems.add(place.of("'" + member + "' must be a number of seconds from 0 to 1e12"));
            return Optional.empty();
        }
        return Optional.of(BigDecimal.valueOf(seconds).movePointRight(3).setScale(0, RoundingMode.HALF_UP).longValueExact());
    }

    /** The objects of a nesting member ({@code sub_groups}, {@code test_cases}); null in place of each that is not one. */
    private static List<JsonObject> list(JsonObject report, String member, Place place, List<String> problems) {
        JsonValue value = report.get(member);
        if (value == null || value == JsonValue.NULL) {
            return List.of();
        }
        if (!(value instanceof JsonArray array)) {
            problems.add(place.of("'" + member + "' must be an array"));
            return List.of();
        }
        List<JsonObject> objects = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            if (array.get(i) instanceof JsonObject object) {
                objects.add(object);
            } else {
                problems.add(place.below(member, i).of("expected an object"));
                objects.add(null);
            }
        }
        return objects;
    }

    private static Field field(Collection collection, String name) {
        return collection.field(name).orElseThrow();
    }
}
