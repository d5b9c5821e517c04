package org.kernelci.batch.plan;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.kernelci.batch.ApiException;
import org.kernelci.batch.parse.QueryParams;
import org.kernelci.batch.parse.QueryParams.Pair;
import org.kernelci.batch.schema.Collection;
import org.kernelci.batch.schema.Collections;
import org.kernelci.batch.schema.FieldType;

/**
 * Plans {@code GET /bisect} (CONTRACT.md section 12.4): {@code collection} ({@code build}, its
 * alias {@code defconfig}, or {@code boot}), the start's id under {@code build_id} or
 * {@code boot_id}, an optional {@code compare_to}, and {@code field}/{@code nfield} among the
 * document's members. As in lists, a repeated key takes its last value, an empty value is
 * ignored, and any other key or member name is ignored and named (a 400 in strict mode).
 */
public final class BisectPlanner {
    private static final String COLLECTION = "collection";
    private static final String COMPARE_TO = "compare_to";
    private static final String FIELD = "field";
    private static final String NFIELD = "nfield";

    private final QueryPlanner planner;

    /** @param planner whose strictness and list of ignored names the bisections share */
    public BisectPlanner(QueryPlanner planner) {
        this.planner = planner;
    }

    /** The bisection a query asks for; the keys and member names it ignores are added to {@code ignored}. */
    public BisectPlan plan(QueryParams params, List<String> ignored) {
        Map<String, String> values = new HashMap<>();
        for (Pair pair : params.pairs()) {
            if (!pair.value().isEmpty()) {
                values.put(pair.key(), pair.value());
            }
        }
        String name = values.get(COLLECTION);
        if (name == null) {
            throw ApiException.badRequest("Missing '" + COLLECTION + "' key, cannot process the request");
        }
        Collection start = switch (name) {
            case "build", "defconfig" -> Collections.DEFCONFIG;
            case "boot" -> Collections.BOOT;
            default -> throw ApiException.badRequest("Provided bisect collection '" + name + "' is not valid");
        };
        String idKey = start == Collections.BOOT ? "boot_id" : "build_id";
        String id = values.get(idKey);
        if (id == null) {
            throw ApiException.badRequest("Missing '" + idKey + "' key, cannot process the request");
        }
        String typedId;
        try {
            typedId = (String) FieldType.OBJECT_ID.parse(id);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("Wrong ID value provided");
        }
        Set<BisectPlan.Member> included = new LinkedHashSet<>();
        Set<BisectPlan.Member> excluded = new LinkedHashSet<>();
        for (Pair pair : params.pairs()) {
            String value = pair.value();
            if (value.isEmpty() || pair.key().equals(COLLECTION) || pair.key().equals(COMPARE_TO)
                    || pair.key().equals(idKey)) {
                continue;
            }
            switch (pair.key()) {
                case FIELD -> member(start, FIELD, value, ignored).ifPresent(included::add);
                case NFIELD -> member(start, NFIELD, value, ignored).ifPresent(excluded::add);
                default -> planner.ignoreKey(pair, ignored);
            }
        }
        QueryPlanner.inRequestOrder(params, ignored);
        List<BisectPlan.Member> members = BisectPlan.Member.of(start).stream()
                .filter(member -> (included.isEmpty() || included.contains(member)) && !excluded.contains(member))
                .toList();
        return new BisectPlan(start, typedId, Optional.ofNullable(values.get(COMPARE_TO)), members);
    }

    private Optional<BisectPlan.Member> member(Collection start, String key, String name, List<String> ignored) {
        Optional<BisectPlan.Member> member = BisectPlan.Member.named(start, name);
        if (member.isEmpty()) {
            planner.ignoreField(key, name, ignored);
        }
        return member;
    }
}
