-- Boot regressions and bisections (CONTRACT.md sections 12.3 and 12.4), computed when read: the
-- indexes their statements walk (sql/BootRegressions.java, sql/Bisection.java), so that they cost
-- a kernel's boots and a chain's length, not a series' history. Each leads with a hash of the
-- keys (hash_array: nulls hash alike, as the arrays compare them equal); the statements recheck
-- the keys themselves. The expressions must stay the same as the statements'.

-- A boot's series: job, git_branch, lab_name, arch, board, defconfig_full and toolchain. The
-- newest PASS before a FAIL is one probe; the FAILs after it, one range.
CREATE INDEX boot_series ON boot (hash_array(ARRAY[job, git_branch, lab_name, arch, board, defconfig_full,
    coalesce(build_environment, coalesce(compiler, 'none') || '-' || coalesce(compiler_version, 'none'))]),
    status, created_on, id);

-- Bisection chains, keyed without git_branch so that a comparison with another job's items (any
-- branch) walks the same index.
CREATE INDEX boot_bisect ON boot (hash_array(ARRAY[job, lab_name, board, arch, defconfig, defconfig_full,
    build_environment]), created_on, id);
CREATE INDEX build_bisect ON build (hash_array(ARRAY[job, arch, defconfig, defconfig_full, build_environment]),
    created_on, id);
