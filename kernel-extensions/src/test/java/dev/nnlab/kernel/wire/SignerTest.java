package dev.nnlab.kernel.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SignerTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void hmacSha256MatchesRfc4231() {
        Signer s = new Signer("hmac-sha256", "Jefe");
        assertEquals("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
                s.sign(b("what do ya "), b("want for nothing?")));
    }

    @Test
    void verifiesOnlyTheRightSignature() {
        Signer s = new Signer("hmac-sha256", "secret");
        String sig = s.sign(b("h"), b("p"), b("m"), b("c"));
        assertTrue(s.verify(b(sig), b("h"), b("p"), b("m"), b("c")));
        assertFalse(s.verify(b(sig), b("h"), b("p"), b("m"), b("C")));
        assertFalse(s.verify(b(sig.toUpperCase()), b("h"), b("p"), b("m"), b("c")));
        assertFalse(s.verify(b(""), b("h"), b("p"), b("m"), b("c")));
        assertFalse(s.verify(null, b("h"), b("p"), b("m"), b("c")));
        assertFalse(new Signer("hmac-sha256", "other").verify(b(sig), b("h"), b("p"), b("m"), b("c")));
    }

    @Test
    void emptyKeyTurnsAuthenticationOff() {
        Signer s = new Signer("hmac-sha256", "");
        assertFalse(s.enabled());
        assertEquals("", s.sign(b("x")));
        assertTrue(s.verify(b(""), b("x")));
    }

    @Test
    void unknownSchemeIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new Signer("rot13", "k"));
    }
}
