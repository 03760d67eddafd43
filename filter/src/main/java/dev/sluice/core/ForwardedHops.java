package dev.sluice.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads the chain of client addresses that proxies recorded in one header, left (the original
 * client) to right (the proxy nearest to us): the {@code for=} parameters of RFC 7239
 * {@code Forwarded} when that is the header, otherwise a comma-separated list of addresses, as in
 * {@code X-Forwarded-For}. Ports and IPv6 brackets are removed; values that are not addresses
 * ({@code unknown}, obfuscated identifiers, garbage) are kept as written, and a {@code Forwarded}
 * element without {@code for=} is {@code unknown}.
 */
final class ForwardedHops {

    private ForwardedHops() {
    }

    /** The hops in the header that {@code proxies} set. */
    static List<String> of(RequestInfo request, TrustedProxies proxies) {
        String header = proxies.clientIpHeader();
        List<String> hops = new ArrayList<>();
        if (proxies.readsForwarded()) {
            for (String line : request.headers(header)) {
                parseForwarded(line, hops);
            }
            return hops;
        }
        for (String line : request.headers(header)) {
            for (String element : line.split(",")) {
                String hop = element.trim();
                if (!hop.isEmpty()) {
                    hops.add(stripPort(hop));
                }
            }
        }
        return hops;
    }

    private static void parseForwarded(String line, List<String> hops) {
        for (String element : split(line, ',')) {
            if (element.isBlank()) {
                continue;
            }
            String client = "unknown";
            for (String pair : split(element, ';')) {
                int equals = pair.indexOf('=');
                if (equals > 0 && pair.substring(0, equals).trim().toLowerCase(Locale.ROOT).equals("for")) {
                    client = stripPort(unquote(pair.substring(equals + 1).trim()));
                }
            }
            hops.add(client);
        }
    }

    /** Splits at {@code separator} outside quoted strings. */
    private static List<String> split(String text, char separator) {
        List<String> parts = new ArrayList<>();
        boolean quoted = false;
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == '\\' && quoted) {
                i++;
            } else if (c == separator && !quoted) {
                parts.add(text.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(text.substring(start));
        return parts;
    }

    private static String unquote(String value) {
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
            StringBuilder out = new StringBuilder(value.length());
            for (int i = 1; i < value.length() - 1; i++) {
                char c = value.charAt(i);
                if (c == '\\' && i + 1 < value.length() - 1) {
                    c = value.charAt(++i);
                }
                out.append(c);
            }
            return out.toString();
        }
        return value;
    }

    /** {@code [2001:db8::1]:4711} to {@code 2001:db8::1}; {@code 192.0.2.1:80} to {@code 192.0.2.1}. */
    private static String stripPort(String hop) {
        if (hop.startsWith("[")) {
            int close = hop.indexOf(']');
            return close > 0 ? hop.substring(1, close) : hop;
        }
        int colon = hop.indexOf(':');
        if (colon > 0 && hop.indexOf(':', colon + 1) < 0) {
            return hop.substring(0, colon);
        }
        return hop;
    }
}
