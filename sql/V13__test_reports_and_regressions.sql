-- Test reports and test regressions (CONTRACT.md sections 12.6 and 12.7): a group's deletion takes
-- its sub-groups and cases with it; the regressions are computed when read (sql/TestRegressions),
-- from these functions, in the reader's snapshot: nothing here keeps a computed value.

-- Deleting a group deletes the groups below it, at any depth, and their cases, in the deleting
-- statement's transaction, whatever deleted it (a DELETE, a batch, a report replacing a run). The
-- groups below are found in one statement (UNION stops at a cycle a PUT made), whose own firing
-- then deletes their cases and finds nothing more below: the recursion is two levels deep (a
-- statement trigger fires for no rows too: it stops when nothing was deleted).
CREATE FUNCTION test_group_delete_below() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM gone) THEN
        RETURN NULL;
    END IF;
    DELETE FROM test_case WHERE test_group_id IN (SELECT id FROM gone);
    DELETE FROM test_group WHERE id IN (
        WITH RECURSIVE below (id) AS (
            SELECT g.id FROM test_group g JOIN gone ON g.parent_id = gone.id
            UNION
            SELECT g.id FROM test_group g JOIN below b ON g.parent_id = b.id
        )
        SELECT id FROM below);
    RETURN NULL;
END
$$;
CREATE TRIGGER test_group_delete_below AFTER DELETE ON test_group REFERENCING OLD TABLE AS gone
    FOR EACH STATEMENT EXECUTE FUNCTION test_group_delete_below();

-- A run's series (section 12.7): the same name, job, git_branch, arch, defconfig_full,
-- build_environment, device_type and lab_name; an array of them compares null members as equal,
-- as the section's "the same" means. The run before one is the series' newest created before it:
-- one step back along this index.
DROP INDEX test_group_series;
CREATE INDEX test_group_run_series ON test_group
    ((ARRAY[name, job, git_branch, arch, defconfig_full, build_environment, device_type, lab_name]), created_on, id)
    WHERE parent_id IS NULL;
-- The test pages count regressions of a kernel's runs of one plan (the tests page: kernel and plan).
CREATE INDEX test_group_run_kernel ON test_group (kernel, name) WHERE parent_id IS NULL;

-- The run a group belongs to: the top group (no parent) its parents lead to within 64 levels, as
-- test_group_names walks them; null for a group whose parents end at a missing group or go round.
CREATE FUNCTION test_group_run(group_id char(24)) RETURNS char(24)
    LANGUAGE plpgsql STABLE PARALLEL SAFE COST 50 AS $$
DECLARE
    at char(24) COLLATE "C" := group_id;
    parent char(24) COLLATE "C";
BEGIN
    FOR depth IN 0..64 LOOP
        SELECT g.parent_id INTO parent FROM test_group g WHERE g.id = at;
        IF NOT FOUND THEN
            RETURN NULL;
        ELSIF parent IS NULL THEN
            RETURN at;
        END IF;
        at := parent;
    END LOOP;
    RETURN NULL;
END
$$;

-- The FAIL cases of a run, each with its test_case_path and the names it is made of (nulls kept,
-- as test_group_names has them): the run's groups within 64 levels, walked down from it. The
-- path joins the names that are not null with '.', as array_to_string does: a null prefix is "no
-- name yet", unlike an empty one. PL/pgSQL, so that the planner takes it as the few rows it is
-- (an inlined recursive query is estimated at hundreds, which makes plans JIT-compiled).
CREATE FUNCTION test_run_failures(run char(24))
    RETURNS TABLE (id char(24), created_on timestamptz, test_case_path text, names text[])
    LANGUAGE plpgsql STABLE PARALLEL SAFE COST 100 ROWS 10 AS $$
BEGIN
    RETURN QUERY
    WITH RECURSIVE down (id, prefix, names, depth) AS (
        SELECT g.id, g.name::text, ARRAY[g.name]::text[], 0 FROM test_group g WHERE g.id = run
        UNION ALL
        SELECT g.id, CASE WHEN g.name IS NULL THEN d.prefix WHEN d.prefix IS NULL THEN g.name ELSE d.prefix || '.' || g.name END,
               d.names || g.name, d.depth + 1
          FROM down d JOIN test_group g ON g.parent_id = d.id
         WHERE d.depth < 64
    )
    SELECT c.id, c.created_on,
           coalesce(CASE WHEN c.name IS NULL THEN d.prefix WHEN d.prefix IS NULL THEN c.name ELSE d.prefix || '.' || c.name END, ''),
           d.names || c.name
      FROM down d JOIN test_case c ON c.test_group_id = d.id
     WHERE c.status = 'FAIL';
END
$$;

