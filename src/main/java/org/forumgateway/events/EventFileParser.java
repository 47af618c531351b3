package org.forumgateway.events;

import org.forumgateway.cohorts.Cohort;
import org.forumgateway.config.Durations;
import org.forumgateway.i18n.LocalizedText;
import org.forumgateway.i18n.ZoneNames;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

import java.io.Reader;
import java.io.StringReader;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads the events file (YAML). Every problem is reported with the line and the field, and the whole file is
 * rejected: a half-applied schedule is worse than the old one.
 */
public final class EventFileParser {
    /** Keys travel in callback data (64 bytes at most), so they stay short. */
    static final Pattern KEY = Pattern.compile("[a-z0-9][a-z0-9-]{0,39}");
    private static final Pattern LOCALE = Pattern.compile("[a-z]{2,3}");
    private static final Set<String> EVENT_FIELDS = Set.of("key", "kind", "title", "description", "venue", "timezone",
            "start", "end", "capacity", "rsvp_deadline", "audience", "reminders", "cancelled");
    private static final int MAX_TITLE = 200;
    private static final int MAX_DESCRIPTION = 1500;
    private static final Set<String> COHORT_FIELDS = Set.of("number", "name", "start", "end");

    private final String fileName;

    public EventFileParser(String fileName) {
        this.fileName = fileName;
    }

    public EventFile parse(String text) {
        return parse(new StringReader(text));
    }

    public EventFile parse(Reader reader) {
        Node root;
        try {
            root = new Yaml(new SafeConstructor(new LoaderOptions())).compose(reader);
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() == null ? 0 : e.getProblemMark().getLine() + 1;
            throw new EventFileException(fileName, Optional.of(line), Optional.empty(), "notYaml",
                    Map.of("detail", String.valueOf(e.getProblem())), "not valid YAML: " + e.getProblem());
        } catch (YAMLException e) {
            String detail = e.getMessage().lines().findFirst().orElse("");
            throw EventFileException.ofFile(fileName, "notYaml", Map.of("detail", detail), "not valid YAML: " + detail);
        }
        if (root == null) {
            return new EventFile(List.of(), List.of());
        }
        Map<String, NodeTuple> top = fields(root, "the file", Set.of("events", "cohorts"));
        List<Cohort> cohorts = new ArrayList<>();
        Optional.ofNullable(top.get("cohorts")).ifPresent(tuple -> {
            List<Node> items = sequence(tuple.getValueNode(), "cohorts");
            for (int i = 0; i < items.size(); i++) {
                cohorts.add(cohort(items.get(i), "cohorts[" + i + "]"));
            }
        });
        requireUnique(cohorts.stream().map(cohort -> String.valueOf(cohort.number())).toList(), top.get("cohorts"),
                "cohorts", "number");
        List<Event> events = new ArrayList<>();
        Set<Integer> cohortNumbers = cohorts.stream().map(Cohort::number).collect(Collectors.toSet());
        Optional.ofNullable(top.get("events")).ifPresent(tuple -> {
            List<Node> items = sequence(tuple.getValueNode(), "events");
            for (int i = 0; i < items.size(); i++) {
                events.add(event(items.get(i), "events[" + i + "]", cohortNumbers));
            }
        });
        requireUnique(events.stream().map(Event::key).toList(), top.get("events"), "events", "key");
        return new EventFile(events, cohorts);
    }

