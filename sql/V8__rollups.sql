-- Per-day counts (issue 17): for each collection, the number of documents per UTC day and per
-- combination of the values of each declared grouping (schema/Collections, .rollup(...)). They are
-- kept exact in the transaction of every write (statement triggers with transition tables, so
-- every write path counts: reports, PUT, DELETE, batches, imports, COPY) as rows of deltas:
-- writers only insert, and never wait on each other for a hot row. The service folds the deltas
-- ("fresh" rows) into one row per key from time to time; a count sums both, in its snapshot.
-- "grouping" is PostgreSQL's GROUPING() bit mask over the collection's dimensions (a bit set for
-- each dimension a grouping leaves out, the first dimension the highest bit): the declarations
-- compute the same masks. A grouping added to the declarations needs its line here too (and a
-- backfill); the rollup test fails until it has one.

CREATE TABLE job_rollup (
    grouping integer NOT NULL,
    day      date    NOT NULL,
    job            text,
    status         text,
    n        bigint  NOT NULL,
    fresh    boolean NOT NULL DEFAULT true
);
CREATE UNIQUE INDEX job_rollup_folded ON job_rollup (grouping, day, job, status) NULLS NOT DISTINCT WHERE NOT fresh;
CREATE INDEX job_rollup_day ON job_rollup (grouping, day);
CREATE INDEX job_rollup_fresh ON job_rollup (grouping) WHERE fresh;
CREATE INDEX job_rollup_job_status ON job_rollup (job, status, day) WHERE grouping = 0;

CREATE FUNCTION job_rollup_insert() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
    INSERT INTO job_rollup (grouping, day, job, status, n)
    SELECT GROUPING(job, status), day, job, status, sum(n)
      FROM (SELECT (created_on AT TIME ZONE 'UTC')::date AS day, job, status, 1 AS n FROM new_rows) AS changed
     GROUP BY day, GROUPING SETS ((), (job, status))
    HAVING sum(n) <> 0;
    RETURN NULL;
END
$$;

CREATE FUNCTION job_rollup_delete() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
    INSERT INTO job_rollup (grouping, day, job, status, n)
    SELECT GROUPING(job, status), day, job, status, sum(n)
      FROM (SELECT (created_on AT TIME ZONE 'UTC')::date AS day, job, status, -1 AS n FROM old_rows) AS changed
     GROUP BY day, GROUPING SETS ((), (job, status))
    HAVING sum(n) <> 0;
    RETURN NULL;
END
$$;

CREATE FUNCTION job_rollup_update() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
    INSERT INTO job_rollup (grouping, day, job, status, n)
    SELECT GROUPING(job, status), day, job, status, sum(n)
      FROM (SELECT (created_on AT TIME ZONE 'UTC')::date AS day, job, status, 1 AS n FROM new_rows UNION ALL SELECT (created_on AT TIME ZONE 'UTC')::date AS day, job, status, -1 AS n FROM old_rows) AS changed
     GROUP BY day, GROUPING SETS ((), (job, status))
    HAVING sum(n) <> 0;
    RETURN NULL;
END
$$;

CREATE FUNCTION job_rollup_truncate() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
    DELETE FROM job_rollup;
    RETURN NULL;
END
$$;

CREATE TRIGGER job_rollup_insert AFTER INSERT ON job REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION job_rollup_insert();
CREATE TRIGGER job_rollup_update AFTER UPDATE ON job REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION job_rollup_update();
CREATE TRIGGER job_rollup_delete AFTER DELETE ON job REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION job_rollup_delete();
CREATE TRIGGER job_rollup_truncate AFTER TRUNCATE ON job
    FOR EACH STATEMENT EXECUTE FUNCTION job_rollup_truncate();

-- What the table holds already.
INSERT INTO job_rollup (grouping, day, job, status, n, fresh)
SELECT GROUPING(job, status), day, job, status, sum(n), false
  FROM (SELECT (created_on AT TIME ZONE 'UTC')::date AS day, job, status, 1 AS n FROM job) AS existing
 GROUP BY day, GROUPING SETS ((), (job, status));

CREATE TABLE build_rollup (
    grouping integer NOT NULL,
    day      date    NOT NULL,
    job            text,
    kernel         text,
    defconfig_full text,
    arch           text,
    status         text,
    n        bigint  NOT NULL,
    fresh    boolean NOT NULL DEFAULT true
);
CREATE UNIQUE INDEX build_rollup_folded ON build_rollup (grouping, day, job, kernel, defconfig_full, arch, status) NULLS NOT DISTINCT WHERE NOT fresh;
CREATE INDEX build_rollup_day ON build_rollup (grouping, day);
CREATE INDEX build_rollup_fresh ON build_rollup (grouping) WHERE fresh;
CREATE INDEX build_rollup_status ON build_rollup (status, day) WHERE grouping = 30;
CREATE INDEX build_rollup_job_status ON build_rollup (job, status, day) WHERE grouping = 14;
CREATE INDEX build_rollup_job_kernel_status ON build_rollup (job, kernel, status, day) WHERE grouping = 6;
CREATE INDEX build_rollup_arch_status ON build_rollup (arch, status, day) WHERE grouping = 28;
CREATE INDEX build_rollup_defconfig_full_status ON build_rollup (defconfig_full, status, day) WHERE grouping = 26;

