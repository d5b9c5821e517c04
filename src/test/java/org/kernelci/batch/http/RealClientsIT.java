package org.kernelci.batch.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.kernelci.batch.testing.FixtureServer.json;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.kernelci.batch.testing.HttpProbe;
import org.kernelci.batch.testing.HttpProbe.Reply;
import org.kernelci.batch.testing.TestServer;

/**
 * The service as the real kernelci clients use it: the requests they send, replayed with their
 * own query strings and batch bodies, and the members of the answers they read checked for
 * presence and JSON type (CONTRACT.md sections 1 to 4).
 *
 * <p>Where the requests come from (read, not copied; the query strings are what the code builds,
 * with this fixture's trees, kernels, boards and ids in place of the values a page takes from its
 * URL or from an earlier answer):
 * <ul>
 * <li>The 2015 dashboard, {@code kernelci/kernelci-frontend} at {@code 770fc57} (2015-06-30),
 *     {@code app/dashboard/static/js/app/view-*.js}. Its pages call {@code /_ajax/<x>}; the Flask
 *     app ({@code app/dashboard/__init__.py}, {@code utils/backend.py}) passes them on: {@code
 *     /_ajax/job|defconf|boot?<args>} → {@code GET /job|/defconfig|/boot?<args>}, with an
 *     {@code id} argument → {@code GET /<collection>/<id>?<rest>}; {@code /_ajax/count/<c>} →
 *     {@code GET /count/<c>}, {@code /_ajax/count} → {@code GET /count/}; {@code /_ajax/batch} →
 *     {@code POST /batch} with the body unchanged. jQuery sends repeated keys for arrays
 *     ({@code traditional: true}).</li>
 * <li>The 2019 dashboard, the same repository at {@code 5ef9f04} (2019-12-30), the views
 *     {@code view-*.2017.*.js} and {@code view-socs-soc.2018.2.js}; {@code /_ajax/build} →
 *     {@code GET /build}, {@code /_ajax/<res>/distinct/<field>/} → {@code GET
 *     /<res>/distinct/<field>}, {@code /_ajax/boot/regressions} → {@code GET /boot/regressions},
 *     {@code /_ajax/build/<id>/logs} → {@code GET /build/<id>/logs/}, {@code /_ajax/job/logs} →
 *     {@code GET /job/logs/} ({@code default_settings.py} names the backend paths).</li>
 * <li>The LAVA-side poller {@code Linaro/kernelci-monitor}, {@code monitor/kernelci.py} (every GET
 *     carries {@code limit=50000&sort_order=-1&sort=created_on}, to {@code <api>/<handler>/}) and
 *     {@code monitor/tasks.py} ({@code fetch_boots}, {@code _get_build}, {@code kernelci_pull}).</li>
 * <li>The original backend's documentation, {@code kernelci/kernelci-backend} {@code doc/*.rst}
 *     and {@code doc/examples/*.py}.</li>
 * </ul>
 *
 * <p>The data ({@code clients/*.ndjson}) is a small export in the original's format, imported
 * through {@code POST /import}: jobs, builds and boots of three trees in the two weeks before
 * "now" (2019-11-20 12:00 UTC), one older job; boots of 2015 reference their build as {@code
 * defconfig_id}, those of 2019 as {@code build_id}, and 2019 documents carry the later members.
 */
@DisplayName("Real kernelci clients work unchanged")
class RealClientsIT {
    private static final Instant NOW = Instant.parse("2019-11-20T12:00:00Z");
    private static final String TOKEN = "frontend-backend-token";
    private static final Pattern HEX24 = Pattern.compile("[0-9a-f]{24}");

    static final String FE15 = "kernelci-frontend@770fc57 (2015) ";
    static final String FE19 = "kernelci-frontend@5ef9f04 (2019) ";
    static final String MONITOR = "kernelci-monitor ";
    static final String DOCS = "kernelci-backend doc/";

    // Jobs.
    static final String JOB_MAINLINE = "5dd26b60a0000000000000a1";
    static final String JOB_NEXT = "5dd38e10a0000000000000a2";
    // Builds.
    static final String BUILD_MAINLINE_ARM = "5dd27970b0000000000000b1";
    static final String BUILD_MAINLINE_ARM64 = "5dd27970b0000000000000b2";
    static final String BUILD_STABLE_ARM64 = "5dcfbe10b0000000000000b5";
    // Boots.
    static final String BOOT_MAINLINE_BBB = "5dd28780c0000000000000c1";
    static final String BOOT_MAINLINE_PANDA = "5dd28780c0000000000000c2";
    static final String BOOT_MAINLINE_JUNO = "5dd28780c0000000000000c3";
    static final String BOOT_STABLE_RECENT = "5dd51c40c0000000000000c7";
    static final String BOOT_STABLE_OLDER = "5dd12e40c0000000000000c8";

    private static TestServer server;
    private static HttpProbe http;

