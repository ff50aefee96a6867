package io.pushgate.reliability.support;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A self-signed certificate made at test time with the JDK's {@code keytool} (a PKCS12 key store
 * for the gateway, valid for {@code 127.0.0.1} and {@code localhost}), and an {@link SSLContext}
 * that trusts exactly that certificate, for the test's clients.
 */
public final class Tls {

    public static final String ALIAS = "gateway";

    private final Path keyStore;
    private final String password;

    private Tls(Path keyStore, String password) {
        this.keyStore = keyStore;
        this.password = password;
    }

    /** Runs {@code keytool -genkeypair} into a new temporary directory. */
    public static Tls selfSigned() {
        try {
            Path dir = Files.createTempDirectory("gateway-tls-");
            Path store = dir.resolve("gateway.p12");
            String password = "test-" + Long.toHexString(System.nanoTime());
            Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
            Process p = new ProcessBuilder(List.of(keytool.toString(), "-genkeypair", "-alias", ALIAS, "-keyalg", "RSA", "-keysize", "2048",
                    "-validity", "2", "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-storetype", "PKCS12",
                    "-keystore", store.toString(), "-storepass", password, "-keypass", password))
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("keytool failed: " + out);
            }
            return new Tls(store, password);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public Path keyStore() {
        return keyStore;
    }

    public String password() {
        return password;
    }

    /** A client context whose only trusted certificate is this one. */
    public SSLContext clientContext() {
        try (InputStream in = Files.newInputStream(keyStore)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password.toCharArray());
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry(ALIAS, store.getCertificate(ALIAS));
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
