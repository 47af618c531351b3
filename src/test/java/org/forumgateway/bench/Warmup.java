package org.forumgateway.bench;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;

/**
 * Warms a path up until the JIT has compiled it, as it is in a bot that has run a while. A fixed number of warm-up
 * requests was not enough: during the measured requests the compiler threads still used a third of the two cores
 * (measured with {@link ThreadCpu}), time a long-running gateway does not spend.
 */
final class Warmup {
    /** Compilation below this share of a round's wall-clock time counts as done. */
    private static final double SETTLED = 0.05;

    interface Round {
        void run(int round) throws Exception;
    }

    private Warmup() {
    }

    /**
     * Runs rounds until one spends less than 5 % of its time compiling (the JIT's own accounting), at least
     * {@code minRounds} and at most {@code maxRounds}; returns a line saying how many it took.
     */
    static String untilCompiled(int minRounds, int maxRounds, Round round) throws Exception {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        double share = 1;
        int rounds = 0;
        while (rounds < maxRounds && (rounds < minRounds || share >= SETTLED)) {
            long compiledBefore = jit.getTotalCompilationTime();
            long started = System.nanoTime();
            round.run(rounds++);
            double wallMillis = (System.nanoTime() - started) / 1e6;
            share = (jit.getTotalCompilationTime() - compiledBefore) / wallMillis;
        }
        return String.format("warm-up: %d rounds, the last compiling %.0f %% of its time", rounds, 100 * share);
    }

    /**
     * As above for the gateway in its own process: a round counts as compiled when the process's JIT compiler
     * threads used less than 5 % of one core during it (Linux's counters; there is no JIT accounting to ask).
     */
    static String untilCompiled(ProductProcess gateway, int minRounds, int maxRounds, Round round) throws Exception {
        double share = 1;
        int rounds = 0;
        while (rounds < maxRounds && (rounds < minRounds || share >= SETTLED)) {
            ProcessCpu cpu = new ProcessCpu(gateway.pid());
            round.run(rounds++);
            share = cpu.compilingShare();
        }
        return String.format("warm-up: %d rounds, the gateway's compilers using %.0f %% of a core in the last",
                rounds, 100 * share);
    }
}
