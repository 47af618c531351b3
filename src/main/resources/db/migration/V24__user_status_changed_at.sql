-- When a person's status (active or blocked) last changed. A refusal that comes back late, for a message sent before
-- they unblocked the bot, must not mark them blocked again; until now that was judged by updated_at, which any change
-- of the row moves (a role, a chosen language), so a real block then waited for the next refusal. Rows start without
-- one: a blocked row's time is set again when it becomes active, and no refusal of a message sent before this version
-- can come back after it (messages on the wire at a stop are sent again at the start).
ALTER TABLE users ADD COLUMN status_changed_at INTEGER;
