-- How many people (and groups) an announcement was sent to, as resolved when it started. Its progress counts the
-- queued rows, and a large audience is queued in chunks after the first: until the last chunk stores `recipients`,
-- this is the total the progress shows.
ALTER TABLE announcements ADD COLUMN audience_size INTEGER;
