package org.forumgateway.chat;

import java.util.concurrent.CompletableFuture;

/** Puts one message on the wire and reports how the Bot API answered. Thread-safe; never throws. */
public interface Transport {
    CompletableFuture<DeliveryResult> deliver(OutgoingMessage message);
}
