-- Something sent to many people (an announcement, an event-change notice): the unit of progress reports.
CREATE TABLE notifications (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    kind        TEXT    NOT NULL,
    reference   TEXT,
    created_at  INTEGER NOT NULL
);

-- Every message the bot sends, replies included, before it is sent. A row per (notification, recipient, part):
-- the unique key makes queueing twice impossible. Replies have no notification.
CREATE TABLE outbox (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    notification_id  INTEGER REFERENCES notifications (id),
    recipient        INTEGER NOT NULL,            -- the chat as addressed
    part             INTEGER NOT NULL DEFAULT 0,  -- a long text split in several messages
    chat_id          INTEGER NOT NULL,            -- where it goes now: follows group-to-supergroup migrations
    priority         INTEGER NOT NULL,            -- 0 answers someone waiting, 1 bulk
    method           TEXT    NOT NULL,
    payload          TEXT    NOT NULL,            -- JSON of the message
    status           TEXT    NOT NULL CHECK (status IN ('pending', 'in_flight', 'sent', 'failed', 'blocked',
                                                        'cancelled')),
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  INTEGER NOT NULL,
    last_error       TEXT,
    created_at       INTEGER NOT NULL,
    sent_at          INTEGER,
    UNIQUE (notification_id, recipient, part)
);
CREATE INDEX outbox_queue ON outbox (status, priority, id);
CREATE INDEX outbox_notification ON outbox (notification_id, status);
