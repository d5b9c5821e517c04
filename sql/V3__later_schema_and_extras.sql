-- The fields the original's later (2019) models added (CONTRACT.md section 1), and on every
-- collection the extras: a jsonb object of the members of imported or reported documents that no
-- field is declared for, rendered back as members of the document, so that nothing is lost.

ALTER TABLE job
    ADD COLUMN kernel_version        text,
    ADD COLUMN git_describe_v        text,
    ADD COLUMN compiler              text,
    ADD COLUMN compiler_version      text,
    ADD COLUMN compiler_version_ext  text,
    ADD COLUMN compiler_version_full text,
    ADD COLUMN cross_compile         text,
    ADD COLUMN extras                jsonb;

ALTER TABLE build
    ADD COLUMN build_type            text,
    ADD COLUMN build_environment     text,
    ADD COLUMN build_log_size        integer,
    ADD COLUMN compiler              text,
    ADD COLUMN compiler_version      text,
    ADD COLUMN compiler_version_ext  text,
    ADD COLUMN compiler_version_full text,
    ADD COLUMN cross_compile         text,
    ADD COLUMN git_describe_v        text,
    ADD COLUMN kernel_version        text,
    ADD COLUMN kernel_config_size    integer,
    ADD COLUMN kernel_image_size     integer,
    ADD COLUMN modules_size          integer,
    ADD COLUMN system_map_size       double precision,
    ADD COLUMN vmlinux_bss_size      integer,
    ADD COLUMN vmlinux_data_size     integer,
    ADD COLUMN vmlinux_file_size     integer,
    ADD COLUMN vmlinux_text_size     integer,
    ADD COLUMN extras                jsonb;

ALTER TABLE boot
    ADD COLUMN build_environment     text,
    ADD COLUMN compiler              text,
    ADD COLUMN compiler_version      text,
    ADD COLUMN compiler_version_ext  text,
    ADD COLUMN compiler_version_full text,
    ADD COLUMN cross_compile         text,
    ADD COLUMN device_type           text,
    ADD COLUMN kernel_image_size     integer,
    ADD COLUMN fastboot_cmd          text,
    ADD COLUMN filesystem            text,
    ADD COLUMN bootloader            text,
    ADD COLUMN bootloader_version    text,
    ADD COLUMN chainloader           text,
    ADD COLUMN boot_job_id           jsonb,
    ADD COLUMN boot_job_path         text,
    ADD COLUMN boot_job_url          text,
    ADD COLUMN plan                  text,
    ADD COLUMN plan_variant          text,
    ADD COLUMN extras                jsonb;

ALTER TABLE lab
    ADD COLUMN extras                jsonb;
