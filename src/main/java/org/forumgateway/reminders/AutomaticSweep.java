package org.forumgateway.reminders;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;

/**
 * One round of every automatic message, run every {@link #PERIOD} by {@link ReminderAlarm}: nudges, cohort
 * greetings, digests, and reminders held back by quiet hours (reminders themselves are rung on time by the alarm).
 * Each job fails on its own. Thread-safe when its jobs are.
 */
public final class AutomaticSweep {
    private static final Logger log = LoggerFactory.getLogger(AutomaticSweep.class);
    /** How often the whole sweep runs. */
    public static final Duration PERIOD = Duration.ofSeconds(2);

    private final List<AutomaticJob> jobs;

    public AutomaticSweep(List<AutomaticJob> jobs) {
        this.jobs = List.copyOf(jobs);
    }

    public void run() {
        for (AutomaticJob job : jobs) {
            try {
                job.queueDue();
            } catch (RuntimeException e) {
                log.error("Automatic messages: a part of the sweep failed", e);
            }
        }
    }
}
