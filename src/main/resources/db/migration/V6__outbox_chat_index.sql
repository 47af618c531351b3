-- The delivery engine keeps each chat's messages in order: it looks up earlier waiting rows of the same chat.
CREATE INDEX outbox_chat ON outbox (chat_id, status, priority, id);
