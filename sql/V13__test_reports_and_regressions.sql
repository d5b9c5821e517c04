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

-- The cases of some runs, each with its run's place in the list (from 1), its test_case_path and
-- the names it is made of (nulls kept, as test_group_names has them), the runs' groups walked down
-- within 64 levels. The path joins the names that are not null with '.', as array_to_string does
-- (a null prefix is "no name yet", unlike an empty one). With paths, only the cases at those paths:
-- the walk goes only into groups whose names lead to one of them, and looks a case up by name (a
-- name may hold dots: the rest of the path below a group is the name sought there). PL/pgSQL, so
-- that its plans are kept from call to call and the planner takes it as the few rows it is (an
-- inlined recursive query is estimated at hundreds, which has plans JIT-compiled).
CREATE FUNCTION test_run_cases(runs char(24)[], paths text[])
    RETURNS TABLE (ord bigint, id char(24), status text, created_on timestamptz, test_case_path text, names text[])
    LANGUAGE plpgsql STABLE PARALLEL SAFE COST 100 ROWS 20 AS $$
DECLARE
    -- The columns' collations, whatever the caller's: so that the indexes apply.
    sought text[] COLLATE "default" := paths;
    these char(24)[] COLLATE "C" := runs;
BEGIN
    IF sought IS NULL THEN
        RETURN QUERY
        WITH RECURSIVE down (ord, id, prefix, names, depth) AS (
            SELECT r.ord, g.id, g.name::text, ARRAY[g.name]::text[], 0
              FROM unnest(these) WITH ORDINALITY AS r (id, ord) JOIN test_group g ON g.id = r.id
            UNION ALL
            SELECT d.ord, g.id, CASE WHEN g.name IS NULL THEN d.prefix WHEN d.prefix IS NULL THEN g.name ELSE d.prefix || '.' || g.name END,
                   d.names || g.name, d.depth + 1
              FROM down d JOIN test_group g ON g.parent_id = d.id
             WHERE d.depth < 64
        )
        SELECT d.ord, c.id, c.status, c.created_on,
               coalesce(CASE WHEN c.name IS NULL THEN d.prefix WHEN d.prefix IS NULL THEN c.name ELSE d.prefix || '.' || c.name END, ''),
               d.names || c.name
          FROM down d JOIN test_case c ON c.test_group_id = d.id;
    ELSE
        RETURN QUERY
        WITH RECURSIVE down (ord, id, prefix, names, depth) AS (
            SELECT r.ord, g.id, g.name::text, ARRAY[g.name]::text[], 0
              FROM unnest(these) WITH ORDINALITY AS r (id, ord) JOIN test_group g ON g.id = r.id
            UNION ALL
            SELECT d.ord, g.id, CASE WHEN g.name IS NULL THEN d.prefix WHEN d.prefix IS NULL THEN g.name ELSE d.prefix || '.' || g.name END,
                   d.names || g.name, d.depth + 1
              FROM down d JOIN test_group g ON g.parent_id = d.id
             WHERE d.depth < 64 AND (g.name IS NULL OR EXISTS (
                    SELECT 1 FROM unnest(sought) AS p (path)
                     WHERE d.prefix IS NULL AND (p.path = g.name OR starts_with(p.path, g.name || '.'))
                        OR p.path = d.prefix || '.' || g.name OR starts_with(p.path, d.prefix || '.' || g.name || '.')))
        )
        SELECT d.ord, c.id, c.status, c.created_on, p.path, d.names || c.name
          FROM down d JOIN unnest(sought) AS p (path) ON d.prefix IS NULL OR starts_with(p.path, d.prefix || '.')
          JOIN test_case c ON c.test_group_id = d.id
           AND c.name = CASE WHEN d.prefix IS NULL THEN p.path ELSE substr(p.path, length(d.prefix) + 2) END
        UNION ALL
        SELECT d.ord, c.id, c.status, c.created_on, p.path, d.names || c.name
          FROM down d JOIN unnest(sought) AS p (path) ON coalesce(d.prefix, '') = p.path
          JOIN test_case c ON c.test_group_id = d.id AND c.name IS NULL;
    END IF;
END
$$;

