package org.kernelci.batch.generate;

import static org.kernelci.batch.generate.Vocabulary.ARCHES;
import static org.kernelci.batch.generate.Vocabulary.ARM;
import static org.kernelci.batch.generate.Vocabulary.ARM64;
import static org.kernelci.batch.generate.Vocabulary.BOARDS;
import static org.kernelci.batch.generate.Vocabulary.BOOTABLE_BOARDS;
import static org.kernelci.batch.generate.Vocabulary.CROSS_COMPILE;
import static org.kernelci.batch.generate.Vocabulary.DEFCONFIGS;
import static org.kernelci.batch.generate.Vocabulary.FILE_SERVER;
import static org.kernelci.batch.generate.Vocabulary.FRAGMENTS;
import static org.kernelci.batch.generate.Vocabulary.LABS;
import static org.kernelci.batch.generate.Vocabulary.MIPS;
import static org.kernelci.batch.generate.Vocabulary.TOOLCHAINS;
import static org.kernelci.batch.generate.Vocabulary.TREES;
import static org.kernelci.batch.generate.Vocabulary.X86;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongConsumer;
import java.util.stream.IntStream;
import org.kernelci.batch.generate.Vocabulary.Board;
import org.kernelci.batch.generate.Vocabulary.Defconfig;
import org.kernelci.batch.generate.Vocabulary.Fragment;
import org.kernelci.batch.generate.Vocabulary.KernelStyle;
import org.kernelci.batch.generate.Vocabulary.Lab;
import org.kernelci.batch.generate.Vocabulary.Tree;
import org.kernelci.batch.schema.Collection;
import org.kernelci.batch.schema.Collections;

/**
 * A deterministic, seeded generator of kernelci data (jobs, builds, boots, labs, build error logs,
 * test groups and test cases), loaded into PostgreSQL with COPY. The same seed, size and day give
 * byte-identical rows, ids included.
 *
 * <p>Vocabulary and sizes follow shared/bench/README.md. Every {@code created_on} lies in the 180
 * UTC days up to and including {@code today}, more of them in recent days; a boot is created after
 * its build, a build after its job, a build's error log and a boot's test plan runs after it.
 * Builds and boots repeat their job's tree, kernel and git fields and reference it by
 * {@code job_id}; boots reference their build by {@code defconfig_id}. Each defconfig is built
 * with one toolchain in every tree, so that the builds of a defconfig and its boots on a board in
 * a lab form series across kernels and trees, whose failures regress and bisect (CONTRACT.md
 * sections 12.3 and 12.4); a boot series runs a test plan at every boot or never, so that test
 * cases regress too (section 12.7).
 */
public final class DataGenerator {
    /** The number of rows of each collection. */
    public record Size(int jobs, int builds, int boots) {
        /** About 20,000 boots: tests and demos. */
        public static final Size SMALL = new Size(40, 4_000, 20_000);
        /** The benchmark size: 1,000,000 boots, 200,000 builds, 2,000 jobs. */
        public static final Size BENCH = new Size(2_000, 200_000, 1_000_000);
        /** 10,000,000 boots. */
        public static final Size LARGE = new Size(20_000, 2_000_000, 10_000_000);

        public Size {
            if (jobs < 0 || builds < 0 || boots < 0) {
                throw new IllegalArgumentException("negative size: " + jobs + "/" + builds + "/" + boots);
            }
            if (boots > 0 && builds == 0 || builds > 0 && jobs == 0) {
                throw new IllegalArgumentException("boots need builds and builds need jobs: "
                        + jobs + "/" + builds + "/" + boots);
            }
        }

        /** The standard proportions: one job per 500 boots, one build per 5 boots. */
        public static Size forBoots(int boots) {
            if (boots < 0) {
                throw new IllegalArgumentException("negative number of boots: " + boots);
            }
            int jobs = (int) Math.max(1, Math.round(boots / 500.0));
            int builds = (int) Math.max(1, Math.round(boots / 5.0));
            return new Size(jobs, builds, boots);
        }

        /**
         * About how many rows a load writes, labs included: exactly as many jobs, builds, boots
         * and labs, and the error logs, test groups and test cases they usually come with.
         */
        public long rows() {
            return (long) jobs + builds + boots + LABS.length
                    + Math.round(builds * ERROR_LOGS_PER_BUILD + boots * (TEST_GROUPS_PER_BOOT + TEST_CASES_PER_BOOT));
        }
    }

    /** What a load wrote. */
    public record Summary(int jobs, int builds, int boots, int labs, int errorLogs, int testGroups, int testCases) {
        public long rows() {
            return (long) jobs + builds + boots + labs + errorLogs + testGroups + testCases;
        }
    }

    /** The statuses each collection uses. */
    public static final List<String> JOB_STATUSES = List.of(Vocabulary.JOB_STATUSES);
    public static final List<String> BUILD_STATUSES = List.of(Vocabulary.BUILD_STATUSES);
    public static final List<String> BOOT_STATUSES = List.of(Vocabulary.BOOT_STATUSES);
    /** The job (tree), lab and arch names. */
    public static final List<String> JOBS = Arrays.stream(TREES).map(Tree::name).toList();
    public static final List<String> LAB_NAMES = Arrays.stream(LABS).map(Lab::name).toList();
    public static final List<String> ARCH_NAMES = List.of(ARCHES);
    /** How many days {@code created_on} spans, today included. */
    public static final int DAYS = 180;
    /** The collections a load fills. */
    public static final List<Collection> TABLES = List.of(Collections.JOB, Collections.DEFCONFIG, Collections.BOOT,
            Collections.LAB, Collections.ERROR_LOGS, Collections.TEST_GROUP, Collections.TEST_CASE);
    /** The names of the test plans runs are made of. */
    public static final List<String> PLANS = Arrays.stream(TestPlans.PLANS).map(TestPlans.Plan::name).toList();

    // What the rows' proportions come to over many rows (measured): for Size.rows().
    private static final double ERROR_LOGS_PER_BUILD = 0.55;
    private static final double TEST_GROUPS_PER_BOOT = 0.14;
    private static final double TEST_CASES_PER_BOOT = 0.29;

    private static final long SECOND = 1_000;
    private static final long HOUR = 3_600 * SECOND;
    private static final long DAY = 24 * HOUR;

    private DataGenerator() {
    }

    /**
     * Generates and loads {@link Size#forBoots(int) forBoots(boots)} into the tables job, build,
     * boot, lab, error_logs, test_group and test_case, which should be empty, and commits.
     *
     * @param progress told now and then how many rows have been written so far
     */
    public static Summary load(Connection connection, long seed, int boots, LocalDate today, LongConsumer progress)
            throws SQLException {
        return load(connection, seed, Size.forBoots(boots), today, progress);
    }

    /** Generates and loads rows of the given size; see {@link #load(Connection, long, int, LocalDate, LongConsumer)}. */
    public static Summary load(Connection connection, long seed, Size size, LocalDate today, LongConsumer progress)
            throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try {
            Summary summary = new Generation(seed, size, today, progress).run(connection);
            connection.commit();
            return summary;
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    /** Empties the tables a load fills. */
    public static void clear(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("TRUNCATE " + String.join(", ", TABLES.stream().map(Collection::table).toList()));
        }
        if (!connection.getAutoCommit()) {
            connection.commit();
        }
    }

    /** Shares of integer {@code total} in proportion to weights, exactly summing to it. */
    static int[] allocate(double[] weights, int total) {
        int[] counts = new int[weights.length];
        if (total == 0) {
            return counts;
        }
        double sum = 0;
        for (double weight : weights) {
            sum += weight;
        }
        if (!(sum > 0)) {
            throw new IllegalArgumentException("no weight to share " + total + " by");
        }
        double cumulative = 0;
        long assigned = 0;
        for (int i = 0; i < weights.length; i++) {
            cumulative += weights[i];
            long upTo = i == weights.length - 1 ? total : Math.min(total, (long) Math.floor(total * (cumulative / sum)));
            counts[i] = (int) (upTo - assigned);
            assigned = upTo;
        }
        return counts;
    }

