package org.forumgateway.bench;

/**
 * Warms the gateway up until its JIT has compiled the path measured, as in a gateway that has run a while. A
 * fixed number of warm-up requests was not enough: during the measured requests the compiler threads still used a
 * third of the two cores (measured with {@link ProcessCpu}), time a long-running gateway does not spend.
 */
final class Warmup {
    /** Compilation below this share of one core during a round counts as done. */
    private static final double SETTLED = 0.05;
    /**
     * Quiet rounds in a row before the measurement: after one, the compiler was still busy during the measurement
     * in some runs; after two, still in some (the gateway's hot path itself compiled by C2 in the measured burst).
     */
    private static final int QUIET_ROUNDS = 3;

    interface Round {
        void run(int round) throws Exception;
    }

    private Warmup() {
    }

    /**
     * Runs rounds until {@value #QUIET_ROUNDS} in a row find the gateway's JIT compiler threads using less than 5 %
     * of one core (Linux's counters for its process), at least {@code minRounds} and at most {@code maxRounds};
     * returns a line saying how many it took.
     */
    static String untilCompiled(ProductProcess gateway, int minRounds, int maxRounds, Round round) throws Exception {
        double share = 1;
        int rounds = 0;
        int settled = 0;
        while (rounds < maxRounds && (rounds < minRounds || settled < QUIET_ROUNDS)) {
            ProcessCpu cpu = new ProcessCpu(gateway.pid());
            round.run(rounds++);
            share = cpu.compilingShare();
            settled = share < SETTLED ? settled + 1 : 0;
        }
        return String.format("warm-up: %d rounds, the gateway's compilers using %.0f %% of a core in the last",
                rounds, 100 * share);
    }
}
