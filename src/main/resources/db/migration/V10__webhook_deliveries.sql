-- Outgoing webhooks (Standard Webhooks): one row per event and endpoint, queued in the transaction of the change
-- that caused the event. The body is fixed at enqueue time so every retry signs the same bytes, and webhook_id is
-- the same on every retry so receivers can drop duplicates (delivery is at least once).
CREATE TABLE webhook_deliveries (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    endpoint         TEXT    NOT NULL,            -- the endpoint's name in the configuration
    webhook_id       TEXT    NOT NULL,            -- msg_<random>, shared by the endpoints one event goes to
    event_type       TEXT    NOT NULL,
    body             TEXT    NOT NULL,            -- {"type", "timestamp", "data"}
    status           TEXT    NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  INTEGER NOT NULL,
    last_error       TEXT,
    created_at       INTEGER NOT NULL,
    delivered_at     INTEGER,
    UNIQUE (endpoint, webhook_id)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (endpoint, status, next_attempt_at);

-- How each endpoint is doing: failures in a row since its last 2xx, and whether administrators were told about
-- this outage (at most once per outage).
CREATE TABLE webhook_endpoints (
    name                  TEXT    PRIMARY KEY,
    consecutive_failures  INTEGER NOT NULL DEFAULT 0,
    failing_since         INTEGER,
    last_error            TEXT,
    alerted_at            INTEGER
);
