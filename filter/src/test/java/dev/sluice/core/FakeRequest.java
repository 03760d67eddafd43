package dev.sluice.core;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A request built by hand for engine tests. */
public final class FakeRequest implements RequestInfo {

    private final String remoteAddress;
    private final Map<String, List<String>> headers = new LinkedHashMap<>();
    private final Map<String, String> query = new LinkedHashMap<>();
    private final Map<String, String> pathParameters = new LinkedHashMap<>();
    private String principal;

    private FakeRequest(String remoteAddress) {
        this.remoteAddress = remoteAddress;
    }

    public static FakeRequest from(String remoteAddress) {
        return new FakeRequest(remoteAddress);
    }

    FakeRequest header(String name, String value) {
        headers.computeIfAbsent(name.toLowerCase(Locale.ROOT), n -> new ArrayList<>()).add(value);
        return this;
    }

    FakeRequest query(String name, String value) {
        query.put(name, value);
        return this;
    }

    FakeRequest pathParameter(String name, String value) {
        pathParameters.put(name, value);
        return this;
    }

    FakeRequest principal(String name) {
        this.principal = name;
        return this;
    }

    @Override
    public String remoteAddress() {
        return remoteAddress;
    }

    @Override
    public String header(String name) {
        List<String> values = headers(name);
        return values.isEmpty() ? null : values.get(0);
    }

    @Override
    public List<String> headers(String name) {
        return headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
    }

    @Override
    public String principal() {
        return principal;
    }

    @Override
    public String queryParameter(String name) {
        return query.get(name);
    }

    @Override
    public String pathParameter(String name) {
        return pathParameters.get(name);
    }
}
