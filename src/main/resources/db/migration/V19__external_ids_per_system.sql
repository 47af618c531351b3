-- A person may be known to several systems, each by an id of its own (the registration system's, the website's):
-- until now an account held one external id, and a second system's link took the first one's away. An external id
-- still names one account; key_name is the API key whose link made it (NULL for links made before this version,
-- unless its link code says).
CREATE TABLE external_ids_by_system (
    external_id  TEXT    PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users (telegram_id),
    key_name     TEXT,
    linked_at    INTEGER NOT NULL
);
INSERT INTO external_ids_by_system (external_id, user_id, key_name, linked_at)
SELECT e.external_id, e.user_id,
       (SELECT c.key_name FROM link_codes c WHERE c.external_id = e.external_id AND c.used_by = e.user_id
        ORDER BY c.created_at DESC LIMIT 1),
       e.linked_at
FROM external_ids e;
DROP TABLE external_ids;
ALTER TABLE external_ids_by_system RENAME TO external_ids;
CREATE INDEX external_ids_user ON external_ids (user_id, linked_at);
