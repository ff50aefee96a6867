package io.pushgate.auth.security;

/** The built-in role names of docs/protocol.md that the auth-service itself gives meaning to. */
public final class Roles {

    /** Holds every role and every permission. */
    public static final String ADMINISTRATOR = "ADMINISTRATOR";
    /** The only role self sign-up may give. */
    public static final String CLIENT = "CLIENT";
    public static final String TOPIC_CONTROL = "TOPIC_CONTROL";

    private Roles() {
    }
}
