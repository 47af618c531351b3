-- The event list (/events) counts the upcoming events a user may see and reads one page of them in start order.
-- With visibility (audience) and the order (starts_at, key) in the indexes, both come from an index alone: the
-- page no longer sorts every upcoming event, whole rows included, to show five of them.
DROP INDEX events_ends_at;
CREATE INDEX events_ends_at ON events (ends_at, audience);
DROP INDEX events_starts_at;
CREATE INDEX events_starts_at ON events (starts_at, key, ends_at, audience);
