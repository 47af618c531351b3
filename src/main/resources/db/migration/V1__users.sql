-- Everyone who has talked to the bot. Refreshed on every update they send.
CREATE TABLE users (
    telegram_id    INTEGER PRIMARY KEY,
    first_name     TEXT    NOT NULL,
    last_name      TEXT,
    username       TEXT,
    telegram_language TEXT,
    -- The user's explicit choices; NULL until they choose.
    locale         TEXT,
    time_zone      TEXT,
    role           TEXT    NOT NULL DEFAULT 'guest' CHECK (role IN ('guest', 'supporter', 'delegate', 'staff')),
    country        TEXT,
    status         TEXT    NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'blocked')),
    created_at     INTEGER NOT NULL, -- epoch milliseconds, as every timestamp here
    updated_at     INTEGER NOT NULL,
    last_seen_at   INTEGER NOT NULL
);

CREATE INDEX users_username ON users (username COLLATE NOCASE);
CREATE INDEX users_role ON users (role);