    /** One load: the plan of jobs and builds in arrays, boots streamed. */
    private static final class Generation {
        private static final String VERSION = "1.0";
        /** The members of test groups written from a run's, in the order {@link #groupMembers} gives them. */
        private static final String[] GROUP_MEMBERS = {"created_on", "version", "lab_name", "job", "job_id", "kernel",
            "git_branch", "git_commit", "git_describe", "git_url", "arch", "defconfig", "defconfig_full",
            "build_environment", "build_id", "compiler", "compiler_version", "compiler_version_full", "cross_compile",
            "modules", "board", "board_instance", "device_type", "mach", "dtb", "endian", "image_type", "initrd",
            "kernel_image", "boot_log", "boot_log_html", "boot_result_description", "file_server_resource",
            "plan_variant", "time_ms", "warnings"};
        /** The members of test cases that are their group's: section 12.6's, its created_on and version. */
        private static final String[] CASE_MEMBERS = {"created_on", "version", "job", "kernel", "git_branch",
            "git_commit", "arch", "defconfig_full", "build_environment", "device_type", "lab_name", "mach"};
        /** The share of a series' cases that break for a while. */
        private static final double BROKEN_SHARE = 0.06;
        /** How often each arch's less common defconfigs are built, relative to others. */
        private static final double[] ARCH_BUILD_WEIGHTS = {1.0, 2.0, 1.5, 0.4};
        private static final String[] KERNEL_IMAGES = {"zImage", "Image", "bzImage", "vmlinux"};
        /** Typical sizes of those images in bytes, and how their kernel's text compares. */
        private static final int[] IMAGE_SIZES = {6_500_000, 28_000_000, 9_500_000, 7_800_000};
        private static final double[] TEXT_PER_IMAGE = {2.1, 0.62, 1.9, 0.7};
        private static final String[] TEXT_OFFSETS = {"0x00008000", "0x00080000", "0x01000000", "0x80100000"};
        private static final String[] LOAD_ADDRESSES = {"0x80200000", "0x80080000", null, "0x80100000"};
        private static final String[] DTB_ADDRESSES = {"0x815f0000", "0x83000000", null, "0x81000000"};
        private static final String[] INITRD_ADDRESSES = {"0x81000000", "0x84000000", "0x10000000", "0x82000000"};
        private static final String[] ROOTFS_ARCHES = {"armel", "arm64", "x86", "mipsel"};
        private static final String[] COMPILERS = {"gcc-8", "gcc-10", "gcc-10", "gcc-12", "clang-13", "clang-15"};
        private static final String[] BUILDERS = {"5.10.0-18-amd64\", \"#1 SMP Debian 5.10.140-1 (2022-09-02)",
            "4.19.0-21-amd64\", \"#1 SMP Debian 4.19.249-2 (2022-06-30)",
            "5.15.0-52-generic\", \"#58-Ubuntu SMP Thu Oct 13 08:03:55 UTC 2022"};

        private final long seed;
        private final Size size;
        private final LongConsumer progress;
        private final long startMs;
        private final long endMs;
        private final long startDay;
        private final String[] dayTexts;
        private final int[][] archBoards;

        // jobs
        private final long[] jobAt;
        private final int[] jobTree;
        private final int[] jobBranch;
        private final String[] jobKernel;
        private final String[] jobCommit;
        private final boolean[] jobBad;
        private final byte[] jobStatus;
        // builds
        private final int[] buildJob;
        private final int[] buildChoice;
        private final byte[] buildStatus;
        private final long[] buildAt;
        /** Per choice of defconfig: its toolchain, in TOOLCHAINS. */
        private final int[] choiceToolchain;
        // builds, as written: their log line counts and image sizes (0 when none)
        private final short[] buildErrors;
        private final short[] buildWarnings;
        private final byte[] buildMismatches;
        private final int[] buildImageSize;
        /** The test plan runs of the boots, as the boots are written. */
        private final List<Run> runs = new ArrayList<>();

        private final IdMaker jobIds;
        private final IdMaker buildIds;
        private final IdMaker bootIds;
        private final IdMaker labIds;
        private final IdMaker errorLogIds;
        private final IdMaker groupIds;
        private final IdMaker caseIds;

        Generation(long seed, Size size, LocalDate today, LongConsumer progress) {
            this.seed = seed;
            this.size = size;
            this.progress = progress == null ? rows -> { } : progress;
            LocalDate first = today.minusDays(DAYS - 1);
            this.startMs = first.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
            this.endMs = today.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
            this.startDay = first.toEpochDay();
            this.dayTexts = new String[DAYS];
            for (int d = 0; d < DAYS; d++) {
                dayTexts[d] = first.plusDays(d).toString();
            }
            this.archBoards = new int[ARCHES.length][];
            for (int arch = 0; arch < ARCHES.length; arch++) {
                final int a = arch;
                archBoards[arch] = IntStream.range(0, BOARDS.length)
                        .filter(b -> BOARDS[b].arch() == a).toArray();
            }
            jobAt = new long[size.jobs()];
            jobTree = new int[size.jobs()];
            jobBranch = new int[size.jobs()];
            jobKernel = new String[size.jobs()];
            jobCommit = new String[size.jobs()];
            jobBad = new boolean[size.jobs()];
            jobStatus = new byte[size.jobs()];
            buildJob = new int[size.builds()];
            buildChoice = new int[size.builds()];
            buildStatus = new byte[size.builds()];
            buildAt = new long[size.builds()];
            buildErrors = new short[size.builds()];
            buildWarnings = new short[size.builds()];
            buildMismatches = new byte[size.builds()];
            buildImageSize = new int[size.builds()];
            choiceToolchain = new int[choice(DEFCONFIGS.length, -1)];
            for (int c = 0; c < choiceToolchain.length; c++) {
                if (fragment(c) < FRAGMENTS.length) {
                    choiceToolchain[c] = Vocabulary.toolchain(defconfigFull(c), DEFCONFIGS[entry(c)].arch());
                }
            }
            jobIds = new IdMaker(seed, 1);
            buildIds = new IdMaker(seed, 2);
            bootIds = new IdMaker(seed, 3);
            labIds = new IdMaker(seed, 4);
            errorLogIds = new IdMaker(seed, 5);
            groupIds = new IdMaker(seed, 6);
            caseIds = new IdMaker(seed, 7);
        }

        Summary run(Connection connection) throws SQLException {
            planJobs();
            planBuilds();
            decideJobStatuses();
            long written = 0;
            written += writeJobs(connection, written);
            written += writeBuilds(connection, written);
            long errorLogs = writeErrorLogs(connection, written);
            written += errorLogs;
            written += writeBoots(connection, written);
            written += writeLabs(connection, written);
            long testGroups = writeTestGroups(connection, written);
            written += testGroups;
            long testCases = writeTestCases(connection, written);
            return new Summary(size.jobs(), size.builds(), size.boots(), LABS.length, (int) errorLogs, (int) testGroups,
                    (int) testCases);
        }

        // ---- plan ----------------------------------------------------------------------------

        private void planJobs() {
            SeededRandom random = SeededRandom.of(seed, 10);
            long latest = endMs - HOUR;
            for (int j = 0; j < jobAt.length; j++) {
                // 30% spread evenly, 70% on a slope rising towards today.
                double back = random.chance(0.3) ? random.nextDouble() : 1 - Math.sqrt(1 - random.nextDouble());
                jobAt[j] = latest - (long) (back * (latest - startMs));
            }
            Arrays.sort(jobAt);
            double[] shares = Arrays.stream(TREES).mapToDouble(Tree::jobShare).toArray();
            // Every tree has a job (when there are enough jobs), wherever it falls in time.
            int[] positions = IntStream.range(0, jobAt.length).toArray();
            random.shuffle(positions);
            int[] preset = new int[jobAt.length];
            Arrays.fill(preset, -1);
            for (int t = 0; t < Math.min(TREES.length, positions.length); t++) {
                preset[positions[t]] = t;
            }
            for (int j = 0; j < jobAt.length; j++) {
                int tree = preset[j] >= 0 ? preset[j] : weighted(random, shares);
                Tree t = TREES[tree];
                jobTree[j] = tree;
                int branch = random.nextInt(t.branches().length);
                jobBranch[j] = branch;
                String commit = random.hex(40);
                jobCommit[j] = commit;
                jobBad[j] = random.chance(0.12);
                jobKernel[j] = kernel(random, t, branch, jobAt[j], commit);
            }
        }

