/**
 * Jersey's auto-discovery hook for the feature, the only Jersey-specific class in Sluice: Jersey
 * loads it through {@code META-INF/services}; other runtimes never do. Nothing else may live here.
 */
package dev.sluice.jaxrs.jersey;
