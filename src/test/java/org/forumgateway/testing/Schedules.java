package org.forumgateway.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Events files for tests. */
public final class Schedules {
    private Schedules() {
    }

    /** An events file with one public event of the given capacity, starting 2026-12-08 10:00 in Seoul. */
    public static String oneEvent(String key, int capacity) {
        return """
                cohorts:
                  - number: 10
                    name: {en: "10th Supporters", ru: "Десятый набор"}
                    start: 2026-09-01
                    end: 2026-12-31
                events:
                  - key: %s
                    kind: forum
                    title: {en: "Plenary", ru: "Пленарное заседание", ko: "본회의"}
                    venue: {name: "Lotte Hotel Seoul", address: "30 Eulji-ro, Jung-gu, Seoul"}
                    timezone: Asia/Seoul
                    start: 2026-12-08T10:00
                    end: 2026-12-08T12:00
                    capacity: %d
                    rsvp_deadline: 2026-12-04T18:00
                    audience: public
                    reminders: [24h, 1h]
                  - key: delegates-lunch
                    kind: side-meeting
                    title: {en: "Chief delegates' lunch"}
                    timezone: Asia/Seoul
                    start: 2026-12-08T12:15
                    end: 2026-12-08T13:45
                    capacity: 14
                    audience: delegates
                """.formatted(key, capacity);
    }

    public static Path write(Path folder, String yaml) {
        try {
            return Files.writeString(folder.resolve("events.yaml"), yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
