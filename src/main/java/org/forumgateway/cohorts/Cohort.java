package org.forumgateway.cohorts;

import org.forumgateway.i18n.LocalizedText;

import java.time.LocalDate;

/** A volunteer cohort of supporters with its activity period (both days included). */
public record Cohort(int number, LocalizedText name, LocalDate startsOn, LocalDate endsOn) {
}