    @BeforeAll
    static void start() {
        server = TestServer.start(Clock.fixed(NOW, ZoneOffset.UTC), Map.of());
        http = server.http();
        // The frontend's backend token: a plain read token (CONTRACT.md section 5).
        server.addToken(TOKEN, "can_get");
        importExport("job", 4);
        importExport("build", 6);
        importExport("boot", 9);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static void importExport(String collection, int lines) {
        byte[] body;
        try (InputStream in = RealClientsIT.class.getResourceAsStream("/clients/" + collection + ".ndjson")) {
            body = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Reply reply = http.send("POST", "/import/" + collection, body,
                "Authorization", TestServer.ADMIN_TOKEN, "Content-Type", "application/x-ndjson");
        assertEquals(200, reply.status(), reply.body());
        JsonObject summary = json(reply.body()).getJsonArray("result").getJsonObject(0);
        assertEquals(lines, summary.getInt("imported"), reply.body());
        assertEquals(0, summary.getInt("rejected"), reply.body());
    }

    // ---------------------------------------------------------------- 2015 dashboard

    @Nested
    @DisplayName("2015 dashboard")
    class Dashboard2015 {
        @Test
        @DisplayName(FE15 + "view-index.20150701.js: failed builds, one per kernel, newest first")
        void indexFailedBuilds() {
            List<JsonObject> docs = listing("/defconfig?aggregate=kernel&status=FAIL&sort=created_on&sort_order=-1"
                    + "&limit=20&field=job&field=kernel&field=created_on&field=git_branch", 1);
            reads(docs.get(0), "job", "kernel", "git_branch", "created_on.$date");
            assertEquals("mainline", docs.get(0).getString("job"));
        }

        @Test
        @DisplayName(FE15 + "view-index.20150701.js: failed builds of one kernel through /count/defconfig")
        void indexFailCountOne() {
            assertEquals(1, countOne("/count/defconfig?status=FAIL&job=mainline&kernel=v5.4-rc8", "defconfig"));
        }

        @Test
        @DisplayName(FE15 + "view-index.20150701.js: failed builds of several kernels in one batch (2014 keys)")
        void indexFailCountBatch() {
            List<JsonObject> entries = batch(ops(
                    op2014("fail-count-0", "count", "defconfig", "status=FAIL&job=mainline&kernel=v5.4-rc8"),
                    op2014("fail-count-1", "count", "defconfig", "status=FAIL&job=next&kernel=next-20191119")));
            assertEquals(1, countEntry(entries.get(0), "fail-count-0", "collection", "defconfig"));
            assertEquals(0, countEntry(entries.get(1), "fail-count-1", "collection", "defconfig"));
        }

        @Test
        @DisplayName(FE15 + "view-index.20150701.js: latest failed boots, linked by _id.$oid")
        void indexFailedBoots() {
            List<JsonObject> docs = listing("/boot?status=FAIL&sort_order=-1&sort=created_on&limit=20", 1);
            reads(docs.get(0), "_id.$oid", "created_on.$date", "boot_result_description", "git_branch", "job",
                    "kernel", "board", "defconfig_full", "lab_name");
            assertEquals(BOOT_MAINLINE_PANDA, oid(docs.get(0), "_id"));
        }

        @Test
        @DisplayName(FE15 + "view-jobs-all.20150701.js: one job per tree in the date range")
        void jobsAll() {
            List<JsonObject> docs = listing("/job?aggregate=job&sort=created_on&sort_order=-1&date_range=14"
                    + "&field=job&field=kernel&field=status&field=created_on&field=git_branch", 3);
            for (JsonObject doc : docs) {
                reads(doc, "job", "kernel", "status", "created_on.$date", "git_branch");
            }
            assertEquals(List.of("next", "mainline", "stable-rc"), strings(docs, "job"));
        }

        @Test
        @DisplayName(FE15 + "view-jobs-all.20150701.js: build and boot counts per job in one batch (2014 keys)")
        void jobsAllCounts() {
            String tail = "&job=mainline&kernel=v5.4-rc8";
            List<JsonObject> entries = batch(ops(
                    op2014("defconf-success-count-mainline", "count", "defconfig", "status=PASS" + tail),
                    op2014("defconf-fail-count-mainline", "count", "defconfig", "status=FAIL" + tail),
                    op2014("boot-success-count-mainline", "count", "boot", "status=PASS" + tail),
                    op2014("boot-fail-count-mainline", "count", "boot", "status=FAIL" + tail)));
            assertEquals(1, countEntry(entries.get(0), "defconf-success-count-mainline", "collection", "defconfig"));
            assertEquals(1, countEntry(entries.get(1), "defconf-fail-count-mainline", "collection", "defconfig"));
            assertEquals(2, countEntry(entries.get(2), "boot-success-count-mainline", "collection", "boot"));
            assertEquals(1, countEntry(entries.get(3), "boot-fail-count-mainline", "collection", "boot"));
        }

        @Test
        @DisplayName(FE15 + "view-jobs-job.20150701.js: the tree's kernels, one build per kernel")
        void jobKernels() {
            List<JsonObject> docs = listing("/defconfig?aggregate=kernel&job=mainline&sort=created_on&sort_order=-1"
                    + "&limit=20&field=job&field=kernel&field=created_on&field=git_branch&field=git_commit", 2);
            for (JsonObject doc : docs) {
                reads(doc, "job", "kernel", "created_on.$date", "git_branch", "git_commit");
            }
            assertEquals(List.of("v5.4-rc8", "v5.4-rc1"), strings(docs, "kernel"));
        }

        @Test
        @DisplayName(FE15 + "view-jobs-job.20150701.js: boot and build trends from created_on back date_range days")
        void jobTrends() {
            String query = "?job=mainline&sort=created_on&sort_order=1&created_on=2019-11-18&date_range=48"
                    + "&field=status&field=kernel&field=created_on&field=job";
            List<JsonObject> boots = listing("/boot" + query, 4);
            List<JsonObject> builds = listing("/defconfig" + query, 3);
            for (JsonObject doc : concat(boots, builds)) {
                reads(doc, "status", "kernel", "created_on.$date", "job");
            }
            // Ascending: the first and last dates are the chart's axis.
            assertEquals("v5.4-rc1", boots.get(0).getString("kernel"));
            assertEquals("v5.4-rc8", builds.get(2).getString("kernel"));
        }

        @Test
        @DisplayName(FE15 + "view-jobs-job.20150701.js: job, build and boot totals with limit= in the query (2014 keys)")
        void jobDetails() {
            String query = "job=mainline&limit=20";
            List<JsonObject> entries = batch(ops(
                    op2014("builds-count", "count", "job", query),
                    op2014("defconfs-count", "count", "defconfig", query),
                    op2014("boot-reports-count", "count", "boot", query)));
            assertEquals(2, countEntry(entries.get(0), "builds-count", "collection", "job"));
            assertEquals(3, countEntry(entries.get(1), "defconfs-count", "collection", "defconfig"));
            assertEquals(4, countEntry(entries.get(2), "boot-reports-count", "collection", "boot"));
        }

        @Test
        @DisplayName(FE15 + "view-jobs-job.20150701.js: pass and fail counts per kernel (2014 keys)")
        void jobKernelCounts() {
            String tail = "&limit=20&job=next&kernel=next-20191119";
            List<JsonObject> entries = batch(ops(
                    op2014("build-success-count-0", "count", "defconfig", "status=PASS" + tail),
                    op2014("build-fail-count-0", "count", "defconfig", "status=FAIL" + tail),
                    op2014("boot-success-count-0", "count", "boot", "status=PASS" + tail),
                    op2014("boot-fail-count-0", "count", "boot", "status=FAIL" + tail)));
            assertEquals(1, countEntry(entries.get(0), "build-success-count-0", "collection", "defconfig"));
            assertEquals(0, countEntry(entries.get(1), "build-fail-count-0", "collection", "defconfig"));
            assertEquals(1, countEntry(entries.get(2), "boot-success-count-0", "collection", "boot"));
            assertEquals(0, countEntry(entries.get(3), "boot-fail-count-0", "collection", "boot"));
        }

        @Test
        @DisplayName(FE15 + "view-builds-all.20150626.js: builds of the date range, linked by _id.$oid")
        void buildsAll() {
            List<JsonObject> docs = listing("/defconfig?sort=created_on&sort_order=-1&date_range=14&field=_id"
                    + "&field=job&field=kernel&field=status&field=arch&field=created_on&field=git_branch"
                    + "&field=defconfig_full", 5);
            for (JsonObject doc : docs) {
                reads(doc, "_id.$oid", "job", "kernel", "status", "arch", "created_on.$date", "git_branch",
                        "defconfig_full");
            }
        }

        @Test
        @DisplayName(FE15 + "view-builds-job-kernel.20150701.js: the job, then its builds by job_id.$oid")
        void buildsOfJob() {
            List<JsonObject> jobs = listing("/job?job=mainline&kernel=v5.4-rc8", 1);
            reads(jobs.get(0), "_id.$oid", "job", "kernel", "git_branch", "git_commit", "git_url", "status",
                    "created_on.$date");
            String jobId = oid(jobs.get(0), "_id");
            List<JsonObject> builds = listing("/defconfig?job_id=" + jobId
                    + "&job=mainline&kernel=v5.4-rc8&sort=defconfig_full&sort=arch&sort_order=1", 2);
            for (JsonObject build : builds) {
                reads(build, "_id.$oid", "job_id.$oid", "defconfig_full", "arch", "status", "errors#",
                        "warnings#", "created_on.$date");
                assertEquals(jobId, oid(build, "job_id"));
            }
            assertEquals(List.of("defconfig", "multi_v7_defconfig"), strings(builds, "defconfig_full"));
        }

        @Test
        @DisplayName(FE15 + "view-builds-job-kernel-defconfig.20150629.js: one build by id, then its boots by defconfig_id")
        void buildAndItsBoots() {
            JsonObject build = byId("/defconfig/" + BUILD_MAINLINE_ARM);
            reads(build, "_id.$oid", "created_on.$date", "job", "kernel", "defconfig", "defconfig_full", "arch",
                    "status", "dirname", "kernel_image", "git_branch", "git_commit", "errors#", "warnings#");
            List<JsonObject> boots = listing("/boot?field=_id&field=board&field=lab_name&defconfig_id="
                    + oid(build, "_id"), 2);
            for (JsonObject boot : boots) {
                reads(boot, "_id.$oid", "board", "lab_name");
            }
        }

        @Test
        @DisplayName(FE15 + "view-boots-job-kernel.20150701.js: build count, then the boots sorted by board")
        void bootsOfJobKernel() {
            assertEquals(2, countOne("/count/defconfig?job=mainline&kernel=v5.4-rc8", "defconfig"));
            List<JsonObject> boots = listing("/boot?sort=board&sort=defconfig_full&sort=arch&sort_order=1"
                    + "&job=mainline&kernel=v5.4-rc8&job_id=" + JOB_MAINLINE, 3);
            for (JsonObject boot : boots) {
                reads(boot, "_id.$oid", "time.$date", "board", "defconfig_full", "arch", "lab_name", "status",
                        "created_on.$date");
            }
            assertEquals(List.of("beaglebone-black", "juno", "panda"), strings(boots, "board"));
        }

        @Test
        @DisplayName(FE15 + "view-boots-all.20150701.js: boots of the date range, newest first")
        void bootsAll() {
            List<JsonObject> boots = listing("/boot?sort=created_on&sort_order=-1&date_range=14", 8);
            for (JsonObject boot : boots) {
                reads(boot, "_id.$oid", "created_on.$date", "board", "job", "kernel", "defconfig_full", "lab_name",
                        "status", "job_id.$oid", "defconfig_id.$oid", "build_id.$oid");
            }
            assertEquals(BOOT_STABLE_RECENT, oid(boots.get(0), "_id"));
        }

        @Test
        @DisplayName(FE15 + "view-boots-all-lab.20150701.js: boots of one lab")
        void bootsOfLab() {
            for (JsonObject boot : listing("/boot?lab_name=lab-collabora&date_range=14", 5)) {
                reads(boot, "_id.$oid", "board", "job", "kernel", "defconfig_full", "created_on.$date");
            }
        }

        @Test
        @DisplayName(FE15 + "view-boots-board*.js: boots of a board, of a board and tree, of a board, tree and kernel")
        void bootsOfBoard() {
            listing("/boot?board=beaglebone-black&date_range=14", 2);
            listing("/boot?board=panda&job=next&date_range=14", 1);
            listing("/boot?board=juno&job=mainline&kernel=v5.4-rc8", 1);
            List<JsonObject> one = listing("/boot?board=beaglebone-black&job=mainline&kernel=v5.4-rc8"
                    + "&defconfig_full=multi_v7_defconfig", 1);
            reads(one.get(0), "_id.$oid", "created_on.$date", "lab_name", "status");
        }

        @Test
        @DisplayName(FE15 + "view-boots-all-job-kernel-defconfig.20150625.js: boots of one build")
        void bootsOfDefconfig() {
            listing("/boot?job=next&kernel=next-20191119&defconfig_full=multi_v7_defconfig", 2);
        }

        @Test
        @DisplayName(FE15 + "view-boots-all-job.20150701.js: kernels of a tree, one boot per kernel")
        void bootsOfTree() {
            List<JsonObject> docs = listing("/boot?aggregate=kernel&job=next&sort=created_on&sort_order=-1&limit=20"
                    + "&field=job&field=kernel&field=created_on", 1);
            reads(docs.get(0), "job", "kernel", "created_on.$date");
        }

        @Test
        @DisplayName(FE15 + "view-boots-all-job.20150701.js: report count and distinct boards by aggregate (2014 keys)")
        void bootsOfTreeDetails() {
            List<JsonObject> entries = batch(ops(
                    op2014("boot-reports-count", "count", "boot", "job=next&limit=20"),
                    op2014("boot-boards-count", "boot", null, "job=next&limit=20&aggregate=board&field=board")));
            assertEquals(3, countEntry(entries.get(0), "boot-reports-count", "collection", "boot"));
            // The page shows results[1].result.length as the number of boards.
            assertEquals(3, listEntry(entries.get(1), "boot-boards-count").size());
        }

        @Test
        @DisplayName(FE15 + "view-boots-all-job.20150701.js: pass and fail counts per kernel (2014 keys)")
        void bootsOfTreeCounts() {
            List<JsonObject> entries = batch(ops(
                    op2014("success-count-next-20191119", "count", "boot", "status=PASS&job=next&kernel=next-20191119"),
                    op2014("fail-count-next-20191119", "count", "boot", "status=FAIL&job=next&kernel=next-20191119")));
            assertEquals(1, countEntry(entries.get(0), "success-count-next-20191119", "collection", "boot"));
            assertEquals(0, countEntry(entries.get(1), "fail-count-next-20191119", "collection", "boot"));
        }

        @Test
        @DisplayName(FE15 + "view-boots-id.20150624.js: one boot by id, every member the page shows")
        void bootById() {
            JsonObject boot = byId("/boot/" + BOOT_MAINLINE_PANDA);
            reads(boot, "_id.$oid", "created_on.$date", "time.$date", "arch", "board", "boot_log", "boot_log_html",
                    "boot_result_description", "defconfig_full", "dtb", "dtb_addr", "endian",
                    "file_server_resource", "file_server_url", "git_branch", "initrd_addr", "job", "kernel",
                    "kernel_image", "lab_name", "load_addr", "retries#", "status", "warnings#",
                    "defconfig_id.$oid", "build_id.$oid", "job_id.$oid");
            assertEquals(BUILD_MAINLINE_ARM, oid(boot, "build_id"));
        }

        @Test
        @DisplayName(FE15 + "view-boots-id.20150624.js: the same board's boots in other labs, with a field list")
        void bootOtherLabs() {
            List<JsonObject> docs = listing("/boot?kernel=v5.4-rc8&job=mainline&defconfig_full=multi_v7_defconfig"
                    + "&board=panda&field=_id&field=lab_name&field=boot_log&field=boot_log_html"
                    + "&field=boot_result_description&field=defconfig&field=defconfig_full&field=created_on"
                    + "&field=status&field=arch&field=job&field=kernel", 1);
            reads(docs.get(0), "_id.$oid", "lab_name", "boot_log", "boot_log_html", "boot_result_description",
                    "defconfig", "defconfig_full", "created_on.$date", "status", "arch", "job", "kernel");
        }

        @Test
        @DisplayName(FE15 + "view-boots-id.20150624.js: compare to mainline and next, created_on and date_range together")
        void bootCompare() {
            String query = "/boot?board=beaglebone-black&date_range=14&sort=created_on&defconfig_full=multi_v7_defconfig"
                    + "&sort_order=-1&limit=5&created_on=2019-11-19&job=";
            reads(listing(query + "mainline", 1).get(0), "_id.$oid", "created_on.$date", "status", "lab_name");
            reads(listing(query + "next", 1).get(0), "_id.$oid", "created_on.$date", "status", "lab_name");
        }
    }

    // ---------------------------------------------------------------- 2019 dashboard

    @Nested
    @DisplayName("2019 dashboard")
    class Dashboard2019 {
        @Test
        @DisplayName(FE19 + "view-jobs-all.2017.3.5.js: one job per tree and branch (aggregate on two fields)")
        void jobsAll() {
            List<JsonObject> docs = listing("/job?aggregate=job&aggregate=git_branch&sort=created_on&sort_order=-1"
                    + "&date_range=14&field=job&field=kernel&field=status&field=created_on&field=git_branch", 3);
            for (JsonObject doc : docs) {
                reads(doc, "job", "kernel", "status", "created_on.$date", "git_branch");
            }
        }

        @Test
        @DisplayName(FE19 + "view-jobs-all.2017.3.5.js: eight counts per tree and branch (resource/document keys)")
        void jobsAllCounts() {
            String q = "job=next&kernel=next-20191119&git_branch=master";
            List<JsonObject> entries = batch(ops(
                    opLater("build-total-count-next-master", "count", "build", q),
                    opLater("build-success-count-next-master", "count", "build", "status=PASS&" + q),
                    opLater("build-fail-count-next-master", "count", "build", "status=FAIL&" + q),
                    opLater("build-unknown-count-next-master", "count", "build", "status=UNKNOWN&" + q),
                    opLater("boot-total-count-next-master", "count", "boot", q),
                    opLater("boot-success-count-next-master", "count", "boot", "status=PASS&" + q),
                    opLater("boot-fail-count-next-master", "count", "boot", "status=FAIL&" + q),
                    opLater("boot-unknown-count-next-master", "count", "boot",
                            "status=OFFLINE&status=UNTRIED&status=UNKNOWN&" + q)));
            int[] expected = {2, 1, 0, 1, 3, 1, 0, 2};
            for (int i = 0; i < expected.length; i++) {
                JsonObject entry = entries.get(i);
                String opId = entry.getString("operation_id", "");
                String name = opId.startsWith("build") ? "build" : "boot";
                assertEquals(expected[i], countEntry(entry, opId, "resource", name), opId);
            }
        }

        @Test
        @DisplayName(FE19 + "view-builds-all.2017.5.js: builds with the 2019 field compiler_version_ext, paged by skip")
        void buildsAll() {
            String query = "/build?sort=created_on&sort_order=-1&date_range=14&limit=1024&field=_id&field=arch"
                    + "&field=compiler_version_ext&field=created_on&field=defconfig_full&field=git_branch&field=job"
                    + "&field=kernel&field=status";
            Reply first = get(query);
            JsonObject body = envelope(first);
            // The page pages on while skip + limit < count.
            assertEquals(0, body.getInt("skip"));
            assertEquals(1024, body.getInt("limit"));
            assertEquals(5, body.getInt("count"));
            assertNothingIgnored(first);
            for (JsonObject doc : documents(body)) {
                reads(doc, "_id.$oid", "arch", "compiler_version_ext", "created_on.$date", "defconfig_full",
                        "git_branch", "job", "kernel", "status");
            }
            JsonObject next = envelope(get(query + "&skip=1024"));
            assertEquals(1024, next.getInt("skip"));
            assertEquals(0, documents(next).size());
        }

        @Test
        @DisplayName(FE19 + "view-boots-all.2017.5.js: 'fields=' (a typo of field=) is ignored and named")
        void bootsAllWithFieldsTypo() {
            String query = "/boot?sort=created_on&sort_order=-1&date_range=14&limit=1024&fields=_id&fields=arch"
                    + "&fields=board&fields=created_on&fields=defconfig_full&fields=git_branch&fields=job"
                    + "&fields=kernel&fields=lab_name&fields=status";
            Reply reply = get(query);
            JsonObject body = envelope(reply);
            assertEquals(8, body.getInt("count"));
            assertIgnored(reply, "fields");
            for (JsonObject doc : documents(body)) {
                reads(doc, "_id.$oid", "arch", "board", "created_on.$date", "defconfig_full", "git_branch", "job",
                        "kernel", "lab_name", "status");
            }
        }

        @Test
        @DisplayName(FE19 + "view-builds-job-kernel.2017.4.js: 'sort_on=' (a typo of sort=) is ignored and named")
        void buildsOfKernelWithSortOnTypo() {
            Reply reply = get("/build?aggregate=git_branch&job=mainline&kernel=v5.4-rc8&sort_on=created_on"
                    + "&sort_order=-1&field=job&field=kernel&field=created_on&field=git_branch&field=git_commit"
                    + "&field=git_url&limit=20");
            JsonObject body = envelope(reply);
            assertIgnored(reply, "sort_on");
            List<JsonObject> docs = documents(body);
            assertEquals(1, docs.size(), reply.body());
            reads(docs.get(0), "job", "kernel", "created_on.$date", "git_branch", "git_commit", "git_url");
        }

        @Test
        @DisplayName(FE19 + "view-builds-job-branch-kernel.2017.7.1.js: latest job of a branch, its builds without dtb_dir_data")
        void buildsOfBranch() {
            List<JsonObject> jobs = listing("/job?job=mainline&git_branch=master&sort=created_on&sort_order=-1&limit=1", 2);
            assertEquals(1, jobs.size());
            JsonObject job = jobs.get(0);
            reads(job, "_id.$oid", "job", "kernel", "git_branch", "git_commit", "git_url", "created_on.$date",
                    "kernel_version", "compiler_version_full");
            assertEquals(JOB_MAINLINE, oid(job, "_id"));
            List<JsonObject> builds = listing("/build?job=mainline&job_id=" + JOB_MAINLINE + "&kernel=v5.4-rc8"
                    + "&git_branch=master&sort=defconfig_full&sort=arch&sort_order=1&nfield=dtb_dir_data", 2);
            for (JsonObject build : builds) {
                reads(build, "_id.$oid", "job_id.$oid", "defconfig_full", "arch", "status", "compiler",
                        "compiler_version", "compiler_version_full", "cross_compile", "warnings#", "errors#");
                assertFalse(build.containsKey("dtb_dir_data"), build.toString());
            }
        }

        @Test
        @DisplayName(FE19 + "view-builds-id.2017.4.js: one build by id with nfield, then its boots by build_id")
        void buildById() {
            Reply reply = get("/build/" + BUILD_MAINLINE_ARM + "?nfield=dtb_dir_data");
            JsonObject build = single(reply);
            reads(build, "_id.$oid", "created_on.$date", "job", "kernel", "defconfig_full", "arch", "compiler",
                    "compiler_version", "compiler_version_full", "cross_compile", "git_describe", "dirname");
            assertFalse(build.containsKey("dtb_dir_data"), build.toString());
            // Boots imported with the 2015 name defconfig_id, selected with the 2019 name.
            List<JsonObject> boots = listing("/boot?build_id=" + oid(build, "_id"), 2);
            for (JsonObject boot : boots) {
                reads(boot, "_id.$oid", "build_id.$oid", "defconfig_id.$oid", "board", "lab_name", "status");
                assertEquals(BUILD_MAINLINE_ARM, oid(boot, "build_id"));
            }
        }

        @Test
        @DisplayName(FE19 + "view-boots-id.2017.4.js: one boot by id: build_id.$oid and the compiler members")
        void bootById() {
            JsonObject boot = byId("/boot/" + BOOT_MAINLINE_JUNO);
            reads(boot, "_id.$oid", "build_id.$oid", "defconfig_id.$oid", "job_id.$oid", "created_on.$date",
                    "time.$date", "board", "mach", "lab_name", "compiler", "compiler_version", "compiler_version_full",
                    "git_commit", "kernel_image", "dtb");
            assertEquals(BUILD_MAINLINE_ARM64, oid(boot, "build_id"));
        }

        @Test
        @DisplayName(FE19 + "view-boots-id.2017.4.js: the same board in other labs, and compared to mainline")
        void bootCompare() {
            listing("/boot?board=juno&defconfig_full=defconfig&job=mainline&kernel=v5.4-rc8", 1);
            List<JsonObject> docs = listing("/boot?created_on=2019-11-19&board=juno&date_range=14"
                    + "&defconfig_full=defconfig&limit=5&sort=created_on&sort_order=-1&job=mainline", 1);
            reads(docs.get(0), "_id.$oid", "created_on.$date", "kernel", "status", "lab_name");
        }

        @Test
        @DisplayName(FE19 + "view-boots-all-job-branch-kernel.2017.4.js: boots of a kernel sorted by board, and its build count")
        void bootsOfKernel() {
            List<JsonObject> boots = listing("/boot?job=next&git_branch=master&kernel=next-20191119&sort=board"
                    + "&sort=defconfig_full&sort=arch&sort_order=1", 3);
            assertEquals(List.of("beaglebone-black", "juno", "panda"), strings(boots, "board"));
            for (JsonObject boot : boots) {
                reads(boot, "_id.$oid", "build_id.$oid", "board", "lab_name", "status", "time.$date");
            }
            assertEquals(2, countOne("/count/build?job=next&kernel=next-20191119", "build"));
        }

        @Test
        @DisplayName(FE19 + "view-jobs-job-branch.2017.4.js: kernels of a branch, and totals (resource/document keys)")
        void jobBranch() {
            listing("/build?aggregate=kernel&job=mainline&git_branch=master&sort=created_on&sort_order=-1&limit=20"
                    + "&field=created_on&field=git_branch&field=git_commit&field=git_url&field=job&field=kernel", 2);
            String query = "job=mainline&git_branch=master&limit=20";
            List<JsonObject> entries = batch(ops(
                    opLater("builds-count", "count", "job", query),
                    opLater("defconfs-count", "count", "build", query),
                    opLater("boot-reports-count", "count", "boot", query)));
            assertEquals(2, countEntry(entries.get(0), "builds-count", "resource", "job"));
            assertEquals(3, countEntry(entries.get(1), "defconfs-count", "resource", "build"));
            assertEquals(4, countEntry(entries.get(2), "boot-reports-count", "resource", "boot"));
        }

        @Test
        @DisplayName(FE19 + "view-socs-all.2017.3.3.js: the SoCs by GET /boot/distinct/mach/")
        void socsAll() {
            assertEquals(List.of("am33xx", "juno", "omap4", "rockchip"), distinct("/boot/distinct/mach/"));
        }

        @Test
        @DisplayName(FE19 + "view-socs-all.2017.3.3.js: boards, boots and labs per SoC: batch operations with distinct")
        void socsAllCounts() {
            List<JsonObject> entries = batch(ops(
                    opDistinct("boards-count-am33xx", "board", "mach=am33xx"),
                    opLater("boots-count-juno", "count", "boot", "mach=juno"),
                    opDistinct("labs-count-omap4", "lab_name", "mach=omap4")));
            assertEquals(List.of("beaglebone-black"), distinctEntry(entries.get(0), "boards-count-am33xx"));
            assertEquals(2, countEntry(entries.get(1), "boots-count-juno", "resource", "boot"));
            assertEquals(List.of("lab-baylibre", "lab-collabora"), distinctEntry(entries.get(2), "labs-count-omap4"));
        }

        @Test
        @DisplayName(FE19 + "view-tests-board.2018.9.js: count-distinct operations (its test_group shape, on boots)")
        void countDistinct() {
            // The page counts distinct names and build_ids of test_group; boots have the same shape.
            List<JsonObject> entries = batch(ops(
                    Json.createObjectBuilder().add("method", "GET").add("resource", "count").add("distinct", "lab_name")
                            .add("document", "boot").add("operation_id", "count-labs")
                            .add("query", "board=beaglebone-black").build(),
                    Json.createObjectBuilder().add("method", "GET").add("resource", "count").add("distinct", "build_id")
                            .add("document", "boot").add("operation_id", "count-builds")
                            .add("query", "board=beaglebone-black").build()));
            int[] expected = {1, 3};
            String[] fields = {"lab_name", "build_id"};
            for (int i = 0; i < expected.length; i++) {
                JsonObject entry = entries.get(i);
                assertEquals(expected[i], countEntry(entry, entry.getString("operation_id", ""), "resource", "boot"));
                assertEquals(fields[i], entry.getJsonArray("result").getJsonObject(0).getString("field", null),
                        entry.toString());
            }
        }

        @Test
        @DisplayName(FE19 + "view-socs-soc.2018.2.js: one SoC: boot count and boards by the distinct route")
        void socCounts() {
            assertEquals(2, countOne("/count/boot?mach=omap4", "boot"));
            assertEquals(List.of("panda"), distinct("/boot/distinct/board/?mach=omap4"));
        }

        @Test
        @DisplayName(FE19 + "view-socs-soc.2018.2.js: trees of a SoC, then counts per tree by job_id.$oid")
        void socTrees() {
            List<JsonObject> trees = listing("/boot?aggregate=job&date_range=14&field=job&field=job_id"
                    + "&field=git_branch&field=created_on&field=mach&mach=juno&sort=created_on&sort_order=-1", 2);
            for (JsonObject tree : trees) {
                reads(tree, "job", "job_id.$oid", "git_branch", "created_on.$date", "mach");
            }
            JsonObject next = trees.get(0);
            assertEquals("next", next.getString("job"));
            assertEquals(JOB_NEXT, oid(next, "job_id"));
            String q = "mach=juno&job=next&job_id=" + oid(next, "job_id");
            List<JsonObject> entries = batch(ops(
                    opLater("boot-total-count-next", "count", "boot", q),
                    opLater("boot-success-count-next", "count", "boot", "mach=juno&status=PASS&job=next&job_id="
                            + oid(next, "job_id")),
                    opLater("boot-fail-count-next", "count", "boot", "mach=juno&status=FAIL&job=next&job_id="
                            + oid(next, "job_id")),
                    opLater("boot-unknown-count-next", "count", "boot",
                            "mach=juno&status=OFFLINE&status=UNKNOWN&job=next&job_id=" + oid(next, "job_id"))));
            int[] expected = {1, 0, 0, 0};
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i], countEntry(entries.get(i), entries.get(i).getString("operation_id", ""),
                        "resource", "boot"));
            }
        }

