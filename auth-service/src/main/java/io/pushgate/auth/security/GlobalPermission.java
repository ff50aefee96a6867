package io.pushgate.auth.security;

/** The global permissions of docs/protocol.md; the auth-service checks only the *_SECURITY ones. */
public enum GlobalPermission {
    VIEW_SESSION,
    MODIFY_SESSION,
    VIEW_SECURITY,
    MODIFY_SECURITY,
    VIEW_SERVER,
    CONTROL_SERVER,
    REGISTER_HANDLER
}
