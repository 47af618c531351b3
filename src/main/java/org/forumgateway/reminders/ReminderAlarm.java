package org.forumgateway.reminders;

import org.forumgateway.scheduling.Scheduling;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Rings the reminder part of the sweep at the very instant the next reminder falls due, as the database says, so
 * reminders are not up to a sweep period late. Re-armed after every ring, after every reload of the schedule (the
 * only thing that moves due instants), and checked after every periodic sweep as a safety net. Thread-safe.
 */
public final class ReminderAlarm {
    private static final String NAME = "reminder-alarm";

    private final AutomationDao due;
    private final EventReminders reminders;
    private final AutomaticSweep sweep;
    private final Scheduling scheduling;
    private final Clock clock;
    private Optional<Instant> armed = Optional.empty();

    public ReminderAlarm(AutomationDao due, EventReminders reminders, AutomaticSweep sweep, Scheduling scheduling,
                         Clock clock) {
        this.due = due;
        this.reminders = reminders;
        this.sweep = sweep;
        this.scheduling = scheduling;
        this.clock = clock;
    }

    /**
     * Starts the periodic sweep of every automatic message (nudges, cohorts, digests, and reminders held back by
     * quiet hours), each run followed by a check of the alarm, and arms the alarm.
     */
    public void start(Duration sweepPeriod) {
        scheduling.every("automatic-messages", sweepPeriod, () -> {
            Instant sweptUpTo = clock.instant();
            try {
                sweep.run();
            } finally {
                armAfter(sweptUpTo);
            }
        });
        // Ring once at start: reminders that fell due while the bot was down go out now, then the alarm arms itself.
        synchronized (this) {
            armed = Optional.of(clock.instant());
            scheduling.at(NAME, armed.get(), this::ring);
        }
    }

    /** Arms for the first due instant after now: after a reload, or at start. */
    public void arm() {
        armAfter(clock.instant());
    }

    /**
     * Arms for the first due instant after {@code sweptUpTo}, an instant a sweep already covered; one that is due
     * already rings at once. Re-arming for the instant already armed changes nothing.
     */
    public synchronized void armAfter(Instant sweptUpTo) {
        Optional<Instant> next = due.nextReminderDue(sweptUpTo);
        if (next.equals(armed)) {
            return;
        }
        armed = next;
        next.ifPresentOrElse(at -> scheduling.at(NAME, at, this::ring), () -> scheduling.cancel(NAME));
    }

    /** The instant the alarm is set for, if any. */
    public synchronized Optional<Instant> armedFor() {
        return armed;
    }

    private void ring() {
        Instant now = clock.instant();
        synchronized (this) {
            armed = Optional.empty();
        }
        try {
            reminders.queueDue();
        } finally {
            armAfter(now);
        }
    }
}
