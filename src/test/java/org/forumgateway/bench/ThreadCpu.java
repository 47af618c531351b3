package org.forumgateway.bench;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * CPU time used by this process's threads between two moments, by thread name without its number (so the chat
 * workers or HTTP threads count as one): tells whether a phase was bound by one thread (the share near 100 % of
 * the wall-clock time) or by the cores as a whole.
 */
final class ThreadCpu {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** Declared before the first snapshot, which fills it. */
    private final Map<Long, String> names = new HashMap<>();
    private final Map<Long, Long> startNanos = cpuByThread();
    private final long startedAt = System.nanoTime();
    private final long processStart = processCpu();
    private final long gcStartMillis = gcMillis();
    private final Map<Long, ProcessCpu.ThreadTicks> nativeStart =
            ProcessCpu.ticksByThread(ProcessHandle.current().pid());

    /** One line: each group's CPU as a share of the wall-clock time since this snapshot, largest first. */
    String since() {
        double wall = System.nanoTime() - startedAt;
        Map<String, Long> byGroup = new TreeMap<>();
        cpuByThread().forEach((id, nanos) -> byGroup.merge(names.getOrDefault(id, "?"),
                nanos - startNanos.getOrDefault(id, 0L), Long::sum));
        long total = byGroup.values().stream().mapToLong(Long::longValue).sum();
        return String.format("CPU over %.2f s of wall clock: the process %.0f %% of one core (2 cores: 200 %%), "
                        + "GC pauses %.0f %% of the wall clock, threads alive at both ends %.0f %%", wall / 1e9,
                100 * (processCpu() - processStart) / wall, 100 * (gcMillis() - gcStartMillis) * 1e6 / wall,
                100 * total / wall) + byGroup.entrySet().stream()
                .filter(entry -> entry.getValue() > wall / 100)
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .map(entry -> String.format("%s %.0f %%", entry.getKey(), 100 * entry.getValue() / wall))
                .collect(Collectors.joining(", ", "; ", "")) + nativeThreads(wall);
    }

    /**
     * The JVM's own threads (GC, JIT compilers) are not Java threads: their share comes from Linux's per-thread
     * counters (in 10 ms ticks), for threads alive at both ends. Empty elsewhere.
     */
    private String nativeThreads(double wall) {
        Map<String, Long> used = new TreeMap<>();
        ProcessCpu.ticksByThread(ProcessHandle.current().pid()).forEach((tid, now) -> {
            if (nativeStart.containsKey(tid)) {
                used.merge(now.group(), now.ticks() - nativeStart.get(tid).ticks(), Long::sum);
            }
        });
        return used.entrySet().stream()
                .filter(entry -> entry.getKey().startsWith("G1") || entry.getKey().startsWith("GC")
                        || entry.getKey().startsWith("C1") || entry.getKey().startsWith("C2")
                        || entry.getKey().startsWith("VM"))
                .filter(entry -> entry.getValue() > 0)
                .map(entry -> String.format("%s %.0f %%", entry.getKey(), 100 * entry.getValue() * 1e7 / wall))
                .collect(Collectors.joining(", ", "; JVM threads: ", ""));
    }

    private static long gcMillis() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(GarbageCollectorMXBean::getCollectionTime).sum();
    }

    /** All of this process's CPU: threads that came and went, the GC and the JIT included. */
    private static long processCpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private Map<Long, Long> cpuByThread() {
        Map<Long, Long> cpu = new HashMap<>();
        for (ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (info == null) {
                continue;
            }
            long nanos = THREADS.getThreadCpuTime(info.getThreadId());
            if (nanos >= 0) {
                cpu.put(info.getThreadId(), nanos);
                names.put(info.getThreadId(), info.getThreadName().replaceAll("[-_ ]?\\d+", ""));
            }
        }
        return cpu;
    }
}
