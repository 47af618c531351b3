package org.forumgateway.reminders;

/** One kind of automatic message (reminders, nudges, cohort greetings, digests): queues what is due now. */
@FunctionalInterface
public interface AutomaticJob {
    /** Queues every message of this kind that is due now and not sent before; returns how many were queued. */
    int queueDue();
}
