package dev.sluice.core;

/** A custom key for tests: the tenant named in the {@code X-Tenant} header, upper-cased. */
public final class TenantKey implements KeyResolver {

    @Override
    public String resolve(RequestInfo request) {
        String tenant = request.header("X-Tenant");
        return tenant == null ? null : tenant.toUpperCase(java.util.Locale.ROOT);
    }
}