        private String kernel(SeededRandom random, Tree tree, int branch, long at, String commit) {
            int day = (int) ((at - startMs) / DAY);
            int week = day / 7;
            int cycle = week / 9;
            int phase = week % 9;
            String tag = phase < 2 ? "v6." + cycle : "v6." + (cycle + 1) + "-rc" + (phase - 1);
            String hash = "-g" + commit.substring(0, 12);
            KernelStyle style = tree.style();
            if (style == KernelStyle.NEXT && branch == 0) {
                return "next-" + dayTexts[day].replace("-", "");
            }
            switch (style) {
                case STABLE, STABLE_RC -> {
                    String series = tree.branches()[branch].substring("linux-".length()).replace(".y", "");
                    String release = "v" + series + "." + (Vocabulary.STABLE_BASE[branch] + day / 4);
                    return style == KernelStyle.STABLE ? release : release + "-" + random.between(1, 320) + hash;
                }
                default -> {
                    if (tree.name().equals("mainline") && random.chance(0.1)) {
                        return tag;
                    }
                    int commits = tree.name().equals("mainline")
                            ? (day % 7) * 180 + random.between(1, 180) : random.between(1, 4000);
                    return tag + "-" + commits + hash;
                }
            }
        }

        /** Per job, the choices it builds first (common defconfigs) and the rest. */
        private void planBuilds() {
            SeededRandom random = SeededRandom.of(seed, 20);
            List<Integer> common = new ArrayList<>();
            List<Integer> rest = new ArrayList<>();
            for (int d = 0; d < DEFCONFIGS.length; d++) {
                Defconfig defconfig = DEFCONFIGS[d];
                (defconfig.common() ? common : rest).add(choice(d, -1));
                if (defconfig.common() && defconfig.mach() != null) {
                    for (int f = 0; f < FRAGMENTS.length; f++) {
                        if (!FRAGMENTS[f].bigEndian() || defconfig.arch() != X86) {
                            rest.add(choice(d, f));
                        }
                    }
                }
            }
            int[] commonChoices = common.stream().mapToInt(Integer::intValue).toArray();
            int[] restChoices = rest.stream().mapToInt(Integer::intValue).toArray();
            double[] restWeights = new double[restChoices.length];
            for (int i = 0; i < restChoices.length; i++) {
                restWeights[i] = ARCH_BUILD_WEIGHTS[DEFCONFIGS[entry(restChoices[i])].arch()]
                        * (fragment(restChoices[i]) >= 0 ? 1.5 : 1);
            }
            long[] keyed = new long[restChoices.length];

            double[] weights = new double[jobAt.length];
            for (int j = 0; j < weights.length; j++) {
                weights[j] = TREES[jobTree[j]].buildShare() * (0.6 + 0.8 * random.nextDouble());
            }
            int[] counts = allocate(weights, size.builds());
            int[] order = new int[commonChoices.length + restChoices.length];
            long[] offsets = new long[0];
            int b = 0;
            for (int j = 0; j < jobAt.length; j++) {
                int count = counts[j];
                if (count == 0) {
                    continue;
                }
                int[] firstPart = commonChoices.clone();
                random.shuffle(firstPart);
                int[] secondPart = weightedOrder(random, restChoices, restWeights, keyed);
                System.arraycopy(firstPart, 0, order, 0, firstPart.length);
                System.arraycopy(secondPart, 0, order, firstPart.length, secondPart.length);
                if (offsets.length < count) {
                    offsets = new long[count];
                }
                long budget = budget(j);
                for (int i = 0; i < count; i++) {
                    offsets[i] = SECOND + (long) (random.nextDouble() * 0.4 * budget);
                }
                Arrays.sort(offsets, 0, count);
                Tree tree = TREES[jobTree[j]];
                for (int i = 0; i < count; i++, b++) {
                    int choice = order[i % order.length];
                    Defconfig defconfig = DEFCONFIGS[entry(choice)];
                    buildJob[b] = j;
                    buildChoice[b] = choice;
                    buildAt[b] = jobAt[j] + offsets[i];
                    double fail = tree.failRate() * (jobBad[j] ? 4 : 1) * defconfig.failFactor();
                    double roll = random.nextDouble();
                    buildStatus[b] = (byte) (roll < fail ? 1 : roll < fail + 0.02 ? 2 : 0);
                }
            }
        }

        /**
         * A random order in which heavier values tend to come first: sorted by exponential keys
         * -ln(u)/weight (Efraimidis-Spirakis).
         */
        private static int[] weightedOrder(SeededRandom random, int[] values, double[] weights, long[] scratch) {
            for (int i = 0; i < values.length; i++) {
                double key = (0.0 - StrictMath.log(1 - random.nextDouble())) / weights[i];
                // Non-negative doubles sort like their bits; the low bits carry the position.
                scratch[i] = (Double.doubleToLongBits(key) & ~0xFFFL) | i;
            }
            Arrays.sort(scratch, 0, values.length);
            int[] order = new int[values.length];
            for (int i = 0; i < values.length; i++) {
                order[i] = values[(int) (scratch[i] & 0xFFF)];
            }
            return order;
        }

        private void decideJobStatuses() {
            SeededRandom random = SeededRandom.of(seed, 30);
            int[] builds = new int[jobAt.length];
            int[] failed = new int[jobAt.length];
            for (int b = 0; b < buildJob.length; b++) {
                builds[buildJob[b]]++;
                if (buildStatus[b] == 1) {
                    failed[buildJob[b]]++;
                }
            }
            for (int j = 0; j < jobAt.length; j++) {
                double roll = random.nextDouble();
                byte status;
                if (jobAt[j] > endMs - 36 * HOUR && roll < 0.35) {
                    status = 2; // BUILD
                } else if (builds[j] == 0 || roll > 0.97) {
                    status = 3; // UNKNOWN
                } else if (jobBad[j] && failed[j] > 0 || roll < 0.05) {
                    status = 1; // FAIL
                } else {
                    status = 0; // PASS
                }
                jobStatus[j] = status;
            }
        }

        /** The time after a job within which its builds and boots are created. */
        private long budget(int job) {
            return Math.min(10 * HOUR, endMs - jobAt[job] - SECOND);
        }

        private static int choice(int defconfig, int fragment) {
            return defconfig * 16 + fragment + 1;
        }

        private static int entry(int choice) {
            return choice / 16;
        }

        private static int fragment(int choice) {
            return choice % 16 - 1;
        }

        private static int weighted(SeededRandom random, double[] weights) {
            double total = 0;
            for (double weight : weights) {
                total += weight;
            }
            double point = random.nextDouble() * total;
            for (int i = 0; i < weights.length - 1; i++) {
                if (point < weights[i]) {
                    return i;
                }
                point -= weights[i];
            }
            return weights.length - 1;
        }

        private int[] candidates(int choice) {
            int d = entry(choice);
            return BOOTABLE_BOARDS[d].length > 0 ? BOOTABLE_BOARDS[d] : archBoards[DEFCONFIGS[d].arch()];
        }

        private static String defconfigFull(int choice) {
            int f = fragment(choice);
            String name = DEFCONFIGS[entry(choice)].name();
            return f < 0 ? name : name + FRAGMENTS[f].suffix();
        }

        // ---- write ---------------------------------------------------------------------------

