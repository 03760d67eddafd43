package dev.sluice.bench;

import java.util.List;

import dev.sluice.core.RequestInfo;

/** A request whose only distinguishing trait is its API key, reused across benchmark operations. */
final class KeyedRequest implements RequestInfo {

    private String apiKey;

    void apiKey(String key) {
        this.apiKey = key;
    }

    @Override
    public String remoteAddress() {
        return "127.0.0.1";
    }

    @Override
    public String header(String name) {
        return "X-Api-Key".equalsIgnoreCase(name) ? apiKey : null;
    }

    @Override
    public List<String> headers(String name) {
        String value = header(name);
        return value == null ? List.of() : List.of(value);
    }

    @Override
    public String principal() {
        return null;
    }

    @Override
    public String queryParameter(String name) {
        return null;
    }
}
