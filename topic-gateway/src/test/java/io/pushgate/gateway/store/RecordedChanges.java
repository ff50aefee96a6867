package io.pushgate.gateway.store;


import io.pushgate.gateway.security.PrincipalOverrides;
import io.pushgate.gateway.security.RoleDefinition;
import io.pushgate.gateway.security.SecurityChanges;
import io.pushgate.gateway.topics.TopicChanges;
import io.pushgate.gateway.topics.TopicSpec;
import io.pushgate.gateway.views.ViewChanges;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Listeners of a change stream that write down every change as a line, for contract tests. */
public final class RecordedChanges implements ChangeListeners {

    private final List<String> lines = new ArrayList<>();

    private synchronized void add(String line) {
        lines.add(line);
    }

    public synchronized List<String> lines() {
        return new ArrayList<>(lines);
    }

    /** Waits until {@code line} was recorded. */
    public void await(String line) {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> lines().contains(line));
    }

    /** The recorded lines that start with {@code prefix}, in order. */
    public List<String> starting(String prefix) {
        return lines().stream().filter(l -> l.startsWith(prefix)).toList();
    }

    @Override
    public TopicChanges topics() {
        return new TopicChanges() {
            @Override
            public void added(String path, TopicSpec spec) {
                add("added " + path + " " + spec.canonicalJson());
            }

            @Override
            public void set(String path, long seq, String valueText) {
                add("set " + path + " " + seq + " " + valueText);
            }

            @Override
            public void event(String path, long seq, long timeMillis, Long editOf, String author, String valueText) {
                add("event " + path + " " + seq + (editOf == null ? "" : " edits " + editOf) + " by " + author + " " + valueText);
            }

            @Override
            public void removed(String path) {
                add("removed " + path);
            }

            @Override
            public void resync() {
                add("resync topics");
            }
        };
    }

    @Override
    public ViewChanges views() {
        return new ViewChanges() {
            @Override
            public void defined(String name, String stored) {
                add("view " + name + " " + stored);
            }

            @Override
            public void removed(String name) {
                add("view removed " + name);
            }

            @Override
            public void resync() {
                add("resync views");
            }
        };
    }

    @Override
    public SecurityChanges security() {
        return new SecurityChanges() {
            @Override
            public void roleChanged(String name, RoleDefinition role) {
                add(role == null ? "role removed " + name : "role " + name + " " + role.defaultPathPermissions());
            }

            @Override
            public void principalChanged(String principal, PrincipalOverrides overrides) {
                add(overrides == null ? "principal removed " + principal : "principal " + principal + " " + overrides.pathPermissions());
            }

            @Override
            public void resync() {
                add("resync security");
            }
        };
    }
}