-- Whether the FAIL case `failed`, at `case_path` in the run `run`, regresses (section 12.7): its
-- regression, the ids of the cases from the PASS to it, oldest first; else null. Walking back run
-- by run through the series, the case with that path (the greatest _id when several have it) must
-- be FAIL zero or more times, then PASS; a run without it, or another status, ends the walk. The
-- runs come in chunks of 8, 64, 512...: a new regression costs one look back, and a case that has
-- failed for a long time a few, each the walk down of a chunk of runs to that path (only into the
-- groups whose names lead to it: a name may hold dots, so every split of the path is tried).
-- Variables of text carry the default collation and ids "C", as the columns they are compared
-- with do, so that the indexes apply (the function's own collation comes from its arguments).
CREATE FUNCTION test_case_regression(run char(24), case_path text, failed char(24)) RETURNS char(24)[]
    LANGUAGE plpgsql STABLE PARALLEL SAFE COST 500 AS $$
DECLARE
    path text COLLATE "default" := case_path;
    series text[] COLLATE "default";
    at timestamptz;
    at_id char(24) COLLATE "C";
    chunk integer := 8;
    runs char(24)[] COLLATE "C";
    times timestamptz[];
    chain char(24)[] COLLATE "C" := ARRAY[failed];
    next_run bigint;
    hit record;
BEGIN
    SELECT ARRAY[g.name, g.job, g.git_branch, g.arch, g.defconfig_full, g.build_environment, g.device_type, g.lab_name],
           g.created_on, g.id
      INTO series, at, at_id FROM test_group g WHERE g.id = run AND g.parent_id IS NULL;
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;
    LOOP
        -- Ordered as the series index is (no other index gives that order), so that the plan kept
        -- for all calls walks it.
        SELECT array_agg(b.id ORDER BY b.created_on DESC, b.id DESC), array_agg(b.created_on ORDER BY b.created_on DESC, b.id DESC)
          INTO runs, times FROM (
            SELECT g.created_on, g.id FROM test_group g
             WHERE ARRAY[g.name, g.job, g.git_branch, g.arch, g.defconfig_full, g.build_environment, g.device_type, g.lab_name] = series
               AND g.parent_id IS NULL AND (g.created_on, g.id) < (at, at_id)
             ORDER BY ARRAY[g.name, g.job, g.git_branch, g.arch, g.defconfig_full, g.build_environment, g.device_type, g.lab_name] DESC,
                   g.created_on DESC, g.id DESC
             LIMIT chunk) AS b;
        IF runs IS NULL THEN
            RETURN NULL;
        END IF;
        next_run := 1;
        FOR hit IN
            WITH RECURSIVE down (ord, id, prefix, depth) AS (
                SELECT r.ord, g.id, g.name::text, 0
                  FROM unnest(runs) WITH ORDINALITY AS r (id, ord) JOIN test_group g ON g.id = r.id
                UNION ALL
                SELECT d.ord, g.id,
                       CASE WHEN g.name IS NULL THEN d.prefix WHEN d.prefix IS NULL THEN g.name ELSE d.prefix || '.' || g.name END,
                       d.depth + 1
                  FROM down d JOIN test_group g ON g.parent_id = d.id
                 WHERE d.depth < 64 AND (g.name IS NULL
                        OR d.prefix IS NULL AND (path = g.name OR starts_with(path, g.name || '.'))
                        OR path = d.prefix || '.' || g.name OR starts_with(path, d.prefix || '.' || g.name || '.'))
            ), cases (ord, id, status) AS (
                SELECT d.ord, c.id, c.status FROM down d JOIN test_case c ON c.test_group_id = d.id
                   AND c.name = CASE WHEN d.prefix IS NULL THEN path WHEN starts_with(path, d.prefix || '.')
                                     THEN substr(path, length(d.prefix) + 2) END
                UNION ALL
                SELECT d.ord, c.id, c.status FROM down d JOIN test_case c ON c.test_group_id = d.id AND c.name IS NULL
                 WHERE coalesce(d.prefix, '') = path
            )
            SELECT DISTINCT ON (cases.ord) cases.ord, cases.id, cases.status FROM cases ORDER BY cases.ord, cases.id DESC
        LOOP
            IF hit.ord <> next_run THEN
                RETURN NULL;
            ELSIF hit.status = 'PASS' THEN
                RETURN hit.id || chain;
            ELSIF hit.status IS DISTINCT FROM 'FAIL' THEN
                RETURN NULL;
            END IF;
            chain := hit.id || chain;
            next_run := next_run + 1;
        END LOOP;
        IF next_run <= cardinality(runs) THEN
            RETURN NULL;
        END IF;
        at := times[cardinality(times)];
        at_id := runs[cardinality(runs)];
        chunk := chunk * 8;
    END LOOP;
END
$$;

-- A regression's cases as the view lists them: each case's id, status and created_on, and its
-- group's kernel, git_commit, lab_name, build_id, boot_log, boot_log_html and plan_variant, in
-- the order given. json, not jsonb: the members stay in that order.
CREATE FUNCTION test_regression_cases(chain char(24)[]) RETURNS json
    LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT coalesce(json_agg(json_build_object(
               'test_case_id', json_build_object('$oid', c.id),
               'status', c.status,
               'created_on', json_build_object('$date', floor(extract(epoch FROM c.created_on) * 1000)::bigint),
               'kernel', g.kernel,
               'git_commit', g.git_commit,
               'lab_name', g.lab_name,
               'build_id', CASE WHEN g.build_id IS NOT NULL THEN json_build_object('$oid', g.build_id) END,
               'boot_log', g.boot_log,
               'boot_log_html', g.boot_log_html,
               'plan_variant', g.plan_variant) ORDER BY item.ord), '[]'::json)
      FROM unnest(chain) WITH ORDINALITY AS item (id, ord)
      JOIN test_case c ON c.id = item.id
      LEFT JOIN test_group g ON g.id = c.test_group_id
$$;
