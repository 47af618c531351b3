-- Secrets the bot generates once and must keep across restarts, such as the webhook's secret token
-- (Telegram sends it back on every call; a new one at each start would refuse updates sent before).
CREATE TABLE kept_secrets (
    name       TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
