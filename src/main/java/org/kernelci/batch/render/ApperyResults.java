package org.kernelci.batch.render;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import org.kernelci.batch.Problem;
import org.kernelci.batch.execute.Outcome;

/**
 * Outcomes in Appery.io's batch format (CONTRACT.md section 7, seed 003): a JSON array, one
 * {@code {"success": <result>}} or {@code {"error": {"code", "description"}}} per operation, in
 * request order. Documents are rendered as the plain GET renders them; times Appery's way.
 */
public final class ApperyResults {
    /** Appery's timestamps: {@code 2017-02-16 12:08:13.327}, UTC. */
    static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS", Locale.ROOT).withZone(ZoneOffset.UTC);
    /** Appery's code for a missing object. */
    static final String MISSING = "DBSU205";

    private ApperyResults() {
    }

    public static void write(JsonOutput json, List<Outcome> outcomes) {
        json.beginArray();
        for (Outcome outcome : outcomes) {
            json.beginObject();
            if (outcome instanceof Outcome.Missing missing) {
                // Appery's own words for the one problem it has a code for.
                error(json, MISSING, "Collection '" + missing.collection() + "' doesn't contain object with id "
                        + missing.id() + ".");
            } else if (outcome.failure().isPresent()) {
                Problem problem = outcome.failure().get();
                error(json, "KCI" + problem.status(), problem.reason());
            } else {
                json.name("success");
                success(json, outcome);
            }
            json.endObject();
        }
        json.endArray();
    }

    private static void success(JsonOutput json, Outcome outcome) {
        if (outcome instanceof Outcome.Document document) {
            OutcomeWriter.writeDocument(json, document.projection(), document.row());
            return;
        }
        json.beginObject();
        if (outcome instanceof Outcome.Documents || outcome instanceof Outcome.Counts
                || outcome instanceof Outcome.Values || outcome instanceof Outcome.DistinctCount) {
            OutcomeWriter.writeMembers(json, outcome, "collection", false);
        } else if (outcome instanceof Outcome.Created created) {
            json.name("_id").value(created.ids().get(0)).name("_createdAt").value(time(created.createdOn()));
        } else if (outcome instanceof Outcome.Updated updated) {
            json.name("_updatedAt").value(time(updated.updatedOn()));
        } else if (!(outcome instanceof Outcome.Deleted)) {
            throw new IllegalStateException("No Appery result for " + outcome);
        }
        json.endObject();
    }

    private static void error(JsonOutput json, String code, String description) {
        json.name("error").beginObject().name("code").value(code).name("description").value(description).endObject();
    }

    static String time(long epochMillis) {
        return TIME.format(Instant.ofEpochMilli(epochMillis));
    }
}
