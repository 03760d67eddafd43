/**
 * The demo application: the e-commerce payment system of the design notes, wired as a user would
 * wire Sluice. Payments (orders) run on their own thread pool and database connection pool, behind
 * a per-client rate limit and a circuit breaker; log queries share a smaller pool; a plain servlet
 * serves files. Nothing here is part of the library.
 */
package dev.sluice.demo;
