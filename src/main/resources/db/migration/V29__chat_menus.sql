-- The command menu the bot last set for one private chat (setMyCommands with scope chat): a fingerprint of its
-- commands and their descriptions, in the chat's language. A chat without a row shows the public menu, in the language of the person's
-- Telegram app. Kept so that a menu is set again only when it would change: after a language is chosen, a role
-- changes, or a new version changes the commands or their descriptions.
CREATE TABLE chat_menus (
    telegram_id INTEGER PRIMARY KEY,
    fingerprint TEXT NOT NULL
);