        private long writeJobs(Connection connection, long before) throws SQLException {
            // A job names the compiler of its first build, as the original's did.
            int[] firstBuild = new int[jobAt.length];
            Arrays.fill(firstBuild, -1);
            for (int b = buildJob.length - 1; b >= 0; b--) {
                firstBuild[buildJob[b]] = b;
            }
            try (CopyRows rows = new CopyRows(connection, Collections.JOB, progress, before)) {
                int id = rows.column("id");
                int createdOn = rows.column("created_on");
                int name = rows.column("name");
                int job = rows.column("job");
                int kernel = rows.column("kernel");
                int status = rows.column("status");
                int isPrivate = rows.column("private");
                int gitBranch = rows.column("git_branch");
                int gitCommit = rows.column("git_commit");
                int gitDescribe = rows.column("git_describe");
                int gitUrl = rows.column("git_url");
                int version = rows.column("version");
                int compiler = rows.column("compiler");
                int compilerVersion = rows.column("compiler_version");
                int compilerVersionExt = rows.column("compiler_version_ext");
                int compilerVersionFull = rows.column("compiler_version_full");
                int crossCompile = rows.column("cross_compile");
                for (int j = 0; j < jobAt.length; j++) {
                    Tree tree = TREES[jobTree[j]];
                    if (firstBuild[j] >= 0) {
                        int choice = buildChoice[firstBuild[j]];
                        int a = DEFCONFIGS[entry(choice)].arch();
                        Vocabulary.Toolchain toolchain = TOOLCHAINS[choiceToolchain[choice]];
                        rows.set(compiler, toolchain.compiler());
                        rows.set(compilerVersion, toolchain.version());
                        rows.set(compilerVersionExt, versionFull(toolchain, a));
                        rows.set(compilerVersionFull, versionFull(toolchain, a));
                        rows.set(crossCompile, CROSS_COMPILE[a]);
                    }
                    rows.set(id, jobId(j));
                    rows.set(createdOn, timestamp(jobAt[j]));
                    rows.set(name, tree.name() + "-" + jobKernel[j]);
                    rows.set(job, tree.name());
                    rows.set(kernel, jobKernel[j]);
                    rows.set(status, Vocabulary.JOB_STATUSES[jobStatus[j]]);
                    rows.set(isPrivate, false);
                    rows.set(gitBranch, tree.branches()[jobBranch[j]]);
                    rows.set(gitCommit, jobCommit[j]);
                    rows.set(gitDescribe, jobKernel[j]);
                    rows.set(gitUrl, tree.gitUrl());
                    rows.set(version, VERSION);
                    rows.endRow();
                }
                return rows.rows();
            }
        }

        private long writeBuilds(Connection connection, long before) throws SQLException {
            SeededRandom random = SeededRandom.of(seed, 40);
            // The members added later draw from their own sequence, so that the others stay as they were.
            SeededRandom later = SeededRandom.of(seed, 41);
            try (CopyRows rows = new CopyRows(connection, Collections.DEFCONFIG, progress, before)) {
                int id = rows.column("id");
                int createdOn = rows.column("created_on");
                int name = rows.column("name");
                int job = rows.column("job");
                int jobId = rows.column("job_id");
                int kernel = rows.column("kernel");
                int defconfigColumn = rows.column("defconfig");
                int defconfigFullColumn = rows.column("defconfig_full");
                int dirname = rows.column("dirname");
                int arch = rows.column("arch");
                int status = rows.column("status");
                int errors = rows.column("errors");
                int warnings = rows.column("warnings");
                int buildTime = rows.column("build_time");
                int gitUrl = rows.column("git_url");
                int gitBranch = rows.column("git_branch");
                int gitCommit = rows.column("git_commit");
                int gitDescribe = rows.column("git_describe");
                int buildLog = rows.column("build_log");
                int buildPlatform = rows.column("build_platform");
                int modules = rows.column("modules");
                int dtbDir = rows.column("dtb_dir");
                int dtbDirData = rows.column("dtb_dir_data");
                int textOffset = rows.column("text_offset");
                int systemMap = rows.column("system_map");
                int kernelConfig = rows.column("kernel_config");
                int kernelImage = rows.column("kernel_image");
                int kconfigFragments = rows.column("kconfig_fragments");
                int fileServerUrl = rows.column("file_server_url");
                int fileServerResource = rows.column("file_server_resource");
                int metadata = rows.column("metadata");
                int version = rows.column("version");
                int mismatches = rows.column("mismatches");
                int buildEnvironment = rows.column("build_environment");
                int compiler = rows.column("compiler");
                int compilerVersion = rows.column("compiler_version");
                int compilerVersionExt = rows.column("compiler_version_ext");
                int compilerVersionFull = rows.column("compiler_version_full");
                int crossCompile = rows.column("cross_compile");
                int buildLogSize = rows.column("build_log_size");
                int kernelConfigSize = rows.column("kernel_config_size");
                int kernelImageSize = rows.column("kernel_image_size");
                int modulesSize = rows.column("modules_size");
                int systemMapSize = rows.column("system_map_size");
                int vmlinuxFileSize = rows.column("vmlinux_file_size");
                int vmlinuxTextSize = rows.column("vmlinux_text_size");
                int vmlinuxDataSize = rows.column("vmlinux_data_size");
                int vmlinuxBssSize = rows.column("vmlinux_bss_size");
                for (int b = 0; b < buildJob.length; b++) {
                    int j = buildJob[b];
                    Tree tree = TREES[jobTree[j]];
                    int choice = buildChoice[b];
                    Defconfig defconfig = DEFCONFIGS[entry(choice)];
                    int f = fragment(choice);
                    String full = defconfigFull(choice);
                    int a = defconfig.arch();
                    String archName = ARCHES[a];
                    int s = buildStatus[b];
                    boolean passed = s == 0;
                    rows.set(id, buildId(b));
                    rows.set(createdOn, timestamp(buildAt[b]));
                    rows.set(name, tree.name() + "-" + jobKernel[j] + "-" + full);
                    rows.set(job, tree.name());
                    rows.set(jobId, jobId(j));
                    rows.set(kernel, jobKernel[j]);
                    rows.set(defconfigColumn, defconfig.name());
                    rows.set(defconfigFullColumn, full);
                    rows.set(dirname, archName + "-" + full);
                    rows.set(arch, archName);
                    rows.set(status, Vocabulary.BUILD_STATUSES[s]);
                    // An UNKNOWN build may have no counts: no log was parsed.
                    boolean counted = true;
                    if (s == 1) {
                        double u = random.nextDouble();
                        buildErrors[b] = (short) (1 + (long) (40 * u * u * u));
                    } else {
                        counted = s == 0 || random.chance(0.5);
                    }
                    if (counted) {
                        rows.set(errors, buildErrors[b]);
                    }
                    boolean heavy = defconfig.name().equals("allmodconfig");
                    if (heavy || random.chance(0.45)) {
                        double u = random.nextDouble();
                        buildWarnings[b] = (short) ((heavy ? 20 : 1) + (long) (150 * u * u * u * u));
                    }
                    rows.set(warnings, buildWarnings[b]);
                    if (counted) {
                        buildMismatches[b] = (byte) (later.chance(0.07) ? later.between(1, 4) : 0);
                        rows.set(mismatches, buildMismatches[b]);
                    }
                    long centis = (long) (defconfig.buildSeconds() * 100 * (0.6 + 0.9 * random.nextDouble()));
                    rows.set(buildTime, decimal(centis));
                    rows.set(gitUrl, tree.gitUrl());
                    rows.set(gitBranch, tree.branches()[jobBranch[j]]);
                    rows.set(gitCommit, jobCommit[j]);
                    rows.set(gitDescribe, jobKernel[j]);
                    rows.set(buildLog, "build.log");
                    SeededRandom platform = random.chance(0.5) ? random : later;
                    rows.set(buildPlatform, "[\"Linux\", \"kci-builder-" + platform.between(1, 12) + "\", \""
                            + BUILDERS[platform.nextInt(BUILDERS.length)] + "\", \"x86_64\", \"\"]");
                    rows.set(kernelConfig, "kernel.config");
                    Vocabulary.Toolchain toolchain = TOOLCHAINS[choiceToolchain[choice]];
                    rows.set(buildEnvironment, toolchain.environment());
                    rows.set(compiler, toolchain.compiler());
                    rows.set(compilerVersion, toolchain.version());
                    rows.set(compilerVersionExt, versionFull(toolchain, a));
                    rows.set(compilerVersionFull, versionFull(toolchain, a));
                    rows.set(crossCompile, CROSS_COMPILE[a]);
                    // Sizes: each defconfig's own, drifting a little from kernel to kernel.
                    long shape = SeededRandom.mix(choice + 0x73697a6573L);
                    boolean debug = f >= 0 && (FRAGMENTS[f].suffix().equals("+debug")
                            || FRAGMENTS[f].suffix().equals("+CONFIG_KASAN=y"));
                    double scale = (0.7 + 0.6 * unit(shape)) * (debug ? 1.6 : 1);
                    double drift = 0.99 + 0.02 * later.nextDouble();
                    rows.set(buildLogSize, 9_000 + 260L * buildErrors[b] + 220L * buildWarnings[b]
                            + later.nextInt(30_000));
                    rows.set(kernelConfigSize, (long) ((90_000 + 150_000 * unit(SeededRandom.mix(shape + 1))) * drift));
                    if (passed) {
                        buildImageSize[b] = (int) (IMAGE_SIZES[a] * scale * drift);
                        long text = (long) (buildImageSize[b] * TEXT_PER_IMAGE[a]);
                        rows.set(kernelImage, KERNEL_IMAGES[a]);
                        rows.set(kernelImageSize, buildImageSize[b]);
                        rows.set(systemMap, "System.map");
                        rows.set(systemMapSize, text / 7);
                        rows.set(vmlinuxTextSize, text);
                        rows.set(vmlinuxDataSize, text * 22 / 100);
                        rows.set(vmlinuxBssSize, text * 8 / 100);
                        rows.set(vmlinuxFileSize, text * 9 / 2);
                        rows.set(textOffset, TEXT_OFFSETS[a]);
                        if (!defconfig.name().equals("allnoconfig") && !defconfig.name().equals("tinyconfig")) {
                            rows.set(modules, "modules.tar.xz");
                            rows.set(modulesSize, (long) ((4_000_000 + 86_000_000 * unit(SeededRandom.mix(shape + 2))) * drift));
                        }
                        if ((a == ARM || a == ARM64) && Vocabulary.DTB_DIR_DATA[entry(choice)] != null) {
                            rows.set(dtbDir, "dtbs");
                            if (random.chance(0.6)) {
                                rows.set(dtbDirData, Vocabulary.DTB_DIR_DATA[entry(choice)]);
                            }
                        }
                    }
                    if (f >= 0) {
                        rows.set(kconfigFragments, FRAGMENTS[f].file());
                    }
                    rows.set(fileServerUrl, FILE_SERVER);
                    rows.set(fileServerResource, resource(j, choice));
                    if (random.chance(0.3)) {
                        rows.set(metadata, "{\"compiler\": \"" + COMPILERS[random.nextInt(COMPILERS.length)]
                                + "\", \"cross_compile\": \"" + CROSS_COMPILE[a] + "\"}");
                    }
                    rows.set(version, VERSION);
                    rows.endRow();
                }
                return rows.rows();
            }
        }