    private Event event(Node node, String path, Set<Integer> cohortNumbers) {
        Map<String, NodeTuple> fields = fields(node, path, EVENT_FIELDS);
        String key = required(fields, node, path, "key");
        if (!KEY.matcher(key).matches()) {
            throw error(fields.get("key").getValueNode(), path + ".key", "badKey", Map.of("value", key),
                    "'" + key + "' must be 1-40 lowercase letters, digits or '-'");
        }
        String where = path + " (" + key + ")";
        EventKind kind = kind(fields, node, where);
        LocalizedText title = Optional.ofNullable(fields.get("title"))
                .map(tuple -> localized(tuple, where + ".title"))
                .orElse(LocalizedText.empty());
        if (title.isEmpty()) {
            throw error(node, where + ".title", "titleRequired", Map.of(),
                    "is required: {en: \"...\", ko: \"...\", ru: \"...\"}");
        }
        LocalizedText description = Optional.ofNullable(fields.get("description"))
                .map(tuple -> localized(tuple, where + ".description"))
                .orElse(LocalizedText.empty());
        // A card must fit in one Telegram message (4096 characters) whatever the language.
        requireShort(title, MAX_TITLE, fields.get("title"), where + ".title");
        requireShort(description, MAX_DESCRIPTION, fields.get("description"), where + ".description");
        Optional<Venue> venue = Optional.ofNullable(fields.get("venue")).map(tuple -> venue(tuple, where + ".venue"));
        ZoneId zone = zone(fields, node, where);
        LocalDateTime start = dateTime(fields, node, where, "start").orElseThrow(() -> missing(node, where, "start"));
        LocalDateTime end = dateTime(fields, node, where, "end").orElseThrow(() -> missing(node, where, "end"));
        requireExisting(fields, where, "start", start, zone);
        requireExisting(fields, where, "end", end, zone);
        if (!end.isAfter(start)) {
            throw error(fields.get("end").getValueNode(), where + ".end", "endNotAfterStart",
                    Map.of("start", start.toString()), "must be after start (" + start + ")");
        }
        Optional<Integer> capacity = Optional.ofNullable(fields.get("capacity"))
                .map(tuple -> positiveInt(tuple.getValueNode(), where + ".capacity"));
        Optional<LocalDateTime> deadline = dateTime(fields, node, where, "rsvp_deadline");
        deadline.ifPresent(value -> requireExisting(fields, where, "rsvp_deadline", value, zone));
        if (deadline.filter(value -> value.isAfter(start)).isPresent()) {
            throw error(fields.get("rsvp_deadline").getValueNode(), where + ".rsvp_deadline", "deadlineAfterStart",
                    Map.of("start", start.toString()), "must not be after start (" + start + ")");
        }
        Audience audience = Optional.ofNullable(fields.get("audience"))
                .map(tuple -> audience(tuple.getValueNode(), where + ".audience", cohortNumbers))
                .orElse(Audience.PUBLIC);
        List<Duration> reminders = Optional.ofNullable(fields.get("reminders"))
                .map(tuple -> durations(tuple.getValueNode(), where + ".reminders"))
                .orElse(List.of());
        boolean cancelled = Optional.ofNullable(fields.get("cancelled"))
                .map(tuple -> bool(tuple.getValueNode(), where + ".cancelled"))
                .orElse(false);
        return new Event(key, kind, title, description, venue, zone, start, end, capacity, deadline, audience,
                reminders, cancelled);
    }

    private void requireShort(LocalizedText text, int limit, NodeTuple tuple, String path) {
        text.byLocale().forEach((locale, value) -> {
            if (value.codePointCount(0, value.length()) > limit) {
                throw error(tuple.getValueNode(), path, "tooLong", Map.of("limit", limit, "language", locale),
                        "is longer than " + limit + " characters in '" + locale + "'");
            }
        });
    }

    private Cohort cohort(Node node, String path) {
        Map<String, NodeTuple> fields = fields(node, path, COHORT_FIELDS);
        if (!fields.containsKey("number")) {
            throw missing(node, path, "number");
        }
        int number = positiveInt(fields.get("number").getValueNode(), path + ".number");
        String where = path + " (" + number + ")";
        LocalizedText name = localized(Optional.ofNullable(fields.get("name")).orElseThrow(() -> missing(node, where, "name")),
                where + ".name");
        LocalDate startsOn = date(fields, node, where, "start");
        LocalDate endsOn = date(fields, node, where, "end");
        if (endsOn.isBefore(startsOn)) {
            throw error(fields.get("end").getValueNode(), where + ".end", "endBeforeStart",
                    Map.of("start", startsOn.toString()), "must not be before start (" + startsOn + ")");
        }
        return new Cohort(number, name, startsOn, endsOn);
    }

    // ---- field readers -------------------------------------------------------------------------------------

    private EventKind kind(Map<String, NodeTuple> fields, Node node, String where) {
        String text = required(fields, node, where, "kind");
        try {
            return EventKind.fromCode(text);
        } catch (IllegalArgumentException e) {
            throw error(fields.get("kind").getValueNode(), where + ".kind", "unknownKind", Map.of("value", text),
                    "'" + text + "' is not one of forum, session, secretariat, cohort, side-meeting");
        }
    }

