-- Who scheduled an announcement: at its time the send is theirs (the audit log's actor, the chat that gets the
-- progress and the report), as "Send now" is whoever pressed it. Drafts are shared, so that is not always the author.
-- Announcements scheduled before this version have NULL and fall back to their author, as they did.
ALTER TABLE announcements ADD COLUMN scheduled_by INTEGER;
