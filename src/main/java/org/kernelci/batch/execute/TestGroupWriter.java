package org.kernelci.batch.execute;

import java.time.OffsetDateTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.SqlStatement;
import org.jdbi.v3.core.statement.Update;
import org.kernelci.batch.ingest.StoredDocument;
import org.kernelci.batch.ingest.TestGroupReport;
import org.kernelci.batch.jdbc.BoundValue;
import org.kernelci.batch.plan.Condition;
import org.kernelci.batch.plan.QueryPlan;
import org.kernelci.batch.schema.Collection;
import org.kernelci.batch.schema.Collections;
import org.kernelci.batch.schema.Field;
import org.kernelci.batch.sql.ChangeStatement;
import org.kernelci.batch.sql.InsertStatement;
import org.kernelci.batch.sql.SqlCompiler;
import org.kernelci.batch.sql.SqlQuery;

/**
 * Stores test group reports (CONTRACT.md section 12.6) in the caller's transaction, so that a
 * request's reports are stored all or none:
 * <ul>
 * <li>every group refers to the job of its job and kernel and to the newest build of its job,
 *     kernel, branch, arch, defconfigs and build environment (null when there is none, whatever
 *     the report said), whose compiler, modules and git members fill those the report left unset;</li>
 * <li>a run (a top group) with a stored run's name, lab, device, job, kernel, branch, commit,
 *     arch, defconfigs, build environment and plan variant replaces it: the stored run is deleted
 *     (with what it holds), and the new one takes its id, and each of its sub-groups and cases
 *     the id of the stored one of the same name in the same place (the first of that name with
 *     the first, and so on). A kept document also keeps its {@code created_on}, so that the run
 *     keeps its place in its series, and is {@code updated_on} now.</li>
 * </ul>
 * Concurrent reports of one run wait for each other on an advisory lock, so that one replaces
 * the other rather than both being stored.
 */
final class TestGroupWriter {
    private static final Collection GROUP = Collections.TEST_GROUP;
    private static final Collection CASE = Collections.TEST_CASE;
    /** The members that make a run the same as a stored one. */
    private static final List<String> RUN = List.of("name", "lab_name", "device_type", "job", "kernel", "git_branch",
            "git_commit", "arch", "defconfig", "defconfig_full", "build_environment", "plan_variant");
    private static final List<String> JOB = List.of("job", "kernel");
    private static final List<String> BUILD = List.of("job", "kernel", "git_branch", "arch", "defconfig", "defconfig_full",
            "build_environment");
    /** A group's members its build fills when the report left them unset. */
    private static final List<String> FROM_THE_BUILD = List.of("compiler", "compiler_version", "compiler_version_full",
            "cross_compile", "modules", "git_describe", "git_url");

    private final Handle handle;
    private final Map<List<Object>, Optional<String>> jobs = new HashMap<>();
    private final Map<List<Object>, Optional<Map<String, String>>> builds = new HashMap<>();
    private final List<Map<Field, Object>> groups = new ArrayList<>();
    private final List<Map<Field, Object>> cases = new ArrayList<>();

    private TestGroupWriter(Handle handle) {
        this.handle = handle;
    }

    /** Stores the reports; returns their runs' ids, in order. */
    static List<String> write(Handle handle, List<TestGroupReport> reports) {
        return new TestGroupWriter(handle).store(reports);
    }

    /** A stored group or case that a replacing one may keep: its id, name and {@code created_on}. */
    private record Kept(String id, String name, OffsetDateTime createdOn) {
    }

    /** A stored run's groups and cases, by the id of the group they are in, each list in its order. */
    private record Contents(Map<String, List<Kept>> groups, Map<String, List<Kept>> cases) {
    }

    private List<String> store(List<TestGroupReport> reports) {
        // In one order, so that two requests with the same runs cannot deadlock.
        TreeSet<String> runs = new TreeSet<>();
        for (TestGroupReport report : reports) {
            runs.add(RUN.stream().map(name -> String.valueOf(report.group().get(name))).collect(Collectors.joining("\0")));
        }
        for (String run : runs) {
            AdvisoryLock.take(handle, "kci-test-run", run);
        }
        List<String> ids = new ArrayList<>(reports.size());
        for (TestGroupReport report : reports) {
            Optional<Kept> stored = replaced(report.group());
            Contents kept = stored.map(run -> contents(run.id())).orElse(new Contents(Map.of(), Map.of()));
            stored.ifPresent(run -> execute(ChangeStatement.delete(GROUP, run.id())));
            ids.add(add(report, null, stored.orElse(null), kept));
            // Stored now: a later report of the same run replaces this one.
            insert(GROUP, groups);
            insert(CASE, cases);
        }
        return ids;
    }

