-- message.completed is published for a cancelled API message too, once its last message has settled (the ones
-- Telegram had in hand when it was cancelled still finish), so a system that cancels learns its final counts.
-- completion_published says the event went out. Messages settled before this version count as published (a
-- receiver would not expect news of them now): the column defaults to 1, so the upgrade rewrites only the few
-- messages still scheduled or sending, found by their status index; new messages are stored with 0.
ALTER TABLE api_messages ADD COLUMN completion_published INTEGER NOT NULL DEFAULT 1;
UPDATE api_messages SET completion_published = 0 WHERE status IN ('scheduled', 'sending');
-- The messages still to publish, read every two seconds: without it each round read every cancelled message ever.
CREATE INDEX api_messages_unpublished ON api_messages (status) WHERE completion_published = 0;
