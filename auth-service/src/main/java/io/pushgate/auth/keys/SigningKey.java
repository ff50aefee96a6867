package io.pushgate.auth.keys;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAPublicKeySpec;
import org.jose4j.jwk.RsaJsonWebKey;

/**
 * An RS256 key pair and its key id ({@code kid}), which tokens carry in their header so that a
 * verifier picks the right key from the JWKS, also across a rotation.
 */
public record SigningKey(String kid, RSAPrivateCrtKey privateKey, RSAPublicKey publicKey) {

    static final int KEY_SIZE = 2048;

    /** A new random 2048-bit key, its kid the RFC 7638 thumbprint. */
    public static SigningKey generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(KEY_SIZE);
            return of((RSAPrivateCrtKey) generator.generateKeyPair().getPrivate(), null);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate an RSA key", e);
        }
    }

    /**
     * The key pair of a private key (an RSA private key in CRT form carries its public exponent);
     * {@code kid} null means the RFC 7638 thumbprint, stable for the same key on every replica.
     */
    public static SigningKey of(RSAPrivateCrtKey privateKey, String kid) {
        RSAPublicKey publicKey = publicOf(privateKey.getModulus(), privateKey.getPublicExponent());
        return new SigningKey(kid == null || kid.isBlank() ? thumbprint(publicKey) : kid, privateKey, publicKey);
    }

    /** The public JWK ({@code kty, kid, use, alg, n, e}) for the JWKS. */
    public RsaJsonWebKey publicJwk() {
        RsaJsonWebKey jwk = new RsaJsonWebKey(publicKey);
        jwk.setKeyId(kid);
        jwk.setUse("sig");
        jwk.setAlgorithm("RS256");
        return jwk;
    }

    private static RSAPublicKey publicOf(BigInteger modulus, BigInteger exponent) {
        try {
            return (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(modulus, exponent));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot derive the RSA public key", e);
        }
    }

    private static String thumbprint(RSAPublicKey publicKey) {
        return new RsaJsonWebKey(publicKey).calculateBase64urlEncodedThumbprint("SHA-256");
    }

    @Override
    public String toString() {
        // a record would print the private key
        return "SigningKey[kid=" + kid + "]";
    }
}
