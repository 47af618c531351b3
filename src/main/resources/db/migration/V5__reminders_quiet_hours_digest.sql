-- Reminder offsets of each event, in minutes before its start (from the events file, else the defaults).
CREATE TABLE event_reminder_offsets (
    event_key       TEXT    NOT NULL REFERENCES events (key),
    offset_minutes  INTEGER NOT NULL CHECK (offset_minutes > 0),
    PRIMARY KEY (event_key, offset_minutes)
);

-- Automatic messages already queued, so each goes out at most once whatever restarts and reloads happen.
-- kind: 'reminder:<offset minutes>' | 'nudge' | 'welcome' | 'farewell' | 'digest:<ISO week>'; subject: an event key,
-- a cohort number or empty.
CREATE TABLE automatic_sent (
    kind      TEXT    NOT NULL,
    subject   TEXT    NOT NULL,
    user_id   INTEGER NOT NULL,
    sent_at   INTEGER NOT NULL,
    PRIMARY KEY (kind, subject, user_id)
);

-- Quiet hours: minutes after local midnight in the user's zone; NULL start = the configured default; -1 = off.
ALTER TABLE users ADD COLUMN quiet_start INTEGER;
ALTER TABLE users ADD COLUMN quiet_end INTEGER;
ALTER TABLE users ADD COLUMN digest INTEGER NOT NULL DEFAULT 0;

ALTER TABLE cohorts ADD COLUMN archived INTEGER NOT NULL DEFAULT 0;


CREATE INDEX events_starts_at ON events (starts_at);
