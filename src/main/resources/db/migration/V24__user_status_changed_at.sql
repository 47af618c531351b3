-- When a person's status (active or blocked) last changed. A refusal that comes back late, for a message sent before
-- they unblocked the bot, must not mark them blocked again; until now that was judged by updated_at, which any change
-- of the row moves (a role, a chosen language), so a real block then waited for the next refusal.
ALTER TABLE users ADD COLUMN status_changed_at INTEGER;
UPDATE users SET status_changed_at = updated_at WHERE status = 'blocked';
