package org.kernelci.batch.schema;

import static org.kernelci.batch.schema.FieldType.BOOLEAN;
import static org.kernelci.batch.schema.FieldType.DURATION;
import static org.kernelci.batch.schema.FieldType.ID;
import static org.kernelci.batch.schema.FieldType.INTEGER;
import static org.kernelci.batch.schema.FieldType.JSON;
import static org.kernelci.batch.schema.FieldType.LIST;
import static org.kernelci.batch.schema.FieldType.NUMBER;
import static org.kernelci.batch.schema.FieldType.OBJECT;
import static org.kernelci.batch.schema.FieldType.OBJECT_ID;
import static org.kernelci.batch.schema.FieldType.TEXT;
import static org.kernelci.batch.schema.FieldType.TIMESTAMP;

import java.util.List;
import java.util.Optional;

/**
 * The declarations of the kernelci collections (CONTRACT.md section 1): the fields of the
 * {@code get_*.json} schemas, then those the original's later (2019) models added. Adding a field
 * is one line here plus its column in a migration.
 */
public final class Collections {
    public static final Collection JOB = Collection.named("job")
            .field("created_on", TIMESTAMP)
            .field("updated_on", TIMESTAMP)
            .field("name", TEXT)
            .field("job", TEXT)
            .field("kernel", TEXT)
            .field("status", TEXT)
            .field("private", BOOLEAN)
            .field("git_branch", TEXT)
            .field("git_commit", TEXT)
            .field("git_describe", TEXT)
            .field("git_url", TEXT)
            .field("version", TEXT)
            .field("kernel_version", TEXT)
            .field("git_describe_v", TEXT)
            .field("compiler", TEXT)
            .field("compiler_version", TEXT)
            .field("compiler_version_ext", TEXT)
            .field("compiler_version_full", TEXT)
            .field("cross_compile", TEXT)
            // Per-day counts (issue 17); migration V8 keeps them (V9 added build's errors).
            .rollup()
            .rollup("job", "status")
            // The indexes lists walk in order (migration V1).
            .listIndex("created_on")
            .listIndex("job", "created_on")
            .listIndex("status", "created_on")
            .build();

    public static final Collection DEFCONFIG = Collection.named("defconfig").alias("build").table("build")
            .field("created_on", TIMESTAMP)
            .field("updated_on", TIMESTAMP)
            .field("name", TEXT)
            .field("job", TEXT)
            .field("job_id", OBJECT_ID)
            .field("kernel", TEXT)
            .field("defconfig", TEXT)
            .field("defconfig_full", TEXT)
            .field("dirname", TEXT)
            .field("arch", TEXT)
            .field("status", TEXT)
            .field("errors", INTEGER)
            .field("warnings", INTEGER)
            .field("mismatches", INTEGER) // migration V11
            .field("build_time", NUMBER)
            .field("git_url", TEXT)
            .field("git_branch", TEXT)
            .field("git_commit", TEXT)
            .field("git_describe", TEXT)
            .field("build_log", TEXT)
            .field("build_platform", LIST)
            .field("modules_dir", TEXT)
            .field("modules", TEXT)
            .field("dtb_dir", TEXT)
            .field("dtb_dir_data", LIST)
            .field("text_offset", TEXT)
            .field("system_map", TEXT)
            .field("kernel_config", TEXT)
            .field("kernel_image", TEXT)
            .field("kconfig_fragments", TEXT)
            .field("file_server_url", TEXT)
            .field("file_server_resource", TEXT)
            .field("metadata", OBJECT)
            .field("version", TEXT)
            .field("build_type", TEXT)
            .field("build_environment", TEXT)
            .field("build_log_size", INTEGER)
            .field("compiler", TEXT)
            .field("compiler_version", TEXT)
            .field("compiler_version_ext", TEXT)
            .field("compiler_version_full", TEXT)
            .field("cross_compile", TEXT)
            .field("git_describe_v", TEXT)
            .field("kernel_version", TEXT)
            .field("kernel_config_size", INTEGER)
            .field("kernel_image_size", INTEGER)
            .field("modules_size", INTEGER)
            .field("system_map_size", NUMBER)
            .field("vmlinux_bss_size", INTEGER)
            .field("vmlinux_data_size", INTEGER)
            .field("vmlinux_file_size", INTEGER)
            .field("vmlinux_text_size", INTEGER)
            .rollup()
            .rollup("status")
            .rollup("job", "status")
            .rollup("job", "kernel", "status")
            .rollup("arch", "status")
            .rollup("defconfig_full", "status")
            .rollup("job", "errors") // migration V9
            .listIndex("created_on")
            .listIndex("job", "created_on")
            .listIndex("status", "created_on")
            .listIndex("job", "status", "created_on")
            .build();

