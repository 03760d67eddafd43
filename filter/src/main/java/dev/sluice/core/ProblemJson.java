package dev.sluice.core;

import java.util.List;

/** Writes RFC 9457 problem details as JSON, escaping every string. */
final class ProblemJson {

    private ProblemJson() {
    }

    /**
     * Renders a problem with one extension member, whose value is a string or a list of strings.
     */
    static String render(String type, String title, int status, String detail, String member, Object value) {
        StringBuilder json = new StringBuilder(256);
        json.append("{\"type\":");
        string(json, type);
        json.append(",\"title\":");
        string(json, title);
        json.append(",\"status\":").append(status).append(",\"detail\":");
        string(json, detail);
        json.append(',');
        string(json, member);
        json.append(':');
        if (value instanceof List<?> list) {
            json.append('[');
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) {
                    json.append(',');
                }
                string(json, String.valueOf(list.get(i)));
            }
            json.append(']');
        } else {
            string(json, String.valueOf(value));
        }
        return json.append('}').toString();
    }

    private static void string(StringBuilder json, String value) {
        json.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                default -> {
                    if (c < 0x20) {
                        json.append(String.format("\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        json.append('"');
    }
}
