package org.forumgateway.metrics;

import okhttp3.Interceptor;
import okhttp3.Response;

import java.io.IOException;
import java.util.function.Consumer;

/**
 * Counts the Bot API's error answers by HTTP status, and calls that got no answer as {@code network}, seen by an
 * OkHttp interceptor on every request (polling and sending). Calls cancelled on purpose (shutdown) are not errors.
 * Passes every answer and exception through unchanged. Thread-safe.
 */
final class TelegramErrorCounter implements Interceptor {
    static final String NETWORK = "network";
    private final Consumer<String> count;

    TelegramErrorCounter(Consumer<String> count) {
        this.count = count;
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        Response response;
        try {
            response = chain.proceed(chain.request());
        } catch (IOException e) {
            if (!chain.call().isCanceled()) {
                count.accept(NETWORK);
            }
            throw e;
        }
        if (response.code() >= 400) {
            // An HTTP status is three digits: a bounded label.
            count.accept(Integer.toString(response.code()));
        }
        return response;
    }
}