        /**
         * One error log per build whose log had errors, warnings or mismatches, with as many lines
         * of each as the build counts them (CONTRACT.md section 12.1). A job's builds draw most of
         * their lines from the job's own, so that its log summary counts them.
         */
        private long writeErrorLogs(Connection connection, long before) throws SQLException {
            SeededRandom random = SeededRandom.of(seed, 80);
            try (CopyRows rows = new CopyRows(connection, Collections.ERROR_LOGS, progress, before)) {
                int id = rows.column("id");
                int createdOn = rows.column("created_on");
                int version = rows.column("version");
                int jobId = rows.column("job_id");
                int buildId = rows.column("build_id");
                int job = rows.column("job");
                int kernel = rows.column("kernel");
                int gitBranch = rows.column("git_branch");
                int arch = rows.column("arch");
                int defconfigColumn = rows.column("defconfig");
                int defconfigFull = rows.column("defconfig_full");
                int buildEnvironment = rows.column("build_environment");
                int compiler = rows.column("compiler");
                int compilerVersion = rows.column("compiler_version");
                int compilerVersionExt = rows.column("compiler_version_ext");
                int compilerVersionFull = rows.column("compiler_version_full");
                int status = rows.column("status");
                int fileServerUrl = rows.column("file_server_url");
                int fileServerResource = rows.column("file_server_resource");
                int errors = rows.column("errors");
                int warnings = rows.column("warnings");
                int mismatches = rows.column("mismatches");
                LogLines.Pool pool = null;
                int poolJob = -1;
                for (int b = 0; b < buildJob.length; b++) {
                    if (buildErrors[b] == 0 && buildWarnings[b] == 0 && buildMismatches[b] == 0) {
                        continue;
                    }
                    int j = buildJob[b];
                    if (j != poolJob) {
                        pool = LogLines.pool(random);
                        poolJob = j;
                    }
                    Tree tree = TREES[jobTree[j]];
                    int choice = buildChoice[b];
                    int a = DEFCONFIGS[entry(choice)].arch();
                    String full = defconfigFull(choice);
                    Vocabulary.Toolchain toolchain = TOOLCHAINS[choiceToolchain[choice]];
                    long at = buildAt[b] + SECOND + (long) (random.nextDouble() * 0.05 * budget(j));
                    rows.set(id, errorLogIds.id(rows.rows(), at / SECOND));
                    rows.set(createdOn, timestamp(at));
                    rows.set(version, "1.1");
                    rows.set(jobId, jobId(j));
                    rows.set(buildId, buildId(b));
                    rows.set(job, tree.name());
                    rows.set(kernel, jobKernel[j]);
                    rows.set(gitBranch, tree.branches()[jobBranch[j]]);
                    rows.set(arch, ARCHES[a]);
                    rows.set(defconfigColumn, DEFCONFIGS[entry(choice)].name());
                    rows.set(defconfigFull, full);
                    rows.set(buildEnvironment, toolchain.environment());
                    rows.set(compiler, toolchain.compiler());
                    rows.set(compilerVersion, toolchain.version());
                    rows.set(compilerVersionExt, versionFull(toolchain, a));
                    rows.set(compilerVersionFull, versionFull(toolchain, a));
                    rows.set(status, Vocabulary.BUILD_STATUSES[buildStatus[b]]);
                    rows.set(fileServerUrl, FILE_SERVER);
                    rows.set(fileServerResource, resource(j, choice));
                    rows.set(errors, LogLines.list(random, pool.errors(), buildErrors[b], LogLines.Kind.ERROR));
                    rows.set(warnings, LogLines.list(random, pool.warnings(), buildWarnings[b], LogLines.Kind.WARNING));
                    rows.set(mismatches, LogLines.list(random, pool.mismatches(), buildMismatches[b],
                            LogLines.Kind.MISMATCH));
                    rows.endRow();
                }
                return rows.rows();
            }
        }

