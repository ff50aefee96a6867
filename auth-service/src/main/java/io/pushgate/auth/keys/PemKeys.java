package io.pushgate.auth.keys;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;

/** PKCS#8 encoding of RSA private keys: PEM text for configuration, bare base64 for Redis. */
public final class PemKeys {

    private static final String BEGIN = "-----BEGIN PRIVATE KEY-----";
    private static final String END = "-----END PRIVATE KEY-----";

    private PemKeys() {
    }

    /** Parses {@code -----BEGIN PRIVATE KEY-----} PEM; the message says how to convert other formats. */
    public static RSAPrivateCrtKey parsePem(String pem) {
        String text = pem.trim();
        if (text.contains("BEGIN RSA PRIVATE KEY")) {
            throw new IllegalArgumentException("auth.signing-key.pem is a PKCS#1 key; convert it with "
                    + "'openssl pkcs8 -topk8 -nocrypt -in key.pem' to a -----BEGIN PRIVATE KEY----- PEM");
        }
        if (!text.startsWith(BEGIN) || !text.contains(END)) {
            throw new IllegalArgumentException("auth.signing-key.pem must be a PKCS#8 PEM starting with " + BEGIN);
        }
        String body = text.substring(BEGIN.length(), text.indexOf(END)).replaceAll("\\s", "");
        return decode(body);
    }

    public static String toPem(PrivateKey key) {
        return BEGIN + "\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(key.getEncoded()) + "\n" + END + "\n";
    }

    /** Bare base64 of the PKCS#8 bytes. */
    public static String encode(PrivateKey key) {
        return Base64.getEncoder().encodeToString(key.getEncoded());
    }

    public static RSAPrivateCrtKey decode(String base64) {
        try {
            PrivateKey key = KeyFactory.getInstance("RSA")
                    .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
            if (key instanceof RSAPrivateCrtKey crt) {
                return crt;
            }
            throw new IllegalArgumentException("the private key lacks its CRT parameters (public exponent)");
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("not an RSA PKCS#8 private key: " + e.getMessage(), e);
        }
    }
}
