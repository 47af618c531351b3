package org.forumgateway.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The gateway's garbage-collection pauses between two moments, from the GC log {@link ProductProcess} has the
 * gateway's JVM write ({@code -Xlog:gc}, a line per collection). A pause stops every thread of the gateway, so a
 * request in flight during one waits it out: a burst with a 5 ms pause in it has a tail 5 ms longer, whatever the
 * code under measurement does. Read from the file rather than the gateway's {@code /metrics}: a scrape runs code
 * in the gateway that the JIT would then compile during the measured window.
 */
final class GatewayGc {
    private static final Pattern PAUSE = Pattern.compile("(?m)\\bPause\\b.* ([0-9.]+)ms$");

    private final Path log;
    private final long start;

    GatewayGc(Path log) {
        this.log = log;
        this.start = size(log);
    }

    /** One line: the pauses logged since this snapshot, their total and the longest. */
    String since() {
        String written;
        try {
            byte[] all = Files.readAllBytes(log);
            written = new String(all, (int) start, all.length - (int) start, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int pauses = 0;
        double total = 0;
        double longest = 0;
        Matcher pause = PAUSE.matcher(written);
        while (pause.find()) {
            double millis = Double.parseDouble(pause.group(1));
            pauses++;
            total += millis;
            longest = Math.max(longest, millis);
        }
        return String.format("gateway GC pauses in the window: %d, %.1f ms in all, the longest %.1f ms", pauses, total,
                longest);
    }

    private static long size(Path log) {
        try {
            return Files.size(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
