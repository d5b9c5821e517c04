-- Compare requests (CONTRACT.md section 12.5): the service keeps the request, not its result, and
-- computes the comparison again from the current documents at every read. A request's id is
-- derived from its kind and its members (plan/ComparePlan), so that the same request is kept
-- once, whichever node takes it: a second POST finds its id taken and answers 200.
-- Rows are only ever inserted, never changed: no change counts (V4), a kept request changes no
-- answer's tag.
CREATE TABLE compare_request (
    id         char(24) COLLATE "C" PRIMARY KEY CHECK (id ~ '^[0-9a-f]{24}$'),
    kind       text        NOT NULL CHECK (kind IN ('job', 'build', 'boot')),
    request    jsonb       NOT NULL,
    created_on timestamptz NOT NULL
);
