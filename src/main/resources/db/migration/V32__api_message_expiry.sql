-- When an API message stops being worth sending (the caller's expires_at): what is still queued then is cancelled,
-- and a scheduled message whose start comes later is cancelled whole. NULL: never.
ALTER TABLE api_messages ADD COLUMN expires_at INTEGER;
