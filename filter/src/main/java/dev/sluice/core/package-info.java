/**
 * The Sluice engine: limit expressions, policies, client keys, bucket stores, decisions and the
 * configuration model. It knows nothing of servlets, JAX-RS or Hazelcast (an ArchUnit test holds
 * that); the entry points adapt their requests to {@link dev.sluice.core.RequestInfo} and render
 * a {@link dev.sluice.core.Verdict} through {@link dev.sluice.core.RateLimitResponse}.
 */
package dev.sluice.core;
