package dev.sluice.core;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

import org.jspecify.annotations.NullMarked;
import org.jspecify.annotations.Nullable;

/**
 * Decides whose bucket a request draws from, parsed from a key specification:
 * <dl>
 *   <dt>{@code global}</dt><dd>one bucket for everybody</dd>
 *   <dt>{@code ip}</dt><dd>the client address: the socket's peer, or, when that peer is a trusted
 *       proxy, the right-most address in the {@linkplain TrustedProxies#clientIpHeader() client
 *       address header} that is not a trusted proxy; the peer again when that header names no
 *       address there. No other header is read.</dd>
 *   <dt>{@code header:NAME}</dt><dd>a request header, such as an API key</dd>
 *   <dt>{@code principal}</dt><dd>the authenticated user's name</dd>
 *   <dt>{@code query:NAME}</dt><dd>a query parameter</dd>
 *   <dt>{@code path:NAME}</dt><dd>a path parameter of the matched JAX-RS resource</dd>
 *   <dt>{@code class:FQCN}</dt><dd>a custom {@link KeyResolver}</dd>
 * </dl>
 * A comma-separated list is tried left to right ({@code header:X-Api-Key,ip}); when no entry
 * resolves, the request draws from the policy's single shared {@code anonymous} bucket. Values
 * longer than {@value #MAX_VALUE_LENGTH} characters are replaced by their SHA-256 hash, so clients
 * cannot grow memory with huge keys.
 *
 * <p>Immutable and thread-safe.
 */
@NullMarked
public final class ClientKey {

    /** Values longer than this are hashed. */
    public static final int MAX_VALUE_LENGTH = 256;

    private static final char QUALIFIED = '\u0001';
    private static final String ANONYMOUS = QUALIFIED + "anonymous";

    private final String spec;
    private final Source[] sources;

    private ClientKey(String spec, List<Source> sources) {
        this.spec = spec;
        this.sources = sources.toArray(Source[]::new);
    }

