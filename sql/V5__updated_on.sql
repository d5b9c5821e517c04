-- PUT sets updated_on to the time of the write (CONTRACT.md section 6); labs had it already.
ALTER TABLE job ADD COLUMN updated_on timestamptz;
ALTER TABLE build ADD COLUMN updated_on timestamptz;
ALTER TABLE boot ADD COLUMN updated_on timestamptz;