    private ZoneId zone(Map<String, NodeTuple> fields, Node node, String where) {
        String text = required(fields, node, where, "timezone");
        return ZoneNames.known(text).orElseThrow(() -> error(fields.get("timezone").getValueNode(),
                where + ".timezone", "unknownZone", Map.of("value", text),
                "'" + text + "' is not an IANA time zone such as Asia/Seoul"));
    }

    private Optional<LocalDateTime> dateTime(Map<String, NodeTuple> fields, Node node, String where, String field) {
        NodeTuple tuple = fields.get(field);
        if (tuple == null) {
            return Optional.empty();
        }
        String text = scalar(tuple.getValueNode(), where + "." + field);
        try {
            return Optional.of(LocalDateTime.parse(text));
        } catch (DateTimeParseException e) {
            throw error(tuple.getValueNode(), where + "." + field, "notDateTime", Map.of("value", text),
                    "'" + text + "' is not a local date and time like 2026-12-03T10:00");
        }
    }

    /**
     * Refuses a local time the venue's clocks skip when they go forward: it would be stored an hour later than
     * written, and an end in the skipped hour could come before its start.
     */
    private void requireExisting(Map<String, NodeTuple> fields, String where, String field, LocalDateTime time,
                                 ZoneId zone) {
        if (zone.getRules().getValidOffsets(time).isEmpty()) {
            throw error(fields.get(field).getValueNode(), where + "." + field, "timeSkipped",
                    Map.of("value", time.toString(), "zone", zone.getId()),
                    "'" + time + "' does not exist in the " + zone.getId()
                            + " time zone: the clocks go forward that night and skip it");
        }
    }

    private LocalDate date(Map<String, NodeTuple> fields, Node node, String where, String field) {
        NodeTuple tuple = Optional.ofNullable(fields.get(field)).orElseThrow(() -> missing(node, where, field));
        String text = scalar(tuple.getValueNode(), where + "." + field);
        try {
            return LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            throw error(tuple.getValueNode(), where + "." + field, "notDate", Map.of("value", text),
                    "'" + text + "' is not a date like 2017-08-01");
        }
    }

    private Venue venue(NodeTuple tuple, String path) {
        Node node = tuple.getValueNode();
        if (node instanceof ScalarNode) {
            LocalizedText name = localized(tuple, path);
            if (name.isEmpty()) {
                throw missing(node, path, "name");
            }
            return new Venue(name, LocalizedText.empty());
        }
        Map<String, NodeTuple> fields = fields(node, path, Set.of("name", "address"));
        LocalizedText name = Optional.ofNullable(fields.get("name")).map(value -> localized(value, path + ".name"))
                .orElse(LocalizedText.empty());
        if (name.isEmpty()) {
            throw missing(node, path, "name");
        }
        LocalizedText address = Optional.ofNullable(fields.get("address"))
                .map(value -> localized(value, path + ".address"))
                .orElse(LocalizedText.empty());
        return new Venue(name, address);
    }

    /** A map of locale to text, or one plain string for every locale. */
    private LocalizedText localized(NodeTuple tuple, String path) {
        Node node = tuple.getValueNode();
        if (node instanceof ScalarNode) {
            String text = scalar(node, path);
            return text.isBlank() ? LocalizedText.empty() : new LocalizedText(Map.of("*", text));
        }
        if (!(node instanceof MappingNode mapping)) {
            throw error(node, path, "notText", Map.of(), "must be a text or a map of language to text");
        }
        Map<String, String> texts = new LinkedHashMap<>();
        for (NodeTuple entry : mapping.getValue()) {
            String locale = scalar(entry.getKeyNode(), path);
            if (!LOCALE.matcher(locale).matches()) {
                throw error(entry.getKeyNode(), path, "notLanguage", Map.of("value", locale),
                        "'" + locale + "' is not a language code such as en, ko, ru");
            }
            String text = scalar(entry.getValueNode(), path + "." + locale);
            if (!text.isBlank()) {
                texts.put(locale, text.strip());
            }
        }
        return new LocalizedText(texts);
    }

