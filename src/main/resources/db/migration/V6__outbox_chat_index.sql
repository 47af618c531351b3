-- The delivery engine keeps each chat's messages in order: it looks up earlier waiting rows of the same chat.
CREATE INDEX outbox_chat ON outbox (chat_id, status, priority, id);

-- Updates from Telegram, stored before they are handled: the polling library confirms a batch to Telegram before
-- the bot handles it, so a crash would otherwise drop what was in hand. Handled rows stay a while so an update
-- Telegram sends again is recognised and not handled twice.
CREATE TABLE inbox (
    update_id   INTEGER PRIMARY KEY,
    payload     TEXT    NOT NULL,
    handled     INTEGER NOT NULL DEFAULT 0,
    received_at INTEGER NOT NULL
);
CREATE INDEX inbox_unhandled ON inbox (handled, update_id);
