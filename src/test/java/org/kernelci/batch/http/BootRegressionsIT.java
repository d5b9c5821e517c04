package org.kernelci.batch.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kernelci.batch.testing.FixtureServer.json;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.kernelci.batch.jdbc.ColumnCodec;
import org.kernelci.batch.parse.QueryStringParser;
import org.kernelci.batch.plan.BisectPlanner;
import org.kernelci.batch.plan.QueryPlanner;
import org.kernelci.batch.schema.Collections;
import org.kernelci.batch.sql.Bisection;
import org.kernelci.batch.sql.BootRegressions;
import org.kernelci.batch.sql.Sources;
import org.kernelci.batch.sql.SqlQuery;
import org.kernelci.batch.testing.BackgroundWriter;
import org.kernelci.batch.testing.HttpProbe.Reply;
import org.kernelci.batch.testing.HttpProbe;
import org.kernelci.batch.testing.TestServer;

/**
 * CONTRACT.md sections 12.3 and 12.4: boot regressions and bisections, computed when read. The
 * view, a boot's regression and bisections equal a plain recomputation in Java from the boots
 * and builds read in the same snapshot while writers change them through every write path; the
 * boots inside them are the plain GET's documents; and the routes answer as the frontend reads
 * them, on a hand-made job ({@code fixture}) the writers leave alone.
 */
class BootRegressionsIT {
    private static final String ADMIN = TestServer.ADMIN_TOKEN;
    private static final String READER = "regressions-reader";
    private static final List<Tree> TREES = List.of(new Tree("mainline", List.of("master")),
            new Tree("next", List.of("master", "pending")));
    private static final int KERNELS = 8;
    private static final long HOUR = 3_600_000L;
    private static final long DAY = 24 * HOUR;
    private static final long START = Instant.now().minus(Duration.ofDays(40)).toEpochMilli();
    private static final QueryPlanner PLANNER = new QueryPlanner(Clock.systemUTC(), 10_000);
    private static final Comparator<Boot> BOOT_ORDER = Comparator.comparing(Boot::at).thenComparing(Boot::id);
    private static final Comparator<Build> BUILD_ORDER = Comparator.comparing(Build::at).thenComparing(Build::id);
    private static TestServer server;
    private static HttpProbe http;

    private record Tree(String job, List<String> branches) {
    }

