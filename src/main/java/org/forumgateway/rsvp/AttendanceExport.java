package org.forumgateway.rsvp;

import org.jdbi.v3.core.Jdbi;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Who answered an event: counts by status and by country, and a CSV for spreadsheets. Thread-safe. */
public final class AttendanceExport {
    /** Spreadsheet programs read a UTF-8 file as UTF-8 (Korean, Cyrillic) only when it starts with a BOM. */
    private static final String BOM = "\uFEFF";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    private final Jdbi jdbi;

    public AttendanceExport(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    public List<Attendee> attendees(String eventKey) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                        SELECT u.first_name, u.last_name, u.username, u.role, u.country, r.status, r.updated_at
                        FROM rsvps r JOIN users u ON u.telegram_id = r.user_id
                        WHERE r.event_key = :event
                        ORDER BY CASE r.status WHEN 'going' THEN 0 WHEN 'waitlisted' THEN 1 WHEN 'maybe' THEN 2 ELSE 3 END,
                                 r.seq""")
                .bind("event", eventKey)
                .map((rs, ctx) -> new Attendee(
                        rs.getString("last_name") == null ? rs.getString("first_name")
                                : rs.getString("first_name") + " " + rs.getString("last_name"),
                        rs.getString("username") == null ? "" : rs.getString("username"),
                        rs.getString("role"),
                        rs.getString("country") == null ? "" : rs.getString("country"),
                        RsvpStatus.fromCode(rs.getString("status")),
                        Instant.ofEpochMilli(rs.getLong("updated_at"))))
                .list());
    }

    /** Attendees by country code ("" for none), most first. */
    public static Map<String, Long> byCountry(List<Attendee> attendees, RsvpStatus status) {
        Map<String, Long> counts = new LinkedHashMap<>();
        attendees.stream().filter(attendee -> attendee.status() == status)
                .forEach(attendee -> counts.merge(attendee.country(), 1L, Long::sum));
        List<Map.Entry<String, Long>> sorted = new ArrayList<>(counts.entrySet());
        sorted.sort(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
        Map<String, Long> ordered = new LinkedHashMap<>();
        sorted.forEach(entry -> ordered.put(entry.getKey(), entry.getValue()));
        return ordered;
    }

    /**
     * The CSV: a header row of {@code columns}, then one row per attendee with times in {@code zone}.
     */
    public static byte[] csv(List<Attendee> attendees, List<String> columns, Map<RsvpStatus, String> statusNames,
                             ZoneId zone) {
        StringBuilder csv = new StringBuilder(BOM);
        csv.append(row(columns));
        for (Attendee attendee : attendees) {
            csv.append(row(List.of(attendee.name(), attendee.username(), attendee.role(), attendee.country(),
                    statusNames.get(attendee.status()), TIME.format(attendee.answeredAt().atZone(zone)))));
        }
        return csv.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String row(List<String> cells) {
        List<String> quoted = new ArrayList<>();
        for (String cell : cells) {
            quoted.add(cell(cell));
        }
        return String.join(",", quoted) + "\r\n";
    }

    /** Quotes a cell, and defuses text a spreadsheet would run as a formula (CSV injection). */
    static String cell(String value) {
        String safe = !value.isEmpty() && "=+-@\t\r".indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
        return "\"" + safe.replace("\"", "\"\"") + "\"";
    }

    /** One row of the export. */
    public record Attendee(String name, String username, String role, String country, RsvpStatus status,
                           Instant answeredAt) {
    }
}
