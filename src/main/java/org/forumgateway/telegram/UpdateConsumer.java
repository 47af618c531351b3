package org.forumgateway.telegram;

import org.forumgateway.bot.ChatRouter;
import org.forumgateway.chat.Incoming;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.telegram.telegrambots.longpolling.interfaces.LongPollingUpdateConsumer;
import org.telegram.telegrambots.meta.api.objects.Update;

import java.util.List;
import java.util.Optional;

/**
 * Receives batches from the polling loop and hands each update to the chat workers, so the loop never waits
 * for a handler (the library's own consumer runs one update at a time for the whole process).
 */
final class UpdateConsumer implements LongPollingUpdateConsumer {
    private static final Logger log = LoggerFactory.getLogger(UpdateConsumer.class);

    private final UpdateTranslator translator;
    private final ChatWorkers workers;
    private final ChatRouter router;
    private final UpdateInbox inbox;

    UpdateConsumer(ChatWorkers workers, ChatRouter router, Optional<String> botUsername, UpdateInbox inbox) {
        this.translator = new UpdateTranslator(botUsername);
        this.workers = workers;
        this.router = router;
        this.inbox = inbox;
    }

    /** Stores the batch first (the library has already confirmed it to Telegram), then hands out the new ones. */
    @Override
    public void consume(List<Update> updates) {
        dispatch(inbox.storeNew(updates));
    }

    /** Hands stored updates to the chat workers; each is marked handled when its handler is done. */
    void dispatch(List<Update> updates) {
        for (Update update : updates) {
            try {
                Optional<Incoming> incoming = translator.translate(update);
                if (incoming.isEmpty()) {
                    inbox.handled(update.getUpdateId());
                    continue;
                }
                Incoming item = incoming.get();
                workers.submit(item.chat().chatId(), () -> {
                    try {
                        router.handle(item);
                    } finally {
                        inbox.handled(update.getUpdateId());
                    }
                });
            } catch (RuntimeException e) {
                // One malformed update must not cost the rest of the batch.
                log.error("Cannot read update {}", update.getUpdateId(), e);
            }
        }
    }
}
