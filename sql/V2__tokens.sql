-- API tokens (CONTRACT.md section 5). Only a SHA-256 hash of each token's value is stored; the
-- value itself is shown once, when the token is made.
CREATE TABLE token (
    id            char(24) COLLATE "C" PRIMARY KEY CHECK (id ~ '^[0-9a-f]{24}$'),
    token_hash    bytea NOT NULL UNIQUE,
    created_on    timestamptz NOT NULL,
    email         text,
    username      text,
    expires_on    timestamptz,
    expired       boolean NOT NULL DEFAULT false,
    ip_address    text[],
    is_admin      boolean NOT NULL DEFAULT false,
    is_superuser  boolean NOT NULL DEFAULT false,
    can_get       boolean NOT NULL DEFAULT false,
    can_post      boolean NOT NULL DEFAULT false,
    can_delete    boolean NOT NULL DEFAULT false,
    ip_restricted boolean NOT NULL DEFAULT false,
    create_token  boolean NOT NULL DEFAULT false,
    is_lab        boolean NOT NULL DEFAULT false,
    can_upload    boolean NOT NULL DEFAULT false,
    is_test_lab   boolean NOT NULL DEFAULT false,
    version       text
);
