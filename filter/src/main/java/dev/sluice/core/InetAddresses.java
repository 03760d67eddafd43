package dev.sluice.core;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Parses IP literals without ever consulting DNS. */
final class InetAddresses {

    private InetAddresses() {
    }

    /**
     * Parses an IPv4 or IPv6 literal, with or without brackets and an IPv6 zone; returns
     * {@code null} for anything else, host names included.
     */
    static InetAddress parse(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        String literal = text;
        if (literal.startsWith("[") && literal.endsWith("]")) {
            literal = literal.substring(1, literal.length() - 1);
        }
        int zone = literal.indexOf('%');
        if (zone >= 0) {
            literal = literal.substring(0, zone);
        }
        if (!isLiteral(literal)) {
            return null;
        }
        try {
            // Only literals reach this call, which parses them without a name lookup.
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static boolean isLiteral(String s) {
        if (s.indexOf(':') >= 0) {
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (!(c == ':' || c == '.' || ConfigValues.isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
                    return false;
                }
            }
            return s.length() >= 2;
        }
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 3) {
                return false;
            }
            for (int i = 0; i < part.length(); i++) {
                if (!ConfigValues.isDigit(part.charAt(i))) {
                    return false;
                }
            }
            if (Integer.parseInt(part) > 255) {
                return false;
            }
        }
        return true;
    }
}
