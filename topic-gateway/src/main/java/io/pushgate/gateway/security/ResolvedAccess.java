package io.pushgate.gateway.security;

import io.pushgate.protocol.GlobalPermission;
import java.util.Set;

/** An {@link Access} from {@link SecurityModel#accessFor}: a principal and the compiled permissions of its roles. */
final class ResolvedAccess implements Access {

    private final String principal;
    private final SecurityModel.Resolved resolved;

    ResolvedAccess(String principal, SecurityModel.Resolved resolved) {
        this.principal = principal;
        this.resolved = resolved;
    }

    /** The path permissions in force for the path. */
    Set<PathPermission> permissions(String path) {
        return resolved.paths().permissions(path);
    }

    @Override
    public boolean canSelect(String path) {
        return resolved.paths().has(PathPermission.SELECT_TOPIC, path);
    }

    @Override
    public boolean canRead(String path) {
        return resolved.paths().has(PathPermission.READ_TOPIC, path);
    }

    @Override
    public boolean canUpdate(String path) {
        return resolved.paths().has(PathPermission.UPDATE_TOPIC, path);
    }

    @Override
    public boolean canModify(String path) {
        return resolved.paths().has(PathPermission.MODIFY_TOPIC, path);
    }

    @Override
    public boolean canEditTimeSeries(String path) {
        return resolved.paths().has(PathPermission.EDIT_TIME_SERIES_EVENTS, path);
    }

    @Override
    public boolean canEditOwnTimeSeries(String path) {
        return resolved.paths().has(PathPermission.EDIT_OWN_TIME_SERIES_EVENTS, path);
    }

    @Override
    public boolean canQueryObsoleteTimeSeries(String path) {
        return resolved.paths().has(PathPermission.QUERY_OBSOLETE_TIME_SERIES_EVENTS, path);
    }

    @Override
    public boolean canSendToHandler(String path) {
        return resolved.paths().has(PathPermission.SEND_TO_MESSAGE_HANDLER, path);
    }

    @Override
    public boolean canSendToSession(String path) {
        return resolved.paths().has(PathPermission.SEND_TO_SESSION, path);
    }

    @Override
    public boolean hasGlobal(GlobalPermission permission) {
        return resolved.global().contains(permission);
    }

    @Override
    public String principal() {
        return principal;
    }

    @Override
    public String toString() {
        return "Access[" + principal + " " + resolved.closure() + "]";
    }
}
