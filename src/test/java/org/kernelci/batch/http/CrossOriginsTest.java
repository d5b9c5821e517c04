package org.kernelci.batch.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.kernelci.batch.app.Setting;
import org.kernelci.batch.app.Settings;

/** The two portal settings as the start reads them, and the routes' methods a preflight is answered with. */
class CrossOriginsTest {
    @Test
    @DisplayName("KCI_CORS_ORIGINS: exact origins, as browsers write them; commas or spaces between")
    void origins() {
        assertEquals(Set.of("https://portal.example.org", "http://127.0.0.1:8081", "http://[::1]:3000"),
                CrossOrigins.parse(" https://portal.example.org, http://127.0.0.1:8081  http://[::1]:3000 ,").origins());
        assertEquals(Set.of("https://portal.example.org", "http://intranet"),
                CrossOrigins.parse("HTTPS://Portal.Example.org:443,http://intranet:80").origins(),
                "lower case, no default port: what a browser sends");
        assertTrue(CrossOrigins.parse("https://portal.example.org").listed("https://portal.example.org"));
        assertFalse(CrossOrigins.parse("https://portal.example.org").listed("https://portal.example.org.evil.test"));
        assertFalse(CrossOrigins.parse("https://portal.example.org").listed("http://portal.example.org"));
    }

    @Test
    @DisplayName("KCI_CORS_ORIGINS refuses, naming the entry: a wildcard, a path, anything but http(s)://host[:port]")
    void badOrigins() {
        assertRefused("'*' is a wildcard", "*");
        assertRefused("'https://*.example.org' is a wildcard", "https://portal.example.org, https://*.example.org");
        assertRefused("'https://portal.example.org/' is not an origin (scheme://host[:port], scheme http or https; no path",
                "https://portal.example.org/");
        assertRefused("'https://portal.example.org/tiles' is not an origin", "https://portal.example.org/tiles");
        assertRefused("'portal.example.org' is not an origin", "portal.example.org");
        assertRefused("'ftp://portal.example.org' is not an origin", "ftp://portal.example.org");
        assertRefused("'https://user@portal.example.org' is not an origin", "https://user@portal.example.org");
        assertRefused("'null' is not an origin", "null");
        assertRefused("'https://portal.example.org:99999' has no valid port", "https://portal.example.org:99999");
        assertRefused("'https://portal.example.org;x' is not an origin", "https://portal.example.org;x");
    }

    private static void assertRefused(String start, String value) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CrossOrigins.parse(value));
        assertTrue(e.getMessage().startsWith(start), e.getMessage());
    }

    @Test
    @DisplayName("a request's Origin is well-formed when a browser could send it: an origin or null")
    void requestOrigins() {
        assertTrue(CrossOrigins.wellFormed("https://portal.example.org"));
        assertTrue(CrossOrigins.wellFormed("http://127.0.0.1:8081"));
        assertTrue(CrossOrigins.wellFormed("null"));
        for (String forged : List.of("https://portal.example.org/", "https://a.org https://b.org", "javascript:alert(1)",
                "https://portal.example.org\u0000", "", "*")) {
            assertFalse(CrossOrigins.wellFormed(forged), forged);
        }
    }

    @Test
    @DisplayName("KCI_FRAME_ANCESTORS: CSP source expressions, checked whole; 'none' alone")
    void frameAncestors() {
        assertEquals("https://portal.example.org 'self'",
                FrameAncestors.parse("https://portal.example.org   'self'").sources());
        assertEquals("https://*.example.org:8443 http://intranet/portal/ https:",
                FrameAncestors.parse("https://*.example.org:8443 http://intranet/portal/ https:").sources());
        assertEquals("'none'", FrameAncestors.parse("'none'").sources());
        for (String bad : List.of("https://portal.example.org; script-src *", "https://a.org,https://b.org",
                "https://a.org\nX-Injected: 1", "'unsafe-inline'", "\"self\"", "self'", "https://a.org/x;y",
                "https://exa mple.org'", "'none' https://a.org")) {
            assertThrows(IllegalArgumentException.class, () -> FrameAncestors.parse(bad), bad);
        }
    }

    @Test
    @DisplayName("a bad portal setting stops the start, naming the setting; unset, CORS is off and frames 'none'")
    void settingsCheck() {
        IllegalStateException origins = assertThrows(IllegalStateException.class,
                () -> Settings.of(Map.of(Setting.CORS_ORIGINS, "*")).check());
        assertTrue(origins.getMessage().startsWith("Setting KCI_CORS_ORIGINS: '*' is a wildcard"), origins.getMessage());
        IllegalStateException frames = assertThrows(IllegalStateException.class,
                () -> Settings.of(Map.of(Setting.FRAME_ANCESTORS, "'self'; script-src *")).check());
        assertTrue(frames.getMessage().startsWith("Setting KCI_FRAME_ANCESTORS: ''self';' is not a CSP source"),
                frames.getMessage());
        Settings unset = Settings.of(Map.of());
        unset.check();
        assertEquals(CrossOrigins.NONE, unset.crossOrigins(Setting.CORS_ORIGINS));
        assertEquals(FrameAncestors.NONE, unset.frameAncestors(Setting.FRAME_ANCESTORS));
    }

    @Test
    @DisplayName("a preflight is answered with the methods the route takes, as Jersey routes the path")
    void routeMethods() {
        assertEquals(List.of("POST"), CrossOriginFilter.methods("/batch"));
        assertEquals(List.of("POST"), CrossOriginFilter.methods("/_api/batch"));
        assertEquals(List.of("GET"), CrossOriginFilter.methods("/count/boot"));
        assertEquals(List.of("GET", "POST"), CrossOriginFilter.methods("/boot"));
        assertEquals(List.of("GET", "POST"), CrossOriginFilter.methods("/test/case"), "a collection of two segments");
        assertEquals(List.of("GET", "PUT", "DELETE"), CrossOriginFilter.methods("/test/case/547c3c20a000000000000001"));
        assertEquals(List.of("GET", "PUT", "DELETE"), CrossOriginFilter.methods("/boot/547c3c20a000000000000001"));
        assertEquals(List.of("GET"), CrossOriginFilter.methods("/boot/547c3c20a000000000000001/regressions"));
        assertEquals(List.of("GET"), CrossOriginFilter.methods("/boot/distinct/board"));
        assertEquals(List.of("POST"), CrossOriginFilter.methods("/boot/compare"));
        assertEquals(List.of("GET"), CrossOriginFilter.methods("/boot/compare/547c3c20a000000000000001/"));
        assertEquals(List.of("GET", "POST", "PUT", "DELETE"), CrossOriginFilter.methods("/token/abc"));
        assertEquals(List.of(), CrossOriginFilter.methods("/"));
        assertEquals(List.of(), CrossOriginFilter.methods("/count/boot/extra"));
    }

    @Test
    @DisplayName("a client's text in a reason: printable ASCII only, and not much of it")
    void quoted() {
        assertEquals("'https://a.org?X: y'", CrossOriginFilter.quoted("https://a.org\nX: y"));
        assertEquals("'?'", CrossOriginFilter.quoted("\u00e9"));
        assertEquals(100 + 5, CrossOriginFilter.quoted("a".repeat(500)).length());
    }
}
