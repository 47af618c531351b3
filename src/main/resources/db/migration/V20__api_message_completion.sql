-- message.completed is published for a cancelled API message too, once its last message has settled (the ones
-- Telegram had in hand when it was cancelled still finish), so a system that cancels learns its final counts.
-- completion_published says the event went out. Messages settled before this version count as published: a
-- receiver would not expect news of them now.
ALTER TABLE api_messages ADD COLUMN completion_published INTEGER NOT NULL DEFAULT 0;
UPDATE api_messages SET completion_published = 1 WHERE status IN ('done', 'cancelled');
