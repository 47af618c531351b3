-- When a notification was cancelled (a recall, an API DELETE). Its queued messages are cancelled at once; one
-- already on its way to Telegram is answered first: a retry of it is then cancelled instead, and one Telegram
-- accepted is undone by what cancelled it (a recall deletes it).
ALTER TABLE notifications ADD COLUMN cancelled_at INTEGER;
