package org.forumgateway.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * How busy the whole machine's cores were between two moments, from Linux's /proc/stat: with the gateway's and the
 * benchmark's own share beside it, it tells whether anything else was running. Empty where /proc is missing.
 */
final class MachineCpu {
    private static final Path STAT = Path.of("/proc/stat");
    /** The idle and I/O-wait columns of the "cpu" line; the others are time a core was busy. */
    private static final int IDLE = 3;
    private static final int IO_WAIT = 4;
    private final long[] start = ticks();

    /** "machine: cores busy 83 % of one core (2 cores: 200 %)", or an empty string without /proc. */
    String since() {
        long[] end = ticks();
        if (start.length == 0 || end.length == 0) {
            return "";
        }
        long busy = 0;
        long all = 0;
        for (int i = 0; i < Math.min(start.length, end.length); i++) {
            long delta = end[i] - start[i];
            all += delta;
            busy += i == IDLE || i == IO_WAIT ? 0 : delta;
        }
        int cores = Runtime.getRuntime().availableProcessors();
        return String.format("machine: cores busy %.0f %% of one core (%d cores: %d %%)",
                all == 0 ? 0 : 100.0 * cores * busy / all, cores, 100 * cores);
    }

    /** The "cpu" line's counters (user, nice, system, idle, iowait, irq, softirq, steal), guest time left out. */
    private static long[] ticks() {
        try {
            String[] fields = Files.readAllLines(STAT).get(0).trim().split("\\s+");
            return Arrays.stream(fields, 1, Math.min(fields.length, 9)).mapToLong(Long::parseLong).toArray();
        } catch (IOException | RuntimeException e) {
            return new long[0];
        }
    }
}
