package dev.nnlab.kernel.wire;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Signs and verifies Jupyter messages with the connection file's key and scheme. */
public final class Signer {
    private static final char[] HEX = "0123456789abcdef".toCharArray();
    private final Mac mac;

    /** An empty key turns authentication off, as the protocol says. */
    public Signer(String scheme, String key) {
        if (key == null || key.isEmpty()) {
            mac = null;
            return;
        }
        String algorithm = switch (scheme == null ? "hmac-sha256" : scheme) {
            case "hmac-sha256" -> "HmacSHA256";
            case "hmac-sha384" -> "HmacSHA384";
            case "hmac-sha512" -> "HmacSHA512";
            case "hmac-sha1" -> "HmacSHA1";
            case "hmac-md5" -> "HmacMD5";
            default -> throw new IllegalArgumentException("unsupported signature_scheme: " + scheme);
        };
        try {
            mac = Mac.getInstance(algorithm);
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), algorithm));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot use signature_scheme " + scheme, e);
        }
    }

    public boolean enabled() {
        return mac != null;
    }

    /** Hex digest of the parts, or "" when authentication is off. */
    public synchronized String sign(byte[]... parts) {
        if (mac == null) {
            return "";
        }
        for (byte[] p : parts) {
            mac.update(p);
        }
        byte[] d = mac.doFinal();
        char[] out = new char[d.length * 2];
        for (int i = 0; i < d.length; i++) {
            out[2 * i] = HEX[(d[i] >> 4) & 0xf];
            out[2 * i + 1] = HEX[d[i] & 0xf];
        }
        return new String(out);
    }

    /** Compares in constant time; a missing signature never verifies when a key is set. */
    public boolean verify(byte[] signature, byte[]... parts) {
        if (mac == null) {
            return true;
        }
        byte[] expected = sign(parts).getBytes(StandardCharsets.US_ASCII);
        return signature != null && MessageDigest.isEqual(expected, signature);
    }
}
