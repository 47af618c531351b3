package org.forumgateway.web;

import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's own refusals (headers too large, a malformed request line) as RFC 9457 problems, like every other
 * error of the server, instead of Jetty's HTML page.
 */
final class ProblemErrorHandler implements Request.Handler {
    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        int status = request.getAttribute(ErrorHandler.ERROR_STATUS) instanceof Integer code ? code
                : response.getStatus();
        if (status < 400) {
            status = 500;
        }
        String title = HttpStatus.getMessage(status);
        Router.send(response, callback, WebResponse.problem(status, title, title + "."));
        return true;
    }
}