    /**
     * Parses a key specification.
     *
     * @param trustedProxies whose client address header the {@code ip} key believes
     * @throws IllegalArgumentException naming the entry and what was expected
     */
    public static ClientKey parse(String spec, TrustedProxies trustedProxies) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("empty key: expected global, ip, header:NAME, principal,"
                    + " query:NAME, path:NAME or class:NAME, or a comma-separated list of them");
        }
        List<Source> sources = new ArrayList<>();
        for (String raw : spec.split(",", -1)) {
            String entry = raw.trim();
            if (!sources.isEmpty() && sources.get(sources.size() - 1) instanceof Global) {
                throw new IllegalArgumentException("invalid key '" + spec + "': '" + entry
                        + "' follows 'global', which always resolves, so it would never be used");
            }
            sources.add(source(spec, entry, trustedProxies));
        }
        if (sources.size() > 1 && sources.get(sources.size() - 1) instanceof Global) {
            throw new IllegalArgumentException("invalid key '" + spec
                    + "': 'global' in a fallback list is the shared anonymous bucket already; leave it out");
        }
        return new ClientKey(spec.trim(), sources);
    }

    private static Source source(String spec, String entry, TrustedProxies trustedProxies) {
        int colon = entry.indexOf(':');
        String kind = (colon < 0 ? entry : entry.substring(0, colon)).toLowerCase(Locale.ROOT);
        String argument = colon < 0 ? null : entry.substring(colon + 1).trim();
        switch (kind) {
            case "global", "ip", "principal" -> {
                if (argument != null) {
                    throw new IllegalArgumentException("invalid key '" + spec + "': '" + kind
                            + "' takes no argument, found '" + entry + "'");
                }
                return switch (kind) {
                    case "global" -> new Global();
                    case "ip" -> new ClientAddress(trustedProxies);
                    default -> new Principal();
                };
            }
            case "header", "query", "path" -> {
                if (argument == null || argument.isEmpty() || !isToken(argument)) {
                    throw new IllegalArgumentException("invalid key '" + spec + "': expected " + kind
                            + ":NAME with a name made of letters, digits and -_., found '" + entry + "'");
                }
                return switch (kind) {
                    case "header" -> new Header(argument);
                    case "query" -> new Query(argument);
                    default -> new PathParameter(argument);
                };
            }
            case "class" -> {
                if (argument == null || argument.isEmpty()) {
                    throw new IllegalArgumentException("invalid key '" + spec
                            + "': expected class:NAME with the class name of a KeyResolver");
                }
                return new Custom(argument, instantiate(spec, argument));
            }
            default -> throw new IllegalArgumentException("invalid key '" + spec + "': unknown key kind '"
                    + entry + "'; expected global, ip, header:NAME, principal, query:NAME, path:NAME or class:NAME");
        }
    }

    private static KeyResolver instantiate(String spec, String className) {
        try {
            return Instances.create(KeyResolver.class, className);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid key '" + spec + "': " + e.getMessage(), e);
        }
    }

    private static boolean isToken(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!((Character.isLetterOrDigit(c) && c < 128) || c == '-' || c == '_' || c == '.')) {
                return false;
            }
        }
        return true;
    }

    /** Whether this key reads path parameters, which only JAX-RS resources have. */
    public boolean usesPathParameters() {
        for (Source source : sources) {
            if (source instanceof PathParameter) {
                return true;
            }
        }
        return false;
    }

    /**
     * The name of the request's bucket within its policy. Most requests are named by the value of
     * the key's first entry as it is, which allocates nothing; every other name (a later entry of a
     * fallback list, a hashed value, {@code anonymous}) is the entry's kind and value after a
     * leading U+0001, which a plain name never starts with (a first-entry value
     * that does is qualified too), so the two kinds of name never meet. Never throws for anything a
     * client can send.
     */
    String resolve(RequestInfo request) {
        for (int i = 0; i < sources.length; i++) {
            Source source = sources[i];
            String value = source.value(request);
            if (value != null && !value.isEmpty()) {
                if (value.length() > MAX_VALUE_LENGTH) {
                    return QUALIFIED + source.tag + '#' + hash(value);
                }
                return i == 0 && value.charAt(0) != QUALIFIED ? value : QUALIFIED + source.tag + '=' + value;
            }
        }
        return ANONYMOUS;
    }

    private static String hash(String value) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return spec;
    }

    /** One entry of a key list; {@code tag} names its kind in the bucket key, so kinds never collide. */
    private abstract static class Source {
        final String tag;

        Source(String tag) {
            this.tag = tag;
        }

        abstract @Nullable String value(RequestInfo request);
    }

    private static final class Global extends Source {
        Global() {
            super("global");
        }

        @Override
        String value(RequestInfo request) {
            return "all";
        }
    }

    private static final class Header extends Source {
        private final String name;

        Header(String name) {
            super("header:" + name.toLowerCase(Locale.ROOT));
            this.name = name;
        }

        @Override
        @Nullable String value(RequestInfo request) {
            String value = request.header(name);
            return value == null ? null : value.trim();
        }
    }

    private static final class Query extends Source {
        private final String name;

        Query(String name) {
            super("query:" + name);
            this.name = name;
        }

        @Override
        @Nullable String value(RequestInfo request) {
            return request.queryParameter(name);
        }
    }

    private static final class PathParameter extends Source {
        private final String name;

        PathParameter(String name) {
            super("path:" + name);
            this.name = name;
        }

        @Override
        @Nullable String value(RequestInfo request) {
            return request.pathParameter(name);
        }
    }

    private static final class Principal extends Source {
        Principal() {
            super("principal");
        }

        @Override
        @Nullable String value(RequestInfo request) {
            return request.principal();
        }
    }

    private static final class Custom extends Source {
        private final KeyResolver resolver;

        Custom(String className, KeyResolver resolver) {
            super("class:" + className);
            this.resolver = resolver;
        }

        @Override
        @Nullable String value(RequestInfo request) {
            return resolver.resolve(request);
        }
    }

    private static final class ClientAddress extends Source {
        private final TrustedProxies trusted;

        ClientAddress(TrustedProxies trusted) {
            super("ip");
            this.trusted = trusted;
        }

        @Override
        @Nullable String value(RequestInfo request) {
            String peer = request.remoteAddress();
            InetAddress peerAddress = InetAddresses.parse(peer);
            if (peerAddress == null || !trusted.contains(peerAddress)) {
                return peerAddress == null ? peer : peerAddress.getHostAddress();
            }
            // The peer is a trusted proxy: walk the hops it and its trusted predecessors appended,
            // right to left, and take the first one that no trusted proxy could have written. A hop
            // that is not an address (unknown, obfuscated, garbage) ends the walk at the peer: past
            // it nothing is known, and a value taken as written there could be the client's choice.
            List<String> hops = ForwardedHops.of(request, trusted);
            for (int i = hops.size() - 1; i >= 0; i--) {
                InetAddress address = InetAddresses.parse(hops.get(i));
                if (address == null) {
                    break;
                }
                if (i == 0 || !trusted.contains(address)) {
                    return address.getHostAddress();
                }
            }
            return peerAddress.getHostAddress();
        }
    }
}
