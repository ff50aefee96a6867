package io.pushgate.gateway.security;

import io.pushgate.protocol.GlobalPermission;
import io.pushgate.gateway.topics.PresencePaths;
import io.pushgate.protocol.TopicPath;

/**
 * The rule for the gateway's own paths ({@code $...}, {@link TopicPath#isReserved}) over a session's
 * access: a presence topic {@code $presence/<path>} may be selected and read exactly when
 * {@code <path>} may (the roles' assignments at {@code $presence} itself do not count, so nobody
 * learns who is in a room they may not read), and no one may update, add, remove or edit any
 * reserved path, whatever the roles (the gateway writes them itself, past these checks). Other
 * paths are the session's access unchanged. One character comparison per check for them.
 */
final class ReservedPathAccess implements Access {

    private final Access access;

    private ReservedPathAccess(Access access) {
        this.access = access;
    }

    static Access over(Access access) {
        return access instanceof ReservedPathAccess ? access : new ReservedPathAccess(access);
    }

    @Override
    public boolean canSelect(String path) {
        if (!TopicPath.isReserved(path)) {
            return access.canSelect(path);
        }
        String source = PresencePaths.sourceOf(path);
        return source != null && access.canSelect(source);
    }

    @Override
    public boolean canRead(String path) {
        if (!TopicPath.isReserved(path)) {
            return access.canRead(path);
        }
        String source = PresencePaths.sourceOf(path);
        return source != null && access.canRead(source);
    }

    @Override
    public boolean canUpdate(String path) {
        return !TopicPath.isReserved(path) && access.canUpdate(path);
    }

    @Override
    public boolean canModify(String path) {
        return !TopicPath.isReserved(path) && access.canModify(path);
    }

    @Override
    public boolean canEditTimeSeries(String path) {
        return !TopicPath.isReserved(path) && access.canEditTimeSeries(path);
    }

    @Override
    public boolean canEditOwnTimeSeries(String path) {
        return !TopicPath.isReserved(path) && access.canEditOwnTimeSeries(path);
    }

    @Override
    public boolean canQueryObsoleteTimeSeries(String path) {
        return !TopicPath.isReserved(path) && access.canQueryObsoleteTimeSeries(path);
    }

    // Message paths (messaging) are not topic paths: a reserved topic path reserves no message path.
    @Override
    public boolean canSendToHandler(String path) {
        return access.canSendToHandler(path);
    }

    @Override
    public boolean canSendToSession(String path) {
        return access.canSendToSession(path);
    }

    @Override
    public boolean hasGlobal(GlobalPermission permission) {
        return access.hasGlobal(permission);
    }

    @Override
    public String principal() {
        return access.principal();
    }

    @Override
    public String toString() {
        return access.toString();
    }
}
