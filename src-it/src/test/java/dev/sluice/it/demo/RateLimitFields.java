package dev.sluice.it.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;

import org.greenbytes.http.sfv.IntegerItem;
import org.greenbytes.http.sfv.Item;
import org.greenbytes.http.sfv.ListElement;
import org.greenbytes.http.sfv.OuterList;
import org.greenbytes.http.sfv.Parameters;
import org.greenbytes.http.sfv.Parser;
import org.greenbytes.http.sfv.StringItem;

/**
 * Reads the {@code RateLimit-Policy} and {@code RateLimit} fields of a response with an independent
 * RFC 8941 parser (greenbytes' structured-fields), and checks them against
 * draft-ietf-httpapi-ratelimit-headers: each field a List of String items naming policies, the
 * policy items with integer {@code q} (at least 0) and {@code w} (above 0), the state items with
 * integer {@code r} and {@code t} (at least 0), the same policies in both.
 */
final class RateLimitFields {

    /** A policy's quota and window, and its state in this response. */
    record Policy(long quota, long window, long remaining, long reset) {
    }

    private RateLimitFields() {
    }

    /** The policies of the response by name, in header order. */
    static Map<String, Policy> parse(HttpResponse<?> response) {
        String policyField = response.headers().firstValue("RateLimit-Policy").orElseThrow(
                () -> new AssertionError("no RateLimit-Policy in " + response.headers().map()));
        String stateField = response.headers().firstValue("RateLimit").orElseThrow(
                () -> new AssertionError("no RateLimit in " + response.headers().map()));
        Map<String, Parameters> policies = items(policyField);
        Map<String, Parameters> states = items(stateField);
        assertThat(states.keySet()).as("policies named in RateLimit and RateLimit-Policy").isEqualTo(policies.keySet());
        Map<String, Policy> parsed = new LinkedHashMap<>();
        policies.forEach((name, params) -> {
            Parameters state = states.get(name);
            parsed.put(name, new Policy(integer(params, "q", 0), integer(params, "w", 1),
                    integer(state, "r", 0), integer(state, "t", 0)));
        });
        return parsed;
    }

    private static Map<String, Parameters> items(String field) {
        OuterList list = Parser.parseList(field);
        Map<String, Parameters> items = new LinkedHashMap<>();
        for (ListElement<?> element : list.get()) {
            assertThat(element).as("item of '%s'", field).isInstanceOf(StringItem.class);
            String name = ((StringItem) element).get();
            assertThat(items.put(name, element.getParams())).as("policy %s listed twice in '%s'", name, field).isNull();
        }
        assertThat(items).as(field).isNotEmpty();
        return items;
    }

    private static long integer(Parameters params, String key, long min) {
        Item<?> item = params.get(key);
        assertThat(item).as("parameter %s of %s", key, params.serialize()).isInstanceOf(IntegerItem.class);
        long value = ((IntegerItem) item).get();
        assertThat(value).as("parameter %s", key).isGreaterThanOrEqualTo(min);
        return value;
    }
}