    public static final Collection BOOT = Collection.named("boot").writtenByLabs()
            .field("created_on", TIMESTAMP)
            .field("updated_on", TIMESTAMP)
            .field("name", TEXT)
            .field("job", TEXT)
            .field("job_id", OBJECT_ID)
            .field("kernel", TEXT)
            .field("defconfig", TEXT)
            .field("defconfig_full", TEXT)
            .field("defconfig_id", OBJECT_ID)
            .alsoNamed("build_id")
            .field("arch", TEXT)
            .field("board", TEXT)
            .field("board_instance", TEXT)
            .field("lab_name", TEXT)
            .field("status", TEXT)
            .field("boot_result_description", TEXT)
            .field("time", "time_ms", DURATION)
            .field("warnings", INTEGER)
            .field("retries", INTEGER)
            .field("git_url", TEXT)
            .field("git_branch", TEXT)
            .field("git_commit", TEXT)
            .field("git_describe", TEXT)
            .field("mach", TEXT)
            .field("endian", TEXT)
            .field("fastboot", BOOLEAN)
            .field("boot_log", TEXT)
            .field("boot_log_html", TEXT)
            .field("kernel_image", TEXT)
            .field("initrd", TEXT)
            .field("initrd_addr", TEXT)
            .field("load_addr", TEXT)
            .field("dtb", TEXT)
            .field("dtb_addr", TEXT)
            .field("dtb_append", BOOLEAN)
            .field("uimage", TEXT)
            .field("uimage_addr", TEXT)
            .field("qemu", TEXT)
            .field("qemu_command", TEXT)
            .field("file_server_url", TEXT)
            .field("file_server_resource", TEXT)
            .field("metadata", OBJECT)
            .field("version", TEXT)
            .field("build_environment", TEXT)
            .field("compiler", TEXT)
            .field("compiler_version", TEXT)
            .field("compiler_version_ext", TEXT)
            .field("compiler_version_full", TEXT)
            .field("cross_compile", TEXT)
            .field("device_type", TEXT)
            .field("kernel_image_size", INTEGER)
            .field("fastboot_cmd", TEXT)
            .field("filesystem", TEXT)
            .field("bootloader", TEXT)
            .field("bootloader_version", TEXT)
            .field("chainloader", TEXT)
            // A LAVA job id: a number or a string, as the lab sent it.
            .field("boot_job_id", JSON)
            .field("boot_job_path", TEXT)
            .field("boot_job_url", TEXT)
            .field("plan", TEXT)
            .field("plan_variant", TEXT)
            .rollup()
            .rollup("status")
            .rollup("job", "status")
            .rollup("job", "kernel", "status")
            .rollup("lab_name", "status")
            .rollup("board", "status")
            .rollup("arch", "status")
            .rollup("defconfig_full", "status")
            .listIndex("created_on")
            .listIndex("status", "created_on")
            .listIndex("job", "status", "created_on")
            .listIndex("lab_name", "status", "created_on")
            .build();

    public static final Collection LAB = Collection.named("lab").readAccess(Collection.ReadAccess.ADMIN)
            .field("created_on", TIMESTAMP)
            .field("updated_on", TIMESTAMP)
            .field("name", TEXT)
            .field("private", BOOLEAN)
            .field("token", ID)
            .field("contact", OBJECT)
            .field("address", OBJECT)
            .field("version", TEXT)
            .build();

