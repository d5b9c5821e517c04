-- Change counts for conditional requests (CONTRACT.md section 9). Every transaction that writes
-- to a collection's table adds one row here for that table (statement triggers, so every write
-- path counts: reports, PUT, DELETE, batches, imports, COPY). Rows are only ever inserted, so
-- writers never wait on each other here; the sum per table grows with every committed write and
-- is read in a read's own snapshot, so an ETag made from it changes whenever a committed write
-- could change an answer. The service folds the rows of a table into one from time to time
-- (the sum stays the same).
CREATE TABLE change_count (
    collection text   NOT NULL,
    changes    bigint NOT NULL
);
CREATE INDEX change_count_collection ON change_count (collection);

INSERT INTO change_count (collection, changes) VALUES ('job', 0), ('build', 0), ('boot', 0), ('lab', 0);

-- One row per transaction and table: the flag is local to the transaction (and undone with a
-- rolled-back savepoint, as the row is).
CREATE FUNCTION count_change() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
    IF current_setting('kci.changed.' || TG_TABLE_NAME, true) IS DISTINCT FROM 'yes' THEN
        INSERT INTO change_count (collection, changes) VALUES (TG_TABLE_NAME, 1);
        PERFORM set_config('kci.changed.' || TG_TABLE_NAME, 'yes', true);
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER job_changes AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON job
    FOR EACH STATEMENT EXECUTE FUNCTION count_change();
CREATE TRIGGER build_changes AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON build
    FOR EACH STATEMENT EXECUTE FUNCTION count_change();
CREATE TRIGGER boot_changes AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON boot
    FOR EACH STATEMENT EXECUTE FUNCTION count_change();
CREATE TRIGGER lab_changes AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON lab
    FOR EACH STATEMENT EXECUTE FUNCTION count_change();