    @BeforeAll
    static void start() {
        server = TestServer.start(Clock.systemUTC(), Map.of());
        http = server.http();
        server.addToken(READER, "can_get");
        Random random = new Random(12);
        List<JsonObject> jobs = new ArrayList<>();
        List<JsonObject> builds = new ArrayList<>();
        List<JsonObject> boots = new ArrayList<>();
        for (int t = 0; t < TREES.size(); t++) {
            Tree tree = TREES.get(t);
            for (int k = 0; k < KERNELS; k++) {
                long at = START + k * DAY + t * HOUR;
                String kernel = tree.job() + "-k" + k;
                jobs.add(Json.createObjectBuilder().add("_id", id(at)).add("job", tree.job()).add("kernel", kernel)
                        .add("git_branch", tree.branches().get(0)).add("created_on", date(at)).build());
                List<String> kernelBuilds = new ArrayList<>();
                for (int b = 0; b < 8; b++) {
                    JsonObject build = build(random, id(at), tree, kernel, at + random.nextInt((int) HOUR));
                    kernelBuilds.add(build.getJsonObject("_id").getString("$oid"));
                    builds.add(build);
                }
                long last = at;
                for (int b = 0; b < 30; b++) {
                    // Now and then two boots at the same instant: _id orders them.
                    long bootAt = random.nextInt(10) == 0 ? last : at + HOUR + random.nextInt((int) (6 * HOUR));
                    last = bootAt;
                    boots.add(boot(random, id(bootAt), tree, kernel, bootAt, kernelBuilds));
                }
            }
        }
        // The same job and kernel named by a second job document: both carry the regressions.
        jobs.add(Json.createObjectBuilder(jobs.get(3)).add("_id", id(START + 3 * DAY + 60_000)).build());
        importLines("job", jobs);
        importLines("build", builds);
        importLines("boot", boots);
        importLines("job", Fixture.jobs());
        importLines("build", Fixture.builds());
        importLines("boot", Fixture.boots());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static Connection connect() throws SQLException {
        return DriverManager.getConnection(server.jdbcUrl(), "postgres", "");
    }

    private static void importLines(String collection, List<JsonObject> lines) {
        StringBuilder text = new StringBuilder();
        lines.forEach(line -> text.append(line).append('\n'));
        Reply reply = http.send("POST", "/import/" + collection, text.toString().getBytes(StandardCharsets.UTF_8),
                "Authorization", ADMIN, "Content-Type", "application/x-ndjson");
        assertEquals(200, reply.status(), reply.body());
        assertEquals(0, json(reply.body()).getJsonArray("result").getJsonObject(0).getInt("rejected"), reply.body());
    }

    private static String id(long at) {
        return org.kernelci.batch.schema.ObjectId.generate(Instant.ofEpochMilli(at));
    }

    private static JsonObject date(long at) {
        return Json.createObjectBuilder().add("$date", at).build();
    }

    private static <T> T pick(Random random, List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    private static JsonObjectBuilder nullable(JsonObjectBuilder builder, String name, String value) {
        return value == null ? builder : builder.add(name, value);
    }

    private static JsonObject build(Random random, String id, Tree tree, String kernel, long at) {
        JsonObjectBuilder build = Json.createObjectBuilder().add("_id", Json.createObjectBuilder().add("$oid", id))
                .add("job", tree.job()).add("kernel", kernel).add("git_branch", pick(random, tree.branches()))
                .add("arch", pick(random, List.of("arm", "arm64"))).add("defconfig", "d1")
                .add("defconfig_full", pick(random, List.of("d1", "d1+x")))
                .add("status", pick(random, List.of("PASS", "PASS", "PASS", "FAIL", "FAIL", "UNKNOWN")))
                .add("git_commit", Long.toHexString(random.nextLong())).add("git_url", "git://" + tree.job())
                .add("git_describe", kernel).add("dirname", "dir-" + random.nextInt(3)).add("created_on", date(at));
        nullable(build, "build_environment", random.nextInt(4) == 0 ? "gcc-8" : null);
        return build.build();
    }

    private static JsonObject boot(Random random, String id, Tree tree, String kernel, long at, List<String> builds) {
        String board = pick(random, List.of("b1", "b2"));
        JsonObjectBuilder boot = Json.createObjectBuilder().add("_id", Json.createObjectBuilder().add("$oid", id))
                .add("job", tree.job()).add("kernel", kernel).add("git_branch", pick(random, tree.branches()))
                .add("board", board).add("arch", board.equals("b1") ? "arm" : random.nextInt(10) == 0 ? "x86" : "arm64")
                .add("defconfig", "d1").add("defconfig_full", pick(random, List.of("d1", "d1+x")))
                .add("status", pick(random, List.of("PASS", "PASS", "PASS", "PASS", "FAIL", "FAIL", "FAIL", "OFFLINE")))
                .add("git_commit", Long.toHexString(random.nextLong())).add("created_on", date(at));
        nullable(boot, "lab_name", pick(random, Arrays.asList("lab-a", "lab-b", null)));
        nullable(boot, "board_instance", random.nextInt(3) == 0 ? "i1" : null);
        nullable(boot, "build_environment", random.nextInt(5) == 0 ? "gcc-8" : null);
        if (random.nextInt(6) == 0) {
            boot.add("compiler", "gcc");
            nullable(boot, "compiler_version", random.nextBoolean() ? "8" : null);
        }
        int reference = random.nextInt(10);
        if (reference < 6) {
            boot.add("build_id", Json.createObjectBuilder().add("$oid", pick(random, builds)));
        } else if (reference == 6) {
            boot.add("build_id", Json.createObjectBuilder().add("$oid", "ffffffffffffffffffffffff"));
        }
        if (random.nextBoolean()) {
            boot.add("time", Json.createObjectBuilder().add("$date", random.nextInt(100_000)))
                    .add("metadata", Json.createObjectBuilder().add("note", "n" + random.nextInt(3)))
                    .add("boot_job_id", random.nextInt(1000)).add("lava_extra", "kept in the extras");
        }
        return boot.build();
    }

    // ---------------------------------------------------------------------------------------
    // The documents of a snapshot, and sections 12.3 and 12.4 recomputed plainly from them.

    private record Boot(String id, Instant at, String job, String kernel, String branch, String lab, String arch,
                        String board, String instance, String dfull, String defconfig, String env, String compiler,
                        String version, String status, String buildId) {
        String toolchain() {
            return env != null ? env : (compiler == null ? "none" : compiler) + "-" + (version == null ? "none" : version);
        }

        List<String> series() {
            return Arrays.asList(job, branch, lab, arch, board, dfull, toolchain());
        }

        List<String> withoutLab() {
            return Arrays.asList(job, branch, arch, board, dfull, toolchain());
        }

        List<String> nesting() {
            return Arrays.asList(none(lab), none(arch), none(board), none(instance), none(dfull), toolchain());
        }

        List<String> chain() {
            return Arrays.asList(lab, board, job, branch, arch, defconfig, dfull, env);
        }

        List<String> compared(String otherJob) {
            return Arrays.asList(lab, board, otherJob, arch, defconfig, dfull, env);
        }

        private static String none(String key) {
            return key == null ? "none" : key;
        }
    }

    private record Build(String id, Instant at, String job, String kernel, String branch, String arch, String defconfig,
                         String dfull, String env, String status, String commit) {
        List<String> chain() {
            return Arrays.asList(job, branch, arch, defconfig, dfull, env);
        }

        List<String> compared(String otherJob) {
            return Arrays.asList(otherJob, arch, defconfig, dfull, env);
        }
    }

    private record Job(String id, String job, String kernel) {
    }

    private record Snapshot(List<Job> jobs, List<Build> builds, List<Boot> boots) {
        static Snapshot read(Connection connection) throws SQLException {
            List<Job> jobs = new ArrayList<>();
            try (Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery("SELECT id, job, kernel FROM job")) {
                while (rows.next()) {
                    jobs.add(new Job(rows.getString(1), rows.getString(2), rows.getString(3)));
                }
            }
            List<Build> builds = new ArrayList<>();
            try (Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery("SELECT id, created_on, job, kernel, git_branch, arch, defconfig, "
                         + "defconfig_full, build_environment, status, git_commit FROM build")) {
                while (rows.next()) {
                    builds.add(new Build(rows.getString(1), rows.getObject(2, OffsetDateTime.class).toInstant(),
                            rows.getString(3), rows.getString(4), rows.getString(5), rows.getString(6), rows.getString(7),
                            rows.getString(8), rows.getString(9), rows.getString(10), rows.getString(11)));
                }
            }
            List<Boot> boots = new ArrayList<>();
            try (Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery("SELECT id, created_on, job, kernel, git_branch, lab_name, arch, "
                         + "board, board_instance, defconfig_full, defconfig, build_environment, compiler, compiler_version, "
                         + "status, defconfig_id FROM boot")) {
                while (rows.next()) {
                    boots.add(new Boot(rows.getString(1), rows.getObject(2, OffsetDateTime.class).toInstant(),
                            rows.getString(3), rows.getString(4), rows.getString(5), rows.getString(6), rows.getString(7),
                            rows.getString(8), rows.getString(9), rows.getString(10), rows.getString(11), rows.getString(12),
                            rows.getString(13), rows.getString(14), rows.getString(15), rows.getString(16)));
                }
            }
            return new Snapshot(jobs, builds, boots);
        }

        Optional<Boot> boot(String id) {
            return boots.stream().filter(boot -> boot.id().equals(id)).findFirst();
        }

        /** §12.3: the ids of a boot's regression, oldest first; empty when it does not regress. */
        List<String> regression(Boot boot) {
            if (!"FAIL".equals(boot.status())) {
                return List.of();
            }
            boolean conflict = boots.stream().anyMatch(other -> boot.kernel() != null && boot.kernel().equals(other.kernel())
                    && "PASS".equals(other.status()) && other.withoutLab().equals(boot.withoutLab()));
            if (conflict) {
                return List.of();
            }
            List<Boot> before = boots.stream().filter(other -> other.series().equals(boot.series())
                    && ("PASS".equals(other.status()) || "FAIL".equals(other.status()))
                    && BOOT_ORDER.compare(other, boot) < 0).sorted(BOOT_ORDER.reversed()).toList();
            List<String> regression = new ArrayList<>();
            for (Boot other : before) {
                regression.add(0, other.id());
                if ("PASS".equals(other.status())) {
                    regression.add(boot.id());
                    return regression;
                }
            }
            return List.of();
        }

        /** §12.3: per job document, its regressions by their six keys (ids, oldest first); none when it has none. */
        Map<String, Map<List<String>, List<String>>> view() {
            Map<String, Map<List<String>, List<String>>> view = new TreeMap<>();
            for (Job job : jobs) {
                if (job.job() == null || job.kernel() == null) {
                    continue;
                }
                Map<List<String>, Boot> newestPerSeries = new HashMap<>();
                for (Boot boot : boots) {
                    if (job.job().equals(boot.job()) && job.kernel().equals(boot.kernel()) && !regression(boot).isEmpty()) {
                        newestPerSeries.merge(boot.series(), boot, (a, b) -> BOOT_ORDER.compare(a, b) > 0 ? a : b);
                    }
                }
                Map<List<String>, Boot> leaves = new HashMap<>();
                newestPerSeries.values().forEach(boot -> leaves.merge(boot.nesting(), boot,
                        (a, b) -> BOOT_ORDER.compare(a, b) > 0 ? a : b));
                if (!leaves.isEmpty()) {
                    Map<List<String>, List<String>> regressions = new HashMap<>();
                    leaves.forEach((keys, boot) -> regressions.put(keys, regression(boot)));
                    view.put(job.id(), regressions);
                }
            }
            return view;
        }

        /** §12.4: a build's chain, newest first, through the first PASS. */
        List<Build> chain(Build start) {
            List<Build> chain = new ArrayList<>(List.of(start));
            for (Build build : builds.stream().filter(build -> build.chain().equals(start.chain())
                    && BUILD_ORDER.compare(build, start) < 0).sorted(BUILD_ORDER.reversed()).toList()) {
                chain.add(build);
                if ("PASS".equals(build.status())) {
                    break;
                }
            }
            return chain;
        }

        List<Boot> chain(Boot start) {
            List<Boot> chain = new ArrayList<>(List.of(start));
            for (Boot boot : boots.stream().filter(boot -> boot.chain().equals(start.chain())
                    && BOOT_ORDER.compare(boot, start) < 0).sorted(BOOT_ORDER.reversed()).toList()) {
                chain.add(boot);
                if ("PASS".equals(boot.status())) {
                    break;
                }
            }
            return chain;
        }

        /** §12.4 compare_to: the job's documents matching the chain's other keys, in its time span, as many. */
        <T> List<T> compared(List<T> chain, List<T> all, Function<T, Instant> at, Function<T, List<String>> keys,
                             List<String> wanted, Comparator<T> order) {
            Instant first = chain.stream().map(at).min(Comparator.naturalOrder()).orElseThrow();
            Instant start = at.apply(chain.get(0));
            return all.stream().filter(other -> keys.apply(other).equals(wanted) && at.apply(other).isBefore(start)
                    && !at.apply(other).isBefore(first)).sorted(order.reversed()).limit(chain.size()).toList();
        }

        /** The build of a boot's item: the one its build_id names, else the newest of its job, kernel, defconfig_full, arch. */
        Optional<Build> buildOf(Boot boot) {
            if (boot.buildId() != null) {
                return builds.stream().filter(build -> build.id().equals(boot.buildId())).findFirst();
            }
            return builds.stream().filter(build -> boot.job() != null && boot.job().equals(build.job())
                    && boot.kernel() != null && boot.kernel().equals(build.kernel())
                    && boot.dfull() != null && boot.dfull().equals(build.dfull())
                    && boot.arch() != null && boot.arch().equals(build.arch())).max(BUILD_ORDER);
        }
    }

    /** A statement of the service's own SQL, run in the caller's transaction: each row's columns as text. */
    private static List<String[]> run(Connection connection, SqlQuery query) throws SQLException {
        List<String[]> rows = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(query.text())) {
            for (int i = 0; i < query.binds().size(); i++) {
                ColumnCodec.bind(statement, i + 1, query.binds().get(i), null);
            }
            try (ResultSet result = statement.executeQuery()) {
                int width = result.getMetaData().getColumnCount();
                while (result.next()) {
                    String[] row = new String[width];
                    for (int i = 0; i < width; i++) {
                        row[i] = result.getString(i + 1);
                    }
                    rows.add(row);
                }
            }
        }
        return rows;
    }

    private static JsonValue parse(String text) {
        return Json.createReader(new StringReader(text)).readValue();
    }

    /** The view's nested regressions as leaves: their six keys, and the ids of their boots in order. */
    private static Map<List<String>, List<String>> leaves(JsonObject regressions) {
        Map<List<String>, List<String>> leaves = new HashMap<>();
        collect(regressions, new ArrayList<>(), leaves);
        return leaves;
    }

    private static void collect(JsonValue level, List<String> keys, Map<List<String>, List<String>> leaves) {
        if (keys.size() == 6) {
            leaves.put(List.copyOf(keys), ids(level.asJsonArray(), "_id"));
            return;
        }
        for (Map.Entry<String, JsonValue> member : level.asJsonObject().entrySet()) {
            keys.add(member.getKey());
            collect(member.getValue(), keys, leaves);
            keys.remove(keys.size() - 1);
        }
    }

    private static List<String> ids(JsonArray documents, String member) {
        return documents.stream().map(document -> document.asJsonObject().getJsonObject(member).getString("$oid")).toList();
    }

    // ---------------------------------------------------------------------------------------

    @Test
    @DisplayName("§12.3, §12.4: the view, boots' regressions and bisections equal a recomputation in the same snapshot, under writes")
    void agreeUnderWrites() throws Exception {
        BackgroundWriter writer = BackgroundWriter.start(server, 19, 220, BootRegressionsIT::write,
                reply -> reply.status() >= 500 || reply.status() == 400 || reply.status() == 403);
        int compared = 0;
        int regressions = 0;
        int bisections = 0;
        List<String> differences = new ArrayList<>();
        Random random = new Random(23);
        try (Connection connection = connect()) {
            connection.setAutoCommit(false);
            connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            while (writer.writing() || compared < 12) {
                Snapshot snapshot = Snapshot.read(connection);
                regressions += compareView(connection, snapshot, differences);
                compareBoots(connection, snapshot, random, differences);
                bisections += compareBisections(connection, snapshot, random, differences);
                connection.commit();
                compared++;
            }
        } finally {
            writer.close();
        }
        assertEquals(List.of(), writer.failures());
        assertEquals(List.of(), differences.subList(0, Math.min(5, differences.size())));
        assertTrue(writer.writes() > 150, "writes " + writer.writes());
        assertTrue(regressions > 10 * compared, "regressions seen " + regressions + " in " + compared + " snapshots");
        assertTrue(bisections > 10 * compared, "bisections " + bisections);
    }

    /** Compares the whole view; returns how many leaves it had. */
    private static int compareView(Connection connection, Snapshot snapshot, List<String> differences) throws SQLException {
        Map<String, Map<List<String>, List<String>>> view = new TreeMap<>();
        for (String[] row : run(connection, new SqlQuery("SELECT id, regressions FROM "
                + Sources.from(Collections.BOOT_REGRESSIONS), List.of()))) {
            view.put(row[0], leaves(parse(row[1]).asJsonObject()));
        }
        Map<String, Map<List<String>, List<String>>> expected = snapshot.view();
        java.util.Set<String> jobs = new java.util.TreeSet<>(expected.keySet());
        jobs.addAll(view.keySet());
        for (String job : jobs) {
            if (!Objects.equals(expected.get(job), view.get(job))) {
                differences.add("view, job " + job + ": expected " + expected.get(job) + "\nbut it has " + view.get(job));
            }
        }
        return view.values().stream().mapToInt(Map::size).sum();
    }

    /** Compares the regressions of some boots, FAILs mostly, and of every boot the view shows last in a leaf. */
    private static void compareBoots(Connection connection, Snapshot snapshot, Random random, List<String> differences)
            throws SQLException {
        List<Boot> fails = snapshot.boots().stream().filter(boot -> "FAIL".equals(boot.status())).toList();
        for (int i = 0; i < 25; i++) {
            Boot boot = i % 5 == 4 ? pick(random, snapshot.boots()) : pick(random, fails);
            List<String[]> rows = run(connection, BootRegressions.ofBoot(PLANNER.planById(Collections.BOOT, boot.id(),
                    QueryStringParser.parse(""))));
            List<String> ids = ids(parse(rows.get(0)[1]).asJsonArray(), "_id");
            List<String> expected = snapshot.regression(boot);
            if (!expected.equals(ids) || Integer.parseInt(rows.get(0)[0]) != ids.size()) {
                differences.add("regression of " + boot + ": expected " + expected + " but " + Arrays.toString(rows.get(0)));
            }
        }
        List<String[]> none = run(connection, BootRegressions.ofBoot(PLANNER.planById(Collections.BOOT,
                "ffffffffffffffffffffffff", QueryStringParser.parse(""))));
        if (!none.isEmpty()) {
            differences.add("a boot that is not there has a regression: " + Arrays.toString(none.get(0)));
        }
    }

    /** Compares bisections of random builds and boots, plain and compared; returns how many it compared. */
    private static int compareBisections(Connection connection, Snapshot snapshot, Random random, List<String> differences)
            throws SQLException {
        BisectPlanner bisect = new BisectPlanner(PLANNER);
        int compared = 0;
        for (int i = 0; i < 8; i++) {
            Build build = pick(random, snapshot.builds());
            String compareTo = random.nextBoolean() ? null : pick(random, TREES).job();
            List<String[]> rows = run(connection, Bisection.of(bisect.plan(QueryStringParser.parse("collection=build&build_id="
                    + build.id() + (compareTo == null ? "" : "&compare_to=" + compareTo)), new ArrayList<>())));
            if (!rows.get(0)[0].equals(build.status())) {
                differences.add("bisection of " + build + ": status " + rows.get(0)[0]);
            }
            if ("PASS".equals(build.status())) {
                continue;
            }
            JsonObject document = parse(rows.get(0)[1]).asJsonObject();
            List<Build> chain = snapshot.chain(build);
            Build last = chain.get(chain.size() - 1);
            Optional<Build> good = "PASS".equals(last.status()) && chain.size() > 1 ? Optional.of(last) : Optional.empty();
            List<Build> items = compareTo == null ? chain : snapshot.compared(chain, snapshot.builds(), Build::at,
                    b -> b.compared(b.job()), build.compared(compareTo), BUILD_ORDER);
            Map<String, Object> expected = new LinkedHashMap<>();
            expected.put("items", items.stream().map(Build::id).toList());
            expected.put("bad_commit", compareTo == null ? build.commit() : null);
            expected.put("good_commit", compareTo == null ? good.map(Build::commit).orElse(null) : null);
            expected.put("compare_to", compareTo);
            Map<String, Object> actual = new LinkedHashMap<>();
            actual.put("items", ids(document.getJsonArray("bisect_data"), "_id"));
            actual.put("bad_commit", text(document, "bad_commit"));
            actual.put("good_commit", text(document, "good_commit"));
            actual.put("compare_to", text(document, "compare_to"));
            if (!expected.equals(actual)) {
                differences.add("bisection of " + build + " compared to " + compareTo + ": expected " + expected + " but "
                        + actual);
            }
            compared++;
        }
        List<Boot> fails = snapshot.boots().stream().filter(boot -> !"PASS".equals(boot.status())).toList();
        for (int i = 0; i < 8; i++) {
            Boot boot = i == 0 ? pick(random, snapshot.boots()) : pick(random, fails);
            String compareTo = random.nextBoolean() ? null : pick(random, TREES).job();
            List<String[]> rows = run(connection, Bisection.of(bisect.plan(QueryStringParser.parse("collection=boot&boot_id="
                    + boot.id() + (compareTo == null ? "" : "&compare_to=" + compareTo)), new ArrayList<>())));
            if (!rows.get(0)[0].equals(boot.status())) {
                differences.add("bisection of " + boot + ": status " + rows.get(0)[0]);
            }
            if ("PASS".equals(boot.status())) {
                continue;
            }
            JsonObject document = parse(rows.get(0)[1]).asJsonObject();
            List<Boot> chain = snapshot.chain(boot);
            Boot last = chain.get(chain.size() - 1);
            Optional<Boot> good = "PASS".equals(last.status()) && chain.size() > 1 ? Optional.of(last) : Optional.empty();
            List<Boot> items = compareTo == null ? chain : snapshot.compared(chain, snapshot.boots(), Boot::at,
                    b -> b.compared(b.job()), boot.compared(compareTo), BOOT_ORDER);
            Map<String, Object> expected = new LinkedHashMap<>();
            expected.put("items", items.stream().map(Boot::id).toList());
            expected.put("item_commits", items.stream().map(item -> snapshot.buildOf(item).map(Build::commit).orElse(null))
                    .toList());
            expected.put("bad_commit", compareTo == null ? snapshot.buildOf(boot).map(Build::commit).orElse(null) : null);
            expected.put("good_commit", compareTo == null ? good.flatMap(snapshot::buildOf).map(Build::commit).orElse(null)
                    : null);
            Map<String, Object> actual = new LinkedHashMap<>();
            JsonArray data = document.getJsonArray("bisect_data");
            actual.put("items", ids(data, "boot_id"));
            actual.put("item_commits", data.stream().map(item -> text(item.asJsonObject(), "git_commit")).toList());
            actual.put("bad_commit", text(document, "bad_commit"));
            actual.put("good_commit", text(document, "good_commit"));
            if (!expected.equals(actual)) {
                differences.add("bisection of " + boot + " compared to " + compareTo + ": expected " + expected + " but "
                        + actual);
            }
            compared++;
        }
        return compared;
    }

    private static String text(JsonObject object, String member) {
        return object.isNull(member) ? null : object.getString(member);
    }

    /** A write of boots, builds or jobs of the generated trees, through one of the paths that change them. */
    private static Reply write(Random random, Connection connection) throws SQLException {
        Tree tree = pick(random, TREES);
        int k = random.nextInt(KERNELS + 1);
        String kernel = tree.job() + "-k" + k;
        long past = START + k * DAY + random.nextInt((int) (7 * HOUR));
        String status = pick(random, List.of("PASS", "FAIL", "FAIL", "OFFLINE"));
        String board = pick(random, List.of("b1", "b2"));
        return switch (random.nextInt(12)) {
            case 0, 1 -> http.post("/boot", """
                    {"version":"1.0","lab_name":"%s","job":"%s","kernel":"%s","defconfig":"d1","defconfig_full":"%s",
                     "board":"%s","arch":"%s","boot_result":"%s","git_branch":"%s"}""".formatted(pick(random,
                            List.of("lab-a", "lab-b")), tree.job(), kernel, pick(random, List.of("d1", "d1+x")), board,
                    board.equals("b1") ? "arm" : "arm64", status, pick(random, tree.branches())),
                    "Authorization", ADMIN, "Content-Type", "application/json");
            case 2 -> put("/boot/" + anId(connection, "boot", random), "{\"status\":\"" + status + "\"}");
            case 3 -> put("/boot/" + anId(connection, "boot", random), "{\"lab_name\":\"" + pick(random, List.of("lab-a",
                    "lab-b")) + "\",\"build_environment\":" + pick(random, List.of("null", "\"gcc-8\"")) + "}");
            case 4 -> http.send("DELETE", "/boot/" + anId(connection, "boot", random), null, "Authorization", ADMIN);
            case 5 -> http.post("/batch", """
                    [{"method":"PUT","collection":"boot","_id":"%s","data":{"status":"%s"}},
                     {"method":"DELETE","collection":"boot","_id":"%s"},
                     {"method":"PUT","collection":"build","_id":"%s","data":{"status":"%s"}}]"""
                    .formatted(anId(connection, "boot", random), status, anId(connection, "boot", random),
                            anId(connection, "build", random), pick(random, List.of("PASS", "FAIL"))),
                    "Authorization", ADMIN, "Content-Type", "application/json");
            case 6 -> importOne("boot", boot(random, id(past), tree, kernel, past, List.of(anId(connection, "build", random))));
            case 7 -> importOne("build", build(random, id(past), tree, kernel, past));
            case 8 -> put("/build/" + anId(connection, "build", random), "{\"status\":\"" + pick(random,
                    List.of("PASS", "FAIL")) + "\",\"git_commit\":\"c" + random.nextInt(1000) + "\"}");
            case 9 -> http.send("DELETE", "/build/" + anId(connection, "build", random), null, "Authorization", ADMIN);
            case 10 -> http.post("/build", """
                    {"version":"1.0","job":"%s","kernel":"%s","defconfig":"d1","defconfig_full":"%s","arch":"%s",
                     "build_result":"%s","git_branch":"%s","git_commit":"r%d"}""".formatted(tree.job(), kernel,
                    pick(random, List.of("d1", "d1+x")), pick(random, List.of("arm", "arm64")), pick(random,
                            List.of("PASS", "FAIL", "UNKNOWN")), pick(random, tree.branches()), random.nextInt(1000)),
                    "Authorization", ADMIN, "Content-Type", "application/json");
            default -> random.nextBoolean()
                    ? importOne("job", Json.createObjectBuilder().add("_id", id(past)).add("job", tree.job())
                            .add("kernel", kernel).add("git_branch", "master").add("created_on", date(past)).build())
                    : http.send("DELETE", "/job/" + anId(connection, "job", random), null, "Authorization", ADMIN);
        };
    }

    private static Reply put(String path, String body) {
        return http.send("PUT", path, body.getBytes(StandardCharsets.UTF_8), "Authorization", ADMIN,
                "Content-Type", "application/json");
    }

    private static Reply importOne(String collection, JsonObject line) {
        return http.send("POST", "/import/" + collection, (line + "\n").getBytes(StandardCharsets.UTF_8),
                "Authorization", ADMIN, "Content-Type", "application/x-ndjson");
    }

    /** A document of the generated trees (not the fixture's), or an id of none. */
    private static String anId(Connection connection, String table, Random random) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT id FROM " + table + " WHERE job <> 'fixture' ORDER BY id OFFSET "
                     + random.nextInt(200) + " LIMIT 1")) {
            return rows.next() ? rows.getString(1) : "ffffffffffffffffffffffff";
        }
    }

    // ---------------------------------------------------------------------------------------
    // The hand-made job "fixture": kernels f1, f2, f3 a day apart.

    /** Ids: 5f + kernel + series + serial, so that their order is the one written here. */
    private static final class Fixture {
        static final long AT = START - 10 * DAY;
        static final String JOB_F2 = "5f0000000000000000000f02";
        static final String JOB_F3 = "5f0000000000000000000f03";
        static final String BUILD = "5f00000000000000000b0001";
        // S1: lab-a b1 arm d1: PASS f1, FAIL f2, FAIL f3: recurring at f3, new at f2.
        static final String S1_PASS = "5f0000000000000000010101";
        static final String S1_F2 = "5f0000000000000000020101";
        static final String S1_F3 = "5f0000000000000000030101";
        // S2: no lab, b2 i1 arm64 d2, gcc-8: PASS f1, FAIL f3: new, null keys "none".
        static final String S2_PASS = "5f0000000000000000010201";
        static final String S2_F3 = "5f0000000000000000030201";
        // S3: lab-a b3: PASS f2, FAIL f3, but lab-b's b3 passed f3: a lab conflict, no regression.
        static final String S3_PASS = "5f0000000000000000020301";
        static final String S3_F3 = "5f0000000000000000030301";
        static final String S3_OTHER_LAB = "5f0000000000000000030302";
        // S4: lab-b b1: PASS f1, OFFLINE f2 (does not count), FAIL f3.
        static final String S4_PASS = "5f0000000000000000010401";
        static final String S4_OFFLINE = "5f0000000000000000020401";
        static final String S4_F3 = "5f0000000000000000030401";
        // S5: lab-a b4: a PASS of f2 and a FAIL of f3 at the same instant, the FAIL's _id after it: new.
        static final String S5_PASS = "5f0000000000000000020501";
        static final String S5_F3 = "5f0000000000000000020502";
        // S6: lab-a b5: a FAIL of f3 and a PASS of f2 at the same instant, the FAIL's _id first: no PASS before it.
        static final String S6_F3 = "5f0000000000000000020601";
        static final String S6_PASS = "5f0000000000000000020602";

        static List<JsonObject> jobs() {
            return List.of(job("5f0000000000000000000f01", "f1", 0), job(JOB_F2, "f2", 1), job(JOB_F3, "f3", 2));
        }

        static List<JsonObject> builds() {
            return List.of(Json.createObjectBuilder().add("_id", BUILD).add("job", "fixture").add("kernel", "f1")
                    .add("arch", "arm").add("defconfig", "d1").add("status", "PASS").add("created_on", date(AT)).build());
        }

        static List<JsonObject> boots() {
            return List.of(
                    boot(S1_PASS, 1, "lab-a", "b1", "arm", null, "d1", null, "PASS", 1),
                    boot(S1_F2, 2, "lab-a", "b1", "arm", null, "d1", null, "FAIL", 1),
                    boot(S1_F3, 3, "lab-a", "b1", "arm", null, "d1", null, "FAIL", 1),
                    boot(S2_PASS, 1, null, "b2", "arm64", "i1", "d2", "gcc-8", "PASS", 2),
                    boot(S2_F3, 3, null, "b2", "arm64", "i1", "d2", "gcc-8", "FAIL", 2),
                    boot(S3_PASS, 2, "lab-a", "b3", "arm", null, "d1", null, "PASS", 3),
                    boot(S3_F3, 3, "lab-a", "b3", "arm", null, "d1", null, "FAIL", 3),
                    boot(S3_OTHER_LAB, 3, "lab-b", "b3", "arm", null, "d1", null, "PASS", 4),
                    boot(S4_PASS, 1, "lab-b", "b1", "arm", null, "d1", null, "PASS", 5),
                    boot(S4_OFFLINE, 2, "lab-b", "b1", "arm", null, "d1", null, "OFFLINE", 5),
                    boot(S4_F3, 3, "lab-b", "b1", "arm", null, "d1", null, "FAIL", 5),
                    // Two pairs at one instant each (kernel f2's day, minute 50 and 55).
                    Json.createObjectBuilder(boot(S5_PASS, 2, "lab-a", "b4", "arm", null, "d1", null, "PASS", 50))
                            .build(),
                    Json.createObjectBuilder(boot(S5_F3, 2, "lab-a", "b4", "arm", null, "d1", null, "FAIL", 50))
                            .add("kernel", "f3").build(),
                    Json.createObjectBuilder(boot(S6_F3, 2, "lab-a", "b5", "arm", null, "d1", null, "FAIL", 55))
                            .add("kernel", "f3").build(),
                    boot(S6_PASS, 2, "lab-a", "b5", "arm", null, "d1", null, "PASS", 55));
        }

        private static JsonObject job(String id, String kernel, int day) {
            return Json.createObjectBuilder().add("_id", id).add("job", "fixture").add("kernel", kernel)
                    .add("git_branch", "master").add("created_on", date(AT + day * DAY)).build();
        }

        private static JsonObject boot(String id, int kernel, String lab, String board, String arch, String instance,
                                       String dfull, String env, String status, int minute) {
            JsonObjectBuilder boot = Json.createObjectBuilder().add("_id", id).add("job", "fixture").add("kernel", "f" + kernel)
                    .add("git_branch", "master").add("board", board).add("arch", arch).add("defconfig", "d1")
                    .add("defconfig_full", dfull).add("status", status).add("build_id", BUILD)
                    .add("git_describe", "f" + kernel).add("time", date(1234))
                    .add("created_on", date(AT + (kernel - 1) * DAY + HOUR + minute * 60_000L));
            nullable(boot, "lab_name", lab);
            nullable(boot, "board_instance", instance);
            nullable(boot, "build_environment", env);
            return boot.build();
        }
    }

    private static JsonObject regressionsOf(String kernel) {
        Reply reply = http.get("/boot/regressions?job=fixture&kernel=" + kernel, "Authorization", READER);
        assertEquals(200, reply.status(), reply.body());
        JsonArray result = json(reply.body()).getJsonArray("result");
        return result.isEmpty() ? null : result.getJsonObject(0);
    }

    @Test
    @DisplayName("§12.3: /boot/regressions as the regressions tab asks (job, kernel): six key levels, null keys none, leaves oldest first")
    void asTheRegressionsTabReadsThem() {
        JsonObject f3 = regressionsOf("f3");
        assertEquals(Fixture.JOB_F3, f3.getJsonObject("_id").getString("$oid"));
        assertEquals(Fixture.JOB_F3, f3.getJsonObject("job_id").getString("$oid"));
        assertEquals(List.of("_id", "created_on", "job_id", "job", "kernel", "git_branch", "regressions"),
                List.copyOf(f3.keySet()));
        assertEquals(Fixture.AT + 2 * DAY, f3.getJsonObject("created_on").getJsonNumber("$date").longValue());
        Map<List<String>, List<String>> expected = new HashMap<>();
        expected.put(List.of("lab-a", "arm", "b1", "none", "d1", "none-none"),
                List.of(Fixture.S1_PASS, Fixture.S1_F2, Fixture.S1_F3));
        expected.put(List.of("none", "arm64", "b2", "i1", "d2", "gcc-8"), List.of(Fixture.S2_PASS, Fixture.S2_F3));
        expected.put(List.of("lab-b", "arm", "b1", "none", "d1", "none-none"), List.of(Fixture.S4_PASS, Fixture.S4_F3));
        expected.put(List.of("lab-a", "arm", "b4", "none", "d1", "none-none"), List.of(Fixture.S5_PASS, Fixture.S5_F3));
        assertEquals(expected, leaves(f3.getJsonObject("regressions")));
        // The worker reads each boot's members, build_id.$oid among them, and created_on.$date in order.
        JsonArray recurring = f3.getJsonObject("regressions").getJsonObject("lab-a").getJsonObject("arm")
                .getJsonObject("b1").getJsonObject("none").getJsonObject("d1").getJsonArray("none-none");
        long previous = 0;
        for (JsonValue boot : recurring) {
            JsonObject document = boot.asJsonObject();
            assertEquals(Fixture.BUILD, document.getJsonObject("build_id").getString("$oid"));
            assertEquals(1234, document.getJsonObject("time").getJsonNumber("$date").longValue());
            long at = document.getJsonObject("created_on").getJsonNumber("$date").longValue();
            assertTrue(at > previous);
            previous = at;
            for (String member : List.of("lab_name", "job", "board", "board_instance", "arch", "defconfig", "defconfig_full",
                    "kernel", "git_describe", "git_commit", "git_url", "compiler_version_full", "boot_log", "boot_log_html",
                    "file_server_url", "file_server_resource")) {
                assertTrue(document.containsKey(member), member);
            }
        }
        assertEquals(List.of("f1", "f2", "f3"), recurring.stream().map(b -> b.asJsonObject().getString("kernel")).toList());
        // A new regression at f2 (2 long); none at f1.
        assertEquals(Map.of(List.of("lab-a", "arm", "b1", "none", "d1", "none-none"), List.of(Fixture.S1_PASS, Fixture.S1_F2)),
                leaves(regressionsOf("f2").getJsonObject("regressions")));
        assertEquals(null, regressionsOf("f1"));
        Reply none = http.get("/boot/regressions?job=fixture&kernel=f1", "Authorization", READER);
        assertEquals(0, json(none.body()).getInt("count"));
    }

    @Test
    @DisplayName("§12.3: /boot/<id>/regressions is that boot's regression with its count, [] when it does not regress")
    void aBootsRegression() {
        JsonObject recurring = json(http.get("/boot/" + Fixture.S1_F3 + "/regressions/", "Authorization", READER).body());
        assertEquals(3, recurring.getInt("count"));
        assertEquals(List.of(Fixture.S1_PASS, Fixture.S1_F2, Fixture.S1_F3), ids(recurring.getJsonArray("result"), "_id"));
        assertEquals(List.of(Fixture.S1_PASS, Fixture.S1_F2), ids(json(http.get("/boot/" + Fixture.S1_F2 + "/regressions",
                "Authorization", READER).body()).getJsonArray("result"), "_id"));
        for (String id : List.of(Fixture.S1_PASS, Fixture.S3_F3, Fixture.S4_OFFLINE, Fixture.S6_F3)) {
            Reply reply = http.get("/boot/" + id + "/regressions", "Authorization", READER);
            assertEquals("{\"code\":200,\"count\":0,\"result\":[]}", reply.body(), id);
        }
        // field and nfield apply to the boots.
        JsonObject projected = json(http.get("/boot/" + Fixture.S4_F3 + "/regressions?field=status&field=kernel",
                "Authorization", READER).body());
        assertEquals(Json.createReader(new StringReader("[{\"_id\":{\"$oid\":\"" + Fixture.S4_PASS + "\"},\"kernel\":\"f1\","
                + "\"status\":\"PASS\"},{\"_id\":{\"$oid\":\"" + Fixture.S4_F3 + "\"},\"kernel\":\"f3\",\"status\":\"FAIL\"}]"))
                .readArray(), projected.getJsonArray("result"));
    }

    @Test
    @DisplayName("§12: the regressions routes' statuses: 400 malformed id, 404 no boot or another collection, 403 without get, 405")
    void statuses() {
        assertEquals("{\"code\":400,\"reason\":\"Wrong ID value provided\"}",
                http.get("/boot/nope/regressions", "Authorization", READER).body());
        assertEquals("{\"code\":404,\"reason\":\"Resource 'ffffffffffffffffffffffff' not found\"}",
                http.get("/boot/ffffffffffffffffffffffff/regressions", "Authorization", READER).body());
        assertEquals(404, http.get("/job/" + Fixture.JOB_F3 + "/regressions", "Authorization", READER).status());
        assertEquals(404, http.get("/boot/" + Fixture.S1_F3 + "/regressions/more", "Authorization", READER).status());
        assertEquals(403, http.get("/boot/" + Fixture.S1_F3 + "/regressions").status());
        assertEquals(403, http.get("/boot/regressions?job=fixture").status());
        assertEquals(405, http.send("DELETE", "/boot/" + Fixture.S1_F3 + "/regressions", null, "Authorization", ADMIN).status());
        assertEquals(405, http.post("/boot/regressions", "{}", "Authorization", ADMIN, "Content-Type", "application/json")
                .status());
        assertEquals(404, http.send("POST", "/import/boot_regressions", "{}\n".getBytes(StandardCharsets.UTF_8),
                "Authorization", ADMIN, "Content-Type", "application/x-ndjson").status());
    }

    @Test
    @DisplayName("§3, §4, §9: the view counts, pages, projects and batches as any collection, with an ETag that follows boots")
    void aCollectionLikeAnother() {
        JsonObject count = json(http.get("/count/boot_regressions?job=fixture", "Authorization", READER).body());
        assertEquals(2, count.getJsonArray("result").getJsonObject(0).getInt("count"));
        JsonObject page = json(http.get("/boot/regressions?job=fixture&field=kernel&sort=kernel&sort_order=1&limit=1&skip=1",
                "Authorization", READER).body());
        assertEquals(2, page.getInt("count"));
        assertEquals(Json.createReader(new StringReader("[{\"_id\":{\"$oid\":\"" + Fixture.JOB_F3 + "\"},\"kernel\":\"f3\"}]"))
                .readArray(), page.getJsonArray("result"));
        JsonObject byId = json(http.get("/boot/regressions/" + Fixture.JOB_F2, "Authorization", READER).body());
        assertEquals(regressionsOf("f2"), byId.getJsonArray("result").getJsonObject(0));
        Reply batch = http.post("/batch", """
                {"batch":[{"method":"GET","operation_id":"r","collection":"boot_regressions","query":"job=fixture&kernel=f3&nfield=regressions"},
                          {"method":"GET","operation_id":"c","resource":"count","document":"boot_regressions","query":"job=fixture"}]}""",
                "Authorization", READER, "Content-Type", "application/json");
        JsonArray entries = json(batch.body()).getJsonArray("result");
        assertEquals(Fixture.JOB_F3, entries.getJsonObject(0).getJsonArray("result").getJsonObject(0).getJsonObject("_id")
                .getString("$oid"));
        assertTrue(!entries.getJsonObject(0).getJsonArray("result").getJsonObject(0).containsKey("regressions"));
        assertEquals(2, entries.getJsonObject(1).getJsonArray("result").getJsonObject(0).getInt("count"));
        String tag = http.get("/boot/regressions?job=fixture&kernel=f3", "Authorization", READER).header("ETag");
        assertEquals(304, http.get("/boot/regressions?job=fixture&kernel=f3", "Authorization", READER, "If-None-Match", tag)
                .status());
        String bootTag = http.get("/boot/" + Fixture.S1_F3 + "/regressions", "Authorization", READER).header("ETag");
        assertEquals(304, http.get("/boot/" + Fixture.S1_F3 + "/regressions", "Authorization", READER, "If-None-Match",
                bootTag).status());
        // A boot of another job changes neither answer, but the tags follow the boot table.
        Reply written = put("/boot/" + Fixture.S6_PASS, "{\"retries\":1}");
        assertEquals(200, written.status(), written.body());
        Reply after = http.get("/boot/regressions?job=fixture&kernel=f3", "Authorization", READER, "If-None-Match", tag);
        assertEquals(200, after.status());
        assertNotEquals(tag, after.header("ETag"));
        assertEquals(200, http.get("/boot/" + Fixture.S1_F3 + "/regressions", "Authorization", READER, "If-None-Match",
                bootTag).status());
    }

    @Test
    @DisplayName("§8: an ArangoDB part reaches /boot/<id>/regressions, answered as the plain request")
    void arangoParts() {
        String boundary = "XbX";
        String body = "--" + boundary + "\r\nContent-Type: application/x-arango-batchpart\r\n\r\nGET /boot/" + Fixture.S1_F2
                + "/regressions HTTP/1.1\r\n\r\n\r\n--" + boundary + "--\r\n";
        Reply reply = http.send("POST", "/batch", body.getBytes(StandardCharsets.UTF_8), "Authorization", READER,
                "Content-Type", "multipart/form-data; boundary=" + boundary);
        assertEquals(200, reply.status(), reply.body());
        String plain = http.get("/boot/" + Fixture.S1_F2 + "/regressions", "Authorization", READER).body();
        assertTrue(reply.body().contains("HTTP/1.1 200 OK") && reply.body().contains(plain), reply.body());
    }

    @Test
    @DisplayName("§12.3: every boot inside the view is exactly what GET /boot/<id> writes, member for member and in order")
    void bootsAreThePlainGetsDocuments() {
        Reply all = http.get("/boot/regressions", "Authorization", READER);
        assertEquals(200, all.status(), all.body());
        int checked = 0;
        Map<String, JsonObject> seen = new HashMap<>();
        for (JsonValue document : json(all.body()).getJsonArray("result")) {
            collectBoots(document.asJsonObject().getJsonObject("regressions"), seen);
        }
        for (Map.Entry<String, JsonObject> boot : seen.entrySet()) {
            Reply plain = http.get("/boot/" + boot.getKey(), "Authorization", READER);
            JsonObject expected = json(plain.body()).getJsonArray("result").getJsonObject(0);
            assertEquals(expected, boot.getValue());
            assertEquals(List.copyOf(expected.keySet()), List.copyOf(boot.getValue().keySet()));
            checked++;
        }
        assertTrue(checked > 40, "boots checked " + checked);
        assertTrue(seen.values().stream().anyMatch(boot -> boot.containsKey("lava_extra")), "extras' members");
        assertTrue(seen.values().stream().anyMatch(boot -> !boot.isNull("boot_job_id")), "JSON members");
    }

    private static void collectBoots(JsonValue level, Map<String, JsonObject> boots) {
        if (level instanceof JsonArray array) {
            array.forEach(boot -> boots.put(boot.asJsonObject().getJsonObject("_id").getString("$oid"), boot.asJsonObject()));
        } else {
            level.asJsonObject().values().forEach(value -> collectBoots(value, boots));
        }
    }
}
