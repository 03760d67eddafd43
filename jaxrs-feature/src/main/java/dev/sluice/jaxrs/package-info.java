/**
 * The JAX-RS entry point: annotations on resource classes and methods, read once at deployment by
 * a {@code DynamicFeature} that registers pre-built filters on the limited methods only.
 */
package dev.sluice.jaxrs;
