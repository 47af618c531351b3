-- Calendar files carry an event's revision as SEQUENCE: without it, a calendar app given the file of a moved event
-- (the same UID, sequence 0) may keep the old time or show the event twice. Raised by each reload that changes what
-- a calendar shows: texts, venue, time, cancellation.
ALTER TABLE events ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;