CREATE FUNCTION build_rollup_insert() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
    INSERT INTO build_rollup (grouping, day, job, kernel, defconfig_full, arch, status, n)
    SELECT GROUPING(job, kernel, defconfig_full, arch, status), day, job, kernel, defconfig_full, arch, status, sum(n)
      FROM (SELECT (created_on AT TIME ZONE 'UTC')::date AS day, job, kernel, defconfig_full, arch, status, 1 AS n FROM new_rows) AS changed
     GROUP BY day, GROUPING SETS ((), (status), (job, status), (job, kernel, status), (arch, status), (defconfig_full, status))
    HAVING sum(n) <> 0;
    RETURN NULL;
END
$$;

CREATE FUNCTION build_rollup_delete() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
    INSERT INTO build_rollup (grouping, day, job, kernel, defconfig_full, arch, status, n)
    SELECT GROUPING(job, kernel, defconfig_full, arch, status), day, job, kernel, defconfig_full, arch, status, sum(n)
      FROM (SELECT (created_on AT TIME ZONE 'UTC')::date AS day, job, kernel, defconfig_full, arch, status, -1 AS n FROM old_rows) AS changed
     GROUP BY day, GROUPING SETS ((), (status), (job, status), (job, kernel, status), (arch, status), (defconfig_full, status))
    HAVING sum(n) <> 0;
    RETURN NULL;
END
$$;

CREATE FUNCTION build_rollup_update() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
    INSERT INTO build_rollup (grouping, day, job, kernel, defconfig_full, arch, status, n)
    SELECT GROUPING(job, kernel, defconfig_full, arch, status), day, job, kernel, defconfig_full, arch, status, sum(n)
      FROM (SELECT (created_on AT TIME ZONE 'UTC')::date AS day, job, kernel, defconfig_full, arch, status, 1 AS n FROM new_rows UNION ALL SELECT (created_on AT TIME ZONE 'UTC')::date AS day, job, kernel, defconfig_full, arch, status, -1 AS n FROM old_rows) AS changed
     GROUP BY day, GROUPING SETS ((), (status), (job, status), (job, kernel, status), (arch, status), (defconfig_full, status))
    HAVING sum(n) <> 0;
    RETURN NULL;
END
$$;

CREATE FUNCTION build_rollup_truncate() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
    DELETE FROM build_rollup;
    RETURN NULL;
END
$$;

CREATE TRIGGER build_rollup_insert AFTER INSERT ON build REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION build_rollup_insert();
CREATE TRIGGER build_rollup_update AFTER UPDATE ON build REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION build_rollup_update();
CREATE TRIGGER build_rollup_delete AFTER DELETE ON build REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION build_rollup_delete();
CREATE TRIGGER build_rollup_truncate AFTER TRUNCATE ON build
    FOR EACH STATEMENT EXECUTE FUNCTION build_rollup_truncate();

-- What the table holds already.
INSERT INTO build_rollup (grouping, day, job, kernel, defconfig_full, arch, status, n, fresh)
SELECT GROUPING(job, kernel, defconfig_full, arch, status), day, job, kernel, defconfig_full, arch, status, sum(n), false
  FROM (SELECT (created_on AT TIME ZONE 'UTC')::date AS day, job, kernel, defconfig_full, arch, status, 1 AS n FROM build) AS existing
 GROUP BY day, GROUPING SETS ((), (status), (job, status), (job, kernel, status), (arch, status), (defconfig_full, status));

