-- When an API message stops being worth sending (the caller's expires_at): what is still queued then is cancelled,
-- including the messages of a scheduled one whose start comes later. NULL: never.
ALTER TABLE api_messages ADD COLUMN expires_at INTEGER;
-- The caller's send_at_local (a wall-clock time each recipient gets the message at in their own zone), as given in
-- ISO form without an offset, for the message's status. NULL: sent at once, or at send_at.
ALTER TABLE api_messages ADD COLUMN send_at_local TEXT;
-- The round that cancels messages held past their notification's expiry (quiet hours, a retry's wait) finds the
-- notifications that expired lately here.
CREATE INDEX notifications_expiry ON notifications (expires_at) WHERE expires_at IS NOT NULL;
-- The answers to one event in the order they were stored (GET /v1/events/{key}/rsvps pages by rowid): without it
-- each page sorted every answer to the event.
CREATE INDEX rsvps_event ON rsvps (event_key);
-- The delivery engine reads the due rows of the queue in (status, priority, id) order many times a second: with
-- their due time in the index, rows held for later (quiet hours, a local time days ahead) are passed over in the
-- index instead of each being read from the table.
DROP INDEX outbox_queue;
CREATE INDEX outbox_queue ON outbox (status, priority, id, next_attempt_at);
