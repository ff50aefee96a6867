package io.pushgate.gateway.wiring;

import io.pushgate.gateway.security.SecurityChanges;
import io.pushgate.gateway.replication.TopicMirror;
import io.pushgate.gateway.store.ChangeListeners;
import io.pushgate.gateway.topics.TopicChanges;
import io.pushgate.gateway.views.ViewChanges;
import io.pushgate.gateway.views.ViewEngine;
import io.pushgate.gateway.views.ViewStore;

/**
 * The listeners of the store's change stream: topic changes to the mirror, view changes to the
 * view engine (a new view is claimed at once), security changes to the security service.
 */
final class ChangeRouter implements ChangeListeners {

    private final TopicMirror mirror;
    private final ViewChanges views;
    private final SecurityChanges security;

    ChangeRouter(TopicMirror mirror, ViewEngine engine, ViewStore views, SecurityChanges security) {
        this.mirror = mirror;
        this.security = security;
        this.views = new ViewChanges() {
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

    @Override
    public TopicChanges topics() {
        return mirror;
    }

    @Override
    public ViewChanges views() {
        return views;
    }

    @Override
    public SecurityChanges security() {
        return security;
    }
}
