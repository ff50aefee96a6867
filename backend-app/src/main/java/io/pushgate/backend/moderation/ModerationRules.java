package io.pushgate.backend.moderation;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;
import java.util.Set;

/**
 * The moderator's rules, with no I/O: judges each version of a chat message once.
 *
 * <ol>
 * <li>Every event is judged the same way, whether it is a new message or an edit of one (edits of
 * edits included): an edit is a new text everybody sees, so leaving edits alone would let anyone
 * post a clean message and edit a flagged word into it, or edit a bleeped message back. Only the
 * moderator's own events (its bleeps, its relays of pre-moderated messages) are never judged.</li>
 * <li>A version with flagged words is bleeped ({@link WordFilter}); without any, nothing happens.</li>
 * <li>Each bleeped version is a strike for its author (the editor, for an edit) in that room; the
 * strike that reaches {@code strikeLimit} within the {@link StrikeWindow} revokes the author's
 * right to post there, and the count starts again.</li>
 * <li>Exempt principals (shared identities such as {@code anonymous}, whose revocation would
 * silence everybody using it) are bleeped, never struck nor revoked.</li>
 * </ol>
 *
 * <p>Not thread-safe: the moderator's one thread uses it.
 */
public final class ModerationRules {

    private final WordFilter filter;
    private final StrikeWindow strikes;
    private final int strikeLimit;
    private final Set<String> exempt;
    private volatile String self;

    public ModerationRules(WordFilter filter, StrikeWindow strikes, int strikeLimit, String self, Set<String> exempt) {
        if (strikeLimit < 1) {
            throw new IllegalArgumentException("the strike limit must be at least 1");
        }
        this.filter = filter;
        this.strikes = strikes;
        this.strikeLimit = strikeLimit;
        this.self = self;
        this.exempt = Set.copyOf(exempt);
    }

    /** The moderator's own principal (known once it has a token). */
    public void self(String principal) {
        if (principal != null && !principal.isBlank()) {
            this.self = principal;
        }
    }

    public String self() {
        return self;
    }

    /** Whether this principal is the moderator itself. */
    public boolean isSelf(String principal) {
        return principal != null && principal.equals(self);
    }

    /** The value as the moderator lets it be read: bleeped if it has flagged words, else itself. No strike. */
    public JsonNode clean(JsonNode value) {
        Optional<String> text = ChatMessages.textOf(value);
        if (text.isEmpty()) {
            return value;
        }
        WordFilter.Result result = filter.apply(text.get());
        return result.bleeped() ? ChatMessages.withText(value, result.text()) : value;
    }

    /** Judges one version of a message (an original or an edit): bleep or not, strike or not, revoke or not. */
    public Verdict judge(ChatEvent event) {
        if (isSelf(event.author())) {
            return Verdict.none(event);
        }
        Optional<String> text = ChatMessages.textOf(event.value());
        if (text.isEmpty()) {
            return Verdict.none(event);
        }
        WordFilter.Result result = filter.apply(text.get());
        if (!result.bleeped()) {
            return Verdict.none(event);
        }
        var bleeped = ChatMessages.withText(event.value(), result.text());
        String author = event.author() == null ? "anonymous" : event.author();
        if (exempt.contains(author)) {
            return new Verdict(event, bleeped, result.words(), 0, false);
        }
        int count = strikes.strike(event.room(), author);
        boolean revoke = count >= strikeLimit;
        if (revoke) {
            strikes.clear(event.room(), author);
        }
        return new Verdict(event, bleeped, result.words(), count, revoke);
    }
}
