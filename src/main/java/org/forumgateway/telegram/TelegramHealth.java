package org.forumgateway.telegram;

import okhttp3.Interceptor;
import okhttp3.Response;

import java.io.IOException;

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
    /** Exchanges failed in a row, the last one included (guarded by this). */
    private int failures;

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
                answered(code == 401 || code == 404 ? Status.UNAUTHORIZED : Status.OK);
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
    private synchronized void failed() {
        failures++;
        if (failures >= 2 || status != Status.OK) {
            status = Status.UNREACHABLE;
        }
    }

    /** Synchronized with {@link #failed}: a success must not be overwritten by a failure that counted before it. */
    private synchronized void answered(Status answer) {
        failures = 0;
        status = answer;
    }
}
