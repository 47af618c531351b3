package org.forumgateway.telegram;

import okhttp3.Interceptor;
import okhttp3.Response;

import java.io.IOException;

/**
 * What the last exchange with the Bot API says about it, seen by an OkHttp interceptor on every request.
 * Thread-safe.
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

    public Status status() {
        return status;
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        try {
            Response response = chain.proceed(chain.request());
            int code = response.code();
            status = code == 401 || code == 404 ? Status.UNAUTHORIZED
                    : code >= 500 ? Status.UNREACHABLE
                    : Status.OK;
            return response;
        } catch (IOException e) {
            if (!chain.call().isCanceled()) {
                status = Status.UNREACHABLE;
            }
            throw e;
        }
    }
}
