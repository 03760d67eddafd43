/**
 * The Sluice engine: limit expressions, policies, client keys, bucket stores, decisions and the
 * configuration model. It knows nothing of servlets, JAX-RS or Hazelcast (an ArchUnit test holds
 * that); the entry points adapt their requests to {@link dev.sluice.core.RequestInfo} and render
 * a {@link dev.sluice.core.Verdict} through {@link dev.sluice.core.RateLimitResponse}. Isolation
 * pools live here too, with the race of a request on a pool against its deadline
 * ({@link dev.sluice.core.IsolatedTask}), so that each adapter only connects it to its container.
 */
package dev.sluice.core;
