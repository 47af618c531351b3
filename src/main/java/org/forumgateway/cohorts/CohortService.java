package org.forumgateway.cohorts;

import org.jdbi.v3.core.Jdbi;

import java.util.List;
import java.util.Optional;

/** Cohorts and their members. Thread-safe. */
public final class CohortService {
    private final Jdbi jdbi;
    private final CohortDao cohorts = new CohortDao();

    public CohortService(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    public Optional<Cohort> find(int number) {
        return jdbi.withHandle(handle -> cohorts.find(handle, number));
    }

    public List<Cohort> active() {
        return jdbi.withHandle(cohorts::active);
    }

    /** Archived cohorts drop out of audiences unless named; members keep their history. */
    public void archive(int number) {
        jdbi.useHandle(handle -> cohorts.archive(handle, number));
    }

    public List<CohortSummary> summaries() {
        return jdbi.withHandle(cohorts::summaries);
    }
}
