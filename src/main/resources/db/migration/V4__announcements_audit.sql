-- Announcements staff send to audiences, with their languages and delivery state.
CREATE TABLE announcements (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    created_by       INTEGER NOT NULL,
    audience         TEXT    NOT NULL DEFAULT '',  -- e.g. "delegates,country:KZ"
    texts            TEXT    NOT NULL DEFAULT '{}', -- JSON: locale code -> Telegram HTML; "*" is for everyone else
    status           TEXT    NOT NULL CHECK (status IN ('draft', 'scheduled', 'sending', 'sent', 'cancelled')),
    urgent           INTEGER NOT NULL DEFAULT 0,
    scheduled_at     INTEGER,
    notification_id  INTEGER REFERENCES notifications (id),
    recipients       INTEGER,
    progress_chat    INTEGER,
    progress_outbox  INTEGER,                       -- the outbox row of the staff member's progress message
    created_at       INTEGER NOT NULL,
    started_at       INTEGER,
    finished_at      INTEGER
);
CREATE INDEX announcements_status ON announcements (status, scheduled_at);

-- Who did what, for every staff action.
CREATE TABLE audit_log (
    id      INTEGER PRIMARY KEY AUTOINCREMENT,
    actor   INTEGER NOT NULL,
    action  TEXT    NOT NULL,
    detail  TEXT    NOT NULL DEFAULT '',
    at      INTEGER NOT NULL
);
CREATE INDEX audit_log_at ON audit_log (at);

-- Where a multi-step conversation (the /announce wizard) stands for a user.
CREATE TABLE conversation_state (
    user_id     INTEGER PRIMARY KEY REFERENCES users (telegram_id),
    flow        TEXT    NOT NULL,
    step        TEXT    NOT NULL,
    data        TEXT    NOT NULL DEFAULT '',
    updated_at  INTEGER NOT NULL
);

-- The message id Telegram gave a sent message, so the bot can edit it later (progress messages).
ALTER TABLE outbox ADD COLUMN sent_message_id INTEGER;
