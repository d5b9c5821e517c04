-- The collections of the original's later API that kernelci-frontend reads (CONTRACT.md
-- sections 1 and 12): test groups, test cases and build error logs. Columns follow the
-- declarations in org.kernelci.batch.schema.Collections (a test compares them); computed members
-- (a group's cases and sub-groups, a case's plan and path, the log lines' counts) are no columns:
-- they are derived when read (sql/Sources).

CREATE TABLE test_group (
    id                      char(24) COLLATE "C" PRIMARY KEY CHECK (id ~ '^[0-9a-f]{24}$'),
    created_on              timestamptz NOT NULL,
    updated_on              timestamptz,
    version                 text,
    name                    text,
    lab_name                text,
    parent_id               char(24) COLLATE "C",
    index                   integer,
    job                     text,
    job_id                  char(24) COLLATE "C",
    kernel                  text,
    git_branch              text,
    git_commit              text,
    git_describe            text,
    git_url                 text,
    arch                    text,
    defconfig               text,
    defconfig_full          text,
    build_environment       text,
    build_id                char(24) COLLATE "C",
    compiler                text,
    compiler_version        text,
    compiler_version_full   text,
    cross_compile           text,
    modules                 text,
    board                   text,
    board_instance          text,
    device_type             text,
    mach                    text,
    dtb                     text,
    endian                  text,
    image_type              text,
    initrd                  text,
    initrd_info             jsonb,
    kernel_image            text,
    boot_log                text,
    boot_log_html           text,
    boot_result_description text,
    file_server_resource    text,
    plan_variant            text,
    time_ms                 bigint,
    warnings                integer,
    extras                  jsonb
);
CREATE INDEX test_group_created_on ON test_group (created_on, id);
-- A group's sub-groups, in order; parent_id IS NULL selects plan runs.
CREATE INDEX test_group_parent ON test_group (parent_id, index, id);
CREATE INDEX test_group_job_kernel ON test_group (job, kernel, created_on);
CREATE INDEX test_group_name ON test_group (name, created_on);
CREATE INDEX test_group_device_type ON test_group (device_type, created_on);
CREATE INDEX test_group_board ON test_group (board, created_on);
CREATE INDEX test_group_lab_name ON test_group (lab_name, created_on);
-- A plan run's series (CONTRACT.md section 12.7): the run before is the newest one before it.
CREATE INDEX test_group_series ON test_group (name, job, git_branch, arch, defconfig_full, build_environment,
    device_type, lab_name, created_on, id) WHERE parent_id IS NULL;

CREATE TABLE test_case (
    id                char(24) COLLATE "C" PRIMARY KEY CHECK (id ~ '^[0-9a-f]{24}$'),
    created_on        timestamptz NOT NULL,
    updated_on        timestamptz,
    version           text,
    name              text,
    status            text,
    index             integer,
    time_ms           bigint,
    test_group_id     char(24) COLLATE "C",
    measurements      jsonb,
    log_lines         jsonb,
    job               text,
    kernel            text,
    git_branch        text,
    git_commit        text,
    arch              text,
    defconfig_full    text,
    build_environment text,
    device_type       text,
    lab_name          text,
    mach              text,
    extras            jsonb
);
CREATE INDEX test_case_created_on ON test_case (created_on, id);
-- A group's cases, in order; and a case by name within its group.
CREATE INDEX test_case_group ON test_case (test_group_id, index, id);
CREATE INDEX test_case_group_name ON test_case (test_group_id, name);
CREATE INDEX test_case_job_kernel ON test_case (job, kernel, created_on);
CREATE INDEX test_case_name ON test_case (name, created_on);
CREATE INDEX test_case_status ON test_case (status, created_on);
CREATE INDEX test_case_device_type ON test_case (device_type, created_on);
CREATE INDEX test_case_mach ON test_case (mach, created_on);

CREATE TABLE error_logs (
    id                    char(24) COLLATE "C" PRIMARY KEY CHECK (id ~ '^[0-9a-f]{24}$'),
    created_on            timestamptz NOT NULL,
    updated_on            timestamptz,
    version               text,
    job_id                char(24) COLLATE "C",
    build_id              char(24) COLLATE "C",
    job                   text,
    kernel                text,
    git_branch            text,
    arch                  text,
    defconfig             text,
    defconfig_full        text,
    build_environment     text,
    compiler              text,
    compiler_version      text,
    compiler_version_ext  text,
    compiler_version_full text,
    status                text,
    file_server_url       text,
    file_server_resource  text,
    errors                jsonb,
    warnings              jsonb,
    mismatches            jsonb,
    extras                jsonb
);
CREATE INDEX error_logs_created_on ON error_logs (created_on, id);
CREATE INDEX error_logs_build ON error_logs (build_id, created_on, id);
CREATE INDEX error_logs_job_id ON error_logs (job_id);
CREATE INDEX error_logs_job_kernel ON error_logs (job, kernel);

-- A build's mismatch count, beside its errors and warnings (section 1).
ALTER TABLE build ADD COLUMN mismatches integer;

-- The statistics' distinct counts (section 12.2) walk (value, created_on) indexes one value at a
-- time: each value's first document is its first entry.
CREATE INDEX job_kernel_created_on ON job (kernel, created_on);
CREATE INDEX boot_mach ON boot (mach, created_on);

-- Conditional requests (V4): every write to the new tables counts, and so changes the tags of
-- the reads that look into them.
INSERT INTO change_count (collection, changes) VALUES ('test_group', 0), ('test_case', 0), ('error_logs', 0);
CREATE TRIGGER test_group_changes AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON test_group
    FOR EACH STATEMENT EXECUTE FUNCTION count_change();
CREATE TRIGGER test_case_changes AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON test_case
    FOR EACH STATEMENT EXECUTE FUNCTION count_change();
CREATE TRIGGER error_logs_changes AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON error_logs
    FOR EACH STATEMENT EXECUTE FUNCTION count_change();

-- The names of a test group and of the groups above it, the top one first: a case's plan is the
-- first, its path all of them and its own name (section 12.6). Read in the caller's snapshot.
CREATE FUNCTION test_group_names(group_id char(24)) RETURNS text[]
    LANGUAGE sql STABLE PARALLEL SAFE AS $$
    WITH RECURSIVE up (id, parent_id, name, depth) AS (
        SELECT id, parent_id, name, 0 FROM test_group WHERE id = group_id
        UNION ALL
        -- A cycle of parents (a PUT can make one) stops at 64 levels.
        SELECT g.id, g.parent_id, g.name, up.depth + 1 FROM test_group g JOIN up ON g.id = up.parent_id
         WHERE up.depth < 64
    )
    SELECT array_agg(name ORDER BY depth DESC) FROM up
$$;