        @Test
        @DisplayName(FE19 + "view-socs-soc-job.2017.3.3.js: one SoC and tree: count and distinct boards and labs, "
                + "then kernels with build_id")
        void socTree() {
            String q = "mach=juno&job=mainline";
            List<JsonObject> entries = batch(ops(
                    opLater("boots-count", "count", "boot", q),
                    opDistinct("boards-count", "board", q),
                    opDistinct("labs-count", "lab_name", q)));
            assertEquals(1, countEntry(entries.get(0), "boots-count", "resource", "boot"));
            assertEquals(List.of("juno"), distinctEntry(entries.get(1), "boards-count"));
            assertEquals(List.of("lab-collabora"), distinctEntry(entries.get(2), "labs-count"));
            List<JsonObject> kernels = listing("/boot?aggregate=kernel&limit=20&field=build_id&field=created_on"
                    + "&field=git_branch&field=git_commit&field=job&field=job_id&field=kernel&field=mach"
                    + "&job=mainline&mach=juno&sort=created_on&sort_order=-1", 1);
            reads(kernels.get(0), "build_id.$oid", "created_on.$date", "git_branch", "git_commit", "job",
                    "job_id.$oid", "kernel", "mach");
            assertEquals(BUILD_MAINLINE_ARM64, oid(kernels.get(0), "build_id"));
        }

