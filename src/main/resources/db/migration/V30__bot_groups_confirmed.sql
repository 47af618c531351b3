-- Whether the Secretariat vouches for a group: the bot was added to it by staff or an administrator, or one of them
-- has since sent a command there. Only such groups are in the audience "every group the bot is in": anyone on
-- Telegram can add the bot to a group of their own, and it must not receive the Secretariat's announcements unasked.
-- Groups the bot was in before this version keep receiving them (1); groups learnt from now on start at 0 unless
-- staff added the bot.
ALTER TABLE bot_groups ADD COLUMN confirmed INTEGER NOT NULL DEFAULT 1;
