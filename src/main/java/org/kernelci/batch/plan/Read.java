package org.kernelci.batch.plan;

import java.util.List;
import java.util.stream.Collectors;
import org.kernelci.batch.schema.Collection;
import org.kernelci.batch.schema.Collections;

/**
 * One read operation, the unit a plain GET performs and a batch carries many of. What runs it
 * handles every variant through {@link Cases}, so that a new variant compiles only once every
 * stage that runs reads handles it.
 */
public sealed interface Read {

    /** The collections the read looks into, for authorization. */
    List<Collection> collections();

    /** The most documents the read lists (a listing's limit, else 0): many make a heavy batch. */
    default long listed() {
        return 0;
    }

    /** Whether the read is a document by its id: such reads have places of their own. */
    default boolean byId() {
        return false;
    }

    /** The case of {@code cases} for this variant, applied to it. */
    <R> R accept(Cases<R> cases);

    /** What is done with each variant of a read (its statements and outcome, see execute). */
    interface Cases<R> {
        R listing(Listing listing);

        R byId(ById byId);

        R bootRegression(BootRegression regression);

        R bisection(Bisection bisection);

        R distinct(Distinct distinct);

        R countDistinct(CountDistinct countDistinct);

        R compare(Compare compare);

        R count(Count count);
    }

    /** Documents matching a query, with the total count: {@code GET /<collection>?<query>}. */
    record Listing(QueryPlan plan) implements Read {
        @Override
        public <R> R accept(Cases<R> cases) {
            return cases.listing(this);
        }

        @Override
        public long listed() {
            return plan.limit();
        }

        @Override
        public List<Collection> collections() {
            return List.of(plan.collection());
        }
    }

    /**
     * One document, as requested: by id ({@code GET /<collection>/<id>}), or the newest that names
     * the id ({@code GET /build/<id>/logs}); none is a 404.
     */
    record ById(QueryPlan plan, String id) implements Read {
        @Override
        public <R> R accept(Cases<R> cases) {
            return cases.byId(this);
        }

        @Override
        public boolean byId() {
            return true;
        }

        @Override
        public List<Collection> collections() {
            return List.of(plan.collection());
        }
    }

    /**
     * The regression of the boot a plan selects by id, its documents projected as the plan says:
     * {@code GET /boot/<id>/regressions} (CONTRACT.md section 12.3); no such boot is a 404.
     */
    record BootRegression(QueryPlan plan, String id) implements Read {
        @Override
        public <R> R accept(Cases<R> cases) {
            return cases.bootRegression(this);
        }

        @Override
        public List<Collection> collections() {
            return List.of(plan.collection());
        }
    }

    /** A bisection of a build or a boot: {@code GET /bisect} (CONTRACT.md section 12.4). */
    record Bisection(BisectPlan plan) implements Read {
        @Override
        public <R> R accept(Cases<R> cases) {
            return cases.bisection(this);
        }

        /** A boot's bisection reads its builds too. */
        @Override
        public List<Collection> collections() {
            return plan.start() == Collections.BOOT ? List.of(Collections.BOOT, Collections.DEFCONFIG)
                    : List.of(Collections.DEFCONFIG);
        }
    }

    /** The distinct values of a field: {@code GET /<collection>/distinct/<field>}. */
    record Distinct(DistinctPlan plan) implements Read {
        @Override
        public <R> R accept(Cases<R> cases) {
            return cases.distinct(this);
        }

        @Override
        public List<Collection> collections() {
            return List.of(plan.collection());
        }
    }

    /**
     * How many distinct values a field has: a batch's {@code distinct} on the {@code count}
     * collection, answered under the collection's and the field's names as requested.
     */
    record CountDistinct(DistinctPlan plan, String name, String field) implements Read {
        @Override
        public <R> R accept(Cases<R> cases) {
            return cases.countDistinct(this);
        }

        @Override
        public List<Collection> collections() {
            return List.of(plan.collection());
        }
    }

    /**
     * A comparison computed from the documents it names ({@code /<r>/compare}, CONTRACT.md
     * section 12.5); a baseline or target that finds nothing is a 404.
     */
    record Compare(ComparePlan plan) implements Read {
        @Override
        public <R> R accept(Cases<R> cases) {
            return cases.compare(this);
        }

        @Override
        public List<Collection> collections() {
            return List.of(plan.kind().collection());
        }
    }

    /** Counts per collection: {@code GET /count[/<collection>]}. */
    record Count(CountPlan plan) implements Read {
        @Override
        public <R> R accept(Cases<R> cases) {
            return cases.count(this);
        }

        @Override
        public List<Collection> collections() {
            return plan.targets().stream().map(CountPlan.Target::collection).distinct()
                    .collect(Collectors.toUnmodifiableList());
        }
    }
}
