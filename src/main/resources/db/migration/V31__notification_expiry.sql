-- When a notification's messages stop being worth sending: a reminder once its event has begun ("begins in 1 hour"
-- would be wrong), a deadline nudge once replies are closed. A message still queued then (the bot was down, Telegram
-- unreachable, or a large broadcast ahead of it) is cancelled when the delivery engine claims it. NULL: never.
ALTER TABLE notifications ADD COLUMN expires_at INTEGER;
