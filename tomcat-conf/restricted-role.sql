-- Grants of a runtime role that may not change the schema (kci.migrate=false in context.xml).
-- kci_owner owns the database and applies the migrations; kci_app is the role of context.xml.
-- Run as kci_owner in the service's database, after the migrations (README.md, "Deploying to
-- Tomcat"):  psql -v ON_ERROR_STOP=1 -h localhost -U kci_owner -d kci -f restricted-role.sql
GRANT USAGE ON SCHEMA public TO kci_app;
GRANT SELECT ON ALL TABLES IN SCHEMA public TO kci_app;
-- kci.admin.token makes sure its token exists at start-up: the one write of the service.
GRANT INSERT, UPDATE ON token TO kci_app;
-- The service folds the change counts of conditional requests (V4) into one row per table.
GRANT INSERT, DELETE ON change_count TO kci_app;
-- ... and the per-day counts' deltas (V8) into their rows.
GRANT INSERT, UPDATE, DELETE ON job_rollup, build_rollup, boot_rollup TO kci_app;
-- Tables that later migrations make (as kci_owner) are readable too.
ALTER DEFAULT PRIVILEGES FOR ROLE kci_owner IN SCHEMA public GRANT SELECT ON TABLES TO kci_app;
-- The service keeps each compare request (V14) when it is first posted; kept ones never change.
GRANT INSERT ON compare_request TO kci_app;