CREATE TABLE boot_rollup (
    grouping integer NOT NULL,
    day      date    NOT NULL,
    job            text,
    kernel         text,
    defconfig_full text,
    arch           text,
    board          text,
    lab_name       text,
    status         text,
    n        bigint  NOT NULL,
    fresh    boolean NOT NULL DEFAULT true
);
CREATE UNIQUE INDEX boot_rollup_folded ON boot_rollup (grouping, day, job, kernel, defconfig_full, arch, board, lab_name, status) NULLS NOT DISTINCT WHERE NOT fresh;
CREATE INDEX boot_rollup_day ON boot_rollup (grouping, day);
CREATE INDEX boot_rollup_fresh ON boot_rollup (grouping) WHERE fresh;
CREATE INDEX boot_rollup_status ON boot_rollup (status, day) WHERE grouping = 126;
CREATE INDEX boot_rollup_job_status ON boot_rollup (job, status, day) WHERE grouping = 62;
CREATE INDEX boot_rollup_job_kernel_status ON boot_rollup (job, kernel, status, day) WHERE grouping = 30;
CREATE INDEX boot_rollup_lab_name_status ON boot_rollup (lab_name, status, day) WHERE grouping = 124;
CREATE INDEX boot_rollup_board_status ON boot_rollup (board, status, day) WHERE grouping = 122;
CREATE INDEX boot_rollup_arch_status ON boot_rollup (arch, status, day) WHERE grouping = 118;
CREATE INDEX boot_rollup_defconfig_full_status ON boot_rollup (defconfig_full, status, day) WHERE grouping = 110;

CREATE FUNCTION boot_rollup_insert() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
    INSERT INTO boot_rollup (grouping, day, job, kernel, defconfig_full, arch, board, lab_name, status, n)
    SELECT GROUPING(job, kernel, defconfig_full, arch, board, lab_name, status), day, job, kernel, defconfig_full, arch, board, lab_name, status, sum(n)
      FROM (SELECT (created_on AT TIME ZONE 'UTC')::date AS day, job, kernel, defconfig_full, arch, board, lab_name, status, 1 AS n FROM new_rows) AS changed
     GROUP BY day, GROUPING SETS ((), (status), (job, status), (job, kernel, status), (lab_name, status), (board, status), (arch, status), (defconfig_full, status))
    HAVING sum(n) <> 0;
    RETURN NULL;
END
$$;

CREATE FUNCTION boot_rollup_delete() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
    INSERT INTO boot_rollup (grouping, day, job, kernel, defconfig_full, arch, board, lab_name, status, n)
    SELECT GROUPING(job, kernel, defconfig_full, arch, board, lab_name, status), day, job, kernel, defconfig_full, arch, board, lab_name, status, sum(n)
      FROM (SELECT (created_on AT TIME ZONE 'UTC')::date AS day, job, kernel, defconfig_full, arch, board, lab_name, status, -1 AS n FROM old_rows) AS changed
     GROUP BY day, GROUPING SETS ((), (status), (job, status), (job, kernel, status), (lab_name, status), (board, status), (arch, status), (defconfig_full, status))
    HAVING sum(n) <> 0;
    RETURN NULL;
END
$$;

CREATE FUNCTION boot_rollup_update() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
    INSERT INTO boot_rollup (grouping, day, job, kernel, defconfig_full, arch, board, lab_name, status, n)
    SELECT GROUPING(job, kernel, defconfig_full, arch, board, lab_name, status), day, job, kernel, defconfig_full, arch, board, lab_name, status, sum(n)
      FROM (SELECT (created_on AT TIME ZONE 'UTC')::date AS day, job, kernel, defconfig_full, arch, board, lab_name, status, 1 AS n FROM new_rows UNION ALL SELECT (created_on AT TIME ZONE 'UTC')::date AS day, job, kernel, defconfig_full, arch, board, lab_name, status, -1 AS n FROM old_rows) AS changed
     GROUP BY day, GROUPING SETS ((), (status), (job, status), (job, kernel, status), (lab_name, status), (board, status), (arch, status), (defconfig_full, status))
    HAVING sum(n) <> 0;
    RETURN NULL;
END
$$;

CREATE FUNCTION boot_rollup_truncate() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
    DELETE FROM boot_rollup;
    RETURN NULL;
END
$$;

CREATE TRIGGER boot_rollup_insert AFTER INSERT ON boot REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION boot_rollup_insert();
CREATE TRIGGER boot_rollup_update AFTER UPDATE ON boot REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION boot_rollup_update();
CREATE TRIGGER boot_rollup_delete AFTER DELETE ON boot REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION boot_rollup_delete();
CREATE TRIGGER boot_rollup_truncate AFTER TRUNCATE ON boot
    FOR EACH STATEMENT EXECUTE FUNCTION boot_rollup_truncate();

-- What the table holds already.
INSERT INTO boot_rollup (grouping, day, job, kernel, defconfig_full, arch, board, lab_name, status, n, fresh)
SELECT GROUPING(job, kernel, defconfig_full, arch, board, lab_name, status), day, job, kernel, defconfig_full, arch, board, lab_name, status, sum(n), false
  FROM (SELECT (created_on AT TIME ZONE 'UTC')::date AS day, job, kernel, defconfig_full, arch, board, lab_name, status, 1 AS n FROM boot) AS existing
 GROUP BY day, GROUPING SETS ((), (status), (job, status), (job, kernel, status), (lab_name, status), (board, status), (arch, status), (defconfig_full, status));
