-- How many times a person's answer to an event changed (a promotion from the waitlist included). A calendar file
-- shows the answer (a waitlisted seat is tentative and titled so): its SEQUENCE is the event's revision plus this,
-- so that a file added again after the answer changed is taken as an update of the one added before.
ALTER TABLE rsvps ADD COLUMN answer_changes INTEGER NOT NULL DEFAULT 0;
