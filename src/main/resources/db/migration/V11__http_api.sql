-- The HTTP API for other systems (issue 10).

-- Keys administrators create in chat (/apikey). Keys from API_KEYS live in the configuration, not here.
-- Only a SHA-256 of the key is kept: keys are 190+ bits of randomness, so a fast hash cannot be brute-forced.
CREATE TABLE api_keys (
    name        TEXT    PRIMARY KEY,
    key_hash    TEXT    NOT NULL UNIQUE, -- lower-case hex SHA-256 of the whole key
    scopes      TEXT    NOT NULL,        -- comma-separated: send, read, links
    created_by  INTEGER NOT NULL,
    created_at  INTEGER NOT NULL
);

-- The registration system's id of a person, linked to their Telegram account. One external id, one account;
-- an account has at most one external id.
CREATE TABLE external_ids (
    external_id  TEXT    PRIMARY KEY,
    user_id      INTEGER NOT NULL UNIQUE REFERENCES users (telegram_id),
    linked_at    INTEGER NOT NULL
);

-- Deep links (t.me/<bot>?start=lnk-<code>) that link whoever presses Start to an external id.
CREATE TABLE link_codes (
    code           TEXT    PRIMARY KEY,
    external_id    TEXT    NOT NULL,
    role           TEXT    CHECK (role IS NULL OR role IN ('delegate', 'supporter')),
    country        TEXT,
    cohort_number  INTEGER,
    key_name       TEXT    NOT NULL,
    expires_at     INTEGER NOT NULL,
    used_by        INTEGER,
    created_at     INTEGER NOT NULL
);

-- Messages other systems sent through POST /v1/messages. Their texts are in "content" until they start.
CREATE TABLE api_messages (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    key_name         TEXT    NOT NULL,
    reference        TEXT,
    target           TEXT    NOT NULL, -- JSON of the request's "to"
    content          TEXT    NOT NULL, -- JSON: texts by locale, buttons, silent
    urgent           INTEGER NOT NULL DEFAULT 0,
    status           TEXT    NOT NULL CHECK (status IN ('scheduled', 'sending', 'done', 'cancelled')),
    recipients       INTEGER NOT NULL,
    parts            INTEGER NOT NULL,
    notification_id  INTEGER REFERENCES notifications (id),
    send_at          INTEGER,
    created_at       INTEGER NOT NULL,
    started_at       INTEGER,
    finished_at      INTEGER
);
CREATE INDEX api_messages_reference ON api_messages (reference, id);
CREATE INDEX api_messages_status ON api_messages (status, id);

-- Idempotency-Key records per API key: the first answer, replayed to retries of the same request.
CREATE TABLE api_idempotency (
    key_name         TEXT    NOT NULL,
    idempotency_key  TEXT    NOT NULL,
    request_hash     TEXT    NOT NULL,
    state            TEXT    NOT NULL CHECK (state IN ('in_progress', 'done')),
    status           INTEGER,
    location         TEXT,
    body             TEXT,
    created_at       INTEGER NOT NULL,
    PRIMARY KEY (key_name, idempotency_key)
);
CREATE INDEX api_idempotency_created ON api_idempotency (created_at);
