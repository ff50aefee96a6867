package io.pushgate.gateway.rest;

import io.pushgate.gateway.security.Access;
import io.pushgate.protocol.GlobalPermission;
import io.pushgate.gateway.views.ViewDefinition;
import io.pushgate.protocol.ErrorCode;
import io.pushgate.protocol.ProtocolException;
import jakarta.enterprise.context.RequestScoped;

/**
 * What the current REST request may do: set by {@link AuthenticationFilter} from the request's
 * token (or the anonymous roles), read by the resources.
 */
@RequestScoped
public class RequestAccess {

    private Access access = Access.ALLOW_ALL;
    private boolean authenticated;
    private ViewDefinition.Creator caller;

    void set(Access access, boolean authenticated, ViewDefinition.Creator caller) {
        this.access = access;
        this.authenticated = authenticated;
        this.caller = caller;
    }

    public Access current() {
        return access;
    }

    /** The caller's principal and roles, recorded with the views it creates (null: unrestricted). */
    public ViewDefinition.Creator caller() {
        return caller;
    }

    /** A refusal: 401 for a caller without credentials (authenticate first), 403 otherwise. */
    public ProtocolException denied(String what) {
        return new ProtocolException(authenticated ? ErrorCode.PERMISSION_DENIED : ErrorCode.UNAUTHENTICATED,
                authenticated ? "may not " + what : "may not " + what + ": authenticate with a bearer token");
    }

    /**
     * Requires a global permission: without it, an anonymous caller is told to authenticate
     * (401) and an authenticated one is refused (403).
     */
    public void require(GlobalPermission permission) {
        if (!access.hasGlobal(permission)) {
            throw new ProtocolException(authenticated ? ErrorCode.PERMISSION_DENIED : ErrorCode.UNAUTHENTICATED,
                    authenticated ? "needs " + permission : "needs " + permission + ": authenticate with a bearer token");
        }
    }
}
