package io.pushgate.gateway.core;

import io.pushgate.gateway.redis.RedisSecurityStore;
import io.pushgate.gateway.redis.RedisViews;
import io.pushgate.gateway.replication.TopicMirror;
import io.pushgate.gateway.store.TopicChanges;
import io.pushgate.gateway.topics.TopicSpec;
import io.pushgate.gateway.views.ViewEngine;

/** Routes the store's change stream: topic changes to the mirror, view changes to the view engine. */
final class ChangeRouter implements TopicChanges {

    private final TopicMirror mirror;
    private final ViewEngine engine;
    private final RedisViews views;
    private final RedisSecurityStore security;

    ChangeRouter(TopicMirror mirror, ViewEngine engine, RedisViews views, RedisSecurityStore security) {
        this.mirror = mirror;
        this.engine = engine;
        this.views = views;
        this.security = security;
    }

    @Override
    public void security(char kind, String name, String json) {
        security.changed(kind, name, json);
    }

    @Override
    public void added(String path, TopicSpec spec) {
        mirror.added(path, spec);
    }

    @Override
    public void set(String path, long seq, String valueText) {
        mirror.set(path, seq, valueText);
    }

    @Override
    public void event(String path, long seq, long timeMillis, Long editOf, String author, String valueText) {
        mirror.event(path, seq, timeMillis, editOf, author, valueText);
    }

    @Override
    public void endOfBatch() {
        mirror.endOfBatch();
    }

    @Override
    public void removed(String path) {
        mirror.removed(path);
    }

    @Override
    public void view(String name, String text) {
        if (text == null) {
            engine.undefine(name);
        } else {
            engine.define(name, text);
            views.claim(name);
        }
    }

    @Override
    public void resync() {
        security.reload();
        mirror.resync();
        views.reload();
    }
}