    /**
     * A test plan run on a device ({@code parent_id} null) or one of its sub-groups (CONTRACT.md
     * section 12.6; migration V11). Its cases and sub-groups are the documents that name it.
     */
    public static final Collection TEST_GROUP = Collection.named("test_group").path("test/group").reads("test_case")
            .writtenByLabs()
            .field("created_on", TIMESTAMP)
            .field("updated_on", TIMESTAMP)
            .field("version", TEXT)
            .field("name", TEXT)
            .field("lab_name", TEXT)
            .field("parent_id", OBJECT_ID)
            .field("index", INTEGER)
            .field("job", TEXT)
            .field("job_id", OBJECT_ID)
            .field("kernel", TEXT)
            .field("git_branch", TEXT)
            .field("git_commit", TEXT)
            .field("git_describe", TEXT)
            .field("git_url", TEXT)
            .field("arch", TEXT)
            .field("defconfig", TEXT)
            .field("defconfig_full", TEXT)
            .field("build_environment", TEXT)
            .field("build_id", OBJECT_ID)
            .field("compiler", TEXT)
            .field("compiler_version", TEXT)
            .field("compiler_version_full", TEXT)
            .field("cross_compile", TEXT)
            .field("modules", TEXT)
            .field("board", TEXT)
            .field("board_instance", TEXT)
            .field("device_type", TEXT)
            .field("mach", TEXT)
            .field("dtb", TEXT)
            .field("endian", TEXT)
            .field("image_type", TEXT)
            .field("initrd", TEXT)
            .field("initrd_info", JSON)
            .field("kernel_image", TEXT)
            .field("boot_log", TEXT)
            .field("boot_log_html", TEXT)
            .field("boot_result_description", TEXT)
            .field("file_server_resource", TEXT)
            .field("plan_variant", TEXT)
            .field("time", "time_ms", DURATION)
            .field("warnings", INTEGER)
            .computed("sub_groups", LIST)
            .computed("test_cases", LIST)
            .build();

    /** One test result within a group (CONTRACT.md section 12.6; migration V11). */
    public static final Collection TEST_CASE = Collection.named("test_case").path("test/case").reads("test_group")
            .writtenByLabs()
            .field("created_on", TIMESTAMP)
            .field("updated_on", TIMESTAMP)
            .field("version", TEXT)
            .field("name", TEXT)
            .field("status", TEXT)
            .field("index", INTEGER)
            .field("time", "time_ms", DURATION)
            .field("test_group_id", OBJECT_ID)
            .computed("test_case_path", TEXT)
            .computed("plan", TEXT)
            .computed("regression_id", OBJECT_ID)
            .field("measurements", LIST)
            .field("log_lines", LIST)
            .field("job", TEXT)
            .field("kernel", TEXT)
            .field("git_branch", TEXT)
            .field("git_commit", TEXT)
            .field("arch", TEXT)
            .field("defconfig_full", TEXT)
            .field("build_environment", TEXT)
            .field("device_type", TEXT)
            .field("lab_name", TEXT)
            .field("mach", TEXT)
            .build();

    /**
     * The error, warning and mismatch lines of one build's log (CONTRACT.md section 12.1;
     * migration V11), written by import: the service reads no log off a file server.
     */
    public static final Collection ERROR_LOGS = Collection.named("error_logs").path("build/logs")
            .field("created_on", TIMESTAMP)
            .field("updated_on", TIMESTAMP)
            .field("version", TEXT)
            .field("job_id", OBJECT_ID)
            .field("build_id", OBJECT_ID)
            .field("job", TEXT)
            .field("kernel", TEXT)
            .field("git_branch", TEXT)
            .field("arch", TEXT)
            .field("defconfig", TEXT)
            .field("defconfig_full", TEXT)
            .field("build_environment", TEXT)
            .field("compiler", TEXT)
            .field("compiler_version", TEXT)
            .field("compiler_version_ext", TEXT)
            .field("compiler_version_full", TEXT)
            .field("status", TEXT)
            .field("file_server_url", TEXT)
            .field("file_server_resource", TEXT)
            .field("errors", LIST)
            .computed("errors_count", INTEGER)
            .field("warnings", LIST)
            .computed("warnings_count", INTEGER)
            .field("mismatches", LIST)
            .computed("mismatches_count", INTEGER)
            .build();

    /** View: a job's log lines counted over its builds' error logs (CONTRACT.md section 12.1). */
    public static final Collection ERRORS_SUMMARY = Collection.view("errors_summary").path("job/logs")
            .reads("job", "error_logs")
            .field("created_on", TIMESTAMP)
            .field("version", TEXT)
            .field("job_id", OBJECT_ID)
            .field("job", TEXT)
            .field("kernel", TEXT)
            .field("git_branch", TEXT)
            .field("errors", LIST)
            .field("warnings", LIST)
            .field("mismatches", LIST)
            .build();

    /**
     * View: per job, the regressions of its boots (by job and kernel), nested under lab_name, arch,
     * board, board_instance, defconfig_full and toolchain (CONTRACT.md section 12.3).
     */
    public static final Collection BOOT_REGRESSIONS = Collection.view("boot_regressions").path("boot/regressions")
            .reads("job", "boot")
            .field("created_on", TIMESTAMP)
            .field("job_id", OBJECT_ID)
            .field("job", TEXT)
            .field("kernel", TEXT)
            .field("git_branch", TEXT)
            .field("regressions", OBJECT)
            .build();

