package io.pushgate.protocol;

/**
 * Permissions a role grants on the gateway as a whole, whatever the path (the contract's global
 * permissions, and {@code REGISTER_HANDLER} of messaging). Roles carry these names over REST (the
 * gateway's {@code /v1/security/roles}, the auth-service's principals), so the gateway and the
 * auth-service share this one enum; the auth-service checks only the {@code *_SECURITY} ones.
 */
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
