package dev.sluice.core;

/**
 * A servlet url-pattern: exact ({@code /api/status}), prefix ({@code /api/*}, which also matches
 * {@code /api}), extension ({@code *.jpg}) or everything ({@code /*} or {@code /}). Matched against
 * the path within the web application (servlet path plus path info), which the container has
 * already decoded, stripped of {@code ;} path parameters and normalised.
 *
 * <p>An exact pattern matches its path with and without one trailing slash ({@code /api/status}
 * and {@code /api/status/}, whichever of the two the pattern is written as): JAX-RS serves both as
 * the same resource, so a rule must not be skipped by adding a slash. Patterns with a segment no
 * normalised path has (empty, {@code .}, {@code ..}, or carrying {@code ;} parameters) are
 * refused, since they could never match.
 */
record PathPattern(String pattern, Kind kind, String value) {

    enum Kind { EXACT, PREFIX, EXTENSION, ALL }

    static PathPattern parse(String pattern) {
        if (pattern.equals("/*") || pattern.equals("/")) {
            return new PathPattern(pattern, Kind.ALL, "");
        }
        if (pattern.startsWith("*.")) {
            String extension = pattern.substring(1);
            if (extension.length() < 2 || extension.indexOf('/') >= 0 || extension.indexOf('*') >= 0) {
                throw new IllegalArgumentException("invalid path '" + pattern + "': expected an extension such as *.jpg");
            }
            requireReachable(pattern);
            return new PathPattern(pattern, Kind.EXTENSION, extension);
        }
        if (!pattern.startsWith("/")) {
            throw new IllegalArgumentException("invalid path '" + pattern
                    + "': expected an exact path (/a/b), a prefix (/a/*) or an extension (*.ext)");
        }
        if (pattern.endsWith("/*")) {
            String prefix = pattern.substring(0, pattern.length() - 2);
            if (prefix.indexOf('*') >= 0) {
                throw new IllegalArgumentException("invalid path '" + pattern + "': '*' may appear only at the end, as '/*'");
            }
            requireReachable(pattern);
            return new PathPattern(pattern, Kind.PREFIX, prefix);
        }
        if (pattern.indexOf('*') >= 0) {
            throw new IllegalArgumentException("invalid path '" + pattern + "': '*' may appear only as a trailing '/*' or a leading '*.'");
        }
        requireReachable(pattern);
        return new PathPattern(pattern, Kind.EXACT, pattern.endsWith("/") ? pattern.substring(0, pattern.length() - 1) : pattern);
    }

    /** Refuses a pattern that no path the container has normalised can match. */
    private static void requireReachable(String pattern) {
        if (pattern.indexOf(';') >= 0) {
            throw new IllegalArgumentException("invalid path '" + pattern
                    + "': the container removes ';' path parameters before matching, so this never matches");
        }
        for (String segment : pattern.split("/", -1)) {
            if (segment.equals(".") || segment.equals("..")) {
                throw new IllegalArgumentException("invalid path '" + pattern
                        + "': the container resolves '.' and '..' segments before matching, so this never matches");
            }
        }
        if (pattern.contains("//")) {
            throw new IllegalArgumentException("invalid path '" + pattern
                    + "': the container merges or refuses empty segments ('//'), so this never matches");
        }
    }

    /** Whether every path that {@code other} matches, this pattern matches too. */
    boolean covers(PathPattern other) {
        return switch (kind) {
            case ALL -> true;
            case EXACT -> other.kind == Kind.EXACT && other.value.equals(value);
            case PREFIX -> (other.kind == Kind.EXACT || other.kind == Kind.PREFIX) && matches(other.value);
            case EXTENSION -> (other.kind == Kind.EXTENSION && other.value.endsWith(value))
                    || (other.kind == Kind.EXACT && matches(other.value));
        };
    }

    /** Whether some path matches both patterns. */
    boolean overlaps(PathPattern other) {
        if (kind == Kind.ALL || other.kind == Kind.ALL) {
            return true;
        }
        if (kind == Kind.EXACT) {
            return other.matches(value) || other.matches(value + "/");
        }
        if (other.kind == Kind.EXACT) {
            return other.overlaps(this);
        }
        if (kind == Kind.EXTENSION && other.kind == Kind.EXTENSION) {
            return value.endsWith(other.value) || other.value.endsWith(value);
        }
        if (kind == Kind.PREFIX && other.kind == Kind.PREFIX) {
            return matches(other.value) || other.matches(value);
        }
        // a prefix and an extension: /prefix/x.ext matches both
        return true;
    }

    boolean matches(String path) {
        return switch (kind) {
            case ALL -> true;
            case EXACT -> path.startsWith(value) && (path.length() == value.length()
                    || (path.length() == value.length() + 1 && path.charAt(value.length()) == '/'));
            case PREFIX -> path.startsWith(value)
                    && (path.length() == value.length() || path.charAt(value.length()) == '/');
            case EXTENSION -> path.endsWith(value) && path.lastIndexOf('/') < path.length() - value.length();
        };
    }
}
