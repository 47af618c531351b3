package org.forumgateway.api;

import org.forumgateway.storage.Database;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** A page of an event's answers reads that page, not every answer to the event sorted (500 per event, or 400,000). */
class RsvpPagePlanTest {
    @TempDir
    Path folder;

    @Test
    void aPageIsReadInRowidOrderFromTheEventsIndexWithoutSorting() {
        try (Database database = Database.open(folder.resolve("bot.db"))) {
            List<String> plan = database.jdbi().withHandle(handle -> handle.createQuery(
                            "EXPLAIN QUERY PLAN " + ScheduleEndpoints.RSVP_PAGE)
                    .bindMap(Map.of("key", "plenary", "after", 0L, "limit", 100, "keyName", "registration"))
                    .map((rs, ctx) -> rs.getInt("parent") + " " + rs.getString("detail")).list());
            assertTrue(plan.get(0).equals("0 SEARCH r USING INDEX rsvps_event (event_key=? AND rowid>?)"),
                    plan.toString());
            // The external id's lookup sorts a person's one or two links; the page itself is not sorted.
            assertTrue(plan.stream().noneMatch(step -> step.startsWith("0 USE TEMP B-TREE")), plan.toString());
        }
    }
}