    /**
     * View: totals of jobs, builds and boots as of the read, and as of 1, 7 and 14 days before it
     * (CONTRACT.md section 12.2).
     */
    public static final Collection DAILY_STATS = Collection.view("daily_stats").path("statistics")
            .reads("job", "build", "boot").plannedOnce()
            .field("created_on", TIMESTAMP)
            .field("version", TEXT)
            .field("start_date", TIMESTAMP)
            .field("total_jobs", INTEGER)
            .field("total_builds", INTEGER)
            .field("total_boots", INTEGER)
            .field("total_unique_trees", INTEGER)
            .field("total_unique_kernels", INTEGER)
            .field("total_unique_defconfigs", INTEGER)
            .field("total_unique_archs", INTEGER)
            .field("total_unique_boards", INTEGER)
            .field("total_unique_machs", INTEGER)
            .field("daily_total_jobs", INTEGER)
            .field("daily_total_builds", INTEGER)
            .field("daily_total_boots", INTEGER)
            .field("daily_unique_trees", INTEGER)
            .field("daily_unique_kernels", INTEGER)
            .field("daily_unique_defconfigs", INTEGER)
            .field("daily_unique_archs", INTEGER)
            .field("daily_unique_boards", INTEGER)
            .field("daily_unique_machs", INTEGER)
            .field("weekly_total_jobs", INTEGER)
            .field("weekly_total_builds", INTEGER)
            .field("weekly_total_boots", INTEGER)
            .field("weekly_unique_trees", INTEGER)
            .field("weekly_unique_kernels", INTEGER)
            .field("weekly_unique_defconfigs", INTEGER)
            .field("weekly_unique_archs", INTEGER)
            .field("weekly_unique_boards", INTEGER)
            .field("weekly_unique_machs", INTEGER)
            .field("biweekly_total_jobs", INTEGER)
            .field("biweekly_total_builds", INTEGER)
            .field("biweekly_total_boots", INTEGER)
            .field("biweekly_unique_trees", INTEGER)
            .field("biweekly_unique_kernels", INTEGER)
            .field("biweekly_unique_defconfigs", INTEGER)
            .field("biweekly_unique_archs", INTEGER)
            .field("biweekly_unique_boards", INTEGER)
            .field("biweekly_unique_machs", INTEGER)
            .build();

    /**
     * View: one document per FAIL test case that regresses, with the cases from the last PASS of
     * its path in its runs' series to it (CONTRACT.md section 12.7).
     */
    public static final Collection TEST_REGRESSION = Collection.view("test_regression").path("test/regression")
            .reads("test_group", "test_case")
            .field("created_on", TIMESTAMP)
            .field("version", TEXT)
            .field("job", TEXT)
            .field("kernel", TEXT)
            .field("git_branch", TEXT)
            .field("git_url", TEXT)
            .field("arch", TEXT)
            .field("defconfig_full", TEXT)
            .field("build_environment", TEXT)
            .field("compiler", TEXT)
            .field("compiler_version", TEXT)
            .field("device_type", TEXT)
            .field("lab_name", TEXT)
            .field("mach", TEXT)
            .field("plan", TEXT)
            .field("test_case_path", TEXT)
            .field("hierarchy", LIST)
            .field("regressions", LIST)
            .build();

    /** Every collection, in the order documentation lists them: CONTRACT.md section 1's. */
    public static final List<Collection> ALL = List.of(JOB, DEFCONFIG, BOOT, LAB, TEST_GROUP, TEST_CASE, ERROR_LOGS,
            ERRORS_SUMMARY, DAILY_STATS, BOOT_REGRESSIONS, TEST_REGRESSION);

    /** What {@code GET /count} counts, in the order it answers. */
    public static final List<Collection> COUNTED_BY_DEFAULT = List.of(JOB, DEFCONFIG, BOOT);

    private Collections() {
    }

    /** The collection a request names, by its name or an alias. */
    public static Optional<Collection> byName(String requested) {
        return ALL.stream().filter(c -> c.answersTo(requested)).findFirst();
    }

    /** The collection whose route a path under the root is ({@code test/group}, {@code build}). */
    public static Optional<Collection> atPath(String path) {
        return ALL.stream().filter(c -> c.servedAt(path)).findFirst();
    }
}
