-- Idempotency keys (the IETF Idempotency-Key draft): the answer of a write sent with a key, kept
-- with a fingerprint of its request so that a repeat of the request replays it without running.
-- A row is inserted in the write's own transaction, so the write and its key commit together (or
-- neither does: a write whose outcome is unknown left no key, and its retry runs). A key belongs
-- to its caller (scope: the token's id, or the container's user). Rows older than
-- KCI_IDEMPOTENCY_TTL are not replayed and are deleted lazily.
CREATE TABLE idempotency_key (
    scope       text        NOT NULL,
    key         text        NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
    fingerprint text        NOT NULL,
    status      smallint    NOT NULL,
    headers     text        NOT NULL,
    body        bytea       NOT NULL,
    created_on  timestamptz NOT NULL,
    PRIMARY KEY (scope, key)
);
CREATE INDEX idempotency_key_created_on ON idempotency_key (created_on);
