package org.forumgateway.rsvp;

import org.dhatim.fastexcel.reader.ReadableWorkbook;
import org.dhatim.fastexcel.reader.ReadingOptions;
import org.dhatim.fastexcel.reader.Row;
import org.dhatim.fastexcel.reader.Sheet;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;

class AttendanceExportTest {
    @Test
    void theWorkbookKeepsTextAsTextAndTheAnswerTimeAsADateInTheVenuesZone() throws IOException {
        List<AttendanceExport.Attendee> attendees = List.of(new AttendanceExport.Attendee("=HYPERLINK(\"x\")", "eve",
                "guest", "", RsvpStatus.GOING, Instant.parse("2026-12-01T00:00:00Z")));
        byte[] file = AttendanceExport.workbook("plenary", attendees,
                List.of("Name", "Username", "Role", "Country", "Status", "At"), Map.of(RsvpStatus.GOING, "идёт"),
                ZoneId.of("Asia/Seoul"));

        try (ReadableWorkbook workbook = new ReadableWorkbook(new ByteArrayInputStream(file),
                new ReadingOptions(true, false))) {
            Sheet sheet = workbook.getFirstSheet();
            assertEquals("plenary", sheet.getName());
            List<Row> rows = sheet.read();
            assertEquals(2, rows.size());
            assertEquals(List.of("Name", "Username", "Role", "Country", "Status", "At"), texts(rows.get(0), 6));
            Row attendee = rows.get(1);
            assertEquals(List.of("=HYPERLINK(\"x\")", "eve", "guest", "", "идёт"), texts(attendee, 5),
                    "a name that looks like a formula stays a name");
            assertEquals(LocalDateTime.of(2026, 12, 1, 9, 0), attendee.getCellAsDate(5).orElseThrow());
            assertEquals("yyyy-mm-dd hh:mm", attendee.getCell(5).getDataFormatString());
        }
    }

    private static List<String> texts(Row row, int cells) {
        return IntStream.range(0, cells).mapToObj(row::getCellText).toList();
    }
}
