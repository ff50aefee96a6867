package io.pushgate.deploy;

import static io.pushgate.deploy.ManifestChecks.list;
import static io.pushgate.deploy.ManifestChecks.map;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.pushgate.deploy.Manifests.Workload;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Kubernetes' rule for ingress NetworkPolicies, evaluated on parsed objects (all of one namespace):
 * a pod that no policy of type Ingress selects admits everything; a pod that some do admits a
 * connection when one of their rules admits both its source and its port.
 */
final class NetworkPolicies {

    /**
     * Where a connection comes from: a pod with these labels, in the policies' own namespace when
     * {@code namespaceLabels} is null, else in a namespace with those labels.
     */
    record Peer(String describe, Map<String, String> namespaceLabels, Map<String, String> podLabels) {

        static Peer inNamespace(String describe, Map<String, String> podLabels) {
            return new Peer(describe, null, podLabels);
        }

        static Peer elsewhere(String describe, String namespace, Map<String, String> podLabels) {
            return new Peer(describe, Map.of("kubernetes.io/metadata.name", namespace), podLabels);
        }
    }

    private final List<NetworkPolicy> policies;

    NetworkPolicies(List<NetworkPolicy> policies) {
        this.policies = List.copyOf(policies);
    }

    boolean isEmpty() {
        return policies.isEmpty();
    }

    /** Whether a connection from {@code source} to the container port {@code port} of {@code target}'s pods is admitted. */
    boolean admits(Peer source, Workload target, ContainerPort port) {
        Map<String, String> targetLabels = target.template().getMetadata() == null ? Map.of()
                : map(target.template().getMetadata().getLabels());
        boolean isolated = false;
        for (NetworkPolicy policy : policies) {
            if (!appliesToIngress(policy) || !ManifestChecks.selects(selectorOrAll(policy.getSpec().getPodSelector()), targetLabels)) {
                continue;
            }
            isolated = true;
            for (NetworkPolicyIngressRule rule : list(policy.getSpec().getIngress())) {
                if (admitsSource(rule, source) && admitsPort(rule, port)) {
                    return true;
                }
            }
        }
        return !isolated;
    }

    /** The container port of a workload that a port (by name or number) designates, if it declares one. */
    static ContainerPort containerPort(Workload workload, IntOrString port) {
        for (Container c : list(workload.template().getSpec().getContainers())) {
            for (ContainerPort p : list(c.getPorts())) {
                if (port.getStrVal() != null ? port.getStrVal().equals(p.getName()) : Objects.equals(port.getIntVal(), p.getContainerPort())) {
                    return p;
                }
            }
        }
        return null;
    }

    private static boolean appliesToIngress(NetworkPolicy policy) {
        List<String> types = list(policy.getSpec().getPolicyTypes());
        // without policyTypes a policy is of type Ingress (and of Egress only if it has egress rules)
        return types.isEmpty() || types.contains("Ingress");
    }

    private static boolean admitsSource(NetworkPolicyIngressRule rule, Peer source) {
        List<NetworkPolicyPeer> from = list(rule.getFrom());
        if (from.isEmpty()) {
            return true;
        }
        for (NetworkPolicyPeer peer : from) {
            if (peer.getIpBlock() != null) {
                // an address range: cluster-external clients; pods are not reasoned about by address here
                continue;
            }
            boolean namespaceMatches = peer.getNamespaceSelector() == null
                    ? source.namespaceLabels() == null
                    : source.namespaceLabels() != null ? ManifestChecks.selects(peer.getNamespaceSelector(), source.namespaceLabels())
                            // the policies' own namespace: an empty selector ({}) names every namespace
                            : isEmpty(peer.getNamespaceSelector());
            boolean podMatches = peer.getPodSelector() == null || ManifestChecks.selects(peer.getPodSelector(), source.podLabels());
            if (namespaceMatches && podMatches) {
                return true;
            }
        }
        return false;
    }

    private static boolean admitsPort(NetworkPolicyIngressRule rule, ContainerPort port) {
        List<NetworkPolicyPort> ports = list(rule.getPorts());
        if (ports.isEmpty()) {
            return true;
        }
        String protocol = port.getProtocol() == null ? "TCP" : port.getProtocol();
        for (NetworkPolicyPort p : ports) {
            if (!protocol.equals(p.getProtocol() == null ? "TCP" : p.getProtocol())) {
                continue;
            }
            IntOrString value = p.getPort();
            if (value == null) {
                return true;
            }
            if (value.getStrVal() != null ? value.getStrVal().equals(port.getName())
                    : value.getIntVal() != null && (p.getEndPort() == null
                            ? value.getIntVal().equals(port.getContainerPort())
                            : port.getContainerPort() >= value.getIntVal() && port.getContainerPort() <= p.getEndPort())) {
                return true;
            }
        }
        return false;
    }

    private static LabelSelector selectorOrAll(LabelSelector selector) {
        return selector == null ? new LabelSelector() : selector;
    }

    private static boolean isEmpty(LabelSelector selector) {
        return map(selector.getMatchLabels()).isEmpty() && list(selector.getMatchExpressions()).isEmpty();
    }
}
