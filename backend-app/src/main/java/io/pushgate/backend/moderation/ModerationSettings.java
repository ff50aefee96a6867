package io.pushgate.backend.moderation;

import io.pushgate.backend.config.BackendConfig;
import java.time.Duration;
import java.util.List;

/**
 * What the moderation logic needs of the configuration ({@code backend.moderation.*}), as plain
 * values the tests can make.
 *
 * @param logTopic the time series every action is logged to
 * @param statusPrefix the per-principal status topics are {@code <statusPrefix>/<principal>}
 * @param requestsTopic the time series moderators append restore requests to
 * @param inboxPrefix a room {@code R} is pre-moderated when the time series {@code <inboxPrefix>/R} exists; empty: no pre-moderation
 * @param catchUp events of a room (or inbox, or the requests) looked at when it is first seen
 * @param trackedMessages messages whose versions the moderator remembers (for the reinstatement of an author's edit and for relayed messages)
 * @param revokedPermissions what a revoked author keeps in the room
 * @param strikeWindow the window strikes are counted in (said in the status)
 * @param onRevoke what a revocation does to the author's live sessions besides taking the right to post
 */
public record ModerationSettings(String logTopic, String statusPrefix, String requestsTopic, String inboxPrefix, int catchUp,
        int trackedMessages, List<String> revokedPermissions, Duration strikeWindow, SessionAction onRevoke) {

    /** What a revocation does to the revoked author's live sessions (on every gateway replica), {@code backend.moderation.on-revoke}. */
    public enum SessionAction {
        /** Nothing: they stay subscribed, and only lose the right to post. */
        NONE,
        /**
         * Their sessions are unsubscribed from the room at once (they subscribe again only if they ask,
         * or when a change of rights re-applies their own selectors, since the kept permissions let them read).
         */
        UNSUBSCRIBE,
        /** Their sessions are closed with 4101 (their clients do not reconnect at once). */
        CLOSE
    }

    /** Without an action on sessions ({@link SessionAction#NONE}). */
    public ModerationSettings(String logTopic, String statusPrefix, String requestsTopic, String inboxPrefix, int catchUp,
            int trackedMessages, List<String> revokedPermissions, Duration strikeWindow) {
        this(logTopic, statusPrefix, requestsTopic, inboxPrefix, catchUp, trackedMessages, revokedPermissions, strikeWindow, SessionAction.NONE);
    }

    /** What a revoked author keeps on a pre-moderated room's inbox: seeing it exists (so the page knows the room is pre-moderated). */
    public static final List<String> INBOX_KEPT = List.of("SELECT_TOPIC");
    /** What a principal may do on its own status topic. */
    public static final List<String> STATUS_READ = List.of("SELECT_TOPIC", "READ_TOPIC");

    public ModerationSettings {
        if (catchUp < 1) {
            throw new IllegalArgumentException("backend.moderation.catch-up must be 1 or more");
        }
        if (trackedMessages < 1) {
            throw new IllegalArgumentException("backend.moderation.tracked-messages must be 1 or more");
        }
        inboxPrefix = inboxPrefix == null ? "" : inboxPrefix.strip();
        revokedPermissions = List.copyOf(revokedPermissions);
        onRevoke = onRevoke == null ? SessionAction.NONE : onRevoke;
    }

    public static ModerationSettings of(BackendConfig.Moderation c) {
        return new ModerationSettings(c.logTopic(), c.statusPrefix(), c.requestsTopic(), c.inboxPrefix().orElse(""), c.catchUp(),
                c.trackedMessages(), c.revokedPermissions(), c.strikes().window(), c.onRevoke());
    }

    public boolean preModeration() {
        return !inboxPrefix.isEmpty();
    }

    /** The inbox of a room ({@code inbox/chat/lobby}), or null without pre-moderation. */
    public String inboxOf(String room) {
        return preModeration() ? inboxPrefix + "/" + room : null;
    }

    /** The room of an inbox topic, or null when the topic is not an inbox. */
    public String roomOfInbox(String topic) {
        return preModeration() && topic.startsWith(inboxPrefix + "/") ? topic.substring(inboxPrefix.length() + 1) : null;
    }

    public String statusTopic(String principal) {
        return PrincipalStatus.topic(statusPrefix, principal);
    }
}
