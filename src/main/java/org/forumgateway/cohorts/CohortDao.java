package org.forumgateway.cohorts;

import org.forumgateway.storage.JsonText;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/** SQL for cohorts and their members. */
public final class CohortDao {
    private static final RowMapper<Cohort> COHORT = (rs, ctx) -> new Cohort(
            rs.getInt("number"),
            JsonText.read(rs.getString("name")),
            LocalDate.parse(rs.getString("starts_on")),
            LocalDate.parse(rs.getString("ends_on")));

    /**
     * Adds or updates a cohort from the events file. A later end than before takes an archived cohort back: it was
     * extended, or its end was mistyped in the past. If it is still over, the next round archives it again, with
     * no second farewell (each member's is recorded).
     */
    public void upsert(Handle handle, Cohort cohort, Instant now) {
        handle.createUpdate("""
                        INSERT INTO cohorts (number, name, starts_on, ends_on, updated_at)
                        VALUES (:number, :name, :startsOn, :endsOn, :now)
                        ON CONFLICT (number) DO UPDATE SET name = excluded.name, starts_on = excluded.starts_on,
                            ends_on = excluded.ends_on, updated_at = excluded.updated_at,
                            archived = CASE WHEN excluded.ends_on > cohorts.ends_on THEN 0 ELSE cohorts.archived END""")
                .bind("number", cohort.number())
                .bind("name", JsonText.write(cohort.name()))
                .bind("startsOn", cohort.startsOn().toString())
                .bind("endsOn", cohort.endsOn().toString())
                .bind("now", now.toEpochMilli())
                .execute();
    }

    public Optional<Cohort> find(Handle handle, int number) {
        return handle.createQuery("SELECT * FROM cohorts WHERE number = :number")
                .bind("number", number).map(COHORT).findOne();
    }

    public void archive(Handle handle, int number) {
        handle.createUpdate("UPDATE cohorts SET archived = 1 WHERE number = :number").bind("number", number).execute();
    }

    /** Cohorts not archived yet. */
    public List<Cohort> active(Handle handle) {
        return handle.createQuery("SELECT * FROM cohorts WHERE archived = 0 ORDER BY number").map(COHORT).list();
    }

    /** Every cohort with its member count, newest first. */
    public List<CohortSummary> summaries(Handle handle) {
        return handle.createQuery("""
                        SELECT c.*, (SELECT count(*) FROM users u WHERE u.cohort_number = c.number) AS members
                        FROM cohorts c ORDER BY c.number DESC""")
                .map((rs, ctx) -> new CohortSummary(COHORT.map(rs, ctx), rs.getInt("members")))
                .list();
    }
}
