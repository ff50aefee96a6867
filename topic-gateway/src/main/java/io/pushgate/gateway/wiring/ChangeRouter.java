package io.pushgate.gateway.wiring;

import io.pushgate.gateway.replication.TopicMirror;
import io.pushgate.gateway.security.SecurityChanges;
import io.pushgate.gateway.store.ChangeListeners;
import io.pushgate.gateway.views.ViewChanges;
import io.pushgate.gateway.views.ViewEngine;
import io.pushgate.gateway.views.ViewStore;

/**
 * The listeners of the store's change stream: topic changes to the mirror, view changes to the
 * view engine (a new view is claimed at once), security changes to the security service.
 */
final class ChangeRouter {

    private ChangeRouter() {
    }

    static ChangeListeners listeners(TopicMirror mirror, ViewEngine engine, ViewStore views, SecurityChanges security) {
        return ChangeListeners.of(mirror, viewChanges(engine, views), security);
    }

    /** A view defined in the store is defined here and claimed (its owner runs it); at a resync all are reloaded. */
    private static ViewChanges viewChanges(ViewEngine engine, ViewStore views) {
        return new ViewChanges() {
            @Override
            public void defined(String name, String stored) {
                engine.define(name, stored);
                views.claim(name);
            }

            @Override
            public void removed(String name) {
                engine.undefine(name);
            }

            @Override
            public void resync() {
                views.reload();
            }
        };
    }
}
