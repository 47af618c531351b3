package org.forumgateway.telegram;

import okhttp3.Interceptor;
import okhttp3.Response;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the last exchanges with the Bot API say about it, seen by an OkHttp interceptor on every request: reachable
 * until two in a row fail. Thread-safe.
 */
public final class TelegramHealth implements Interceptor {

    /** The Bot API as last seen. */
    public enum Status {
        /** No answer yet. */
        UNKNOWN,
        OK,
        /** No answer, or a server error. */
        UNREACHABLE,
        /** The token was refused. */
        UNAUTHORIZED
    }

    private volatile Status status = Status.UNKNOWN;
    /** Exchanges failed in a row, the last one included. */
    private final AtomicInteger failures = new AtomicInteger();

    public Status status() {
        return status;
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        try {
            Response response = chain.proceed(chain.request());
            int code = response.code();
            if (code >= 500) {
                failed();
            } else {
                failures.set(0);
                status = code == 401 || code == 404 ? Status.UNAUTHORIZED : Status.OK;
            }
            return response;
        } catch (IOException e) {
            if (!chain.call().isCanceled()) {
                failed();
            }
            throw e;
        }
    }

    /**
     * One failed exchange after good ones is a blip (a 502 Telegram answers now and then, which the outbox sends
     * again): it would keep /healthz failing until the next exchange, up to a long poll's 50 s. Two in a row are not.
     */
    private void failed() {
        if (failures.incrementAndGet() >= 2 || status != Status.OK) {
            status = Status.UNREACHABLE;
        }
    }
}
