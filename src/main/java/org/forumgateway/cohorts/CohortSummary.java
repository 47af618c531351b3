package org.forumgateway.cohorts;

/** A cohort and how many members it has. */
public record CohortSummary(Cohort cohort, int members) {
}
