package org.kernelci.batch.execute;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;
import org.jdbi.v3.core.statement.Update;
import org.kernelci.batch.ingest.ReportForms;
import org.kernelci.batch.ingest.StoredDocument;
import org.kernelci.batch.jdbc.BoundValue;
import org.kernelci.batch.plan.Condition;
import org.kernelci.batch.plan.QueryPlan;
import org.kernelci.batch.schema.Collection;
import org.kernelci.batch.schema.Collections;
import org.kernelci.batch.schema.Field;
import org.kernelci.batch.sql.InsertStatement;
import org.kernelci.batch.sql.SqlCompiler;
import org.kernelci.batch.sql.SqlQuery;

/**
 * Stores reports in the caller's transaction, so a request's reports are all stored or none.
 * A job is one per {@code job} and {@code kernel}: a job report answers the existing job's id, and
 * a build or boot report whose job is missing creates it (with its git fields, and no status until
 * something sets one). A boot references the latest build of its job, kernel, full defconfig and
 * arch, if there is one. Concurrent reports of one job wait for each other on an advisory lock,
 * so the job is created once.
 */
final class ReportWriter {
    private static final Collection JOB = Collections.JOB;
    /** Job fields a created job does not take from the report: its own, or (status) the build's or boot's result. */
    private static final Set<String> NOT_COPIED_TO_JOBS = Set.of("_id", "created_on", "name", "status");

    private final Handle handle;
    /** What this transaction has found or made: job ids, locked jobs, builds (by their lookup key). */
    private final Map<String, String> jobIds = new HashMap<>();
    private final Set<String> locked = new HashSet<>();
    private final Map<String, Optional<String>> builds = new HashMap<>();
    /**
     * Builds or boots not stored yet, all of one collection: they go as one multi-row statement
     * (one run of the rollup triggers for all of them), before anything looks for a build.
     */
    private final List<StoredDocument> pending = new ArrayList<>();

    private ReportWriter(Handle handle) {
        this.handle = handle;
    }

    /**
     * A writer for several calls in one transaction (a batch's reports), remembering the jobs and
     * builds it found. Make a new one after anything else changed documents or the transaction
     * rolled back to a savepoint.
     */
    static ReportWriter on(Handle handle) {
        return new ReportWriter(handle);
    }

    /**
     * Stores the documents in this writer's transaction; returns their ids, in order (a job
     * report's may be an existing job's).
     */
    List<String> write(List<StoredDocument> reports) {
        // Locks in one order, so that two requests with the same jobs cannot deadlock.
        TreeSet<String> jobs = new TreeSet<>();
        for (StoredDocument report : reports) {
            jobs.add(jobKey(report));
        }
        for (String job : jobs) {
            if (locked.add(job)) {
                lock(job);
            }
        }
        try {
            return store(reports);
        } finally {
            pending.clear(); // Stored, or (failed) never to be.
        }
    }

    private List<String> store(List<StoredDocument> reports) {
        List<String> ids = new ArrayList<>(reports.size());
        for (StoredDocument report : reports) {
            if (report.collection() == JOB) {
                ids.add(job(report, () -> report));
                continue;
            }
            Map<Field, Object> values = new LinkedHashMap<>(report.values());
            values.put(field(report.collection(), "job_id"), job(report, () -> jobOf(report)));
            Optional<Field> buildReference = report.collection().field("defconfig_id");
            if (buildReference.isPresent()) {
                build(report).ifPresent(id -> values.put(buildReference.get(), id));
            }
            StoredDocument complete = new StoredDocument(report.collection(), values);
            insert(complete);
            ids.add(complete.id());
        }
        flush();
        return ids;
    }

    /** The id of the report's job: found, or that of {@code missing}, stored as it is. */
    private String job(StoredDocument report, Supplier<StoredDocument> missing) {
        String key = jobKey(report);
        String id = jobIds.get(key);
        if (id == null) {
            id = first(lookup(JOB, List.of("job", "kernel"), report, false)).orElse(null);
        }
        if (id == null) {
            StoredDocument job = missing.get();
            insert(job);
            id = job.id();
        }
        jobIds.put(key, id);
        return id;
    }

    /** A job document made of the fields a build or boot report shares with jobs. */
    private static StoredDocument jobOf(StoredDocument report) {
        Map<Field, Object> values = new HashMap<>();
        for (Field field : JOB.fields()) {
            Object value = report.get(field.name());
            if (value != null && !NOT_COPIED_TO_JOBS.contains(field.name())) {
                values.put(field, value);
            }
        }
        Instant createdOn = ((OffsetDateTime) report.get("created_on")).toInstant();
        return ReportForms.JOB.document(values, createdOn);
    }

    private Optional<String> build(StoredDocument boot) {
        List<String> names = List.of("job", "kernel", "defconfig_full", "arch");
        String key = names.stream().map(name -> String.valueOf(boot.get(name))).collect(Collectors.joining("\0"));
        Optional<String> found = builds.get(key);
        if (found == null) {
            if (!pending.isEmpty() && pending.get(0).collection() == Collections.DEFCONFIG) {
                flush();
            }
            found = first(lookup(Collections.DEFCONFIG, names, boot, true));
            builds.put(key, found);
        }
        return found;
    }

    /** The id of the collection's document whose fields equal the report's: the first or, if latest, the newest. */
    private static SqlQuery lookup(Collection collection, List<String> fieldNames, StoredDocument report,
                                   boolean latest) {
        List<Condition> conditions = new ArrayList<>();
        for (String name : fieldNames) {
            conditions.add(new Condition.Match(field(collection, name), List.of(report.get(name)), false));
        }
        List<Field> sort = latest ? List.of(field(collection, "created_on")) : List.of();
        return SqlCompiler.select(new QueryPlan(collection, conditions, List.of(collection.idField()), sort, latest,
                List.of(), 1, 0));
    }

    private Optional<String> first(SqlQuery query) {
        Query statement = handle.createQuery(query.text());
        for (int i = 0; i < query.binds().size(); i++) {
            statement.bind(i, new BoundValue(query.binds().get(i), null));
        }
        return statement.mapTo(String.class).findFirst();
    }

    /** Stores a job at once (later reports look for it); holds a build or boot back for {@link #flush}. */
    private void insert(StoredDocument document) {
        if (document.collection() == Collections.DEFCONFIG) {
            builds.clear();
        }
        if (document.collection() == JOB) {
            insert(List.of(document));
            return;
        }
        if (!pending.isEmpty() && (pending.get(0).collection() != document.collection()
                || pending.size() == InsertStatement.maxRows(document.collection()))) {
            flush();
        }
        pending.add(document);
    }

    private void flush() {
        if (!pending.isEmpty()) {
            insert(pending);
            pending.clear();
        }
    }

    /** One statement for documents of one collection. */
    private void insert(List<StoredDocument> documents) {
        InsertStatement insert = InsertStatement.insert(documents.get(0).collection(), documents.size());
        Update statement = handle.createUpdate(insert.text());
        List<Field> fields = insert.fields();
        List<Object> binds = insert.binds(documents.stream().map(StoredDocument::values).toList());
        for (int i = 0; i < binds.size(); i++) {
            statement.bind(i, new BoundValue(binds.get(i), fields.get(i % fields.size()).type()));
        }
        statement.execute();
    }

    private void lock(String jobKey) {
        AdvisoryLock.take(handle, "kci-job", jobKey);
    }

    private static String jobKey(StoredDocument report) {
        return report.get("job") + "\0" + report.get("kernel");
    }


    private static Field field(Collection collection, String name) {
        return collection.field(name).orElseThrow();
    }
}
