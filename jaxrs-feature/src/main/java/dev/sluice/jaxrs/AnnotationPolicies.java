package dev.sluice.jaxrs;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.sluice.core.ClientKey;
import dev.sluice.core.ConfigurationException;
import dev.sluice.core.LimitResolver;
import dev.sluice.core.Limits;
import dev.sluice.core.LivePolicy;
import dev.sluice.core.Policy;
import dev.sluice.core.Sluice;
import jakarta.ws.rs.Path;

/**
 * Reads the {@link RateLimit} annotations of resource methods at deployment, checks every attribute
 * and binds the policies to the engine. One instance per JAX-RS application; called by the
 * runtime's deployment thread, but synchronized because nothing promises that.
 */
final class AnnotationPolicies {

    private static final Pattern TEMPLATE_PARAMETER = Pattern.compile("\\{\\s*([^}:\\s]+)\\s*(?::[^}]*)?}");

    private final Sluice engine;
    /** The first declaration of each policy name in this application, to report conflicts by attribute. */
    private final Map<String, Declaration> declarations = new HashMap<>();

    private record Declaration(RateLimit annotation, Limits limits, String origin) {
    }

    AnnotationPolicies(Sluice engine) {
        this.engine = engine;
    }

    /** Whether a resource method carries a limit, on itself or on its class. */
    static boolean annotated(Class<?> type, Method method) {
        return type.getAnnotationsByType(RateLimit.class).length > 0 || method.getAnnotationsByType(RateLimit.class).length > 0;
    }

    /** The names of every policy declared on a class and its methods, as {@link #bind} would name them. */
    static Set<String> declaredNames(Class<?> type) {
        Set<String> names = new LinkedHashSet<>();
        for (RateLimit limit : type.getAnnotationsByType(RateLimit.class)) {
            names.add(name(limit, type.getSimpleName()));
        }
        for (Method method : type.getMethods()) {
            for (RateLimit limit : method.getAnnotationsByType(RateLimit.class)) {
                names.add(name(limit, type.getSimpleName() + "#" + method.getName()));
            }
        }
        return names;
    }

    /**
     * The running policies of one resource method: its class's first, then its own, without those
     * the configuration switches off.
     *
     * @throws ConfigurationException naming {@code Class#method}, the attribute and the value of the
     *     first bad annotation
     */
    synchronized List<LivePolicy> bind(Class<?> type, Method method) {
        String template = template(type, method);
        String methodOrigin = type.getName() + "#" + method.getName();
        List<LivePolicy> bound = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        for (RateLimit limit : type.getAnnotationsByType(RateLimit.class)) {
            bind(limit, type.getSimpleName(), type.getName(), methodOrigin, template, names, bound);
        }
        for (RateLimit limit : method.getAnnotationsByType(RateLimit.class)) {
            bind(limit, type.getSimpleName() + "#" + method.getName(), methodOrigin, methodOrigin, template, names, bound);
        }
        return List.copyOf(bound);
    }

    private void bind(RateLimit limit, String defaultName, String origin, String methodOrigin, String template,
            Set<String> names, List<LivePolicy> bound) {
        String name = name(limit, defaultName);
        if (!names.add(name)) {
            throw error(origin, "name", quote(name), "policy '" + name + "' already applies to " + methodOrigin
                    + "; give each @RateLimit on one resource method its own name");
        }
        Policy.Builder builder;
        try {
            builder = Policy.builder(name);
        } catch (IllegalArgumentException e) {
            throw error(origin, "name", quote(name), e.getMessage());
        }
        Limits limits;
        try {
            limits = Limits.parse(limit.value());
        } catch (IllegalArgumentException e) {
            throw error(origin, "value", quote(limit.value()), e.getMessage());
        }
        ClientKey key;
        try {
            key = ClientKey.parse(limit.key(), engine.config().trustedProxies());
        } catch (IllegalArgumentException e) {
            throw error(origin, "key", quote(limit.key()), e.getMessage());
        }
        if (template != null) {
            for (String parameter : pathParameters(limit.key())) {
                if (!templateParameters(template).contains(parameter)) {
                    throw error(methodOrigin.equals(origin) ? origin : origin + " on " + methodOrigin, "key", quote(limit.key()),
                            "the path template '" + template + "' has no parameter {" + parameter + "}");
                }
            }
        }
        Policy policy;
        try {
            policy = builder.limits(limits).key(key).cost(limit.cost()).enforce(limit.enforce()).build();
        } catch (IllegalArgumentException e) {
            throw error(origin, "cost", String.valueOf(limit.cost()), e.getMessage());
        }
        checkSameAsBefore(name, limit, limits, origin);
        LimitResolver resolver = limit.resolver() == LimitResolver.class ? null : instantiate(limit.resolver(), origin);
        LivePolicy live;
        try {
            live = engine.declare(policy, resolver, origin);
        } catch (ConfigurationException e) {
            throw new ConfigurationException(origin + ": @RateLimit(name = \"" + name + "\"): " + e.getMessage());
        }
        if (live != null) {
            bound.add(live);
        }
    }

