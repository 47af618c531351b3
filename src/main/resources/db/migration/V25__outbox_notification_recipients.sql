-- Counting a notification's recipients by the state of all their messages (the API's counts, message.completed, the
-- staff's progress) groups its rows by recipient; with the recipient in this index the count reads the index alone,
-- not every row (and the overflow pages of long texts). The queries by notification and status use its first two
-- columns as before.
DROP INDEX outbox_notification;
CREATE INDEX outbox_notification ON outbox (notification_id, status, recipient);