        private long writeBoots(Connection connection, long before) throws SQLException {
            SeededRandom plan = SeededRandom.of(seed, 50);
            double[] weights = new double[buildJob.length];
            double total = 0;
            for (int b = 0; b < weights.length; b++) {
                int choice = buildChoice[b];
                Defconfig defconfig = DEFCONFIGS[entry(choice)];
                // About coverage x boards boots per build: each board boots what it can.
                double weight = buildStatus[b] == 1 ? 0
                        : defconfig.coverage() * BOOTABLE_BOARDS[entry(choice)].length
                                * (fragment(choice) >= 0 ? 0.15 : 1) * (0.5 + plan.nextDouble());
                weights[b] = weight;
                total += weight;
            }
            if (!(total > 0)) {
                Arrays.fill(weights, 1.0); // tiny sizes: boot whatever was built
            }
            int[] counts = allocate(weights, size.boots());

            SeededRandom random = SeededRandom.of(seed, 60);
            int[] scratch = new int[BOARDS.length];
            try (CopyRows rows = new CopyRows(connection, Collections.BOOT, progress, before)) {
                int id = rows.column("id");
                int createdOn = rows.column("created_on");
                int name = rows.column("name");
                int job = rows.column("job");
                int jobId = rows.column("job_id");
                int kernel = rows.column("kernel");
                int defconfigColumn = rows.column("defconfig");
                int defconfigFullColumn = rows.column("defconfig_full");
                int defconfigId = rows.column("defconfig_id");
                int arch = rows.column("arch");
                int boardColumn = rows.column("board");
                int boardInstance = rows.column("board_instance");
                int labName = rows.column("lab_name");
                int status = rows.column("status");
                int description = rows.column("boot_result_description");
                int timeMs = rows.column("time_ms");
                int warnings = rows.column("warnings");
                int retries = rows.column("retries");
                int gitUrl = rows.column("git_url");
                int gitBranch = rows.column("git_branch");
                int gitCommit = rows.column("git_commit");
                int gitDescribe = rows.column("git_describe");
                int mach = rows.column("mach");
                int endian = rows.column("endian");
                int fastboot = rows.column("fastboot");
                int bootLog = rows.column("boot_log");
                int bootLogHtml = rows.column("boot_log_html");
                int kernelImage = rows.column("kernel_image");
                int initrd = rows.column("initrd");
                int initrdAddr = rows.column("initrd_addr");
                int loadAddr = rows.column("load_addr");
                int dtb = rows.column("dtb");
                int dtbAddr = rows.column("dtb_addr");
                int dtbAppend = rows.column("dtb_append");
                int qemu = rows.column("qemu");
                int qemuCommand = rows.column("qemu_command");
                int fileServerUrl = rows.column("file_server_url");
                int fileServerResource = rows.column("file_server_resource");
                int metadata = rows.column("metadata");
                int version = rows.column("version");
                int buildEnvironment = rows.column("build_environment");
                int compiler = rows.column("compiler");
                int compilerVersion = rows.column("compiler_version");
                int compilerVersionExt = rows.column("compiler_version_ext");
                int compilerVersionFull = rows.column("compiler_version_full");
                int crossCompile = rows.column("cross_compile");
                int deviceType = rows.column("device_type");
                int kernelImageSize = rows.column("kernel_image_size");
                // The test plan runs after the boots draw from their own sequence.
                SeededRandom later = SeededRandom.of(seed, 90);
                long boot = 0;
                for (int b = 0; b < counts.length; b++) {
                    int count = counts[b];
                    if (count == 0) {
                        continue;
                    }
                    int j = buildJob[b];
                    Tree tree = TREES[jobTree[j]];
                    int choice = buildChoice[b];
                    Defconfig defconfig = DEFCONFIGS[entry(choice)];
                    int f = fragment(choice);
                    String full = defconfigFull(choice);
                    int a = defconfig.arch();
                    String archName = ARCHES[a];
                    String jobIdText = jobId(j);
                    String buildIdText = buildId(b);
                    Vocabulary.Toolchain toolchain = TOOLCHAINS[choiceToolchain[choice]];
                    String compilerFull = versionFull(toolchain, a);
                    String nameTail = "-" + tree.name() + "-" + jobKernel[j] + "-" + defconfig.name() + "-" + archName;
                    String resource = tree.name() + "/" + jobKernel[j] + "/" + archName + "-" + full + "/";
                    boolean bigEndian = f >= 0 && FRAGMENTS[f].bigEndian();
                    long budget = budget(j);
                    int[] candidates = candidates(choice);
                    int n = candidates.length;
                    for (int i = 0; i < count; i++, boot++) {
                        int slot = i % n;
                        if (slot == 0) {
                            System.arraycopy(candidates, 0, scratch, 0, n);
                        }
                        int pick = slot + random.nextInt(n - slot);
                        int swap = scratch[slot];
                        scratch[slot] = scratch[pick];
                        scratch[pick] = swap;
                        Board board = BOARDS[scratch[slot]];
                        int labIndex = board.labs()[random.nextInt(board.labs().length)];
                        Lab lab = LABS[labIndex];
                        long at = buildAt[b] + SECOND + (long) (random.nextDouble() * 0.55 * budget);

                        double roll = random.nextDouble();
                        double fail = board.failRate() * (jobBad[j] ? 1.5 : 1) * (bigEndian ? 2 : 1);
                        int s = roll < lab.offlineRate() ? 2
                                : roll < lab.offlineRate() + 0.015 ? 3
                                : roll < lab.offlineRate() + 0.015 + fail ? 1 : 0;

                        rows.set(id, bootIds.id(boot, at / SECOND));
                        rows.set(createdOn, timestamp(at));
                        rows.set(name, board.name() + nameTail);
                        rows.set(job, tree.name());
                        rows.set(jobId, jobIdText);
                        rows.set(kernel, jobKernel[j]);
                        rows.set(defconfigColumn, defconfig.name());
                        rows.set(defconfigFullColumn, full);
                        rows.set(defconfigId, buildIdText);
                        rows.set(arch, archName);
                        rows.set(boardColumn, board.name());
                        String instance = random.chance(0.4) ? board.name() + "-0" + random.between(1, 4) : null;
                        rows.set(boardInstance, instance);
                        rows.set(labName, lab.name());
                        rows.set(status, Vocabulary.BOOT_STATUSES[s]);
                        String failure = switch (s) {
                            case 0 -> null;
                            case 1 -> Vocabulary.FAIL_DESCRIPTIONS[random.nextInt(Vocabulary.FAIL_DESCRIPTIONS.length)];
                            case 2 -> random.pick(Vocabulary.OFFLINE_DESCRIPTIONS);
                            default -> random.pick(Vocabulary.UNTRIED_DESCRIPTIONS);
                        };
                        long bootMs = switch (s) {
                            case 0 -> (long) (board.bootMs() * (0.8 + 0.5 * random.nextDouble()));
                            case 1 -> random.chance(0.2) ? 0 : random.between(2_000, 300_000);
                            default -> 0;
                        };
                        rows.set(description, failure);
                        rows.set(timeMs, bootMs);
                        long warningCount = 0;
                        if (random.chance(0.2)) {
                            double u = random.nextDouble();
                            warningCount = 1 + (long) (30 * u * u * u);
                        }
                        rows.set(warnings, warningCount);
                        rows.set(retries, s == 2 ? random.between(1, 3) : random.chance(0.08) ? random.between(1, 2) : 0);
                        rows.set(gitUrl, tree.gitUrl());
                        rows.set(gitBranch, tree.branches()[jobBranch[j]]);
                        rows.set(gitCommit, jobCommit[j]);
                        rows.set(gitDescribe, jobKernel[j]);
                        rows.set(mach, board.mach());
                        rows.set(endian, bigEndian ? "big" : "little");
                        rows.set(fastboot, board.fastboot());
                        String logName = lab.name() + "/boot-" + board.name();
                        rows.set(bootLog, logName + ".txt");
                        boolean html = random.chance(0.6);
                        if (html) {
                            rows.set(bootLogHtml, logName + ".html");
                        }
                        if (s != 3) {
                            rows.set(kernelImage, KERNEL_IMAGES[a]);
                        }
                        String initrdUrl = null;
                        if (random.chance(0.25)) {
                            initrdUrl = "https://storage.kernelci.org/images/rootfs/buildroot/kci-2022.05/"
                                    + ROOTFS_ARCHES[a] + "/base/rootfs.cpio.gz";
                            rows.set(initrd, initrdUrl);
                            rows.set(initrdAddr, INITRD_ADDRESSES[a]);
                        }
                        rows.set(loadAddr, LOAD_ADDRESSES[a]);
                        if (board.dtb() != null && board.qemu() == null) {
                            rows.set(dtb, "dtbs/" + board.dtb() + ".dtb");
                            rows.set(dtbAddr, DTB_ADDRESSES[a]);
                            if (random.chance(0.3)) {
                                rows.set(dtbAppend, false);
                            }
                        }
                        if (board.qemu() != null) {
                            rows.set(qemu, board.qemu());
                            rows.set(qemuCommand, board.qemu() + " -m 1024 -nographic -kernel " + KERNEL_IMAGES[a]
                                    + (a == X86 || a == MIPS ? "" : " -M virt"));
                        }
                        rows.set(fileServerUrl, FILE_SERVER);
                        rows.set(fileServerResource, resource);
                        if (random.chance(0.05)) {
                            rows.set(metadata, "{\"device_type\": \"" + board.name() + "\", \"lava_job_id\": "
                                    + random.between(100_000, 9_999_999) + "}");
                        }
                        rows.set(version, VERSION);
                        rows.set(buildEnvironment, toolchain.environment());
                        rows.set(compiler, toolchain.compiler());
                        rows.set(compilerVersion, toolchain.version());
                        rows.set(compilerVersionExt, compilerFull);
                        rows.set(compilerVersionFull, compilerFull);
                        rows.set(crossCompile, CROSS_COMPILE[a]);
                        rows.set(deviceType, board.name());
                        if (s != 3 && buildImageSize[b] > 0) {
                            rows.set(kernelImageSize, buildImageSize[b]);
                        }
                        rows.endRow();
                        if (s <= 1) {
                            long series = series(j, choice, scratch[slot], labIndex);
                            for (int p = 0; p < TestPlans.PLANS.length; p++) {
                                TestPlans.Plan testPlan = TestPlans.PLANS[p];
                                if ((s == 0 || testPlan.afterFailedBoot()) && testPlan.runsOn().test(board)
                                        && unit(SeededRandom.mix(series + p)) < testPlan.share()) {
                                    long runAt = at + SECOND + (long) (later.nextDouble() * 0.04 * budget);
                                    long runMs = bootMs + (s == 0 ? later.between(20_000, 900_000) : 0);
                                    runs.add(new Run(p, SeededRandom.mix(series ^ (p + 1) * 0x9E3779B97F4A7C15L), runAt,
                                            runMs, b, scratch[slot], labIndex, s == 0, instance, failure, html,
                                            initrdUrl, warningCount));
                                }
                            }
                        }
                    }
                }
                return rows.rows();
            }
        }

