package org.forumgateway.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Lowers the benchmark's load below the gateway once the gateway runs: the thread that sends the updates and waits
 * for the replies, the reader of the gateway's output, and this JVM's compiler and other threads. In production
 * nothing of the load is on the gateway's cores; here they share two, and a recording of the scheduler (perf sched)
 * during the full-path benchmark showed chat workers ready to run and waiting 1-5 ms while the load held their
 * core. The fake Bot API's own threads keep the gateway's priority: they stand for Telegram, and they check the
 * rate limits by the time they see each request, which a lowered thread sees late (with them lowered too, arrivals
 * bunched up and the fake answered 429 to sends the engine had spaced correctly). Linux hands a thread's priority
 * to the threads it starts later. Linux only ({@code renice} of util-linux); elsewhere the benchmark says so and
 * runs unchanged.
 */
final class HarnessPriority {
    /** Nice 10: about a tenth of the share a normal thread gets when both want the same core (weights 110, 1024). */
    private static final int NICE = 10;
    /** The fake Bot API's threads (its executor's and the JDK HTTP server's), as Linux names them. */
    private static final Set<String> FAKE_TELEGRAM = Set.of("fake-telegram", "HTTP-Dispatcher");

    private HarnessPriority() {
    }

    /** Lowers every thread of this process but the fake Bot API's; returns the line the benchmark prints about it. */
    static String lowerTheLoad() {
        List<String> command = new ArrayList<>(List.of("renice", "-n", String.valueOf(NICE), "-p"));
        int withoutThreads = command.size();
        ProcessCpu.ticksByThread(ProcessHandle.current().pid()).forEach((tid, thread) -> {
            if (!FAKE_TELEGRAM.contains(thread.name())) {
                command.add(String.valueOf(tid));
            }
        });
        if (command.size() == withoutThreads) {
            return "the benchmark's load keeps its priority: its threads cannot be listed (no /proc)";
        }
        try {
            Process renice = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(renice.getInputStream().readAllBytes()).trim();
            if (!renice.waitFor(10, TimeUnit.SECONDS) || renice.exitValue() != 0) {
                return "the benchmark's load keeps its priority: renice failed (" + output + ")";
            }
            return "the benchmark's load runs at nice " + NICE + "; the gateway and the fake Bot API at their own";
        } catch (IOException e) {
            return "the benchmark's load keeps its priority: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "the benchmark's load keeps its priority: interrupted";
        }
    }
}
