-- Listings filtered on one common field and read in the default order (_id, ascending):
-- `GET /boot?board=X&limit=2`. Without an index that starts with the field and ends with id,
-- PostgreSQL walks the primary key and filters, and for a rare value it reads most of the table
-- before it finds two rows. (kernel's index becomes (kernel, id): it still serves equality.)
CREATE INDEX boot_board_id ON boot (board, id);
CREATE INDEX boot_job_id_order ON boot (job, id);
CREATE INDEX boot_defconfig_id_order ON boot (defconfig, id);
CREATE INDEX boot_arch_id ON boot (arch, id);
CREATE INDEX boot_lab_name_id ON boot (lab_name, id);
DROP INDEX boot_kernel;
CREATE INDEX boot_kernel ON boot (kernel, id);
CREATE INDEX build_job_id_order ON build (job, id);
CREATE INDEX build_defconfig_id_order ON build (defconfig, id);
CREATE INDEX build_arch_id ON build (arch, id);
DROP INDEX build_kernel;
CREATE INDEX build_kernel ON build (kernel, id);