        @Test
        @DisplayName(FE19 + "view-socs-soc-job-kernel.2017.4.js: boots of a SoC, tree and kernel, and the build count")
        void socTreeKernel() {
            List<JsonObject> boots = listing("/boot?field=_id&field=arch&field=board&field=boot_log"
                    + "&field=boot_log_html&field=created_on&field=defconfig_full&field=endian"
                    + "&field=file_server_resource&field=file_server_url&field=git_branch&field=git_commit"
                    + "&field=git_url&field=job&field=kernel&field=kernel_image&field=lab_name&field=mach"
                    + "&field=time&field=status&field=warnings&mach=juno&job=mainline&kernel=v5.4-rc8", 1);
            reads(boots.get(0), "_id.$oid", "arch", "board", "boot_log", "boot_log_html", "created_on.$date",
                    "defconfig_full", "endian", "file_server_resource", "file_server_url", "git_branch", "git_commit",
                    "git_url", "job", "kernel", "kernel_image", "lab_name", "mach", "time.$date", "status",
                    "warnings#");
            assertEquals(2, countOne("/count/build?job=mainline&kernel=v5.4-rc8", "build"));
        }

        @Test
        @DisplayName(FE19 + "view-builds-job-kernel-defconfig-logs.2017.4.js: /build/<id>/logs/ of a build without "
                + "error logs is 404")
        void buildLogs() {
            assertNotFound(get("/build/" + BUILD_MAINLINE_ARM + "/logs/"));
        }

