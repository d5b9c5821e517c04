package org.kernelci.batch.generate;

import static org.kernelci.batch.generate.Vocabulary.ARCHES;
import static org.kernelci.batch.generate.Vocabulary.ARM;
import static org.kernelci.batch.generate.Vocabulary.ARM64;
import static org.kernelci.batch.generate.Vocabulary.BOARDS;
import static org.kernelci.batch.generate.Vocabulary.BOOTABLE_BOARDS;
import static org.kernelci.batch.generate.Vocabulary.DEFCONFIGS;
import static org.kernelci.batch.generate.Vocabulary.FILE_SERVER;
import static org.kernelci.batch.generate.Vocabulary.FRAGMENTS;
import static org.kernelci.batch.generate.Vocabulary.LABS;
import static org.kernelci.batch.generate.Vocabulary.MIPS;
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
import org.kernelci.batch.schema.Collections;

/**
 * A deterministic, seeded generator of kernelci data (jobs, builds, boots and labs), loaded into
 * PostgreSQL with COPY. The same seed, size and day give byte-identical rows, ids included.
 *
 * <p>Vocabulary and sizes follow shared/bench/README.md. Every {@code created_on} lies in the 180
 * UTC days up to and including {@code today}, more of them in recent days; a boot is created after
 * its build, a build after its job. Builds and boots repeat their job's tree, kernel and git fields
 * and reference it by {@code job_id}; boots reference their build by {@code defconfig_id}.
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

        /** Every row a load writes, labs included. */
        public long rows() {
            return (long) jobs + builds + boots + LABS.length;
        }
    }

    /** What a load wrote. */
    public record Summary(int jobs, int builds, int boots, int labs) {
        public long rows() {
            return (long) jobs + builds + boots + labs;
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

    private static final long SECOND = 1_000;
    private static final long HOUR = 3_600 * SECOND;
    private static final long DAY = 24 * HOUR;

    private DataGenerator() {
    }

    /**
     * Generates and loads {@link Size#forBoots(int) forBoots(boots)} into the tables job, build,
     * boot and lab, which should be empty, and commits.
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
            statement.execute("TRUNCATE " + String.join(", ", Collections.JOB.table(), Collections.DEFCONFIG.table(),
                    Collections.BOOT.table(), Collections.LAB.table()));
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
        /** How often each arch's less common defconfigs are built, relative to others. */
        private static final double[] ARCH_BUILD_WEIGHTS = {1.0, 2.0, 1.5, 0.4};
        private static final String[] KERNEL_IMAGES = {"zImage", "Image", "bzImage", "vmlinux"};
        private static final String[] TEXT_OFFSETS = {"0x00008000", "0x00080000", "0x01000000", "0x80100000"};
        private static final String[] LOAD_ADDRESSES = {"0x80200000", "0x80080000", null, "0x80100000"};
        private static final String[] DTB_ADDRESSES = {"0x815f0000", "0x83000000", null, "0x81000000"};
        private static final String[] INITRD_ADDRESSES = {"0x81000000", "0x84000000", "0x10000000", "0x82000000"};
        private static final String[] ROOTFS_ARCHES = {"armel", "arm64", "x86", "mipsel"};
        private static final String[] CROSS_COMPILE = {"arm-linux-gnueabihf-", "aarch64-linux-gnu-", "",
            "mips-linux-gnu-"};
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

        private final IdMaker jobIds;
        private final IdMaker buildIds;
        private final IdMaker bootIds;
        private final IdMaker labIds;

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
            jobIds = new IdMaker(seed, 1);
            buildIds = new IdMaker(seed, 2);
            bootIds = new IdMaker(seed, 3);
            labIds = new IdMaker(seed, 4);
        }

        Summary run(Connection connection) throws SQLException {
            planJobs();
            planBuilds();
            decideJobStatuses();
            long written = 0;
            written += writeJobs(connection, written);
            written += writeBuilds(connection, written);
            written += writeBoots(connection, written);
            written += writeLabs(connection, written);
            return new Summary(size.jobs(), size.builds(), size.boots(), LABS.length);
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
                for (int j = 0; j < jobAt.length; j++) {
                    Tree tree = TREES[jobTree[j]];
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
                    if (s == 1) {
                        double u = random.nextDouble();
                        rows.set(errors, 1 + (long) (40 * u * u * u));
                    } else if (s == 0 || random.chance(0.5)) {
                        rows.set(errors, 0);
                    }
                    boolean heavy = defconfig.name().equals("allmodconfig");
                    if (heavy || random.chance(0.45)) {
                        double u = random.nextDouble();
                        rows.set(warnings, (heavy ? 20 : 1) + (long) (150 * u * u * u * u));
                    } else {
                        rows.set(warnings, 0);
                    }
                    long centis = (long) (defconfig.buildSeconds() * 100 * (0.6 + 0.9 * random.nextDouble()));
                    rows.set(buildTime, decimal(centis));
                    rows.set(gitUrl, tree.gitUrl());
                    rows.set(gitBranch, tree.branches()[jobBranch[j]]);
                    rows.set(gitCommit, jobCommit[j]);
                    rows.set(gitDescribe, jobKernel[j]);
                    rows.set(buildLog, "build.log");
                    if (random.chance(0.5)) {
                        rows.set(buildPlatform, "[\"Linux\", \"kci-builder-" + random.between(1, 12) + "\", \""
                                + BUILDERS[random.nextInt(BUILDERS.length)] + "\", \"x86_64\", \"\"]");
                    }
                    rows.set(kernelConfig, "kernel.config");
                    if (passed) {
                        rows.set(kernelImage, KERNEL_IMAGES[a]);
                        rows.set(systemMap, "System.map");
                        rows.set(textOffset, TEXT_OFFSETS[a]);
                        if (!defconfig.name().equals("allnoconfig") && !defconfig.name().equals("tinyconfig")) {
                            rows.set(modules, "modules.tar.xz");
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
                    rows.set(fileServerResource, tree.name() + "/" + jobKernel[j] + "/" + archName + "-" + full + "/");
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
                        Lab lab = LABS[board.labs()[random.nextInt(board.labs().length)]];
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
                        if (random.chance(0.4)) {
                            rows.set(boardInstance, board.name() + "-0" + random.between(1, 4));
                        }
                        rows.set(labName, lab.name());
                        rows.set(status, Vocabulary.BOOT_STATUSES[s]);
                        switch (s) {
                            case 0 -> rows.set(timeMs, (long) (board.bootMs() * (0.8 + 0.5 * random.nextDouble())));
                            case 1 -> {
                                rows.set(description, Vocabulary.FAIL_DESCRIPTIONS[
                                        random.nextInt(Vocabulary.FAIL_DESCRIPTIONS.length)]);
                                rows.set(timeMs, random.chance(0.2) ? 0 : random.between(2_000, 300_000));
                            }
                            case 2 -> {
                                rows.set(description, random.pick(Vocabulary.OFFLINE_DESCRIPTIONS));
                                rows.set(timeMs, 0);
                            }
                            default -> {
                                rows.set(description, random.pick(Vocabulary.UNTRIED_DESCRIPTIONS));
                                rows.set(timeMs, 0);
                            }
                        }
                        if (random.chance(0.2)) {
                            double u = random.nextDouble();
                            rows.set(warnings, 1 + (long) (30 * u * u * u));
                        } else {
                            rows.set(warnings, 0);
                        }
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
                        if (random.chance(0.6)) {
                            rows.set(bootLogHtml, logName + ".html");
                        }
                        if (s != 3) {
                            rows.set(kernelImage, KERNEL_IMAGES[a]);
                        }
                        if (random.chance(0.25)) {
                            rows.set(initrd, "https://storage.kernelci.org/images/rootfs/buildroot/kci-2022.05/"
                                    + ROOTFS_ARCHES[a] + "/base/rootfs.cpio.gz");
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
                        rows.endRow();
                    }
                }
                return rows.rows();
            }
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

        private static String decimal(long centis) {
            long cents = centis % 100;
            return (centis / 100) + (cents < 10 ? ".0" : ".") + cents;
        }
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
