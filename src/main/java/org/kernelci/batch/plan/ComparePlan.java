package org.kernelci.batch.plan;

import java.util.List;
import org.kernelci.batch.schema.Collection;
import org.kernelci.batch.schema.Collections;
import org.kernelci.batch.schema.Field;
import org.kernelci.batch.schema.FieldType;

/**
 * A comparison as planned (CONTRACT.md section 12.5): what it compares, the baseline and each
 * target as conditions on the documents, and the request as kept.
 *
 * @param kind    jobs, builds or boots
 * @param targets the baseline first, then each target of {@code compare_to}, in order
 * @param request the request as kept: the members that select, by name in each object, the
 *                targets last, in order (JSON); the same for every spelling of the same request
 * @param id      the id the request is kept under, derived from the kind and {@code request}
 */
public record ComparePlan(CompareKind kind, List<Target> targets, String request, String id) {
    /** A job's members in a comparison: those of its first build, then its builds' totals. */
    public static final List<Field> JOB_MEMBERS = List.of(build("job"), build("kernel"), build("job_id"),
            build("git_branch"), build("git_commit"), build("git_describe"), build("git_url"), build("created_on"),
            new Field("total_builds", "total_builds", FieldType.INTEGER, List.of(), Field.Origin.COMPUTED),
            new Field("build_counts", "build_counts", FieldType.LIST, List.of(), Field.Origin.COMPUTED));
    /** The differences of a job comparison: {@code [key, [baseline, targets...]]} by key. */
    public static final Field DELTA = new Field("delta_result", "delta_result", FieldType.LIST, List.of(),
            Field.Origin.COMPUTED);

    public ComparePlan {
        targets = List.copyOf(targets);
    }

    /**
     * The baseline or a target: where the request names it, the members that select it (JSON, for
     * a reason that names it) and the conditions they make.
     */
    public record Target(String name, String criteria, List<Condition> conditions) {
        public Target {
            conditions = List.copyOf(conditions);
        }
    }

    /** The newest build or boot a target selects, as a GET renders it: several match, the newest. */
    public QueryPlan newest(Target target) {
        Collection collection = kind.collection();
        return new QueryPlan(collection, target.conditions(), collection.fields(),
                List.of(collection.field("created_on").orElseThrow()), true, List.of(), 1, 0);
    }

    private static Field build(String name) {
        return Collections.DEFCONFIG.field(name).orElseThrow();
    }
}