        @Test
        @DisplayName(FE19 + "view-builds-job-branch-kernel.2017.7.1.js: /job/logs/ of a job without error logs is empty")
        void jobLogs() {
            assertEquals(List.of(), listing("/job/logs/?job=mainline&kernel=v5.4-rc8&git_branch=master", 0));
        }
    }

    // ---------------------------------------------------------------- kernelci-monitor

    @Nested
    @DisplayName("kernelci-monitor")
    class Monitor {
        private static final String DEFAULTS = "limit=50000&sort_order=-1&sort=created_on";
        private static final String BOARD = "&job=stable-rc&git_branch=linux-4.19.y&board=rk3399-gru-kevin"
                + "&defconfig_full=defconfig&status=PASS";

        @Test
        @DisplayName(MONITOR + "monitor/tasks.py fetch_boots: first poll, time_range=1440, then the build by _id")
        void firstPoll() {
            Reply reply = get("/boot/?" + DEFAULTS + "&time_range=1440" + BOARD);
            JsonObject body = envelope(reply);
            assertNothingIgnored(reply);
            List<JsonObject> boots = documents(body);
            // The boot of three days ago is outside the last 24 hours.
            assertEquals(List.of(BOOT_STABLE_RECENT), oids(boots), reply.body());
            JsonObject boot = boots.get(0);
            reads(boot, "_id.$oid", "build_id.$oid", "board", "dtb", "created_on.$date", "job", "git_branch",
                    "git_commit", "kernel", "defconfig_full", "arch", "kernel_image");
            assertTrue(body.getJsonNumber("limit").longValue() > 0, reply.body());
            // _get_build: the build's dirname, found by the boot's build_id.$oid.
            List<JsonObject> builds = listing("/build/?" + DEFAULTS + "&_id=" + oid(boot, "build_id")
                    + "&field=dirname", 1);
            reads(builds.get(0), "_id.$oid", "dirname");
            assertEquals(BUILD_STABLE_ARM64, oid(builds.get(0), "_id"));
        }

        @Test
        @DisplayName(MONITOR + "monitor/tasks.py fetch_boots: later poll, time_range = minutes since the last one")
        void laterPoll() {
            assertEquals(List.of(BOOT_STABLE_RECENT),
                    oids(listing("/boot/?" + DEFAULTS + "&time_range=45" + BOARD, 1)));
        }

        @Test
        @DisplayName(MONITOR + "monitor/tasks.py fetch_boots: after a long pause, time_range beyond 1440 is clamped")
        void pollAfterOutage() {
            assertEquals(List.of(BOOT_STABLE_RECENT),
                    oids(listing("/boot/?" + DEFAULTS + "&time_range=4320" + BOARD, 1)));
        }

        @Test
        @DisplayName(MONITOR + "monitor/kernelci.py __main__: boots of the last days by date_range")
        void manualCheck() {
            List<JsonObject> boots = listing("/boot/?" + DEFAULTS + "&status=PASS&date_range=3&job=stable-rc"
                    + "&arch=arm64&git_branch=linux-4.19.y&board=rk3399-gru-kevin", 2);
            assertEquals(List.of(BOOT_STABLE_RECENT, BOOT_STABLE_OLDER), oids(boots));
        }
    }

    // ---------------------------------------------------------------- the original's documentation

    @Nested
    @DisplayName("kernelci-backend documentation")
    class Documentation {
        @Test
        @DisplayName(DOCS + "collection-count.rst: GET /count/ and GET /count/job?job=next&date_range=1")
        void counts() {
            JsonObject body = envelope(get("/count/"));
            JsonArray items = body.getJsonArray("result");
            assertEquals(3, items.size(), body.toString());
            Map<String, Integer> expected = Map.of("job", 4, "defconfig", 6, "boot", 9);
            for (JsonValue value : items) {
                JsonObject item = value.asJsonObject();
                String name = item.getString("collection");
                assertEquals(expected.get(name), number(item, "count"), item.toString());
            }
            assertEquals(1, countOne("/count/job?job=next&date_range=1", "job"));
        }

        @Test
        @DisplayName(DOCS + "collection-job.rst: GET /job?date_range=12&job=arm-soc&field=status&field=kernel")
        void jobExample() {
            listing("/job?date_range=12&job=arm-soc&field=status&field=kernel", 0);
            for (JsonObject doc : listing("/job?date_range=12&job=next&field=status&field=kernel", 1)) {
                reads(doc, "_id.$oid", "status", "kernel");
                assertFalse(doc.containsKey("job"), doc.toString());
            }
        }

        @Test
        @DisplayName(DOCS + "collection-boot.rst: field= with nfield=_id leaves _id out")
        void bootFieldsWithoutId() {
            for (JsonObject doc : listing("/boot?job=next&kernel=next-20191119&field=status&field=defconfig"
                    + "&nfield=_id", 3)) {
                reads(doc, "status", "defconfig");
                assertFalse(doc.containsKey("_id"), doc.toString());
            }
        }

        @Test
        @DisplayName(DOCS + "collections.rst: GET /boot?gte=retries,2&lt=retries,5")
        void ranges() {
            assertEquals(List.of(BOOT_MAINLINE_PANDA), oids(listing("/boot?gte=retries,2&lt=retries,5", 1)));
        }

        @Test
        @DisplayName(DOCS + "collections.rst: GET /build/distinct/arch, /job/distinct/kernel?..., /boot/distinct/board?mach=tegra")
        void distinctExamples() {
            assertEquals(List.of("arm", "arm64"), distinct("/build/distinct/arch"));
            assertEquals(List.of("next-20191119"), distinct("/job/distinct/kernel?job=next&date_range=5"));
            assertEquals(List.of(), distinct("/boot/distinct/board?mach=tegra"));
        }

        @Test
        @DisplayName(DOCS + "examples/get-all-boot-reports-with-jobid.py: job_id with field and nfield=_id")
        void bootsOfJobId() {
            for (JsonObject doc : listing("/boot?job_id=" + JOB_MAINLINE + "&field=board&field=status"
                    + "&field=defconfig&nfield=_id", 3)) {
                reads(doc, "board", "status", "defconfig");
                assertFalse(doc.containsKey("_id"), doc.toString());
            }
        }

        @Test
        @DisplayName(DOCS + "examples/get-all-failed-boot-reports.py and handling-compressed-data.py")
        void examples() {
            listing("/boot?job=mainline&status=FAIL&field=job&field=kernel&field=board", 1);
            Reply gzipped = get("/build?job_id=" + JOB_MAINLINE, "Accept-Encoding", "gzip");
            assertTrue(gzipped.gzipped(), "the example reads a gzipped body");
            assertEquals(2, documents(envelope(gzipped)).size());
        }

        @Test
        @DisplayName(DOCS + "collection-batch.rst: count, list and document by id in one batch (resource/document keys)")
        void batchExample() {
            List<JsonObject> entries = batch(ops(
                    opLater("op-0", "count", "boot", "status=FAIL&job=next&date_range=5"),
                    opLater("op-1", "defconfig", null, "status=PASS&job=mainline&date_range=5&field=arch&field=defconfig"),
                    Json.createObjectBuilder().add("method", "GET").add("operation_id", "op-2")
                            .add("resource", "boot").add("document", BOOT_MAINLINE_BBB).build()));
            assertEquals(0, countEntry(entries.get(0), "op-0", "resource", "boot"));
            List<JsonObject> builds = listEntry(entries.get(1), "op-1");
            assertEquals(1, builds.size());
            reads(builds.get(0), "_id.$oid", "arch", "defconfig");
            JsonObject byId = entries.get(2);
            assertEquals(200, byId.getInt("code"), byId.toString());
            JsonObject boot = byId.getJsonArray("result").getJsonObject(0);
            wire(boot);
            reads(boot, "_id.$oid", "defconfig_id.$oid", "build_id.$oid", "board");
            assertEquals(BOOT_MAINLINE_BBB, oid(boot, "_id"));
        }
    }

    // ---------------------------------------------------------------- requests

    static Reply get(String target, String... headers) {
        String[] all = Arrays.copyOf(headers, headers.length + 2);
        all[headers.length] = "Authorization";
        all[headers.length + 1] = TOKEN;
        return http.get(target, all);
    }

    /** A plain GET's envelope: 200, JSON, {@code code} 200. */
    static JsonObject envelope(Reply reply) {
        assertEquals(200, reply.status(), reply.body());
        String type = reply.header("Content-Type");
        assertNotNull(type);
        assertTrue(type.startsWith("application/json"), type);
        JsonObject body = json(reply.body());
        assertEquals(200, body.getInt("code"), reply.body());
        return body;
    }

    /**
     * A list GET with only known keys: the envelope's numbers, {@code expected} matching documents,
     * each in the wire format, and nothing named as ignored.
     */
    static List<JsonObject> listing(String target, int expected) {
        Reply reply = get(target);
        JsonObject body = envelope(reply);
        assertNothingIgnored(reply);
        assertEquals(expected, number(body, "count"), target + " -> " + reply.body());
        number(body, "limit");
        number(body, "skip");
        return documents(body);
    }

    static List<JsonObject> documents(JsonObject body) {
        JsonValue result = body.get("result");
        assertInstanceOf(JsonArray.class, result, body.toString());
        List<JsonObject> docs = result.asJsonArray().stream().map(JsonValue::asJsonObject).toList();
        docs.forEach(RealClientsIT::wire);
        return docs;
    }

    static JsonObject single(Reply reply) {
        JsonObject body = envelope(reply);
        assertNothingIgnored(reply);
        List<JsonObject> docs = documents(body);
        assertEquals(1, docs.size(), reply.body());
        return docs.get(0);
    }

    static JsonObject byId(String target) {
        return single(get(target));
    }

    static int countOne(String target, String collection) {
        JsonObject body = envelope(get(target));
        JsonArray items = body.getJsonArray("result");
        assertEquals(1, items.size(), body.toString());
        JsonObject item = items.getJsonObject(0);
        assertEquals(collection, item.getString("collection"), body.toString());
        return number(item, "count");
    }

    /** {@code GET /<collection>/distinct/<field>}: the values, strings, sorted, with their count. */
    static List<String> distinct(String target) {
        JsonObject body = envelope(get(target));
        List<String> values = strings(body.getJsonArray("result"), body);
        assertEquals(values.size(), number(body, "count"), body.toString());
        return values;
    }

    static void assertNotFound(Reply reply) {
        assertEquals(404, reply.status(), reply.body());
        JsonObject body = json(reply.body());
        assertEquals(404, body.getInt("code"), reply.body());
        assertInstanceOf(JsonString.class, body.get("reason"), reply.body());
    }

    static Set<String> ignoredKeys(Reply reply) {
        Set<String> names = new LinkedHashSet<>();
        for (String line : reply.headers().allValues("X-Kci-Ignored")) {
            for (String name : line.split(",")) {
                if (!name.isBlank()) {
                    names.add(name.strip());
                }
            }
        }
        return names;
    }

    static void assertIgnored(Reply reply, String... names) {
        Set<String> ignored = ignoredKeys(reply);
        for (String name : names) {
            assertTrue(ignored.contains(name), "X-Kci-Ignored " + ignored + " should name " + name);
        }
    }

    static void assertNothingIgnored(Reply reply) {
        assertEquals(Set.of(), ignoredKeys(reply), "X-Kci-Ignored on a request of known keys only");
    }

    // ---------------------------------------------------------------- batches

    static JsonObject op2014(String operationId, String collection, String documentId, String query) {
        var op = Json.createObjectBuilder().add("method", "GET").add("operation_id", operationId)
                .add("collection", collection);
        if (documentId != null) {
            op.add("document_id", documentId);
        }
        return op.add("query", query).build();
    }

    static JsonObject opLater(String operationId, String resource, String document, String query) {
        var op = Json.createObjectBuilder().add("method", "GET").add("operation_id", operationId)
                .add("resource", resource);
        if (document != null) {
            op.add("document", document);
        }
        return op.add("query", query).build();
    }

    static JsonObject opDistinct(String operationId, String field, String query) {
        return Json.createObjectBuilder().add("method", "GET").add("operation_id", operationId)
                .add("resource", "boot").add("distinct", field).add("query", query).build();
    }

    static String ops(JsonObject... operations) {
        JsonArrayBuilder batch = Json.createArrayBuilder();
        for (JsonObject operation : operations) {
            batch.add(operation);
        }
        return Json.createObjectBuilder().add("batch", batch).build().toString();
    }

    /** {@code POST /batch} as the frontend's proxy sends it: 200 and one entry per operation. */
    static List<JsonObject> batch(String body) {
        Reply reply = http.post("/batch", body, "Authorization", TOKEN, "Content-Type", "application/json");
        JsonObject envelope = envelope(reply);
        JsonArray entries = envelope.getJsonArray("result");
        int operations = json(body).getJsonArray("batch").size();
        assertEquals(operations, entries.size(), reply.body());
        return entries.stream().map(JsonValue::asJsonObject).toList();
    }

    private static void entryOk(JsonObject entry, String operationId) {
        assertEquals(operationId, entry.getString("operation_id", null), entry.toString());
        assertEquals(200, entry.getInt("code", -1), entry.toString());
    }

    /** A count entry: the page reads {@code result[0].count}. */
    static int countEntry(JsonObject entry, String operationId, String nameKey, String collection) {
        entryOk(entry, operationId);
        JsonObject item = entry.getJsonArray("result").getJsonObject(0);
        assertEquals(collection, item.getString(nameKey, null), entry.toString());
        return number(item, "count");
    }

    /** A list entry: {@code result} is the list of documents. */
    static List<JsonObject> listEntry(JsonObject entry, String operationId) {
        entryOk(entry, operationId);
        number(entry, "count");
        return documents(entry);
    }

    /** A distinct entry: the page reads {@code result[0].count}; {@code result[0].result} holds the values. */
    static List<String> distinctEntry(JsonObject entry, String operationId) {
        entryOk(entry, operationId);
        JsonObject item = entry.getJsonArray("result").getJsonObject(0);
        List<String> values = strings(item.getJsonArray("result"), entry);
        assertEquals(values.size(), number(item, "count"), entry.toString());
        return values;
    }

    // ---------------------------------------------------------------- members

    /**
     * The wire format of any document (CONTRACT.md section 1): ids and references as
     * {@code {"$oid": "<24 hex>"}}, dates and the boot duration as {@code {"$date": <number>}},
     * and on boots the build under both names with one value.
     */
    static void wire(JsonObject doc) {
        for (String reference : List.of("_id", "job_id", "defconfig_id", "build_id")) {
            if (isSet(doc, reference)) {
                oid(doc, reference);
            }
        }
        for (String date : List.of("created_on", "updated_on", "time")) {
            if (isSet(doc, date)) {
                reads(doc, date + ".$date");
            }
        }
        if (isSet(doc, "defconfig_id") || isSet(doc, "build_id")) {
            assertEquals(oid(doc, "defconfig_id"), oid(doc, "build_id"), doc.toString());
        }
    }

    /** Present and not null: an unset member is written {@code null} (CONTRACT.md section 1). */
    static boolean isSet(JsonObject doc, String member) {
        return doc.containsKey(member) && doc.get(member) != JsonValue.NULL;
    }

    /**
     * Members a client reads, each present with its JSON type: {@code name} a string,
     * {@code name#} a number, {@code name.$oid} an ObjectId, {@code name.$date} a date.
     */
    static void reads(JsonObject doc, String... members) {
        for (String member : members) {
            if (member.endsWith(".$oid")) {
                oid(doc, member.substring(0, member.length() - 5));
            } else if (member.endsWith(".$date")) {
                JsonValue date = doc.get(member.substring(0, member.length() - 6));
                assertInstanceOf(JsonObject.class, date, member + " in " + doc);
                assertInstanceOf(JsonNumber.class, date.asJsonObject().get("$date"), member + " in " + doc);
            } else if (member.endsWith("#")) {
                assertInstanceOf(JsonNumber.class, doc.get(member.substring(0, member.length() - 1)),
                        member + " in " + doc);
            } else {
                assertInstanceOf(JsonString.class, doc.get(member), member + " in " + doc);
            }
        }
    }

    /** The 24 hex digits of an ObjectId member ({@code _id.$oid}, {@code build_id.$oid}, ...). */
    static String oid(JsonObject doc, String member) {
        JsonValue value = doc.get(member);
        if (!(value instanceof JsonObject object)) {
            return fail(member + " should be {\"$oid\": ...}: " + doc);
        }
        JsonValue hex = object.get("$oid");
        assertInstanceOf(JsonString.class, hex, member + " in " + doc);
        String id = ((JsonString) hex).getString();
        assertTrue(HEX24.matcher(id).matches(), member + ".$oid " + id);
        return id;
    }

    static List<String> oids(List<JsonObject> docs) {
        return docs.stream().map(doc -> oid(doc, "_id")).toList();
    }

    static int number(JsonObject object, String member) {
        JsonValue value = object.get(member);
        assertInstanceOf(JsonNumber.class, value, member + " in " + object);
        return ((JsonNumber) value).intValueExact();
    }

    static List<String> strings(List<JsonObject> docs, String member) {
        return docs.stream().map(doc -> {
            reads(doc, member);
            return doc.getString(member);
        }).toList();
    }

    static List<String> strings(JsonArray array, JsonObject context) {
        assertNotNull(array, context.toString());
        return array.stream().map(value -> {
            assertInstanceOf(JsonString.class, value, context.toString());
            return ((JsonString) value).getString();
        }).toList();
    }

    static List<JsonObject> concat(List<JsonObject> first, List<JsonObject> second) {
        return Stream.concat(first.stream(), second.stream()).toList();
    }
}
