package dev.sluice.it.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import dev.sluice.it.Http;

/**
 * What the shop answers to order bodies that a client gets wrong or sends to do harm, on Jetty 12
 * and on Tomcat 11 (the built WAR, each in a JVM of its own, with local buckets): every malformed
 * body is a 400, 422 or 415 {@code application/problem+json} that quotes nothing of the parser, and
 * a body above 64 KiB is a 413 whether it declares its length or comes chunked. Also the status
 * document's form before the payment breaker has seen any call. The status test runs first, before
 * any order reaches the instances.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DemoBodiesIT {

    private static final int LIMIT = 64 * 1024;
    private static final Map<DemoInstance.Container, DemoInstance> INSTANCES = new EnumMap<>(DemoInstance.Container.class);

    /** Words of Jackson's and the containers' own messages that must never reach a client. */
    private static final List<String> PARSER_TEXT = List.of("Source", "REDACTED", "line:", "Unexpected", "Exception",
            "Jackson", "fasterxml", "jersey", "marker", "<html", "<HTML", "<!DOCTYPE");

    @BeforeAll
    static void deploy() throws Exception {
        Path directory = Path.of("target", "demo-bodies-" + UUID.randomUUID().toString().substring(0, 8));
        for (DemoInstance.Container container : DemoInstance.Container.values()) {
            INSTANCES.put(container, DemoInstance.start(container, container.name().toLowerCase(), directory,
                    DemoInstance.freePort(), List.of("sluice.store=local")));
        }
        for (DemoInstance instance : INSTANCES.values()) {
            instance.awaitReady(180);
        }
    }

    @AfterAll
    static void undeploy() {
        INSTANCES.values().forEach(DemoInstance::stop);
        INSTANCES.values().forEach(DemoInstance::close);
    }

    @ParameterizedTest
    @EnumSource(DemoInstance.Container.class)
    @Order(1)
    void theStatusSaysNoCallsYetBeforeThePaymentBreakerHasAny(DemoInstance.Container container) throws Exception {
        ShopClient shop = new ShopClient(INSTANCES.get(container)::uri);
        assertThat(shop.status()).contains(
                "{\"breaker\":\"payment\",\"state\":\"CLOSED\",\"calls\":0,\"failureRate\":null,\"notPermitted\":0}");
        for (int i = 0; i < 3; i++) {
            assertThat(shop.order(ShopClient.freshKey("status")).statusCode()).isEqualTo(201);
        }
        // the breaker records a call as its pool's task ends, which may be just after the client has its answer
        await("the third call recorded").atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(shop.status())
                .as("three calls fill the window of the 3-consecutive-failures breaker").contains(
                "{\"breaker\":\"payment\",\"state\":\"CLOSED\",\"calls\":3,\"failureRate\":0.0,\"notPermitted\":0}"));
    }

    /** A malformed body, what the shop must answer, and a text of the body that must not come back. */
    private record Malformed(String what, String contentType, byte[] body, int status, String notEchoed) {

        @Override
        public String toString() {
            return what;
        }
    }

    private static Malformed json(String what, String body, int status, String notEchoed) {
        return new Malformed(what, "application/json", body.getBytes(StandardCharsets.UTF_8), status, notEchoed);
    }

    private static Stream<Arguments> malformedBodies() {
        byte[] invalidUtf8 = concat("{\"item\": \"t".getBytes(StandardCharsets.US_ASCII), new byte[] {(byte) 0xC3, (byte) 0x28, (byte) 0xFF},
                "\", \"price\": 12.5, \"size\": \"M\"}".getBytes(StandardCharsets.US_ASCII));
        List<Malformed> bodies = List.of(
                json("a number of 1,500 digits", "{\"item\": \"tea\", \"price\": " + "7".repeat(1500) + ", \"size\": \"M\"}", 400, "7777777777"),
                json("a number of 101 digits", "{\"item\": \"tea\", \"price\": " + "7".repeat(101) + ", \"size\": \"M\"}", 400, "7777777777"),
                json("a number of 14 digits", "{\"item\": \"tea\", \"price\": 77777777777777, \"size\": \"M\"}", 422, "77777777777777"),
                json("a huge exponent", "{\"item\": \"tea\", \"price\": 1e999999999, \"size\": \"M\"}", 422, "999999999"),
                json("an exponent beyond int", "{\"item\": \"tea\", \"price\": 1e99999999999, \"size\": \"M\"}", 422, "99999999999"),
                json("nesting too deep at the top", "[".repeat(5000), 422, "[[["),
                json("nesting too deep in a field", "{\"item\": " + "{\"a\": ".repeat(2000), 422, "{\"a\""),
                json("a price that is a word", "{\"item\": \"tea\", \"price\": \"cheap\", \"size\": \"M\"}", 422, "cheap"),
                json("an item that is an object", "{\"item\": {\"name\": \"tea\"}, \"price\": 12.5, \"size\": \"M\"}", 422, "name"),
                json("a price that is a boolean", "{\"item\": \"tea\", \"price\": true, \"size\": \"M\"}", 422, "true"),
                json("an array instead of an object", "[{\"item\": \"tea\", \"price\": 12.5, \"size\": \"M\"}]", 422, "tea"),
                json("JSON cut short in a number", "{\"item\": \"tea\", \"price\": 12.", 400, "tea"),
                json("JSON cut short after a field", "{\"item\": \"tea\"", 400, "tea"),
                json("text that is not JSON", "item=tea&price=12.5", 400, "item=tea"),
                json("a second object after the order", ShopClient.TEA + " {\"item\": \"sugar\"}", 422, "sugar"),
                json("garbage after the order", ShopClient.TEA + " sugar", 400, "sugar"),
                json("an empty body", "", 422, "Source"),
                json("a string of 60,000 characters", "{\"item\": \"" + "x".repeat(60_000) + "\", \"price\": 12.5, \"size\": \"M\"}", 422, "xxxxxxxxxx"),
                json("a price given twice", "{\"item\": \"tea\", \"price\": 0.01, \"price\": 500, \"size\": \"M\"}", 400, "500"),
                json("a field name of 1,000 characters", "{\"" + "n".repeat(1000) + "\": 1, \"item\": \"tea\", \"price\": 12.5, \"size\": \"M\"}", 422, "n".repeat(65)),
                json("NaN for a price", "{\"item\": \"tea\", \"price\": NaN, \"size\": \"M\"}", 400, "NaN"),
                new Malformed("invalid UTF-8", "application/json", invalidUtf8, 400, "0x"),
                new Malformed("JSON sent as text/plain", "text/plain", ShopClient.TEA.getBytes(StandardCharsets.UTF_8), 415, "tea"),
                new Malformed("JSON sent as a form", "application/x-www-form-urlencoded", "item=tea".getBytes(StandardCharsets.UTF_8), 415, "item=tea"));
        List<Arguments> arguments = new ArrayList<>();
        for (DemoInstance.Container container : DemoInstance.Container.values()) {
            bodies.forEach(body -> arguments.add(Arguments.of(container, body)));
        }
        return arguments.stream();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("malformedBodies")
    @Order(2)
    void aMalformedBodyIsAProblemThatQuotesNoParserText(DemoInstance.Container container, Malformed malformed) throws Exception {
        HttpResponse<String> response = post(container, malformed.contentType(), HttpRequest.BodyPublishers.ofByteArray(malformed.body()));
        String what = malformed + ": " + response.statusCode() + " " + response.headers().map() + " " + response.body();
        assertThat(response.statusCode()).as(what).isEqualTo(malformed.status());
        assertProblem(response, malformed.status(), what);
        assertThat(response.body()).as(what).doesNotContain(malformed.notEchoed());
    }

    @ParameterizedTest
    @EnumSource(DemoInstance.Container.class)
    @Order(2)
    void aBodyWithoutContentTypeIs415(DemoInstance.Container container) throws Exception {
        HttpResponse<String> response = Http.CLIENT.send(HttpRequest.newBuilder(INSTANCES.get(container).uri("api/orders"))
                .timeout(Duration.ofSeconds(60)).header("X-Api-Key", ShopClient.freshKey("bodies"))
                .POST(HttpRequest.BodyPublishers.ofString(ShopClient.TEA)).build(), HttpResponse.BodyHandlers.ofString());
        String what = response.statusCode() + " " + response.headers().map() + " " + response.body();
        assertThat(response.statusCode()).as(what).isEqualTo(415);
        assertProblem(response, 415, what);
    }

    /** Bodies at and above the cap, declared ({@code Content-Length}) and chunked (none). */
    private static Stream<Arguments> sizes() {
        List<Arguments> arguments = new ArrayList<>();
        for (DemoInstance.Container container : DemoInstance.Container.values()) {
            for (boolean chunked : new boolean[] {false, true}) {
                arguments.add(Arguments.of(container, chunked, LIMIT, 422));
                arguments.add(Arguments.of(container, chunked, LIMIT + 1, 413));
                arguments.add(Arguments.of(container, chunked, 200 * 1024, 413));
            }
        }
        return arguments.stream();
    }

    @ParameterizedTest(name = "{0}, chunked {1}: {2} bytes answer {3}")
    @MethodSource("sizes")
    @Order(2)
    void aBodyAbove64KiBIs413WithOrWithoutContentLength(DemoInstance.Container container, boolean chunked, int bytes, int status)
            throws Exception {
        byte[] body = orderOfLength(bytes);
        HttpRequest.BodyPublisher publisher = chunked
                ? HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))
                : HttpRequest.BodyPublishers.ofByteArray(body);
        assertThat(publisher.contentLength()).isEqualTo(chunked ? -1 : bytes);
        HttpResponse<String> response = post(container, "application/json", publisher);
        String what = response.statusCode() + " " + response.headers().map() + " " + response.body();
        assertThat(response.statusCode()).as(what).isEqualTo(status);
        assertProblem(response, status, what);
        if (status == 413) {
            assertThat(response.body()).as(what).contains("larger than 65536 bytes");
            assertThat(response.headers().firstValue("Connection")).as("the unread rest closes the connection: %s", what)
                    .hasValue("close");
        } else {
            assertThat(response.body()).as("read whole, then refused by validation: %s", what)
                    .contains("{\"field\":\"item\",\"message\":\"size must be between 0 and 100\"}");
        }
    }

    /** A well-formed order of exactly {@code bytes} bytes, its item as long as it takes. */
    private static byte[] orderOfLength(int bytes) {
        String head = "{\"item\": \"";
        String tail = "\", \"price\": 12.5, \"size\": \"M\"}";
        String order = head + "x".repeat(bytes - head.length() - tail.length()) + tail;
        assertThat(order.length()).isEqualTo(bytes);
        return order.getBytes(StandardCharsets.US_ASCII);
    }

    private static HttpResponse<String> post(DemoInstance.Container container, String contentType, HttpRequest.BodyPublisher body)
            throws IOException, InterruptedException {
        return Http.CLIENT.send(HttpRequest.newBuilder(INSTANCES.get(container).uri("api/orders"))
                .timeout(Duration.ofSeconds(60))
                .header("X-Api-Key", ShopClient.freshKey("bodies"))
                .header("Content-Type", contentType)
                .POST(body).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertProblem(HttpResponse<String> response, int status, String what) {
        assertThat(response.headers().firstValue("Content-Type")).as(what)
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(response.body()).as(what).startsWith("{\"type\":\"").contains("\"status\":" + status).contains("\"detail\":\"");
        for (String text : PARSER_TEXT) {
            assertThat(response.body()).as(what).doesNotContain(text);
        }
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            all.writeBytes(part);
        }
        return all.toByteArray();
    }
}
