package org.kernelci.batch.ingest;

import static org.kernelci.batch.ingest.ReportForm.JsonKind.ARRAY;
import static org.kernelci.batch.ingest.ReportForm.JsonKind.OBJECT;
import static org.kernelci.batch.ingest.ReportForm.JsonKind.STRING;

import java.util.List;
import java.util.Optional;
import org.kernelci.batch.schema.Collection;
import org.kernelci.batch.schema.Collections;

/**
 * The forms of {@code POST /job}, {@code POST /defconfig} and {@code POST /boot}: the members of
 * the {@code post_*.json} schemas (version 1.0), the original's renames and defaults, and its
 * document names. Labs are not reported this way.
 */
public final class ReportForms {
    public static final ReportForm JOB = ReportForm.of(Collections.JOB)
            .stored("version", "job", "kernel")
            .required("job", "kernel")
            .oneOf("version", "1.0")
            .defaultValue("version", "1.0")
            .defaultValue("private", false)
            .name("job", "kernel")
            .build();

    public static final ReportForm DEFCONFIG = ReportForm.of(Collections.DEFCONFIG)
            .stored("version", "job", "kernel", "defconfig", "defconfig_full", "arch")
            .renamed("build_result", "status")
            .renamed("build_errors", "errors")
            .renamed("build_warnings", "warnings")
            .stored("build_time", "git_url", "git_commit", "git_branch", "git_describe", "build_log")
            .json("build_platform", ARRAY)
            .stored("dtb_dir")
            .stored("compiler_version")
            .stored("kconfig_fragments", "kernel_config", "kernel_image")
            .stored("cross_compile")
            .stored("modules", "modules_dir", "system_map", "text_offset", "file_server_url", "file_server_resource")
            .required("job", "kernel", "defconfig", "arch")
            .oneOf("version", "1.0")
            .oneOf("build_result", "FAIL", "PASS", "UNKNOWN")
            .defaultValue("version", "1.0")
            .defaultFrom("defconfig_full", "defconfig")
            .defaultValue("status", "UNKNOWN")
            .defaultValue("errors", 0)
            .defaultValue("warnings", 0)
            .defaultValue("build_time", 0.0)
            .name("job", "kernel", "defconfig_full")
            .build();

    /**
     * {@code arch} is required by the schema and has a default there too; the default wins, as in
     * the original's boot import. {@code mips} is accepted as the later schema does.
     */
    public static final ReportForm BOOT = ReportForm.of(Collections.BOOT)
            .stored("version", "lab_name", "job", "kernel", "defconfig", "defconfig_full", "board",
                    "board_instance", "arch", "git_branch", "git_commit", "git_describe")
            .renamed("boot_retries", "retries")
            .renamed("boot_result", "status")
            .stored("boot_result_description", "boot_log", "boot_log_html")
            .seconds("boot_time", "time")
            .renamed("boot_warnings", "warnings")
            .stored("dtb", "dtb_addr", "dtb_append", "endian", "fastboot", "initrd_addr", "initrd", "kernel_image")
            .renamed("loadaddr", "load_addr")
            .unstored("email", STRING)
            .stored("file_server_url", "file_server_resource", "mach")
            .json("metadata", OBJECT)
            .stored("uimage", "uimage_addr", "qemu", "qemu_command")
            .required("version", "lab_name", "job", "kernel", "defconfig", "board")
            .oneOf("version", "1.0")
            .oneOf("arch", "arm", "arm64", "x86", "mips")
            .oneOf("boot_result", "FAIL", "OFFLINE", "PASS", "UNTRIED")
            .defaultFrom("defconfig_full", "defconfig")
            .defaultValue("arch", "arm")
            .defaultValue("status", "UNKNOWN")
            .defaultValue("warnings", 0)
            .defaultValue("retries", 0)
            .defaultValue("dtb_append", false)
            .defaultValue("fastboot", false)
            .name("board", "job", "kernel", "defconfig", "arch")
            .build();

    public static final List<ReportForm> ALL = List.of(JOB, DEFCONFIG, BOOT);

    private ReportForms() {
    }

    /** The form of a collection's reports; empty for a collection that takes none (lab). */
    public static Optional<ReportForm> of(Collection collection) {
        return ALL.stream().filter(form -> form.collection() == collection).findFirst();
    }
}
