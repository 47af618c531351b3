package org.forumgateway.delivery;

import java.util.Map;

/**
 * Where a notification's delivery stands.
 *
 * @param failures reasons of permanent failures, with how many failed for each (messages, or recipients where the
 *                 figures count recipients)
 */
public record Progress(int total, int sent, int pending, int blocked, int failed, int cancelled,
                       Map<String, Integer> failures) {

    /** Of a message that queued nothing. */
    public static final Progress NONE = new Progress(0, 0, 0, 0, 0, 0, Map.of());

    public Progress {
        failures = Map.copyOf(failures);
    }

    public boolean isFinished() {
        return pending == 0;
    }

    public int done() {
        return sent + blocked + failed + cancelled;
    }
}
