package io.pushgate.gateway.store;

import io.pushgate.gateway.security.SecurityChanges;
import io.pushgate.gateway.topics.TopicChanges;
import io.pushgate.gateway.views.ViewChanges;

/** The listeners of a {@link ChangeStream}: each port's changes to its own listener. */
public interface ChangeListeners {

    TopicChanges topics();

    ViewChanges views();

    SecurityChanges security();

    /** Only the topic changes: view and security changes are dropped (tools and tests of the topic store). */
    static ChangeListeners topicsOnly(TopicChanges topics) {
        return of(topics, new ViewChanges() {
            @Override
            public void defined(String name, String stored) {
            }

            @Override
            public void removed(String name) {
            }

            @Override
            public void resync() {
            }
        }, new SecurityChanges() {
            @Override
            public void roleChanged(String name, io.pushgate.gateway.security.RoleDefinition role) {
            }

            @Override
            public void principalChanged(String principal, io.pushgate.gateway.security.PrincipalOverrides overrides) {
            }

            @Override
            public void resync() {
            }
        });
    }

    static ChangeListeners of(TopicChanges topics, ViewChanges views, SecurityChanges security) {
        return new ChangeListeners() {
            @Override
            public TopicChanges topics() {
                return topics;
            }

            @Override
            public ViewChanges views() {
                return views;
            }

            @Override
            public SecurityChanges security() {
                return security;
            }
        };
    }
}
