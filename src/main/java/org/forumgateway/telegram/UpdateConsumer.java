package org.forumgateway.telegram;

import org.forumgateway.bot.ChatRouter;
import org.forumgateway.chat.Incoming;
import org.forumgateway.storage.WriteLane;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.telegram.telegrambots.longpolling.interfaces.LongPollingUpdateConsumer;
import org.telegram.telegrambots.meta.api.objects.Update;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

/**
 * Receives batches from the polling loop (and single updates from the webhook), stores them in the inbox and
 * hands each new one to the chat workers, so the loop never waits for a handler (the library's own consumer runs
 * one update at a time for the whole process).
 */
final class UpdateConsumer implements LongPollingUpdateConsumer {
    private static final Logger log = LoggerFactory.getLogger(UpdateConsumer.class);
    private static final Duration FIRST_RETRY = Duration.ofMillis(100);
    /** Short enough that the bot answers within seconds of the cause going away. */
    private static final Duration LONGEST_RETRY = Duration.ofSeconds(5);

    private final UpdateTranslator translator;
    private final ChatWorkers workers;
    private final ChatRouter router;
    private final UpdateInbox inbox;
    private final ReceivingHealth health;

    UpdateConsumer(ChatWorkers workers, ChatRouter router, Optional<String> botUsername, UpdateInbox inbox,
                   ReceivingHealth health) {
        this.translator = new UpdateTranslator(botUsername);
        this.workers = workers;
        this.router = router;
        this.inbox = inbox;
        this.health = health;
    }

    /**
     * Stores the batch, retrying with back-off until it is stored: the library has already moved its offset past
     * it, so giving up would lose it. The polling thread waits meanwhile, so no further batch is confirmed to
     * Telegram. Nothing escapes: an exception here would end the library's polling task for good.
     */
    @Override
    public void consume(List<Update> updates) {
        // The polling thread stores what Telegram sent: its writes go ahead of the others.
        WriteLane.INTAKE.enter();
        try {
            storeUntilStored(updates).ifPresent(this::dispatch);
        } catch (RuntimeException e) {
            log.error("Received updates could not be handed out", e);
        }
    }

    /**
     * Stores one pushed update (in the batch of those pushed at the same time), once: on failure the webhook
     * answers an error and Telegram sends it again. A new update is read into the library's objects and handed to
     * the chat workers on the hand-out thread, in the order stored: the answer waits only for it to be stored.
     *
     * @param read reads the update from what was pushed
     * @return false when it could not be stored
     */
    boolean consumeOnce(UpdateInbox.Received received, Supplier<Update> read, PushedUpdates pushed) {
        return pushed.store(received, () -> handOut(received.updateId(), read)).isPresent();
    }

    private void handOut(int updateId, Supplier<Update> read) {
        Update update;
        try {
            update = read.get();
        } catch (RuntimeException e) {
            // Stored, so it is not lost to a fix; marked handled, so it does not hold up the start.
            log.error("Pushed update {} cannot be read: {}", updateId, e.getMessage() == null
                    ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse(""));
            inbox.handled(updateId);
            return;
        }
        dispatch(List.of(update));
    }

    private Optional<List<Update>> storeUntilStored(List<Update> updates) {
        Duration wait = FIRST_RETRY;
        while (true) {
            try {
                List<Update> fresh = inbox.storeNew(updates);
                health.stored();
                return Optional.of(fresh);
            } catch (RuntimeException e) {
                health.storeOutage().failed(e);
            }
            try {
                Thread.sleep(wait.toMillis());
            } catch (InterruptedException e) {
                // Stopping: the batch was never confirmed to Telegram (the next poll would have), so it comes again.
                Thread.currentThread().interrupt();
                log.warn("Stopping with {} received updates not stored; Telegram sends them again at the next start",
                        updates.size());
                return Optional.empty();
            }
            wait = wait.multipliedBy(2).compareTo(LONGEST_RETRY) > 0 ? LONGEST_RETRY : wait.multipliedBy(2);
        }
    }

    /**
     * Hands stored updates to the chat workers; each is marked handled in the transaction that writes what its
     * handler caused, so an update is handled exactly once: a crash before that commit leaves it to be handled
     * again at the next start, with nothing of it written.
     */
    void dispatch(List<Update> updates) {
        for (Update update : updates) {
            try {
                Optional<Incoming> incoming = translator.translate(update);
                if (incoming.isEmpty()) {
                    inbox.handled(update.getUpdateId());
                    continue;
                }
                Incoming item = incoming.get();
                // The task keeps the id, not the update: queued behind a busy chat or a burst, the library's object
                // graph (a few KB each) would outlive young collections and be copied at every one of them.
                int updateId = update.getUpdateId();
                workers.submit(item.chat().chatId(), () -> {
                    try {
                        router.handle(item, handle -> inbox.handled(handle, updateId));
                    } catch (RuntimeException e) {
                        // Its transaction failed: mark it alone, as an update whose handler failed is not tried again.
                        try {
                            inbox.handled(updateId);
                        } catch (RuntimeException markFailed) {
                            e.addSuppressed(markFailed);
                        }
                        throw e;
                    }
                });
            } catch (RejectedExecutionException e) {
                // Stopping: stored and not marked handled, so the next start handles it.
                log.info("Stopping: update {} will be handled at the next start", update.getUpdateId());
            } catch (RuntimeException e) {
                // One malformed update must not cost the rest of the batch.
                log.error("Cannot read update {}", update.getUpdateId(), e);
            }
        }
    }
}
