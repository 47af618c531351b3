package org.forumgateway.bench;

/**
 * Warms the gateway up until its JIT has compiled the path measured, as in a gateway that has run a while. A
 * fixed number of warm-up requests was not enough: during the measured requests the compiler threads still used a
 * third of the two cores (measured with {@link ProcessCpu}), time a long-running gateway does not spend. The
 * benchmark's own JVM (the load and the fake Bot API) is waited for too: its compilers took 20 % of a core in one
 * measured gateway burst, from the same two cores.
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
     * Runs rounds until {@value #QUIET_ROUNDS} in a row find the JIT compiler threads of the gateway and of this
     * JVM each using less than 5 % of one core (Linux's counters for each process), at least {@code minRounds} and
     * at most {@code maxRounds}; returns a line saying how many it took.
     */
    static String untilCompiled(ProductProcess gateway, int minRounds, int maxRounds, Round round) throws Exception {
        double gatewayShare = 1;
        double ownShare = 1;
        int rounds = 0;
        int settled = 0;
        while (rounds < maxRounds && (rounds < minRounds || settled < QUIET_ROUNDS)) {
            ProcessCpu gatewayCpu = new ProcessCpu(gateway.pid());
            ProcessCpu ownCpu = new ProcessCpu(ProcessHandle.current().pid());
            round.run(rounds++);
            gatewayShare = gatewayCpu.compilingShare();
            ownShare = ownCpu.compilingShare();
            settled = gatewayShare < SETTLED && ownShare < SETTLED ? settled + 1 : 0;
        }
        return String.format("warm-up: %d rounds; compilers in the last: the gateway's %.0f %% of a core, the "
                + "benchmark's %.0f %%", rounds, 100 * gatewayShare, 100 * ownShare);
    }
}
