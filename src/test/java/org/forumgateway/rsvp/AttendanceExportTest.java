package org.forumgateway.rsvp;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class AttendanceExportTest {
    @Test
    void csvStartsWithABomQuotesCellsAndDefusesFormulas() {
        List<AttendanceExport.Attendee> attendees = List.of(new AttendanceExport.Attendee("=HYPERLINK(\"x\")", "eve",
                "guest", "", RsvpStatus.GOING, Instant.parse("2026-12-01T00:00:00Z")));
        byte[] csv = AttendanceExport.csv(attendees, List.of("Name", "Username", "Role", "Country", "Status", "At"),
                Map.of(RsvpStatus.GOING, "идёт"), ZoneId.of("Asia/Seoul"));
        assertEquals("\uFEFF\"Name\",\"Username\",\"Role\",\"Country\",\"Status\",\"At\"\r\n"
                        + "\"'=HYPERLINK(\"\"x\"\")\",\"eve\",\"guest\",\"\",\"идёт\",\"2026-12-01 09:00\"\r\n",
                new String(csv, StandardCharsets.UTF_8));
    }
}
