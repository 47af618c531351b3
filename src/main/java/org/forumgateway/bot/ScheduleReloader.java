package org.forumgateway.bot;

import org.forumgateway.events.Event;
import org.forumgateway.events.EventService;
import org.forumgateway.events.ReloadReport;
import org.forumgateway.rsvp.Promotion;
import org.forumgateway.rsvp.RsvpService;

import java.util.ArrayList;
import java.util.List;

/**
 * Loads the events file, then gives seats that a larger (or removed) capacity freed to the waitlist, tells the
 * people who moved up, and tells everyone who answered an event that moved or was cancelled.
 */
public final class ScheduleReloader {
    private final EventService events;
    private final RsvpService rsvps;
    private final PromotionNotices notices;
    private final EventChangeNotices changes;

    public ScheduleReloader(EventService events, RsvpService rsvps, PromotionNotices notices,
                            EventChangeNotices changes) {
        this.events = events;
        this.rsvps = rsvps;
        this.notices = notices;
        this.changes = changes;
    }

    /** @throws org.forumgateway.events.EventFileException when the file is malformed; nothing changes then */
    public ReloadReport reload() {
        ReloadReport report = events.reload();
        List<Promotion> promotions = new ArrayList<>();
        for (ReloadReport.Change change : report.changes()) {
            if (change.before().isPresent() && capacityGrew(change.before().get(), change.after())) {
                promotions.addAll(rsvps.fillFreeSeats(change.after().key()));
            }
        }
        notices.tell(promotions);
        changes.tell(report.changes());
        return report;
    }

    private static boolean capacityGrew(Event before, Event after) {
        return before.capacity().isPresent()
                && after.capacity().map(capacity -> capacity > before.capacity().get()).orElse(true);
    }
}
