package dev.sluice.it.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.sluice.it.Http;

/**
 * The shop's API as the tests call it, on one instance. Every 429 and 503 that passes through here
 * is checked as the behaviour contract requires: {@code Retry-After} in whole seconds and an RFC
 * 9457 {@code application/problem+json} body of the right type.
 */
final class ShopClient {

    static final String TEA = "{\"item\": \"tea\", \"price\": 12.5, \"size\": \"M\"}";
    private static final AtomicLong KEYS = new AtomicLong();
    private static final Pattern MEMBERS = Pattern.compile("\"members\":\\[([^\\]]*)\\]");
    private static final Pattern SAFE = Pattern.compile("\"safe\":(true|false)");

    private final Function<String, URI> uri;

    ShopClient(Function<String, URI> uri) {
        this.uri = uri;
    }

    /** An API key no request has used yet, so its buckets start full. */
    static String freshKey(String prefix) {
        return prefix + "-" + KEYS.incrementAndGet() + "-" + System.nanoTime();
    }

    HttpResponse<String> order(String apiKey) throws IOException, InterruptedException {
        return order(apiKey, TEA, 0);
    }

    /** {@code POST api/orders}; {@code delayMs} makes the payment slow. */
    HttpResponse<String> order(String apiKey, String body, long delayMs) throws IOException, InterruptedException {
        URI target = uri.apply(delayMs > 0 ? "api/orders?delayMs=" + delayMs : "api/orders");
        return send(HttpRequest.newBuilder(target).header("X-Api-Key", apiKey).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    /** A GET of {@code path}, relative to the shop (or an absolute URL, such as an order's {@code Location}). */
    HttpResponse<String> get(String path, String apiKey) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri.apply(path)).header("X-Api-Key", apiKey).GET());
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<String> response = Http.CLIENT.send(request.timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofString());
        checkRefusal(response);
        return response;
    }

    /** The status document, fetched with a key of its own so polling never meets the status limit. */
    String status() throws IOException, InterruptedException {
        HttpResponse<String> response = get("api/status", freshKey("status"));
        assertThat(response.statusCode()).as("GET api/status: %s", response.body()).isEqualTo(200);
        return response.body();
    }

    /** The Hazelcast members this instance sees and whether no partition lacks its backup. */
    record Cluster(int members, boolean safe) {
    }

    Cluster cluster() throws IOException, InterruptedException {
        String status = status();
        Matcher members = MEMBERS.matcher(status);
        Matcher safe = SAFE.matcher(status);
        assertThat(members.find() && safe.find()).as("cluster in %s", status).isTrue();
        return new Cluster(members.group(1).split(",").length, Boolean.parseBoolean(safe.group(1)));
    }

    /** {@code CLOSED}, {@code OPEN} or {@code HALF_OPEN}. */
    String breaker(String name) throws IOException, InterruptedException {
        String status = status();
        Matcher state = Pattern.compile("\"breaker\":\"" + name + "\",\"state\":\"(\\w+)\"").matcher(status);
        assertThat(state.find()).as("breaker %s in %s", name, status).isTrue();
        return state.group(1);
    }

    /** The requests running on a pool now. */
    int active(String pool) throws IOException, InterruptedException {
        String status = status();
        Matcher active = Pattern.compile("\"pool\":\"" + pool + "\",\"active\":(\\d+)").matcher(status);
        assertThat(active.find()).as("pool %s in %s", pool, status).isTrue();
        return Integer.parseInt(active.group(1));
    }

    /**
     * A 429 or 503 must carry {@code Retry-After} (whole seconds, at least 1) and a problem body
     * whose type says which: {@code quota-exceeded} for 429, {@code temporary-reduced-capacity} for
     * 503. Other statuses pass.
     */
    static void checkRefusal(HttpResponse<String> response) {
        int status = response.statusCode();
        if (status != 429 && status != 503) {
            return;
        }
        String what = status + " from " + response.uri() + ": " + response.headers().map() + " " + response.body();
        assertThat(response.headers().firstValue("Retry-After")).as(what)
                .hasValueSatisfying(seconds -> assertThat(seconds).matches("[1-9][0-9]*"));
        assertThat(response.headers().firstValue("Content-Type")).as(what)
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
        String type = status == 429 ? "quota-exceeded" : "temporary-reduced-capacity";
        assertThat(response.body()).as(what)
                .contains("\"type\":\"https://iana.org/assignments/http-problem-types#" + type + "\"")
                .contains("\"title\":\"").contains("\"status\":" + status).contains("\"detail\":\"");
    }
}
