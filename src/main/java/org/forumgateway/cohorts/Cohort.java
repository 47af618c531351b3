package org.forumgateway.cohorts;

import org.forumgateway.i18n.LocalizedText;

import java.time.LocalDate;

/** A volunteer cohort of supporters with its activity period (both days included). */
public record Cohort(int number, LocalizedText name, LocalDate startsOn, LocalDate endsOn) {

    /** Whether {@code day} is one of the cohort's days (the forum's own days, in its default zone). */
    public boolean runsOn(LocalDate day) {
        return !day.isBefore(startsOn) && !day.isAfter(endsOn);
    }
}
