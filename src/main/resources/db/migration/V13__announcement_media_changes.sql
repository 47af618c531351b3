-- Photos, documents, videos and albums of an announcement, by variant: JSON locale -> [{"kind", "file"}].
-- A variant with media sends them with its text as the caption.
ALTER TABLE announcements ADD COLUMN media TEXT NOT NULL DEFAULT '{}';

-- Which variant (locale key of texts/media) each recipient got, so an edit gives each the right new text.
CREATE TABLE announcement_recipients (
    announcement_id  INTEGER NOT NULL REFERENCES announcements (id),
    recipient        INTEGER NOT NULL,
    variant          TEXT    NOT NULL,
    PRIMARY KEY (announcement_id, recipient)
) WITHOUT ROWID;

-- Edits and recalls of sent announcements: each goes out as its own notification, with progress and a report.
CREATE TABLE announcement_changes (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    announcement_id  INTEGER NOT NULL REFERENCES announcements (id),
    kind             TEXT    NOT NULL CHECK (kind IN ('edit', 'delete')),
    texts            TEXT    NOT NULL DEFAULT '{}', -- an edit's new texts, by variant, while staff type them
    status           TEXT    NOT NULL CHECK (status IN ('draft', 'sending', 'done')),
    created_by       INTEGER NOT NULL,
    notification_id  INTEGER REFERENCES notifications (id),
    too_old          INTEGER NOT NULL DEFAULT 0,    -- messages past Telegram's 48 hours, left as they are
    progress_chat    INTEGER,
    progress_outbox  INTEGER,
    created_at       INTEGER NOT NULL,
    started_at       INTEGER,
    finished_at      INTEGER
);
CREATE INDEX announcement_changes_status ON announcement_changes (status);