    /** A cohort event's cohort must be the file's: a typo would hide the event from everyone but staff. */
    private Audience audience(Node node, String path, Set<Integer> cohortNumbers) {
        String text = scalar(node, path);
        Audience audience = Audience.parse(text).orElseThrow(() -> error(node, path, "unknownAudience",
                Map.of("value", text), "'" + text + "' is not one of public, delegates, staff, cohort:<number>"));
        Optional<Integer> unknown = audience.cohort().filter(number -> !cohortNumbers.contains(number));
        if (unknown.isPresent()) {
            throw error(node, path, "unknownCohort", Map.of("number", String.valueOf(unknown.get())),
                    "names cohort " + unknown.get() + ", which is not under cohorts: in this file");
        }
        return audience;
    }

    private List<Duration> durations(Node node, String path) {
        List<Duration> durations = new ArrayList<>();
        for (Node item : sequence(node, path)) {
            String text = scalar(item, path);
            durations.add(Durations.parse(text).orElseThrow(() -> error(item, path, "notDuration",
                    Map.of("value", text), "'" + text + "' is not a duration like 30m, 2h or 1d")));
        }
        return durations;
    }

    private int positiveInt(Node node, String path) {
        String text = scalar(node, path);
        try {
            int value = Integer.parseInt(text);
            if (value <= 0) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw error(node, path, "notPositive", Map.of("value", text), "'" + text + "' is not a positive whole number");
        }
    }

    private boolean bool(Node node, String path) {
        String text = scalar(node, path);
        return switch (text) {
            case "true" -> true;
            case "false" -> false;
            default -> throw error(node, path, "notBoolean", Map.of("value", text), "'" + text + "' is not true or false");
        };
    }

    // ---- structure -----------------------------------------------------------------------------------------

    private Map<String, NodeTuple> fields(Node node, String path, Set<String> allowed) {
        if (!(node instanceof MappingNode mapping)) {
            throw error(node, path, "notMap", Map.of(), "must be a map of fields");
        }
        Map<String, NodeTuple> fields = new LinkedHashMap<>();
        for (NodeTuple tuple : mapping.getValue()) {
            String name = scalar(tuple.getKeyNode(), path);
            if (!allowed.contains(name)) {
                String known = String.join(", ", allowed.stream().sorted().toList());
                throw error(tuple.getKeyNode(), path + "." + name, "unknownField", Map.of("known", known),
                        "is not a known field (known: " + known + ")");
            }
            if (fields.put(name, tuple) != null) {
                throw error(tuple.getKeyNode(), path + "." + name, "twice", Map.of(), "appears twice");
            }
        }
        return fields;
    }

    private List<Node> sequence(Node node, String path) {
        if (!(node instanceof SequenceNode sequence)) {
            throw error(node, path, "notList", Map.of(), "must be a list");
        }
        return sequence.getValue();
    }

    private String required(Map<String, NodeTuple> fields, Node node, String path, String field) {
        NodeTuple tuple = fields.get(field);
        if (tuple == null) {
            throw missing(node, path, field);
        }
        String text = scalar(tuple.getValueNode(), path + "." + field);
        if (text.isBlank()) {
            throw missing(node, path, field);
        }
        return text.strip();
    }

    private String scalar(Node node, String path) {
        if (!(node instanceof ScalarNode scalar)) {
            throw error(node, path, "notSingleValue", Map.of(), "must be a single value");
        }
        return scalar.getValue();
    }

    private void requireUnique(List<String> values, NodeTuple section, String path, String field) {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < values.size(); i++) {
            if (!seen.add(values.get(i))) {
                Node item = ((SequenceNode) section.getValueNode()).getValue().get(i);
                throw error(item, path + "[" + i + "]." + field, "usedTwice", Map.of("value", values.get(i)),
                        "'" + values.get(i) + "' is used twice");
            }
        }
    }

    private EventFileException missing(Node node, String path, String field) {
        return error(node, path + "." + field, "required", Map.of(), "is required");
    }

    /** A problem at {@code node}: its message key and arguments for staff, and the same in English for the log. */
    private EventFileException error(Node node, String path, String problem, Map<String, Object> arguments,
                                     String english) {
        return new EventFileException(fileName, Optional.of(node.getStartMark().getLine() + 1), Optional.of(path),
                problem, arguments, english);
    }
}
