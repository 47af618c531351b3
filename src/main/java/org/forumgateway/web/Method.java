package org.forumgateway.web;

/** The HTTP methods a route can serve. A GET route also answers HEAD, without the body. */
public enum Method {
    GET, POST, PUT, PATCH, DELETE
}
