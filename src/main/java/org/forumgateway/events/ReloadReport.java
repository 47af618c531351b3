package org.forumgateway.events;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What loading the events file changed.
 *
 * @param changes events that are new or differ from what was stored, with the stored version when there was one
 * @param at      when it was loaded
 */
public record ReloadReport(int events, int cohorts, List<Change> changes, Instant at) {
    public ReloadReport {
        changes = List.copyOf(changes);
    }

    public long added() {
        return changes.stream().filter(change -> change.before().isEmpty()).count();
    }

    public long updated() {
        return changes.size() - added();
    }

    /** One event that is new or changed. */
    public record Change(Optional<Event> before, Event after) {
    }
}
