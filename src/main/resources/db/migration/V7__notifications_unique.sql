-- A notification is named by its kind and reference, so queueing the same thing twice finds the one queued before.
-- Earlier versions could create several notifications with one name (a reminder queued in chunks): the first keeps
-- the name, the others are renamed apart, and keep their messages and figures.
UPDATE notifications SET reference = coalesce(reference, '') || '#' || id
WHERE id NOT IN (SELECT min(id) FROM notifications GROUP BY kind, coalesce(reference, ''));
UPDATE notifications SET reference = '' WHERE reference IS NULL;
CREATE UNIQUE INDEX notifications_name ON notifications (kind, reference);