-- The regressions of a run (section 12.7): its FAIL cases that regress (with one_path, those at
-- that path), each with its path, its names and its regression, the ids of the cases from the PASS to
-- it, oldest first. Walking back run by run through the run's series, the case with the path (the
-- greatest _id when several have it) must be FAIL zero or more times, then PASS; a run without it,
-- or another status, ends the walk. All the run's paths walk back together, and the runs come in
-- chunks of 8, 64, 512...: a new regression costs one look back, a case that has failed for long
-- a few, each one walk down the chunk's runs to the paths still walking. Variables of text carry
-- the default collation and ids "C", as the columns they are compared with do, so that the
-- indexes apply (the function's own collation comes from its arguments).
CREATE FUNCTION test_run_regressions(run char(24), one_path text)
    RETURNS TABLE (id char(24), created_on timestamptz, test_case_path text, names text[], chain char(24)[])
    LANGUAGE plpgsql STABLE PARALLEL SAFE COST 500 ROWS 5 AS $$
DECLARE
    series text[] COLLATE "default";
    at timestamptz;
    at_id char(24) COLLATE "C";
    chunk integer := 8;
    runs char(24)[] COLLATE "C";
    times timestamptz[];
    -- The paths still walking back, and the FAIL cases each met so far (ids, oldest first, comma-joined).
    paths text[] COLLATE "default";
    walked text[];
    found_paths text[] COLLATE "default" := '{}';
    found_chains text[] := '{}';
    next_paths text[] COLLATE "default";
    next_walked text[];
    chain_so_far text;
    step record;
BEGIN
    SELECT ARRAY[g.name, g.job, g.git_branch, g.arch, g.defconfig_full, g.build_environment, g.device_type, g.lab_name],
           g.created_on, g.id
      INTO series, at, at_id FROM test_group g WHERE g.id = run AND g.parent_id IS NULL;
    IF NOT FOUND THEN
        RETURN;
    END IF;
    IF one_path IS NULL THEN
        SELECT array_agg(DISTINCT c.test_case_path) INTO paths FROM test_run_cases(ARRAY[at_id], NULL) AS c
         WHERE c.status = 'FAIL';
    ELSE
        paths := ARRAY[one_path];
    END IF;
    IF paths IS NULL THEN
        RETURN;
    END IF;
    walked := array_fill(''::text, ARRAY[cardinality(paths)]);
    WHILE cardinality(paths) > 0 LOOP
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
        EXIT WHEN runs IS NULL;
        next_paths := '{}';
        next_walked := '{}';
        -- For each path: the first run of the chunk where its case is not FAIL (or missing), that
        -- case, and the FAIL cases before it.
        FOR step IN
            WITH hits (ord, path, id, status) AS (
                SELECT DISTINCT ON (c.ord, c.test_case_path) c.ord, c.test_case_path, c.id, c.status
                  FROM test_run_cases(runs, paths) AS c ORDER BY c.ord, c.test_case_path, c.id DESC
            ), grid (path, ord, id, status) AS (
                SELECT p.path, o.ord, h.id, h.status
                  FROM unnest(paths) AS p (path) CROSS JOIN generate_series(1, cardinality(runs)) AS o (ord)
                  LEFT JOIN hits h ON h.path = p.path AND h.ord = o.ord
            ), stops (path, stop) AS (
                SELECT g.path, min(g.ord) FILTER (WHERE g.status IS DISTINCT FROM 'FAIL') FROM grid g GROUP BY g.path
            )
            SELECT s.path, s.stop, st.id AS stop_id, st.status AS stop_status,
                   (SELECT string_agg(g.id, ',' ORDER BY g.ord DESC) FROM grid g
                     WHERE g.path = s.path AND g.ord < coalesce(s.stop, cardinality(runs) + 1)) AS failed
              FROM stops s LEFT JOIN grid st ON st.path = s.path AND st.ord = s.stop
        LOOP
            chain_so_far := concat_ws(',', step.failed, nullif(walked[array_position(paths, step.path)], ''));
            IF step.stop IS NULL THEN
                next_paths := next_paths || step.path;
                next_walked := next_walked || chain_so_far;
            ELSIF step.stop_status = 'PASS' THEN
                found_paths := found_paths || step.path;
                found_chains := found_chains || concat_ws(',', step.stop_id, nullif(chain_so_far, ''));
            END IF;
        END LOOP;
        paths := next_paths;
        walked := next_walked;
        at := times[cardinality(times)];
        at_id := runs[cardinality(runs)];
        chunk := chunk * 8;
    END LOOP;
    IF cardinality(found_paths) > 0 THEN
        RETURN QUERY
        SELECT c.id, c.created_on, c.test_case_path, c.names, string_to_array(f.chain || ',' || c.id, ',')::char(24)[]
          FROM test_run_cases(ARRAY[run], found_paths) AS c
          JOIN unnest(found_paths, found_chains) AS f (path, chain) ON f.path = c.test_case_path
         WHERE c.status = 'FAIL';
    END IF;
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
