package org.forumgateway.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Lowers the benchmark's own threads (the fake Bot API, the load) below the gateway's, once the gateway runs: in
 * production Telegram's servers are not on the gateway's cores, here they share two. A recording of the scheduler
 * (perf sched) during the full-path benchmark showed chat workers ready to run and waiting 1-5 ms while the
 * benchmark's own threads held their core. Linux hands a thread's priority to the threads it starts later, so the
 * fake's threads started afterwards are lowered too; the gateway, already started, keeps the priority an operator's
 * process has. What it costs the figures, if anything, is added to them: the fake notes a reply when its own thread
 * gets to run. Linux only ({@code renice} of util-linux); elsewhere the benchmark says so and runs unchanged.
 */
final class HarnessPriority {
    /** Nice 10: a third of the share a normal thread gets when both want the same core (weights 110 and 1024). */
    private static final int NICE = 10;
    private static final Path OWN_THREADS = Path.of("/proc/self/task");

    private HarnessPriority() {
    }

    /** Lowers every thread of this process; returns the line the benchmark prints about it. */
    static String lowerOwnThreads() {
        List<String> command = new ArrayList<>(List.of("renice", "-n", String.valueOf(NICE), "-p"));
        try (Stream<Path> threads = Files.list(OWN_THREADS)) {
            threads.map(thread -> thread.getFileName().toString()).forEach(command::add);
            Process renice = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(renice.getInputStream().readAllBytes()).trim();
            if (!renice.waitFor(10, TimeUnit.SECONDS) || renice.exitValue() != 0) {
                return "the benchmark's threads keep their priority: renice failed (" + output + ")";
            }
            return "the benchmark's own threads (fake Bot API, load) run at nice " + NICE + ", the gateway at its own";
        } catch (IOException e) {
            return "the benchmark's threads keep their priority: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "the benchmark's threads keep their priority: interrupted";
        }
    }
}
