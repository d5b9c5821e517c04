-- Issue 17: the builds' per-day counts also count by errors (Collections: .rollup("job", "errors")),
-- so that a count of the builds with errors (gte=errors,1) reads them too. A new dimension shifts
-- every build grouping's GROUPING() mask (errors is the last dimension: the lowest bit), so the
-- rows are counted again from the builds. The table, its grants and its triggers stay; the
-- functions and the partial indexes are replaced.

-- No build is written while the rows are counted again: a writer's trigger still running the old
-- functions would write the old masks. The lock lasts until the migration's transaction ends
-- (a DO block, as LOCK TABLE alone is refused outside an explicit transaction block).
DO $$ BEGIN LOCK TABLE build IN SHARE MODE; END $$;

ALTER TABLE build_rollup ADD COLUMN errors integer;
DELETE FROM build_rollup;

DROP INDEX build_rollup_folded, build_rollup_status, build_rollup_job_status, build_rollup_job_kernel_status,
    build_rollup_arch_status, build_rollup_defconfig_full_status;
CREATE UNIQUE INDEX build_rollup_folded ON build_rollup (grouping, day, job, kernel, defconfig_full, arch, status, errors) NULLS NOT DISTINCT WHERE NOT fresh;
CREATE INDEX build_rollup_status ON build_rollup (status, day) WHERE grouping = 61;
CREATE INDEX build_rollup_job_status ON build_rollup (job, status, day) WHERE grouping = 29;
CREATE INDEX build_rollup_job_kernel_status ON build_rollup (job, kernel, status, day) WHERE grouping = 13;
CREATE INDEX build_rollup_arch_status ON build_rollup (arch, status, day) WHERE grouping = 57;
CREATE INDEX build_rollup_defconfig_full_status ON build_rollup (defconfig_full, status, day) WHERE grouping = 53;
CREATE INDEX build_rollup_job_errors ON build_rollup (job, errors, day) WHERE grouping = 30;

CREATE OR REPLACE FUNCTION build_rollup_insert() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
    INSERT INTO build_rollup (grouping, day, job, kernel, defconfig_full, arch, status, errors, n)
    SELECT GROUPING(job, kernel, defconfig_full, arch, status, errors), day, job, kernel, defconfig_full, arch, status, errors, sum(n)
      FROM (SELECT (created_on AT TIME ZONE 'UTC')::date AS day, job, kernel, defconfig_full, arch, status, errors, 1 AS n FROM new_rows) AS changed
     GROUP BY day, GROUPING SETS ((), (status), (job, status), (job, kernel, status), (arch, status), (defconfig_full, status), (job, errors))
    HAVING sum(n) <> 0;
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION build_rollup_delete() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
    INSERT INTO build_rollup (grouping, day, job, kernel, defconfig_full, arch, status, errors, n)
    SELECT GROUPING(job, kernel, defconfig_full, arch, status, errors), day, job, kernel, defconfig_full, arch, status, errors, sum(n)
      FROM (SELECT (created_on AT TIME ZONE 'UTC')::date AS day, job, kernel, defconfig_full, arch, status, errors, -1 AS n FROM old_rows) AS changed
     GROUP BY day, GROUPING SETS ((), (status), (job, status), (job, kernel, status), (arch, status), (defconfig_full, status), (job, errors))
    HAVING sum(n) <> 0;
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION build_rollup_update() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
    INSERT INTO build_rollup (grouping, day, job, kernel, defconfig_full, arch, status, errors, n)
    SELECT GROUPING(job, kernel, defconfig_full, arch, status, errors), day, job, kernel, defconfig_full, arch, status, errors, sum(n)
      FROM (SELECT (created_on AT TIME ZONE 'UTC')::date AS day, job, kernel, defconfig_full, arch, status, errors, 1 AS n FROM new_rows UNION ALL SELECT (created_on AT TIME ZONE 'UTC')::date AS day, job, kernel, defconfig_full, arch, status, errors, -1 AS n FROM old_rows) AS changed
     GROUP BY day, GROUPING SETS ((), (status), (job, status), (job, kernel, status), (arch, status), (defconfig_full, status), (job, errors))
    HAVING sum(n) <> 0;
    RETURN NULL;
END
$$;

-- What the table holds already.
INSERT INTO build_rollup (grouping, day, job, kernel, defconfig_full, arch, status, errors, n, fresh)
SELECT GROUPING(job, kernel, defconfig_full, arch, status, errors), day, job, kernel, defconfig_full, arch, status, errors, sum(n), false
  FROM (SELECT (created_on AT TIME ZONE 'UTC')::date AS day, job, kernel, defconfig_full, arch, status, errors, 1 AS n FROM build) AS existing
 GROUP BY day, GROUPING SETS ((), (status), (job, status), (job, kernel, status), (arch, status), (defconfig_full, status), (job, errors));
