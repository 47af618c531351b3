package org.forumgateway.announcements;

import org.forumgateway.rsvp.RsvpStatus;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Who an announcement goes to, as staff write it: terms separated by commas, such as
 * {@code delegates,country:KZ}. Terms of one kind widen the audience (cohort:1,cohort:2 is either cohort); terms of
 * different kinds narrow it (delegates,country:KZ is Kazakhstan's delegates). {@code all} is everyone.
 * <p>
 * Group terms ({@code groups}: every group the bot is in; {@code group:<chat id>}: one) add group chats to the people
 * the other terms choose; alone, they reach groups only ({@code all,groups} is everyone and every group).
 *
 * @param people    whether the audience has people in it: a people term or {@code all} was given, or no group term
 * @param allGroups every group the bot is in
 * @param groups    the chat ids of groups named one by one
 */
public record AudienceTerms(Set<String> roles, Set<Integer> cohorts, Set<String> countries,
                            List<EventTerm> events, Set<String> languages, boolean people, boolean allGroups,
                            Set<Long> groups) {
    private static final Pattern COHORT = Pattern.compile("cohort:([1-9][0-9]{0,3})");
    private static final Pattern COUNTRY = Pattern.compile("country:([a-zA-Z]{2})");
    private static final Pattern EVENT = Pattern.compile("event:([a-z0-9][a-z0-9-]{0,39})(?::(going|maybe|waitlisted))?");
    private static final Pattern LANGUAGE = Pattern.compile("lang:([a-z]{2,3})");
    private static final Pattern GROUP = Pattern.compile("group:(-[1-9][0-9]{0,15})");

    public AudienceTerms {
        roles = Set.copyOf(roles);
        cohorts = Set.copyOf(cohorts);
        countries = Set.copyOf(countries);
        events = List.copyOf(new LinkedHashSet<>(events)); // a term given twice is one term
        languages = Set.copyOf(languages);
        groups = Set.copyOf(groups);
    }

    /** People only, no groups. */
    public AudienceTerms(Set<String> roles, Set<Integer> cohorts, Set<String> countries, List<EventTerm> events,
                         Set<String> languages) {
        this(roles, cohorts, countries, events, languages, true, false, Set.of());
    }

    /** Whether group chats are in the audience. */
    public boolean includesGroups() {
        return allGroups || !groups.isEmpty();
    }

    /** People who answered an event: every answer but "can't go", or one status. */
    public record EventTerm(String key, Optional<RsvpStatus> status) {
        public Set<RsvpStatus> statuses() {
            return status.map(Set::of).orElse(Set.of(RsvpStatus.GOING, RsvpStatus.MAYBE, RsvpStatus.WAITLISTED));
        }
    }

    /** The parse: the terms, or the first term that is not one. */
    public record Parsed(Optional<AudienceTerms> terms, Optional<String> unknownTerm) {
    }

    public static Parsed parse(String text) {
        Set<String> roles = new LinkedHashSet<>();
        Set<Integer> cohorts = new LinkedHashSet<>();
        Set<String> countries = new LinkedHashSet<>();
        List<EventTerm> events = new ArrayList<>();
        Set<String> languages = new LinkedHashSet<>();
        Set<Long> groups = new LinkedHashSet<>();
        boolean allGroups = false;
        boolean people = false;
        boolean any = false;
        for (String raw : text.split(",")) {
            String term = raw.strip();
            if (term.isEmpty()) {
                continue;
            }
            any = true;
            String lower = term.toLowerCase(Locale.ROOT);
            Matcher cohort = COHORT.matcher(lower);
            Matcher country = COUNTRY.matcher(lower);
            Matcher event = EVENT.matcher(lower);
            Matcher language = LANGUAGE.matcher(lower);
            Matcher group = GROUP.matcher(lower);
            if (lower.equals("groups")) {
                allGroups = true;
                continue;
            }
            if (group.matches()) {
                groups.add(Long.parseLong(group.group(1)));
                continue;
            }
            people = true;
            switch (lower) {
                case "all" -> { }
                case "delegates" -> roles.add("delegate");
                case "supporters" -> roles.add("supporter");
                case "staff" -> roles.add("staff");
                default -> {
                    if (cohort.matches()) {
                        cohorts.add(Integer.parseInt(cohort.group(1)));
                    } else if (country.matches()) {
                        countries.add(country.group(1).toUpperCase(Locale.ROOT));
                    } else if (event.matches()) {
                        events.add(new EventTerm(event.group(1),
                                Optional.ofNullable(event.group(2)).map(RsvpStatus::fromCode)));
                    } else if (language.matches()) {
                        languages.add(language.group(1));
                    } else {
                        return new Parsed(Optional.empty(), Optional.of(term));
                    }
                }
            }
        }
        if (!any) {
            return new Parsed(Optional.empty(), Optional.of(text.strip()));
        }
        return new Parsed(Optional.of(new AudienceTerms(roles, cohorts, countries, events, languages,
                people || !allGroups && groups.isEmpty(), allGroups, groups)), Optional.empty());
    }

    /** The canonical text: terms in a fixed order, as stored. */
    public String format() {
        List<String> terms = new ArrayList<>();
        roles.stream().sorted().forEach(role -> terms.add(role.equals("staff") ? "staff" : role + "s"));
        cohorts.stream().sorted().forEach(number -> terms.add("cohort:" + number));
        countries.stream().sorted().forEach(code -> terms.add("country:" + code));
        events.forEach(event -> terms.add("event:" + event.key() + event.status().map(s -> ":" + s.code()).orElse("")));
        languages.stream().sorted().forEach(code -> terms.add("lang:" + code));
        if (people && terms.isEmpty()) {
            terms.add("all");
        }
        if (allGroups) {
            terms.add("groups");
        }
        // Kept beside "groups", which means the groups staff confirmed: a group named as well may not be one of them.
        groups.stream().sorted().forEach(chat -> terms.add("group:" + chat));
        return String.join(",", terms);
    }
}
