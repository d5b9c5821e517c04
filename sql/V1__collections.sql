-- The kernelci collections (CONTRACT.md section 1). Column names follow the field declarations
-- in org.kernelci.batch.schema.Collections; a test compares the two.
-- Ids are ObjectId-like: 24 lowercase hex digits, time-ordered; "C" collation so that they sort
-- byte-wise in every locale.

CREATE TABLE job (
    id           char(24) COLLATE "C" PRIMARY KEY CHECK (id ~ '^[0-9a-f]{24}$'),
    created_on   timestamptz NOT NULL,
    name         text,
    job          text,
    kernel       text,
    status       text,
    private      boolean,
    git_branch   text,
    git_commit   text,
    git_describe text,
    git_url      text,
    version      text
);
CREATE INDEX job_created_on ON job (created_on, id);
CREATE INDEX job_job ON job (job, created_on, id);
CREATE INDEX job_kernel ON job (kernel);
CREATE INDEX job_status ON job (status, created_on, id);

CREATE TABLE build (
    id                   char(24) COLLATE "C" PRIMARY KEY CHECK (id ~ '^[0-9a-f]{24}$'),
    created_on           timestamptz NOT NULL,
    name                 text,
    job                  text,
    job_id               char(24) COLLATE "C",
    kernel               text,
    defconfig            text,
    defconfig_full       text,
    dirname              text,
    arch                 text,
    status               text,
    errors               integer,
    warnings             integer,
    build_time           double precision,
    git_url              text,
    git_branch           text,
    git_commit           text,
    git_describe         text,
    build_log            text,
    build_platform       jsonb,
    modules_dir          text,
    modules              text,
    dtb_dir              text,
    dtb_dir_data         jsonb,
    text_offset          text,
    system_map           text,
    kernel_config        text,
    kernel_image         text,
    kconfig_fragments    text,
    file_server_url      text,
    file_server_resource text,
    metadata             jsonb,
    version              text
);
CREATE INDEX build_created_on ON build (created_on, id);
CREATE INDEX build_job_status ON build (job, status, created_on, id);
CREATE INDEX build_job ON build (job, created_on, id);
CREATE INDEX build_status ON build (status, created_on, id);
CREATE INDEX build_kernel ON build (kernel);
CREATE INDEX build_defconfig ON build (defconfig, created_on);
CREATE INDEX build_arch ON build (arch, created_on);
CREATE INDEX build_job_id ON build (job_id);

CREATE TABLE boot (
    id                      char(24) COLLATE "C" PRIMARY KEY CHECK (id ~ '^[0-9a-f]{24}$'),
    created_on              timestamptz NOT NULL,
    name                    text,
    job                     text,
    job_id                  char(24) COLLATE "C",
    kernel                  text,
    defconfig               text,
    defconfig_full          text,
    defconfig_id            char(24) COLLATE "C",
    arch                    text,
    board                   text,
    board_instance          text,
    lab_name                text,
    status                  text,
    boot_result_description text,
    time_ms                 bigint,
    warnings                integer,
    retries                 integer,
    git_url                 text,
    git_branch              text,
    git_commit              text,
    git_describe            text,
    mach                    text,
    endian                  text,
    fastboot                boolean,
    boot_log                text,
    boot_log_html           text,
    kernel_image            text,
    initrd                  text,
    initrd_addr             text,
    load_addr               text,
    dtb                     text,
    dtb_addr                text,
    dtb_append              boolean,
    uimage                  text,
    uimage_addr             text,
    qemu                    text,
    qemu_command            text,
    file_server_url         text,
    file_server_resource    text,
    metadata                jsonb,
    version                 text
);
CREATE INDEX boot_created_on ON boot (created_on, id);
CREATE INDEX boot_job_status ON boot (job, status, created_on, id);
CREATE INDEX boot_status ON boot (status, created_on, id);
CREATE INDEX boot_lab_status ON boot (lab_name, status, created_on, id);
CREATE INDEX boot_board ON boot (board, created_on);
CREATE INDEX boot_kernel ON boot (kernel);
CREATE INDEX boot_defconfig ON boot (defconfig, created_on);
CREATE INDEX boot_arch ON boot (arch, created_on);
CREATE INDEX boot_job_id ON boot (job_id);
CREATE INDEX boot_defconfig_id ON boot (defconfig_id);

CREATE TABLE lab (
    id         char(24) COLLATE "C" PRIMARY KEY CHECK (id ~ '^[0-9a-f]{24}$'),
    created_on timestamptz NOT NULL,
    updated_on timestamptz,
    name       text NOT NULL UNIQUE,
    private    boolean,
    token      char(24) COLLATE "C",
    contact    jsonb,
    address    jsonb,
    version    text
);
