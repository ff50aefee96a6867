package io.pushgate.deploy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesList;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Kubernetes objects parsed with fabric8's model, and the views of them that the checks use. */
final class Manifests {

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private final List<HasMetadata> objects;

    private Manifests(List<HasMetadata> objects) {
        this.objects = List.copyOf(objects);
    }

    /** Renders a kustomization with kubectl and parses what it prints. */
    static Manifests render(Path kustomizationDir) {
        return parse(Kubectl.kustomize(kustomizationDir));
    }

    /** Parses a stream of YAML documents. */
    static Manifests parse(String yaml) {
        List<HasMetadata> out = new ArrayList<>();
        for (String document : yaml.split("(?m)^---\\s*$")) {
            if (document.isBlank()) {
                continue;
            }
            Object parsed = SERIALIZATION.unmarshal(document);
            if (parsed instanceof KubernetesList list) {
                out.addAll(list.getItems());
            } else if (parsed instanceof List<?> list) {
                list.forEach(o -> out.add((HasMetadata) o));
            } else if (parsed instanceof HasMetadata object) {
                out.add(object);
            } else if (parsed != null) {
                throw new IllegalArgumentException("not a Kubernetes object: " + document);
            }
        }
        return new Manifests(out);
    }

    List<HasMetadata> all() {
        return objects;
    }

    <T extends HasMetadata> List<T> all(Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    <T extends HasMetadata> Optional<T> named(Class<T> type, String name) {
        return all(type).stream().filter(o -> name.equals(o.getMetadata().getName())).findFirst();
    }

    /** Every object that runs pods: Deployments, StatefulSets, DaemonSets. */
    List<Workload> workloads() {
        List<Workload> out = new ArrayList<>();
        for (HasMetadata object : objects) {
            PodTemplateSpec template = null;
            if (object instanceof Deployment d && d.getSpec() != null) {
                template = d.getSpec().getTemplate();
            } else if (object instanceof StatefulSet s && s.getSpec() != null) {
                template = s.getSpec().getTemplate();
            } else if (object instanceof DaemonSet s && s.getSpec() != null) {
                template = s.getSpec().getTemplate();
            }
            if (template != null) {
                out.add(new Workload(object, template));
            }
        }
        return out;
    }

    /** An object that runs pods, and the template of its pods. */
    record Workload(HasMetadata object, PodTemplateSpec template) {

        String name() {
            return object.getMetadata().getName();
        }

        String describe() {
            return object.getKind() + " " + name();
        }
    }
}