    /**
     * Adds the group, with the id and {@code created_on} of the stored one it replaces if any, and
     * what it holds to the rows to insert; returns its id.
     */
    private String add(TestGroupReport report, String parentId, Kept replaced, Contents stored) {
        Map<Field, Object> values = new HashMap<>(report.group().values());
        OffsetDateTime now = (OffsetDateTime) report.group().get("created_on");
        keep(GROUP, values, replaced, now);
        values.put(field(GROUP, "parent_id"), parentId);
        refer(values);
        groups.add(values);
        String id = (String) values.get(GROUP.idField());
        Map<String, ArrayDeque<Kept>> storedCases = byName(replaced == null ? List.of() : stored.cases().get(replaced.id()));
        for (StoredDocument testCase : report.cases()) {
            Map<Field, Object> caseValues = new HashMap<>(testCase.values());
            keep(CASE, caseValues, next(storedCases, testCase.get("name")), now);
            caseValues.put(field(CASE, "test_group_id"), id);
            cases.add(caseValues);
        }
        Map<String, ArrayDeque<Kept>> storedGroups = byName(replaced == null ? List.of() : stored.groups().get(replaced.id()));
        for (TestGroupReport subGroup : report.subGroups()) {
            add(subGroup, id, next(storedGroups, subGroup.group().get("name")), stored);
        }
        return id;
    }

    /** A document replacing a stored one keeps its id and {@code created_on}, and is updated now. */
    private static void keep(Collection collection, Map<Field, Object> values, Kept replaced, OffsetDateTime now) {
        if (replaced != null) {
            values.put(collection.idField(), replaced.id());
            values.put(field(collection, "created_on"), replaced.createdOn());
            values.put(field(collection, "updated_on"), now);
        }
    }

    private static Map<String, ArrayDeque<Kept>> byName(List<Kept> stored) {
        Map<String, ArrayDeque<Kept>> byName = new HashMap<>();
        for (Kept kept : stored == null ? List.<Kept>of() : stored) {
            byName.computeIfAbsent(kept.name(), name -> new ArrayDeque<>()).add(kept);
        }
        return byName;
    }

    private static Kept next(Map<String, ArrayDeque<Kept>> byName, Object name) {
        ArrayDeque<Kept> same = byName.get((String) name);
        return same == null ? null : same.poll();
    }

    /** The group's job and build, and the members its build fills. */
    private void refer(Map<Field, Object> values) {
        List<Object> jobKey = key(values, JOB);
        Optional<String> job = jobs.computeIfAbsent(jobKey, key -> lookup(Collections.JOB, JOB, key, List.of(), false)
                .map(row -> row.get(Collection.ID)));
        values.put(field(GROUP, "job_id"), job.orElse(null));
        List<Object> buildKey = key(values, BUILD);
        Optional<Map<String, String>> build = builds.computeIfAbsent(buildKey,
                key -> lookup(Collections.DEFCONFIG, BUILD, key, FROM_THE_BUILD, true));
        values.put(field(GROUP, "build_id"), build.map(row -> row.get(Collection.ID)).orElse(null));
        build.ifPresent(row -> FROM_THE_BUILD.forEach(name -> values.putIfAbsent(field(GROUP, name), row.get(name))));
    }

    private static List<Object> key(Map<Field, Object> values, List<String> names) {
        return Arrays.asList(names.stream().map(name -> values.get(field(GROUP, name))).toArray());
    }

    /** The stored top group with the run's members (the first by id), which the run replaces. */
    private Optional<Kept> replaced(StoredDocument run) {
        List<Condition> conditions = new ArrayList<>();
        conditions.add(new Condition.Match(field(GROUP, "parent_id"), List.of(), true));
        for (String name : RUN) {
            Object value = run.get(name);
            conditions.add(new Condition.Match(field(GROUP, name), value == null ? List.of() : List.of(value), value == null));
        }
        return kept(new QueryPlan(GROUP, conditions, projection(GROUP, "name"), List.of(), false, List.of(), 1, 0))
                .stream().findFirst();
    }

