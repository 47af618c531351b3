-- Volunteer cohorts of supporters. Loaded from the events file (upsert by number).
CREATE TABLE cohorts (
    number      INTEGER PRIMARY KEY,
    name        TEXT    NOT NULL, -- JSON object: locale code -> text
    starts_on   TEXT    NOT NULL, -- ISO date
    ends_on     TEXT    NOT NULL,
    updated_at  INTEGER NOT NULL
);

ALTER TABLE users ADD COLUMN cohort_number INTEGER REFERENCES cohorts (number);
CREATE INDEX users_cohort ON users (cohort_number);

-- Forums, sessions and activities, as published in the events file. Rows are never deleted: RSVPs keep them.
CREATE TABLE events (
    key             TEXT    PRIMARY KEY,
    kind            TEXT    NOT NULL,
    title           TEXT    NOT NULL, -- JSON object: locale code -> text
    description     TEXT    NOT NULL, -- JSON object, possibly empty
    venue_name      TEXT,
    venue_address   TEXT,
    time_zone       TEXT    NOT NULL,
    local_start     TEXT    NOT NULL, -- ISO local date-time in time_zone, as written in the file
    local_end       TEXT    NOT NULL,
    local_deadline  TEXT,
    starts_at       INTEGER NOT NULL, -- the same instants in epoch milliseconds, for queries
    ends_at         INTEGER NOT NULL,
    capacity        INTEGER CHECK (capacity IS NULL OR capacity > 0),
    audience        TEXT    NOT NULL, -- public | delegates | staff | cohort:<number>
    reminders       TEXT    NOT NULL, -- comma-separated durations, e.g. "24h,1h"
    cancelled       INTEGER NOT NULL DEFAULT 0,
    updated_at      INTEGER NOT NULL
);
CREATE INDEX events_ends_at ON events (ends_at);

-- One answer per (event, user). seq orders arrivals: the waitlist is served by it.
CREATE TABLE rsvps (
    event_key   TEXT    NOT NULL REFERENCES events (key),
    user_id     INTEGER NOT NULL REFERENCES users (telegram_id),
    status      TEXT    NOT NULL CHECK (status IN ('going', 'maybe', 'declined', 'waitlisted')),
    seq         INTEGER NOT NULL,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    PRIMARY KEY (event_key, user_id)
);
CREATE INDEX rsvps_user ON rsvps (user_id, status);
CREATE INDEX rsvps_event_status ON rsvps (event_key, status, seq);

-- Links staff hand out to give people a role.
CREATE TABLE invites (
    code          TEXT    PRIMARY KEY,
    role          TEXT    NOT NULL CHECK (role IN ('delegate', 'supporter')),
    country       TEXT,
    cohort_number INTEGER REFERENCES cohorts (number),
    expires_at    INTEGER NOT NULL,
    max_uses      INTEGER NOT NULL CHECK (max_uses > 0),
    uses          INTEGER NOT NULL DEFAULT 0,
    created_by    INTEGER NOT NULL,
    created_at    INTEGER NOT NULL
);

CREATE TABLE invite_uses (
    code     TEXT    NOT NULL REFERENCES invites (code),
    user_id  INTEGER NOT NULL REFERENCES users (telegram_id),
    used_at  INTEGER NOT NULL,
    PRIMARY KEY (code, user_id)
);

-- Secret per-user tokens of personal calendar feeds; deleting the row revokes the feed.
CREATE TABLE calendar_tokens (
    user_id     INTEGER PRIMARY KEY REFERENCES users (telegram_id),
    token       TEXT    NOT NULL UNIQUE,
    created_at  INTEGER NOT NULL
);
