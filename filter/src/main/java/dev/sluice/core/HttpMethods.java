package dev.sluice.core;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Parses the {@code methods} of a path rule. The standard methods (RFC 9110's GET, HEAD, POST, PUT,
 * DELETE, CONNECT, OPTIONS, TRACE, and PATCH) are written in any case; anything else is most likely a
 * typo ({@code GETT} would limit nothing), so an extension method must be marked with a leading
 * {@code +} ({@code +PROPFIND}) and is then matched exactly as written, as HTTP methods are
 * case-sensitive.
 */
final class HttpMethods {

    static final Set<String> STANDARD = Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH");

    private HttpMethods() {
    }

    /**
     * The methods listed in {@code text}, comma-separated.
     *
     * @throws ConfigurationException naming the key, the value and the first token that is neither
     *     a standard method nor a {@code +}-marked extension method
     */
    static Set<String> parse(String key, String text) {
        Set<String> methods = new LinkedHashSet<>();
        for (String item : ConfigValues.list(text)) {
            if (item.startsWith("+") && isToken(item.substring(1))) {
                methods.add(item.substring(1));
                continue;
            }
            String upper = item.toUpperCase(Locale.ROOT);
            if (!STANDARD.contains(upper)) {
                throw new ConfigurationException(key, text, "expected HTTP methods such as GET,POST, found '" + item
                        + "'; the standard methods are GET, HEAD, POST, PUT, DELETE, CONNECT, OPTIONS, TRACE and PATCH,"
                        + " and an extension method is written with a leading + (such as +PROPFIND)");
            }
            methods.add(upper);
        }
        return Set.copyOf(methods);
    }

    /** An RFC 9110 token: one or more of {@code !#$%&'*+-.^_`|~}, ASCII letters and digits. */
    private static boolean isToken(String text) {
        if (text.isEmpty()) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean letterOrDigit = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || ConfigValues.isDigit(c);
            if (!letterOrDigit && "!#$%&'*+-.^_`|~".indexOf(c) < 0) {
                return false;
            }
        }
        return true;
    }
}
