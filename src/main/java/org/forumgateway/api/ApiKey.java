package org.forumgateway.api;

import java.util.Set;

/** A caller that presented a valid key: the key's name (what logs and the audit log show) and its scopes. */
public record ApiKey(String name, Set<Scope> scopes) {
    public ApiKey {
        scopes = Set.copyOf(scopes);
    }

    public boolean may(Scope scope) {
        return scopes.contains(scope);
    }
}
