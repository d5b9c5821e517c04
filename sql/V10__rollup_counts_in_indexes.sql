-- Issue 17: each grouping's index also holds its rows' counts (INCLUDE (n)), so that a rollup sum
-- is an index-only scan of a few index pages. Without them it visited every matching row's table
-- page: the rows of one key are scattered over the table, one per day and grouping (a dashboard's
-- sum of one grouping over all days read 120 pages for 150 rows). The errors, counted by ranges
-- (gte=errors,1), come after the day: a window of days is then one stretch of the index.

DROP INDEX job_rollup_day,
    job_rollup_job_status,
    build_rollup_arch_status,
    build_rollup_day,
    build_rollup_defconfig_full_status,
    build_rollup_job_errors,
    build_rollup_job_kernel_status,
    build_rollup_job_status,
    build_rollup_status,
    boot_rollup_arch_status,
    boot_rollup_board_status,
    boot_rollup_day,
    boot_rollup_defconfig_full_status,
    boot_rollup_job_kernel_status,
    boot_rollup_job_status,
    boot_rollup_lab_name_status,
    boot_rollup_status;
CREATE INDEX job_rollup_day ON job_rollup (grouping, day) INCLUDE (n);
CREATE INDEX job_rollup_job_status ON job_rollup (job, status, day) INCLUDE (n) WHERE grouping = 0;
CREATE INDEX build_rollup_arch_status ON build_rollup (arch, status, day) INCLUDE (n) WHERE grouping = 57;
CREATE INDEX build_rollup_day ON build_rollup (grouping, day) INCLUDE (n);
CREATE INDEX build_rollup_defconfig_full_status ON build_rollup (defconfig_full, status, day) INCLUDE (n) WHERE grouping = 53;
CREATE INDEX build_rollup_job_errors ON build_rollup (job, day, errors) INCLUDE (n) WHERE grouping = 30;
CREATE INDEX build_rollup_job_kernel_status ON build_rollup (job, kernel, status, day) INCLUDE (n) WHERE grouping = 13;
CREATE INDEX build_rollup_job_status ON build_rollup (job, status, day) INCLUDE (n) WHERE grouping = 29;
CREATE INDEX build_rollup_status ON build_rollup (status, day) INCLUDE (n) WHERE grouping = 61;
CREATE INDEX boot_rollup_arch_status ON boot_rollup (arch, status, day) INCLUDE (n) WHERE grouping = 118;
CREATE INDEX boot_rollup_board_status ON boot_rollup (board, status, day) INCLUDE (n) WHERE grouping = 122;
CREATE INDEX boot_rollup_day ON boot_rollup (grouping, day) INCLUDE (n);
CREATE INDEX boot_rollup_defconfig_full_status ON boot_rollup (defconfig_full, status, day) INCLUDE (n) WHERE grouping = 110;
CREATE INDEX boot_rollup_job_kernel_status ON boot_rollup (job, kernel, status, day) INCLUDE (n) WHERE grouping = 30;
CREATE INDEX boot_rollup_job_status ON boot_rollup (job, status, day) INCLUDE (n) WHERE grouping = 62;
CREATE INDEX boot_rollup_lab_name_status ON boot_rollup (lab_name, status, day) INCLUDE (n) WHERE grouping = 124;
CREATE INDEX boot_rollup_status ON boot_rollup (status, day) INCLUDE (n) WHERE grouping = 126;
