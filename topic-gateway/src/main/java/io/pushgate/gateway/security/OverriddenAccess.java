package io.pushgate.gateway.security;

import io.pushgate.protocol.GlobalPermission;

/** A session's access from its roles, with its principal's own overrides taking precedence. */
final class OverriddenAccess implements Access {

    private final Access roles;
    private final PrincipalOverrides overrides;

    OverriddenAccess(Access roles, PrincipalOverrides overrides) {
        this.roles = roles;
        this.overrides = overrides;
    }

    private boolean has(String path, PathPermission permission, boolean fromRoles) {
        var set = overrides.forPath(path);
        return set == null ? fromRoles : set.contains(permission);
    }

    @Override
    public boolean canSelect(String path) {
        return has(path, PathPermission.SELECT_TOPIC, roles.canSelect(path));
    }

    @Override
    public boolean canRead(String path) {
        return has(path, PathPermission.READ_TOPIC, roles.canRead(path));
    }

    @Override
    public boolean canUpdate(String path) {
        return has(path, PathPermission.UPDATE_TOPIC, roles.canUpdate(path));
    }

    @Override
    public boolean canModify(String path) {
        return has(path, PathPermission.MODIFY_TOPIC, roles.canModify(path));
    }

    @Override
    public boolean canEditTimeSeries(String path) {
        return has(path, PathPermission.EDIT_TIME_SERIES_EVENTS, roles.canEditTimeSeries(path));
    }

    @Override
    public boolean canEditOwnTimeSeries(String path) {
        return has(path, PathPermission.EDIT_OWN_TIME_SERIES_EVENTS, roles.canEditOwnTimeSeries(path));
    }

    @Override
    public boolean canQueryObsoleteTimeSeries(String path) {
        return has(path, PathPermission.QUERY_OBSOLETE_TIME_SERIES_EVENTS, roles.canQueryObsoleteTimeSeries(path));
    }

    @Override
    public boolean canSendToHandler(String path) {
        return has(path, PathPermission.SEND_TO_MESSAGE_HANDLER, roles.canSendToHandler(path));
    }

    @Override
    public boolean canSendToSession(String path) {
        return has(path, PathPermission.SEND_TO_SESSION, roles.canSendToSession(path));
    }

    @Override
    public boolean hasGlobal(GlobalPermission permission) {
        return roles.hasGlobal(permission);
    }

    @Override
    public String principal() {
        return roles.principal();
    }
}
