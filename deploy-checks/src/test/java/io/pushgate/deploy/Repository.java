package io.pushgate.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The repository the deployment files describe: its root, the modules of the root {@code pom.xml}
 * and, among them, the services: a module is a service when it is a Quarkus application (its
 * {@code pom.xml} runs the {@code quarkus-maven-plugin}, which packages
 * {@code target/quarkus-app/}) with a {@code src/main/resources/application.properties}. The checks
 * then require each one in compose, in every kustomization and in {@code run.sh}: a module added to
 * the root pom is covered without a change here.
 */
final class Repository {

    private static Repository instance;

    private final Path root;
    private final List<String> modules;
    private final Map<String, ServiceModule> services;

    private Repository(Path root) {
        this.root = root;
        this.modules = readModules(root.resolve("pom.xml"));
        Map<String, ServiceModule> found = new LinkedHashMap<>();
        for (String module : modules) {
            Path dir = root.resolve(module);
            if (Files.isRegularFile(dir.resolve("src/main/resources/application.properties")) && isQuarkusApp(dir)) {
                found.put(module, ServiceModule.read(module, dir));
            }
        }
        this.services = Collections.unmodifiableMap(found);
    }

    /** The repository this test runs in: {@code -Dpushgate.root}, else the nearest parent with deploy/ and a pom.xml. */
    static synchronized Repository get() {
        if (instance == null) {
            instance = new Repository(locateRoot());
        }
        return instance;
    }

    private static Path locateRoot() {
        String configured = System.getProperty("pushgate.root");
        if (configured != null && !configured.isBlank()) {
            return Paths.get(configured).toAbsolutePath().normalize();
        }
        for (Path dir = Paths.get("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("deploy")) && Files.isRegularFile(dir.resolve("pom.xml"))) {
                return dir;
            }
        }
        throw new IllegalStateException("cannot find the repository root (a directory with pom.xml and deploy/) above "
                + Paths.get("").toAbsolutePath() + "; set -Dpushgate.root");
    }

    Path root() {
        return root;
    }

    Path deploy() {
        return root.resolve("deploy");
    }

    /** The root pom's modules, in order. */
    List<String> modules() {
        return modules;
    }

    /** The services by module name. */
    Map<String, ServiceModule> services() {
        return services;
    }

    private static boolean isQuarkusApp(Path moduleDir) {
        try {
            return Files.readString(moduleDir.resolve("pom.xml")).contains("<artifactId>quarkus-maven-plugin</artifactId>");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> readModules(Path pom) {
        try (InputStream in = Files.newInputStream(pom)) {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            Element project = factory.newDocumentBuilder().parse(in).getDocumentElement();
            List<String> out = new ArrayList<>();
            NodeList modulesElements = project.getElementsByTagName("modules");
            for (int i = 0; i < modulesElements.getLength(); i++) {
                Element modulesElement = (Element) modulesElements.item(i);
                // only the project's own <modules>, not a profile's
                if (modulesElement.getParentNode() != project) {
                    continue;
                }
                NodeList entries = modulesElement.getElementsByTagName("module");
                for (int j = 0; j < entries.getLength(); j++) {
                    out.add(entries.item(j).getTextContent().trim());
                }
            }
            return List.copyOf(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the modules of " + pom, e);
        }
    }
}