        /**
         * A boot series' key (CONTRACT.md section 12.3: its tree, branch, lab, board and defconfig;
         * the defconfig's toolchain and arch follow from it), the same in every kernel.
         */
        private long series(int job, int choice, int board, int lab) {
            long key = SeededRandom.mix(seed ^ 0x73657269657300L);
            key = SeededRandom.mix(key ^ jobTree[job]);
            key = SeededRandom.mix(key ^ jobBranch[job]);
            key = SeededRandom.mix(key ^ choice);
            key = SeededRandom.mix(key ^ board);
            return SeededRandom.mix(key ^ lab);
        }

        private long writeLabs(Connection connection, long before) throws SQLException {
            SeededRandom random = SeededRandom.of(seed, 70);
            try (CopyRows rows = new CopyRows(connection, Collections.LAB, progress, before)) {
                int id = rows.column("id");
                int createdOn = rows.column("created_on");
                int updatedOn = rows.column("updated_on");
                int name = rows.column("name");
                int isPrivate = rows.column("private");
                int contact = rows.column("contact");
                int address = rows.column("address");
                int version = rows.column("version");
                for (int l = 0; l < LABS.length; l++) {
                    Lab lab = LABS[l];
                    long created = startMs + random.nextInt(2 * (int) DAY);
                    long updated = created + (long) (random.nextDouble() * (endMs - created - HOUR));
                    rows.set(id, labIds.id(l, created / SECOND));
                    rows.set(createdOn, timestamp(created));
                    rows.set(updatedOn, timestamp(updated));
                    rows.set(name, lab.name());
                    rows.set(isPrivate, false);
                    rows.set(contact, lab.contact());
                    rows.set(address, lab.address());
                    rows.set(version, VERSION);
                    rows.endRow();
                }
                return rows.rows();
            }
        }

        /** Where a build's files are, on the file server. */
        private String resource(int job, int choice) {
            return TREES[jobTree[job]].name() + "/" + jobKernel[job] + "/" + ARCHES[DEFCONFIGS[entry(choice)].arch()] + "-"
                    + defconfigFull(choice) + "/";
        }

        /**
         * The plan runs: each a top group (parent_id null) and its sub-groups, with the members
         * of its boot, build and job (CONTRACT.md section 12.6), every sub-group the same as its
         * top group but name, parent_id and index, as the original's LAVA callback made them.
         */
        private long writeTestGroups(Connection connection, long before) throws SQLException {
            try (CopyRows rows = new CopyRows(connection, Collections.TEST_GROUP, progress, before)) {
                int[] columns = Arrays.stream(GROUP_MEMBERS).mapToInt(rows::column).toArray();
                int id = rows.column("id");
                int name = rows.column("name");
                int parentId = rows.column("parent_id");
                int index = rows.column("index");
                long first = 0;
                for (Run run : runs) {
                    String[] members = groupMembers(run);
                    List<Placed> groups = groups(run);
                    for (int g = 0; g < groups.size(); g++) {
                        Placed group = groups.get(g);
                        for (int c = 0; c < columns.length; c++) {
                            rows.set(columns[c], members[c]);
                        }
                        rows.set(id, groupIds.id(first + g, run.at() / SECOND));
                        rows.set(name, group.group().name());
                        if (group.parent() >= 0) {
                            rows.set(parentId, groupIds.id(first + group.parent(), run.at() / SECOND));
                            rows.set(index, group.index());
                        }
                        rows.endRow();
                    }
                    first += groups.size();
                }
                return rows.rows();
            }
        }

        /**
         * The cases of the plan runs, in the groups {@link #writeTestGroups} wrote (the same
         * numbers, so the same ids): each with its group's members of CONTRACT.md section 12.6,
         * {@code index} its position in its group from 1. A case fails now and then, and over some
         * days of some series (the same series of runs, section 12.7).
         */
        private long writeTestCases(Connection connection, long before) throws SQLException {
            SeededRandom random = SeededRandom.of(seed, 91);
            try (CopyRows rows = new CopyRows(connection, Collections.TEST_CASE, progress, before)) {
                int[] columns = Arrays.stream(CASE_MEMBERS).mapToInt(rows::column).toArray();
                int[] fromGroup = Arrays.stream(CASE_MEMBERS).mapToInt(List.of(GROUP_MEMBERS)::indexOf).toArray();
                int id = rows.column("id");
                int name = rows.column("name");
                int status = rows.column("status");
                int index = rows.column("index");
                int timeMs = rows.column("time_ms");
                int testGroupId = rows.column("test_group_id");
                int measurements = rows.column("measurements");
                int logLines = rows.column("log_lines");
                long first = 0;
                for (Run run : runs) {
                    String[] members = groupMembers(run);
                    TestPlans.Plan plan = TestPlans.PLANS[run.plan()];
                    List<Placed> groups = groups(run);
                    for (int g = 0; g < groups.size(); g++) {
                        Placed group = groups.get(g);
                        String groupId = groupIds.id(first + g, run.at() / SECOND);
                        TestPlans.Case[] cases = group.group().cases();
                        // After a failed boot, a plan reports its first case only, failed (the login).
                        int count = run.bootPassed() ? cases.length : Math.min(1, cases.length);
                        for (int i = 0; i < count; i++) {
                            String outcome = run.bootPassed()
                                    ? status(run, cases[i], SeededRandom.mix(group.key() + cases[i].name().hashCode()), random)
                                    : "FAIL";
                            for (int c = 0; c < columns.length; c++) {
                                rows.set(columns[c], members[fromGroup[c]]);
                            }
                            rows.set(id, caseIds.id(rows.rows(), run.at() / SECOND));
                            rows.set(name, cases[i].name());
                            rows.set(status, outcome);
                            rows.set(index, i + 1);
                            rows.set(testGroupId, groupId);
                            double u = random.nextDouble();
                            rows.set(timeMs, outcome.equals("SKIP") ? 0 : 5 + (long) (20_000 * u * u * u));
                            if (cases[i].unit() != null && !outcome.equals("SKIP")) {
                                double value = cases[i].typical() * (0.8 + 0.4 * random.nextDouble())
                                        * (outcome.equals("FAIL") ? 3 : 1);
                                rows.set(measurements, "[{\"value\": " + Math.round(value * 1000) / 1000.0
                                        + ", \"unit\": " + LogLines.json(cases[i].unit()) + "}]");
                            }
                            if (outcome.equals("FAIL") && random.chance(0.7)) {
                                rows.set(logLines, logLines(random, run, plan));
                            }
                            rows.endRow();
                        }
                    }
                    first += groups.size();
                }
                return rows.rows();
            }
        }

