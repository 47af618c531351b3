-- The groups and supergroups the bot is in, as Telegram's my_chat_member updates (and messages there) tell it.
-- A group the bot left or was removed from stays, with member = 0, so that its last state is known.
CREATE TABLE bot_groups (
    chat_id        INTEGER PRIMARY KEY,             -- negative, as Telegram numbers groups
    title          TEXT    NOT NULL DEFAULT '',
    type           TEXT    NOT NULL CHECK (type IN ('group', 'supergroup')),
    member         INTEGER NOT NULL,                -- 1 while the bot is in the group
    administrator  INTEGER NOT NULL DEFAULT 0,      -- 1 when the bot is an administrator (or the creator)
    can_pin        INTEGER,                         -- 1 may pin, 0 may not, NULL not known (seen only by a message)
    updated_at     INTEGER NOT NULL
);
CREATE INDEX bot_groups_member ON bot_groups (member);

-- Whether an announcement is pinned in the groups it reaches (staff choose before sending).
ALTER TABLE announcements ADD COLUMN pin_in_groups INTEGER NOT NULL DEFAULT 0;
