package org.forumgateway.events;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What loading the events file changed.
 *
 * @param changes events that are new or differ from what was stored, with the stored version when there was one
 * @param at      when it was loaded
 * @param missing keys of events that have not ended and are no longer in the file: they stay as they were (their
 *                answers too), which staff should know, as taking one out does not call it off
 */
public record ReloadReport(int events, int cohorts, List<Change> changes, Instant at, List<String> missing) {
    public ReloadReport {
        changes = List.copyOf(changes);
        missing = List.copyOf(missing);
    }

    /** The first {@code atMost} of {@link #missing()}, for a message or a log line of bounded length. */
    public List<String> missing(int atMost) {
        return missing.subList(0, Math.min(missing.size(), atMost));
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
