package io.pushgate.deploy;

import io.fabric8.kubernetes.api.model.KubernetesResource;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Fields that fabric8's model does not know, such as {@code readinesProbe} or {@code containerport}:
 * it keeps them aside ({@code additionalProperties}) instead of failing, and Kubernetes would
 * reject or ignore them, so a typo would otherwise pass every other check unseen.
 */
final class UnknownFields {

    private static final int MAX_DEPTH = 40;

    private UnknownFields() {
    }

    /** Paths of the unknown fields in the object, such as {@code spec.template.spec.containers[0].readinesProbe}. */
    static List<String> of(Object object) {
        List<String> out = new ArrayList<>();
        walk(object, "", out, 0);
        return out;
    }

    private static void walk(Object node, String path, List<String> out, int depth) {
        if (node == null || depth > MAX_DEPTH) {
            return;
        }
        if (node instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                walk(item, path + "[" + i++ + "]", out, depth + 1);
            }
            return;
        }
        if (node instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                walk(e.getValue(), path + "[" + e.getKey() + "]", out, depth + 1);
            }
            return;
        }
        if (!(node instanceof KubernetesResource)) {
            return;
        }
        for (Method getter : node.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers())
                    || getter.getDeclaringClass() == Object.class || !getter.getName().startsWith("get")) {
                continue;
            }
            Object value;
            try {
                value = getter.invoke(node);
            } catch (ReflectiveOperationException | RuntimeException e) {
                continue;
            }
            if (getter.getName().equals("getAdditionalProperties")) {
                if (value instanceof Map<?, ?> extra) {
                    extra.keySet().forEach(k -> out.add(join(path, String.valueOf(k))));
                }
                continue;
            }
            String field = Character.toLowerCase(getter.getName().charAt(3)) + getter.getName().substring(4);
            walk(value, join(path, field), out, depth + 1);
        }
    }

    private static String join(String path, String field) {
        return path.isEmpty() ? field : path + "." + field;
    }
}
