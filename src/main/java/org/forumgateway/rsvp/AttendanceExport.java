package org.forumgateway.rsvp;

import org.dhatim.fastexcel.Workbook;
import org.dhatim.fastexcel.Worksheet;
import org.forumgateway.users.Role;
import org.jdbi.v3.core.Jdbi;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import java.util.Map;

/** Who answered an event: counts by status and by country, and a workbook for spreadsheets. Thread-safe. */
public final class AttendanceExport {
    /** Excel's number format for the answer times: the date and the minute, as the venue's clock showed them. */
    private static final String TIME_FORMAT = "yyyy-mm-dd hh:mm";

    private final Jdbi jdbi;
    private final Set<Long> adminIds;

    /** @param adminIds ADMIN_IDS: administrators are staff in the file, whatever role is stored for them */
    public AttendanceExport(Jdbi jdbi, Set<Long> adminIds) {
        this.jdbi = jdbi;
        this.adminIds = Set.copyOf(adminIds);
    }

    public List<Attendee> attendees(String eventKey) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                        SELECT u.telegram_id, u.first_name, u.last_name, u.username, u.role, u.country, r.status,
                               r.updated_at
                        FROM rsvps r JOIN users u ON u.telegram_id = r.user_id
                        WHERE r.event_key = :event
                        ORDER BY CASE r.status WHEN 'going' THEN 0 WHEN 'waitlisted' THEN 1 WHEN 'maybe' THEN 2 ELSE 3 END,
                                 r.seq""")
                .bind("event", eventKey)
                .map((rs, ctx) -> new Attendee(
                        rs.getString("last_name") == null ? rs.getString("first_name")
                                : rs.getString("first_name") + " " + rs.getString("last_name"),
                        rs.getString("username") == null ? "" : rs.getString("username"),
                        adminIds.contains(rs.getLong("telegram_id")) ? Role.STAFF.code() : rs.getString("role"),
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
     * The workbook: one sheet named after the event, a header row of {@code columns} (kept in view when scrolling,
     * with filters), then one row per attendee; the answer time is a date cell in {@code zone}'s local time. Every
     * other cell is text, never a formula, whatever the names say.
     */
    public static byte[] workbook(String eventKey, List<Attendee> attendees, List<String> columns,
                                  Map<RsvpStatus, String> statusNames, ZoneId zone) {
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        try (Workbook workbook = new Workbook(file, "forum-gateway", "1.0")) {
            // fastexcel replaces what Excel refuses in a sheet's name and cuts it to 31 characters.
            Worksheet sheet = workbook.newWorksheet(eventKey);
            for (int column = 0; column < columns.size(); column++) {
                sheet.value(0, column, columns.get(column));
                sheet.width(column, column == 0 ? 28 : column == columns.size() - 1 ? 20 : 16);
            }
            sheet.range(0, 0, 0, columns.size() - 1).style().bold().set();
            int row = 1;
            for (Attendee attendee : attendees) {
                List<String> texts = List.of(attendee.name(), attendee.username(), attendee.role(), attendee.country(),
                        statusNames.get(attendee.status()));
                for (int column = 0; column < texts.size(); column++) {
                    sheet.value(row, column, texts.get(column));
                }
                LocalDateTime answered = LocalDateTime.ofInstant(attendee.answeredAt(), zone);
                sheet.value(row, texts.size(), answered.truncatedTo(ChronoUnit.MINUTES));
                sheet.style(row, texts.size()).format(TIME_FORMAT).set();
                row++;
            }
            sheet.freezePane(0, 1);
            sheet.setAutoFilter(0, 0, Math.max(row - 1, 1), columns.size() - 1);
        } catch (IOException e) {
            throw new UncheckedIOException("writing a workbook in memory", e);
        }
        return file.toByteArray();
    }

    /** One row of the export. */
    public record Attendee(String name, String username, String role, String country, RsvpStatus status,
                           Instant answeredAt) {
    }
}
