package io.pushgate.gateway.security;

import io.pushgate.protocol.GlobalPermission;

/**
 * What a session may do with a topic path. Resolved once per session (and again when its roles
 * change), so a check on the fan-out path is a lookup, never a policy evaluation.
 *
 * <p>{@link SecurityModel#accessFor} resolves one from roles; {@link #ALLOW_ALL} allows everything.
 */
public interface Access {

    /** May the session learn that the topic exists (its path, in selectors and fetches)? */
    boolean canSelect(String path);

    /** May the session receive the topic's values? */
    boolean canRead(String path);

    /** May the session set values of, or append to, the topic? */
    boolean canUpdate(String path);

    /** May the session add and remove the topic? */
    boolean canModify(String path);

    /** May the session edit any event of the time series at the path? (An edit also needs {@link #canUpdate}.) */
    boolean canEditTimeSeries(String path);

    /** May the session edit the events it authored in the time series at the path? (Also needs {@link #canUpdate}.) */
    boolean canEditOwnTimeSeries(String path);

    /** May the session query events that edits replaced? (Also needs {@link #canRead}.) */
    boolean canQueryObsoleteTimeSeries(String path);

    /** May the session send requests to the handler of the message path? */
    boolean canSendToHandler(String path);

    /** May the session send requests on the message path to other sessions? */
    boolean canSendToSession(String path);

    /** Does the session hold the global permission? */
    boolean hasGlobal(GlobalPermission permission);

    /** The session's principal: the name time-series events are authored by; {@code "anonymous"} without credentials. */
    String principal();

    /** Every session may do everything: the gateway's behaviour until roles are configured. */
    Access ALLOW_ALL = new Access() {
        @Override
        public boolean canSelect(String path) {
            return true;
        }

        @Override
        public boolean canRead(String path) {
            return true;
        }

        @Override
        public boolean canUpdate(String path) {
            return true;
        }

        @Override
        public boolean canModify(String path) {
            return true;
        }

        @Override
        public boolean canEditTimeSeries(String path) {
            return true;
        }

        @Override
        public boolean canEditOwnTimeSeries(String path) {
            return true;
        }

        @Override
        public boolean canQueryObsoleteTimeSeries(String path) {
            return true;
        }

        @Override
        public boolean canSendToHandler(String path) {
            return true;
        }

        @Override
        public boolean canSendToSession(String path) {
            return true;
        }

        @Override
        public boolean hasGlobal(GlobalPermission permission) {
            return true;
        }

        @Override
        public String principal() {
            return "anonymous";
        }

        @Override
        public String toString() {
            return "Access.ALLOW_ALL";
        }
    };
}