    /** The groups below a stored run, level by level, and their cases, each in its list's order. */
    private Contents contents(String runId) {
        Map<String, List<Kept>> groupsBelow = new HashMap<>();
        List<String> level = List.of(runId);
        List<String> all = new ArrayList<>(level);
        while (!level.isEmpty()) {
            Map<String, List<Kept>> found = below(GROUP, "parent_id", level);
            groupsBelow.putAll(found);
            level = found.values().stream().flatMap(List::stream).map(Kept::id).toList();
            all.addAll(level);
        }
        return new Contents(groupsBelow, below(CASE, "test_group_id", all));
    }

    /** The documents whose reference is one of the ids, by that id, by index then id. */
    private Map<String, List<Kept>> below(Collection collection, String reference, List<String> ids) {
        Field referring = field(collection, reference);
        List<Field> projection = projection(collection, "name", reference);
        QueryPlan plan = new QueryPlan(collection, List.of(new Condition.Match(referring, List.copyOf(ids), false)),
                projection, List.of(field(collection, "index")), false, List.of(), Integer.MAX_VALUE, 0);
        Map<String, List<Kept>> below = new LinkedHashMap<>();
        SqlQuery query = SqlCompiler.select(plan);
        bind(handle.createQuery(query.text()), query).map((rows, context) -> {
            below.computeIfAbsent(rows.getString(referring.column()), id -> new ArrayList<>())
                    .add(new Kept(rows.getString(collection.idField().column()), rows.getString("name"),
                            rows.getObject("created_on", OffsetDateTime.class)));
            return 0;
        }).list();
        return below;
    }

    private List<Kept> kept(QueryPlan plan) {
        SqlQuery query = SqlCompiler.select(plan);
        return bind(handle.createQuery(query.text()), query).map((rows, context) -> new Kept(
                rows.getString(plan.collection().idField().column()), rows.getString("name"),
                rows.getObject("created_on", OffsetDateTime.class))).list();
    }

    private static List<Field> projection(Collection collection, String... names) {
        List<Field> projection = new ArrayList<>(List.of(collection.idField(), field(collection, "created_on")));
        for (String name : names) {
            projection.add(field(collection, name));
        }
        return projection;
    }

    /**
     * The id and the named text members of the collection's document whose fields equal the key
     * (null: unset): the first, or the newest.
     */
    private Optional<Map<String, String>> lookup(Collection collection, List<String> names, List<Object> key,
                                                 List<String> members, boolean newest) {
        List<Condition> conditions = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            Object value = key.get(i);
            conditions.add(new Condition.Match(field(collection, names.get(i)), value == null ? List.of() : List.of(value),
                    value == null));
        }
        List<Field> projection = new ArrayList<>(List.of(collection.idField()));
        members.forEach(name -> projection.add(field(collection, name)));
        List<Field> sort = newest ? List.of(field(collection, "created_on")) : List.of();
        SqlQuery query = SqlCompiler.select(new QueryPlan(collection, conditions, projection, sort, newest, List.of(), 1, 0));
        return bind(handle.createQuery(query.text()), query).map((rows, context) -> {
            Map<String, String> row = new HashMap<>();
            for (Field field : projection) {
                row.put(field.name(), rows.getString(field.column()));
            }
            return row;
        }).findFirst();
    }

    /** The rows as multi-row inserts, as few as the protocol's limit on binds allows. */
    private void insert(Collection collection, List<Map<Field, Object>> rows) {
        int most = InsertStatement.maxRows(collection);
        for (int from = 0; from < rows.size(); from += most) {
            List<Map<Field, Object>> part = rows.subList(from, Math.min(rows.size(), from + most));
            InsertStatement insert = InsertStatement.insert(collection, part.size());
            Update statement = handle.createUpdate(insert.text());
            List<Field> fields = insert.fields();
            List<Object> binds = insert.binds(part);
            for (int i = 0; i < binds.size(); i++) {
                statement.bind(i, new BoundValue(binds.get(i), fields.get(i % fields.size()).type()));
            }
            statement.execute();
        }
        rows.clear();
    }

    private void execute(SqlQuery change) {
        bind(handle.createUpdate(change.text()), change).execute();
    }

    private static <S extends SqlStatement<S>> S bind(S statement, SqlQuery query) {
        for (int i = 0; i < query.binds().size(); i++) {
            statement.bind(i, new BoundValue(query.binds().get(i), null));
        }
        return statement;
    }


    private static Field field(Collection collection, String name) {
        return collection.field(name).orElseThrow();
    }
}
