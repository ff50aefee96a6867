package io.pushgate.gateway.security;

/** Permissions a role grants on the gateway as a whole, whatever the path. */
public enum GlobalPermission {
    /** See other sessions and their properties. */
    VIEW_SESSION,
    /** Close other sessions, change their roles or properties. */
    MODIFY_SESSION,
    /** Read the security model (roles and their permissions). */
    VIEW_SECURITY,
    /** Change the security model ({@code PUT /v1/security/roles/{role}}). */
    MODIFY_SECURITY,
    /** Read the server's state and metrics. */
    VIEW_SERVER,
    /** Change the server's state at run time. */
    CONTROL_SERVER,
    /** Register a request handler for a message path (messaging; Diffusion's global permission of the same name). */
    REGISTER_HANDLER
}
