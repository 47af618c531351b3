-- A webhook is retried for a day from its first attempt, not from when it was queued: after the bot was stopped
-- for a day, what it had queued got one attempt and was given up. Rows tried before this version count from when
-- they were queued, as they did.
ALTER TABLE webhook_deliveries ADD COLUMN first_attempt_at INTEGER;
UPDATE webhook_deliveries SET first_attempt_at = created_at WHERE attempts > 0;
