package dev.sluice.core;

/**
 * Creates the classes that configuration names ({@code resolver}, {@code key=class:...}, a store
 * provider) through their public no-argument constructor, with the thread's context class loader
 * (the web application's) when there is one.
 */
final class Instances {

    private Instances() {
    }

    /**
     * A new instance of the class named {@code className}, which must implement {@code type}.
     *
     * @throws IllegalArgumentException saying what is wrong with the class, without naming a key
     */
    static <T> T create(Class<T> type, String className) {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        Class<?> found;
        try {
            found = Class.forName(className.trim(), true, loader != null ? loader : Instances.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            throw new IllegalArgumentException("cannot create it through a public no-argument constructor: " + e);
        }
        if (!type.isAssignableFrom(found)) {
            throw new IllegalArgumentException("expected a class that implements " + type.getName());
        }
        try {
            return type.cast(found.getConstructor().newInstance());
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new IllegalArgumentException("cannot create it through a public no-argument constructor: " + e);
        }
    }
}
