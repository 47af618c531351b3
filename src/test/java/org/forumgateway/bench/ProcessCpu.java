package org.forumgateway.bench;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * CPU time used by another process's threads between two moments, from Linux's per-thread counters (10 ms ticks),
 * grouped by thread name without its number: the gateway's chat workers, HTTP threads, JIT compilers and GC
 * threads, each as a share of one core. Empty where /proc is missing.
 */
final class ProcessCpu {
    private static final double TICK_NANOS = 1e7;
    private final String label;
    private final long pid;
    private final long startedAt = System.nanoTime();
    private final Map<Long, ThreadTicks> start;

    /**
     * A thread's name now, its user + system ticks so far (10 ms each) and the nanoseconds it has waited on a run
     * queue (-1: unknown). Threads are told apart by id: OkHttp renames its dispatcher threads while they run a
     * call, and a thread keyed by its name counted its whole life.
     */
    record ThreadTicks(String name, long ticks, long waitedNanos) {
        /** The name without its number, so the chat workers or HTTP threads count as one. */
        String group() {
            return name.replaceAll("[-_# ]?\\d+$", "");
        }
    }

    /** The gateway's process. */
    ProcessCpu(long pid) {
        this("gateway process", pid);
    }

    /** Another process, named {@code label} in {@link #since}. */
    ProcessCpu(String label, long pid) {
        this.label = label;
        this.pid = pid;
        this.start = ticksByThread(pid);
    }

    /** What the threads did since this snapshot, read at one moment: their CPU, and their waits for a core. */
    record Usage(String cpu, String waits) {
    }

    /** {@link #usage()}'s CPU line. */
    String since() {
        return usage().cpu();
    }

    /**
     * Two lines from one reading of the counters. The CPU line: the whole process, then each group using at least
     * 1 % of a core, largest first. The waits line: how long the threads were ready to run but waited for a core, in
     * all and for each group waiting at least 1 % of the time, longest first (Linux's scheduler statistics, in
     * nanoseconds; empty where the kernel keeps none). On two cores shared with the load, a burst's tail that no
     * pause or lock explains is there: a request handed from thread to thread waits for a core at each hand-over.
     */
    Usage usage() {
        double wall = System.nanoTime() - startedAt;
        Map<Long, ThreadTicks> now = ticksByThread(pid);
        return new Usage(cpuLine(now, wall), waitsLine(now, wall));
    }

    private String cpuLine(Map<Long, ThreadTicks> now, double wall) {
        Map<String, Long> used = new TreeMap<>();
        long total = 0;
        for (Map.Entry<Long, ThreadTicks> thread : now.entrySet()) {
            long delta = thread.getValue().ticks() - ticksAtStart(thread.getKey());
            total += delta;
            used.merge(thread.getValue().group(), delta, Long::sum);
        }
        return String.format("%s CPU over %.2f s: %.0f %% of one core (2 cores: 200 %%)", label, wall / 1e9,
                100 * total * TICK_NANOS / wall) + used.entrySet().stream()
                .filter(entry -> entry.getValue() * TICK_NANOS > wall / 100)
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .map(entry -> String.format("%s %.0f %%", entry.getKey(), 100 * entry.getValue() * TICK_NANOS / wall))
                .collect(Collectors.joining(", ", "; ", ""));
    }

    private String waitsLine(Map<Long, ThreadTicks> now, double wall) {
        Map<String, Long> waited = new TreeMap<>();
        Map<String, Integer> threads = new TreeMap<>();
        long total = 0;
        for (Map.Entry<Long, ThreadTicks> thread : now.entrySet()) {
            if (thread.getValue().waitedNanos() < 0) {
                return "";
            }
            ThreadTicks then = start.get(thread.getKey());
            long delta = thread.getValue().waitedNanos() - (then == null ? 0 : then.waitedNanos());
            total += delta;
            waited.merge(thread.getValue().group(), delta, Long::sum);
            threads.merge(thread.getValue().group(), 1, Integer::sum);
        }
        return String.format("%s threads waiting for a core over %.2f s: %.0f ms in all", label, wall / 1e9,
                total / 1e6) + waited.entrySet().stream()
                .filter(entry -> entry.getValue() > wall / 100)
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .map(entry -> waited(entry.getKey(), entry.getValue(), threads.get(entry.getKey()), wall))
                .collect(Collectors.joining(", ", "; ", ""));
    }

    /** Nanoseconds the thread has waited on a run queue: the second field of its schedstat; -1 without one. */
    private static long runQueueWait(File task) {
        try {
            return Long.parseLong(Files.readString(Path.of(task.getPath(), "schedstat")).strip().split(" ")[1]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** A single thread's wait as a share of the time; a group's as a sum over its threads. */
    private static String waited(String group, long nanos, int threads, double wall) {
        return threads == 1
                ? String.format("%s %.0f ms (%.0f %% of the time)", group, nanos / 1e6, 100 * nanos / wall)
                : String.format("%s %.0f ms (%d threads)", group, nanos / 1e6, threads);
    }

    /** The JIT compiler threads' CPU since this snapshot, as a share of the wall-clock time. */
    double compilingShare() {
        double wall = System.nanoTime() - startedAt;
        long ticks = 0;
        for (Map.Entry<Long, ThreadTicks> thread : ticksByThread(pid).entrySet()) {
            String name = thread.getValue().name();
            if (name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler")) {
                ticks += thread.getValue().ticks() - ticksAtStart(thread.getKey());
            }
        }
        return ticks * TICK_NANOS / wall;
    }

    /** A thread that started since counts from zero. */
    private long ticksAtStart(long tid) {
        ThreadTicks then = start.get(tid);
        return then == null ? 0 : then.ticks();
    }

    /** Each of the process's threads by id: its name, ticks and waits. */
    static Map<Long, ThreadTicks> ticksByThread(long pid) {
        Map<Long, ThreadTicks> ticks = new HashMap<>();
        File[] tasks = new File("/proc/" + pid + "/task").listFiles();
        if (tasks == null) {
            return ticks;
        }
        for (File task : tasks) {
            try {
                String stat = Files.readString(Path.of(task.getPath(), "stat"));
                String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                ticks.put(Long.parseLong(task.getName()), new ThreadTicks(name,
                        Long.parseLong(fields[11]) + Long.parseLong(fields[12]), runQueueWait(task)));
            } catch (IOException | RuntimeException e) {
                // the thread ended meanwhile
            }
        }
        return ticks;
    }
}