    /** Two annotations naming one policy must agree: they are one policy with one set of buckets. */
    private void checkSameAsBefore(String name, RateLimit limit, Limits limits, String origin) {
        Declaration first = declarations.putIfAbsent(name, new Declaration(limit, limits, origin));
        if (first == null || first.origin.equals(origin)) {
            return;
        }
        RateLimit before = first.annotation;
        String conflict = !first.limits.equals(limits) ? "value" : !before.key().trim().equals(limit.key().trim()) ? "key"
                : before.cost() != limit.cost() ? "cost" : before.enforce() != limit.enforce() ? "enforce"
                : before.resolver() != limit.resolver() ? "resolver" : null;
        if (conflict != null) {
            throw error(origin, conflict, attribute(limit, conflict), "policy '" + name + "' is declared at "
                    + first.origin + " with " + conflict + " = " + attribute(before, conflict)
                    + "; one name is one policy, so give them different names or the same " + conflict);
        }
    }

    /** An attribute's value as written in Java. */
    private static String attribute(RateLimit limit, String attribute) {
        return switch (attribute) {
            case "value" -> quote(limit.value());
            case "key" -> quote(limit.key());
            case "cost" -> Long.toString(limit.cost());
            case "enforce" -> Boolean.toString(limit.enforce());
            default -> limit.resolver().getName() + ".class";
        };
    }

    private static LimitResolver instantiate(Class<? extends LimitResolver> type, String origin) {
        try {
            return type.getConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            Throwable cause = e.getCause() != null && e instanceof ReflectiveOperationException ? e.getCause() : e;
            throw error(origin, "resolver", type.getName() + ".class",
                    "cannot create it through a public no-argument constructor: " + cause);
        }
    }

    private static String name(RateLimit limit, String defaultName) {
        return limit.name().isBlank() ? defaultName : limit.name().trim();
    }

    /** The resource method's full path template, or {@code null} if the class is no root resource. */
    private static String template(Class<?> type, Method method) {
        Path root = type.getAnnotation(Path.class);
        if (root == null) {
            return null;
        }
        Path sub = method.getAnnotation(Path.class);
        return sub == null ? root.value() : root.value() + "/" + sub.value();
    }

    private static Set<String> templateParameters(String template) {
        Set<String> parameters = new LinkedHashSet<>();
        Matcher matcher = TEMPLATE_PARAMETER.matcher(template);
        while (matcher.find()) {
            parameters.add(matcher.group(1));
        }
        return parameters;
    }

    private static List<String> pathParameters(String key) {
        List<String> parameters = new ArrayList<>();
        for (String entry : key.split(",")) {
            String trimmed = entry.trim();
            if (trimmed.regionMatches(true, 0, "path:", 0, 5)) {
                parameters.add(trimmed.substring(5).trim());
            }
        }
        return parameters;
    }

    private static ConfigurationException error(String origin, String attribute, String value, String problem) {
        return new ConfigurationException(origin + ": @RateLimit(" + attribute + " = " + value + "): " + problem);
    }

    private static String quote(String value) {
        return '"' + value + '"';
    }
}
