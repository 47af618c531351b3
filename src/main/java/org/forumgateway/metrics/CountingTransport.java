package org.forumgateway.metrics;

import org.forumgateway.chat.DeliveryResult;
import org.forumgateway.chat.OutgoingMessage;
import org.forumgateway.chat.Transport;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A {@link Transport} that counts every answer of the one it wraps by outcome. It hands back the wrapped future
 * itself, so counting can never change what the delivery engine sees. Thread-safe.
 */
final class CountingTransport implements Transport {
    private final Transport wrapped;
    private final Consumer<String> count;

    CountingTransport(Transport wrapped, Consumer<String> count) {
        this.wrapped = wrapped;
        this.count = count;
    }

    @Override
    public CompletableFuture<DeliveryResult> deliver(OutgoingMessage message) {
        CompletableFuture<DeliveryResult> answer = wrapped.deliver(message);
        // A side branch: whatever happens in it stays in it.
        answer.whenComplete((result, error) -> count.accept(result == null ? "retried" : status(result)));
        return answer;
    }

    /** The {@code status} label of an answer, as the README lists them. */
    static String status(DeliveryResult result) {
        if (result instanceof DeliveryResult.Delivered) {
            return "sent";
        }
        if (result instanceof DeliveryResult.RetryAfter) {
            return "throttled";
        }
        if (result instanceof DeliveryResult.Blocked) {
            return "blocked";
        }
        if (result instanceof DeliveryResult.ChatMigrated) {
            return "migrated";
        }
        if (result instanceof DeliveryResult.Rejected) {
            return "failed";
        }
        return "retried"; // TransientFailure: 5xx, timeouts, dropped connections
    }
}