        /** A run's log lines before a failure: a JSON list of {dt, msg}. */
        private static String logLines(SeededRandom random, Run run, TestPlans.Plan plan) {
            int lines = random.between(1, 4);
            StringBuilder log = new StringBuilder("[");
            for (int l = 0; l < lines; l++) {
                log.append(l == 0 ? "" : ", ").append("{\"dt\": {\"$date\": ")
                        .append(run.at() - 1_000L * (lines - l) - random.nextInt(1_000)).append("}, \"msg\": ")
                        .append(LogLines.json(random.pick(plan.failures()))).append('}');
            }
            return log.append(']').toString();
        }

        /**
         * A group of a run, as it is written: its key (from its path), the position of its parent
         * among the run's groups (-1 for the top group) and its index among its parent's.
         */
        private record Placed(TestPlans.Group group, long key, int parent, int index) {
        }

        /** A run's groups, parents first (a failed boot's run has its top group only). */
        private static List<Placed> groups(Run run) {
            List<Placed> groups = new ArrayList<>();
            groups.add(new Placed(TestPlans.PLANS[run.plan()].top(), 0, -1, 0));
            for (int g = 0; g < groups.size() && run.bootPassed(); g++) {
                int index = 0;
                for (TestPlans.Group sub : groups.get(g).group().groups()) {
                    long key = SeededRandom.mix(groups.get(g).key() + sub.name().hashCode());
                    // A series' runs all have a sub-group or none has.
                    if (sub.share() >= 1 || unit(SeededRandom.mix(run.series() ^ key)) < sub.share()) {
                        groups.add(new Placed(sub, key, g, ++index));
                    }
                }
            }
            return groups;
        }

        /**
         * A case's status: FAIL while its series is broken (some weeks of a few series: recurring
         * regressions), else now and then SKIP or, by chance, FAIL (new regressions).
         */
        private String status(Run run, TestPlans.Case testCase, long key, SeededRandom random) {
            long broken = SeededRandom.mix(run.series() ^ key ^ 0x62726f6b656eL);
            if ((broken & 0xFFFF) < BROKEN_SHARE * 0x10000) {
                long day = (run.at() - startMs) / DAY;
                long from = (broken >>> 16) % DAYS;
                if (day >= from && day < from + 7 + (broken >>> 32) % 80) {
                    return "FAIL";
                }
            }
            double roll = random.nextDouble();
            return roll < testCase.skip() ? "SKIP" : roll < testCase.skip() + testCase.flaky() ? "FAIL" : "PASS";
        }

        /** The members a run's groups have alike, in the order of {@link #GROUP_MEMBERS}. */
        private String[] groupMembers(Run run) {
            int b = run.build();
            int j = buildJob[b];
            Tree tree = TREES[jobTree[j]];
            int choice = buildChoice[b];
            Defconfig defconfig = DEFCONFIGS[entry(choice)];
            int a = defconfig.arch();
            int f = fragment(choice);
            Board board = BOARDS[run.board()];
            Lab lab = LABS[run.lab()];
            TestPlans.Plan plan = TestPlans.PLANS[run.plan()];
            String variant = plan.variants()[(int) ((run.series() >>> 1) % plan.variants().length)];
            Vocabulary.Toolchain toolchain = TOOLCHAINS[choiceToolchain[choice]];
            String log = lab.name() + "/" + variant + "-" + board.name();
            return new String[] {
                timestamp(run.at()), "1.0", lab.name(), tree.name(), jobId(j), jobKernel[j],
                tree.branches()[jobBranch[j]], jobCommit[j], jobKernel[j], tree.gitUrl(), ARCHES[a], defconfig.name(),
                defconfigFull(choice), toolchain.environment(), buildId(b), toolchain.compiler(), toolchain.version(),
                versionFull(toolchain, a), CROSS_COMPILE[a], hasModules(b) ? "modules.tar.xz" : null, board.name(),
                run.boardInstance(), board.name(), board.mach(),
                board.dtb() != null && board.qemu() == null ? "dtbs/" + board.dtb() + ".dtb" : null,
                f >= 0 && FRAGMENTS[f].bigEndian() ? "big" : "little", "kernel", run.initrd(), KERNEL_IMAGES[a],
                log + ".txt", run.html() ? log + ".html" : null, run.failure(), resource(j, choice), variant,
                Long.toString(run.timeMs()), Long.toString(run.warnings()),
            };
        }

        /** Whether a build has modules: as {@link #writeBuilds} decides. */
        private boolean hasModules(int build) {
            String defconfig = DEFCONFIGS[entry(buildChoice[build])].name();
            return buildStatus[build] == 0 && !defconfig.equals("allnoconfig") && !defconfig.equals("tinyconfig");
        }

        private String jobId(int job) {
            return jobIds.id(job, jobAt[job] / SECOND);
        }

        private String buildId(int build) {
            return buildIds.id(build, buildAt[build] / SECOND);
        }

        /** {@code YYYY-MM-DD HH:MM:SS.mmm+00}. */
        private String timestamp(long ms) {
            int day = (int) (Math.floorDiv(ms, DAY) - startDay);
            int inDay = (int) Math.floorMod(ms, DAY);
            char[] out = new char[26];
            dayTexts[day].getChars(0, 10, out, 0);
            out[10] = ' ';
            two(out, 11, inDay / 3_600_000);
            out[13] = ':';
            two(out, 14, inDay / 60_000 % 60);
            out[16] = ':';
            two(out, 17, inDay / 1_000 % 60);
            out[19] = '.';
            int millis = inDay % 1_000;
            out[20] = (char) ('0' + millis / 100);
            two(out, 21, millis % 100);
            out[23] = '+';
            out[24] = '0';
            out[25] = '0';
            return new String(out);
        }

        private static void two(char[] out, int at, int value) {
            out[at] = (char) ('0' + value / 10);
            out[at + 1] = (char) ('0' + value % 10);
        }

        /** Uniform in [0, 1) from 64 random bits. */
        private static double unit(long bits) {
            return (bits >>> 11) * 0x1.0p-53;
        }

        /** A compiler's full version as the build saw it: a cross gcc names its target. */
        private static String versionFull(Vocabulary.Toolchain toolchain, int arch) {
            return toolchain.compiler().equals("gcc") ? CROSS_COMPILE[arch] + toolchain.versionFull()
                    : toolchain.versionFull();
        }

        private static String decimal(long centis) {
            long cents = centis % 100;
            return (centis / 100) + (cents < 10 ? ".0" : ".") + cents;
        }
    }

    /**
     * A test plan run after a boot: when, for how long, and the boot's members its groups repeat.
     *
     * @param series the key of its series of runs (section 12.7), the same in every kernel
     */
    private record Run(int plan, long series, long at, long timeMs, int build, int board, int lab, boolean bootPassed,
            String boardInstance, String failure, boolean html, String initrd, long warnings) {
    }

    /**
     * Ids shaped like ObjectIds, made from a row's time and its number: 4 bytes of seconds since
     * the epoch, 4 bytes fixed per seed and table, 4 bytes of counter.
     */
    private static final class IdMaker {
        private static final char[] HEX = "0123456789abcdef".toCharArray();
        private final int machine;
        private final int counterStart;

        IdMaker(long seed, int table) {
            SeededRandom random = SeededRandom.of(seed, 100 + table);
            this.machine = (int) random.nextLong();
            this.counterStart = (int) random.nextLong();
        }

        String id(long row, long epochSeconds) {
            char[] out = new char[24];
            hex(out, 0, (int) epochSeconds);
            hex(out, 8, machine);
            hex(out, 16, counterStart + (int) row);
            return new String(out);
        }

        private static void hex(char[] out, int at, int value) {
            for (int i = 7; i >= 0; i--) {
                out[at + i] = HEX[value & 15];
                value >>>= 4;
            }
        }
    }
}
